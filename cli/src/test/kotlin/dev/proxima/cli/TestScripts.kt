package dev.proxima.cli

import java.nio.file.Files
import java.nio.file.Path

/**
 * Scripts the CLI tests share, and one compiled-script cache for the whole test JVM: every distinct script costs a
 * Kotlin compilation, so each is written once and its compilation reused by every spec.
 */
object TestScripts {
    val cacheDir: Path by lazy { Files.createTempDirectory("proxima-test-script-cache") }
    val dir: Path by lazy { Files.createTempDirectory("proxima-test-scripts") }

    /** CartPole with a small, fast shape: 4 envs x 64 steps, 2 epochs, 4 minibatches. */
    val CONFIG = """
        |// a plain core configuration
        |PpoConfig.builder()
        |    .env("CartPole-v1")
        |    .rollout(4, 64)
        |    .updateEpochs(2)
        |    .numMinibatches(4)
        |    .learningRate(1e-3)
        |    .seed(3)
        |    .build()
        |""".trimMargin()

    /** The DSL: a `ppo { }` trainer with its own budget of 512 steps. */
    val DSL = """
        |ppo {
        |    env(CartPole)
        |    rollout(numEnvs = 4, numSteps = 32)
        |    numMinibatches(4)
        |    updateEpochs(2)
        |    seed(4)
        |    totalSteps(512)
        |}
        |""".trimMargin()

    /** Two compile errors, unresolved references at line 1 column 13 and line 4 column 6. */
    val ERRORS = """
        |val steps = undefinedSteps * 2
        |PpoConfig.builder()
        |    .env("CartPole-v1")
        |    .clipp(0.2)
        |    .build()
        |""".trimMargin()

    /** Compiles, then throws PpoConfigException from the build() call on line 5. */
    val THROWS = """
        |// 512 rows do not split into 3 minibatches
        |PpoConfig.builder()
        |    .env("CartPole-v1")
        |    .numMinibatches(3)
        |    .build()
        |""".trimMargin()

    /** A script that ends with a declaration: no value to train. */
    val NO_VALUE = """
        |val config = PpoConfig.builder().env("CartPole-v1").build()
        |""".trimMargin()

    /**
     * An env declared in the script: a corridor of 6 cells, reward 1 at the right end. With `failAfter` > 0 the
     * env throws at that step, from line 13.
     */
    fun corridor(failAfter: Int) = """
        |class Corridor : Env<FloatArray, Int> {
        |    private var pos = 0
        |    private var steps = 0
        |    override fun observationSpace(): Space<FloatArray> = Box.of(0f, 5f, 1)
        |    override fun actionSpace(): Space<Int> = Discrete(2)
        |    override fun reset(seed: Long): Reset<FloatArray> = reset()
        |    override fun reset(): Reset<FloatArray> {
        |        pos = 0
        |        return Reset(floatArrayOf(0f), mapOf())
        |    }
        |    override fun step(action: Int): Step<FloatArray> {
        |        steps++
        |        check($failAfter <= 0 || steps < $failAfter) { "corridor sensor failed at step ${'$'}steps" }
        |        pos = (pos + if (action == 1) 1 else -1).coerceIn(0, 5)
        |        return Step(floatArrayOf(pos.toFloat()), if (pos == 5) 1.0 else -0.01, pos == 5, false, mapOf())
        |    }
        |}
        |PpoConfig.builder()
        |    .env(EnvSpec("Corridor-v0", { _ -> Corridor() }, 50, 0.9))
        |    .rollout(2, 64)
        |    .build()
        |""".trimMargin()

    /**
     * A `ppo { }` trainer with the TUNED preset and callbacks of its own: an update listener appending to [log] and
     * numbered training checkpoints every update in [checkpoints] (when given); two sampling workers.
     */
    fun dslWithCallbacks(log: Path, checkpoints: Path? = null, steps: Int = 1024) = """
        |ppo {
        |    env(CartPole)
        |    preset(TUNED)
        |    rollout(numEnvs = 4, numSteps = 32)
        |    numMinibatches(2)
        |    updateEpochs(2)
        |    seed(5)
        |    workers(2)
        |    totalSteps($steps)
        |    onUpdate { s -> java.io.File("${log}").appendText("update ${'$'}{s.update()}\n") }
        |${if (checkpoints != null) "    checkpoints(every = 1, dir = java.nio.file.Path.of(\"$checkpoints\"))" else ""}
        |}
        |""".trimMargin()

    /** An env declared in the script whose episodes never end, without a time limit, and a trainer that warns early. */
    val ENDLESS = """
        |class Endless : Env<FloatArray, Int> {
        |    override fun observationSpace(): Space<FloatArray> = Box.of(0f, 1f, 1)
        |    override fun actionSpace(): Space<Int> = Discrete(2)
        |    override fun reset(seed: Long): Reset<FloatArray> = reset()
        |    override fun reset(): Reset<FloatArray> = Reset(floatArrayOf(0f), mapOf())
        |    override fun step(action: Int): Step<FloatArray> = Step(floatArrayOf(0f), 1.0, false, false, mapOf())
        |}
        |val config = PpoConfig.builder().env(EnvSpec("Endless-v0", { _ -> Endless() }, 0, Double.NaN)).rollout(2, 64).build()
        |Trainer.builder(config).warnNoEpisodeAfter(256).build()
        |""".trimMargin()

    /** An env whose step runs out of memory (an array larger than any heap) at its 100th step, from line 8. */
    val GREEDY = """
        |class Greedy : Env<FloatArray, Int> {
        |    private var n = 0
        |    override fun observationSpace(): Space<FloatArray> = Box.of(0f, 1f, 1)
        |    override fun actionSpace(): Space<Int> = Discrete(2)
        |    override fun reset(seed: Long): Reset<FloatArray> = reset()
        |    override fun reset(): Reset<FloatArray> = Reset(floatArrayOf(0f), mapOf())
        |    override fun step(action: Int): Step<FloatArray> {
        |        if (++n == 100) println(LongArray(Int.MAX_VALUE - 2).size)
        |        return Step(floatArrayOf(0f), 1.0, n % 20 == 0, false, mapOf())
        |    }
        |}
        |PpoConfig.builder().env(EnvSpec("Greedy-v0", { _ -> Greedy() }, 50, Double.NaN)).rollout(2, 64).build()
        |""".trimMargin()

    fun write(name: String, text: String): Path {
        val f = dir.resolve(name)
        if (!Files.exists(f) || Files.readString(f) != text) Files.writeString(f, text)
        return f
    }
}
