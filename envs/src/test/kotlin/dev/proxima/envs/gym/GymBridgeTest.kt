package dev.proxima.envs.gym

import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvContractException
import dev.proxima.core.env.EnvFactory
import dev.proxima.core.env.EnvNotFoundException
import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.env.SyncVectorEnv
import dev.proxima.core.env.VectorEnvException
import dev.proxima.core.env.Wrapper
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.train.PpoLoop
import dev.proxima.core.space.Box
import dev.proxima.core.space.Discrete
import dev.proxima.envs.classic.ClassicControl
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.TimeUnit
import kotlin.math.abs

/** The interpreter the bridge would use, if it runs Python 3.8+; else null (the tests are skipped, saying why). */
private val python: String? = run {
    val interpreter = GymSpec.defaultInterpreter()
    try {
        val p = ProcessBuilder(interpreter, "-c", "import sys; print(sys.version_info >= (3, 8))")
            .redirectErrorStream(true).start()
        val out = p.inputStream.readAllBytes().decodeToString().trim()
        if (p.waitFor(30, TimeUnit.SECONDS) && out == "True") interpreter else null
    } catch (e: java.io.IOException) {
        null
    }
}

private fun importable(module: String): Boolean = python != null && ProcessBuilder(python, "-c", "import $module")
    .redirectErrorStream(true).start().let { it.inputStream.readAllBytes(); it.waitFor() == 0 }

private val gymnasium = importable("gymnasium")

private val fakes: Path = Path.of(GymBridgeTest::class.java.getResource("/gym/fake_envs.py")!!.toURI()).parent

private fun fake(name: String): GymSpec = GymEnv.python("fake_envs:$name").pythonPath(fakes).forwardStderr(false)

/** A wrapper batched stepping does not look through, so its copies are stepped one message each. */
private class Opaque<O, A>(env: Env<O, A>) : Wrapper<O, A>(env)

private fun alive(pid: Long) = ProcessHandle.of(pid).map { it.isAlive }.orElse(false)

class GymBridgeTest : FunSpec({

    if (python == null) {
        println("GymBridgeTest: SKIPPED, no Python 3.8+ found (tried \"${GymSpec.defaultInterpreter()}\"; set " +
            "-D${GymSpec.PYTHON_PROPERTY} or ${GymSpec.PYTHON_ENV})")
    }
    val enabled = python != null
    if (enabled && gymnasium) {
        println("GymBridgeTest: \"without gymnasium, a Gymnasium id says how to install it\" SKIPPED, $python imports " +
            "gymnasium")
    }
    if (enabled && !gymnasium) {
        println("GymBridgeTest: \"gym:CartPole-v1 steps as our CartPole-v1\" SKIPPED, gymnasium is not importable by " +
            "$python (install it there, or point -D${GymSpec.PYTHON_PROPERTY} at a Python that has it)")
    }

    test("spaces, seeded resets and steps of a Python env") .config(enabled = enabled) {
        val spec = fake("Counter").kwargs(mapOf("length" to 3, "n" to 4, "start" to -1))
        spec.makeUnwrapped(0).use { a ->
            spec.makeUnwrapped(0).use { b ->
                a.observationSpace() shouldBe Box.of(-1e3f, 1e3f, 3)
                a.actionSpace() shouldBe Discrete(4, -1)
                a.description() shouldBe "fake_envs:Counter"
                a.batchSlot() shouldBe 0
                b.batchSlot() shouldBe 1
                a.stepBatch() shouldBeSameInstanceAs b.stepBatch() // one process for the spec's copies
                val first = a.reset(7).observation() as FloatArray
                (b.reset(7).observation() as FloatArray).toList() shouldBe first.toList()
                first[0] shouldBe 0f
                val s1 = a.step(2)
                (s1.observation() as FloatArray).toList().take(2) shouldBe listOf(1f, 2f)
                s1.reward() shouldBe 2.5
                s1.terminated() shouldBe false
                a.step(-1).reward() shouldBe 0.0
                val s3 = a.step(0)
                s3.terminated() shouldBe true
                s3.truncated() shouldBe false
                shouldThrow<IllegalArgumentException> { a.step(3) }.message shouldContain "Discrete(4, start=-1)"
                (a.reset().observation() as FloatArray)[2] shouldBe (b.let { it.step(0); it.step(0); it.step(0); it.reset() }
                    .observation() as FloatArray)[2] // reset() continues the seeded stream alike
            }
        }
    }

    test("reset(seed) passes the seed as an unsigned 64-bit integer") .config(enabled = enabled) {
        fake("SeedEcho").makeUnwrapped(0).use { env ->
            (env.reset(-1).observation() as FloatArray).toList() shouldBe List(4) { 65535f }
            (env.reset(0x0001_0002_0003_0004L).observation() as FloatArray).toList() shouldBe listOf(1f, 2f, 3f, 4f)
            (env.reset().observation() as FloatArray).toList() shouldBe List(4) { -1f }
        }
    }

    test("a vector step of N copies is one round trip, with the results of stepping them one by one")
        .config(enabled = enabled) {
            val n = 4
            val seeds = longArrayOf(11, 12, 13, 14)
            val spec = fake("Counter").kwargs(mapOf("length" to 4))
            val separate = fake("Counter").kwargs(mapOf("length" to 4)) // a spec of its own: another process
            SyncVectorEnv.of(spec, *seeds).use { batched ->
                SyncVectorEnv.of(EnvFactory { seed -> Opaque(separate.make(seed)) }, *seeds).use { single ->
                    val process = (batched.env(0).unwrapped() as GymEnv).stepBatch() as PythonProcess
                    val other = (single.env(0).unwrapped() as GymEnv).stepBatch() as PythonProcess
                    val dim = batched.obsDim()
                    val obsA = FloatArray(n * dim)
                    val obsB = FloatArray(n * dim)
                    batched.reset(seeds, obsA)
                    single.reset(seeds, obsB)
                    obsA.toList() shouldBe obsB.toList()
                    val before = process.requests()
                    val beforeOther = other.requests()
                    val actions = FloatArray(n)
                    val rA = DoubleArray(n); val rB = DoubleArray(n)
                    val tA = BooleanArray(n); val tB = BooleanArray(n)
                    val uA = BooleanArray(n); val uB = BooleanArray(n)
                    val fA = FloatArray(n * dim); val fB = FloatArray(n * dim)
                    var ends = 0
                    for (step in 0 until 11) {
                        for (i in 0 until n) actions[i] = ((step + i) % 3).toFloat()
                        batched.step(actions, obsA, rA, tA, uA, fA)
                        single.step(actions, obsB, rB, tB, uB, fB)
                        withClue("step $step") {
                            obsA.toList() shouldBe obsB.toList()
                            rA.toList() shouldBe rB.toList()
                            tA.toList() shouldBe tB.toList()
                            fA.toList() shouldBe fB.toList()
                        }
                        ends += tA.count { it }
                    }
                    ends shouldBe 8 // every copy ended twice (length 4) and was reset within the batched message
                    process.requests() - before shouldBe 11L
                    other.requests() - beforeOther shouldBe 11L * n + 8 // one per copy and step, plus the resets
                }
            }
        }

    test("Box actions and observations of any shape travel as flat float32 rows") .config(enabled = enabled) {
        fake("Matrix").makeUnwrapped(0).use { env ->
            env.observationSpace() shouldBe Box(FloatArray(6) { -1e6f }, FloatArray(6) { 1e6f }, 2, 3)
            (env.actionSpace() as Box).low().toList() shouldBe listOf(-1f, -2f, -3f, -4f)
            env.reset(0)
            val s = env.step(floatArrayOf(0.5f, 0.25f, -1f, 2f))
            (s.observation() as FloatArray).toList() shouldBe listOf(10.75f, 11.5f, 12.25f, 11f, 12f, 13f)
            s.reward() shouldBe 1.75
        }
        SyncVectorEnv.of(fake("Matrix"), 1, 2).use { vec ->
            val obs = FloatArray(12); val fin = FloatArray(12)
            vec.reset(longArrayOf(1, 2), obs)
            val trunc = BooleanArray(2)
            repeat(4) { vec.step(FloatArray(8) { 0.5f }, obs, DoubleArray(2), BooleanArray(2), trunc, fin) }
            trunc.toList() shouldBe listOf(true, true)
            fin.toList().take(3) shouldBe listOf(41f, 42f, 43f)
            obs.toList() shouldBe List(12) { 0f }
        }
    }

    test("a Discrete observation space arrives as Integer values") .config(enabled = enabled) {
        fake("DiscreteObs").makeUnwrapped(0).use { env ->
            env.observationSpace() shouldBe Discrete(5, 2)
            env.reset(1).observation() shouldBe 2
            env.step(0).observation() shouldBe 3
        }
    }

    test("a Python exception becomes a PythonEnvException with the env id and the traceback's last lines")
        .config(enabled = enabled) {
            fake("Crash").makeUnwrapped(0).use { env ->
                env.reset(1)
                env.step(0); env.step(0)
                val e = shouldThrow<PythonEnvException> { env.step(0) }
                e.envId() shouldBe "gym:fake_envs:Crash"
                e.message shouldContain "gym:fake_envs:Crash"
                e.message shouldContain "ValueError: boom at step 3"
                e.message shouldContain "in step" // the frame of the env's step method
                e.pythonTraceback()!! shouldContain "Traceback (most recent call last)"
                env.reset(1).observation().shouldBeInstanceOf<FloatArray>() // the process lives on
            }
            SyncVectorEnv.of(fake("Crash").kwargs(mapOf("at" to 2)), 1, 2).use { vec ->
                vec.reset(longArrayOf(1, 2), FloatArray(6))
                vec.step(FloatArray(2), FloatArray(6), DoubleArray(2), BooleanArray(2), BooleanArray(2), FloatArray(6))
                val e = shouldThrow<VectorEnvException> {
                    vec.step(FloatArray(2), FloatArray(6), DoubleArray(2), BooleanArray(2), BooleanArray(2), FloatArray(6))
                }
                e.message shouldContain "batched step of 2 copies"
                e.message shouldContain "boom at step 2"
            }
        }

    test("a hung Python env is killed after the timeout, with a clear error") .config(enabled = enabled) {
        // 5 s, not less: under load the first request (the server's start-up) alone can take a second or two.
        fake("Hang").timeout(Duration.ofSeconds(5)).makeUnwrapped(0).use { env ->
            env.reset(1)
            val pid = (env.stepBatch() as PythonProcess).pid()
            val started = System.nanoTime()
            val e = shouldThrow<PythonEnvException> { env.step(0) }
            val seconds = (System.nanoTime() - started) / 1e9
            e.message shouldContain "did not answer \"step\" within 5.0 s and was killed"
            e.message shouldContain "gym:fake_envs:Hang"
            (seconds < 30) shouldBe true
            alive(pid) shouldBe false
            shouldThrow<PythonEnvException> { env.reset(1) }.message shouldContain "cannot reset"
        }
    }

    test("a crashed Python process is reported with its exit code and the end of its stderr")
        .config(enabled = enabled) {
            fake("Exit").makeUnwrapped(0).use { env ->
                env.reset(1)
                val e = shouldThrow<PythonEnvException> { env.step(0) }
                e.message shouldContain "exited with code 7 during \"step\""
                e.message shouldContain "fake_envs.Exit: dying now"
            }
        }

    test("what the env prints cannot corrupt the protocol") .config(enabled = enabled) {
        fake("Chatty").makeUnwrapped(0).use { env ->
            env.reset(3)
            repeat(5) { k -> (env.step(1).observation() as FloatArray)[0] shouldBe (k + 1).toFloat() }
        }
    }

    test("unsupported spaces, unknown modules and env ids fail when the env is made, saying why")
        .config(enabled = enabled) {
            shouldThrow<PythonEnvException> { fake("Unsupported").makeUnwrapped(0) }.message shouldContain
                "the bridge carries Box and Discrete spaces"
            shouldThrow<PythonEnvException> { GymEnv.python("no_such_module_xyz:Env").makeUnwrapped(0) }
                .message shouldContain "No module named 'no_such_module_xyz'"
            shouldThrow<PythonEnvException> { fake("NoSuchEnv").makeUnwrapped(0) }.message shouldContain
                "has no attribute 'NoSuchEnv'"
            val e = shouldThrow<PythonEnvException> { fake("CloseFails").makeUnwrapped(0).close() }
            e.message shouldContain "cannot close"
        }

    test("without gymnasium, a Gymnasium id says how to install it") .config(enabled = enabled && !gymnasium) {
        val e = shouldThrow<PythonEnvException> { GymEnv.python("CartPole-v1").makeUnwrapped(0) }
        e.message shouldContain "gymnasium is not installed for $python"
        e.message shouldContain "-m pip install gymnasium"
        e.message shouldContain GymSpec.PYTHON_PROPERTY
    }

    test("a missing interpreter gives a message naming the ways to configure one") {
        val e = shouldThrow<PythonEnvException> {
            GymEnv.python("CartPole-v1").interpreter("/no/such/python3").makeUnwrapped(0)
        }
        e.message shouldContain "cannot start the Python interpreter \"/no/such/python3\""
        e.message shouldContain GymSpec.PYTHON_ENV
    }

    test("closing the last copy ends the Python process; the next copy starts a new one") .config(enabled = enabled) {
        val spec = fake("Counter")
        val a = spec.makeUnwrapped(0)
        val b = spec.makeUnwrapped(0)
        val pid = (a.stepBatch() as PythonProcess).pid()
        a.close()
        alive(pid) shouldBe true
        b.close()
        b.close() // idempotent
        alive(pid) shouldBe false
        shouldThrow<IllegalStateException> { b.step(0) }.message shouldContain "after close()"
        spec.makeUnwrapped(0).use { c -> ((c.stepBatch() as PythonProcess).pid() == pid) shouldBe false }
        val limited = fake("Counter").copiesPerProcess(2)
        val copies = List(3) { limited.makeUnwrapped(0) }
        copies.map { it.stepBatch() }.distinct().size shouldBe 2
        copies.forEach { it.close() }
    }

    test("the Python process ends with the JVM, whether it exits or is killed") .config(enabled = enabled) {
        val java = Path.of(System.getProperty("java.home"), "bin", "java").toString()
        for (how in listOf("exit", "kill")) {
            val jvm = ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HoldEnvMain::class.java.name, fakes.toString(), how).redirectErrorStream(true).start()
            try {
                val line = jvm.inputStream.bufferedReader().readLine() ?: error("the child JVM printed nothing")
                val pid = line.removePrefix("pid ").trim().toLong()
                alive(pid) shouldBe true
                if (how == "kill") {
                    jvm.destroyForcibly() // SIGKILL: no shutdown hook; the server sees its stdin close
                } else {
                    jvm.outputStream.write('\n'.code)
                    jvm.outputStream.flush()
                }
                jvm.waitFor(60, TimeUnit.SECONDS) shouldBe true
                val deadline = System.nanoTime() + 10_000_000_000L
                while (alive(pid) && System.nanoTime() < deadline) Thread.sleep(50)
                withClue("after the JVM's $how") { alive(pid) shouldBe false }
            } finally {
                jvm.destroyForcibly()
            }
        }
    }

    test("gym: ids resolve through the env registry; other unknown ids still fail with the known ids") {
        val registry = EnvRegistry.global()
        val spec = registry.spec("gym:LunarLander-v3")
        spec.shouldBeInstanceOf<GymSpec>()
        spec.pythonId() shouldBe "LunarLander-v3"
        spec.id() shouldBe "gym:LunarLander-v3"
        registry.spec("gym:LunarLander-v3") shouldBeSameInstanceAs spec
        registry.ids().contains("gym:LunarLander-v3") shouldBe false
        val e = shouldThrow<EnvNotFoundException> { registry.spec("CartPol-v1") }
        e.message shouldContain "Did you mean \"CartPole-v1\"?"
        val union = EnvRegistry().register(ClassicControl.cartPole())
        shouldThrow<EnvNotFoundException> { union.spec("gym:CartPole-v1") }
        registry.providers().forEach { union.resolveWith(it) }
        union.spec("gym:CartPole-v1").shouldBeInstanceOf<GymSpec>()
    }

    test("PPO trains on a Python env through the bridge, reproducibly") .config(enabled = enabled) {
        fun run() = PpoLoop.train(
            PpoConfig.builder().env(fake("Cue")).seed(3).rollout(4, 32).learningRate(3e-3).entCoef(0.0).build(),
            4 * 32 * 12,
        )
        val a = run()
        val b = run()
        fun stats(r: dev.proxima.core.train.TrainingResult) = r.updates().map { u -> u.metrics().filterKeys { "SPS" !in it } }
        stats(a) shouldBe stats(b)
        val last = a.updates().takeLast(3).map { it.episodicReturn() }.average()
        last shouldBeGreaterThan 5.0 // of 8; a random policy earns 4
    }

    test("gym:CartPole-v1 steps as our CartPole-v1") .config(enabled = enabled && gymnasium) {
        val spec = EnvRegistry.global().spec("gym:CartPole-v1")
        spec.rewardThreshold().asDouble shouldBe 475.0
        spec.maxEpisodeSteps().asInt shouldBe 500
        val trained = PpoLoop.train(PpoConfig.builder().env("gym:CartPole-v1").seed(1).rollout(4, 64).build(), 512)
        trained.updates().size shouldBe 2
        trained.agent().env().id() shouldBe "gym:CartPole-v1"
        GymEnv.python("gym:CartPole-v1").forwardStderr(false).makeUnwrapped(0).use { gym ->
            val ours = ClassicControl.cartPole().makeUnwrapped(0)
            for (seed in listOf(1L, 2L, 3L)) {
                val start = gym.reset(seed).observation() as FloatArray
                ours.reset(seed)
                (ours as dev.proxima.envs.classic.ClassicControlEnv<*>).setState(*start.map { it.toDouble() }.toDoubleArray())
                for (t in 0 until 30) {
                    val action = (t * 7 + seed.toInt()) % 3 % 2
                    val g = gym.step(action)
                    @Suppress("UNCHECKED_CAST")
                    val o = (ours as Env<FloatArray, Int>).step(action)
                    withClue("seed $seed step $t") {
                        val go = g.observation() as FloatArray
                        for (k in 0 until 4) (abs(go[k] - o.observation()[k]) <= 1e-5f * maxOf(1f, abs(go[k]))) shouldBe true
                        g.reward() shouldBe o.reward()
                        g.terminated() shouldBe o.terminated()
                    }
                    if (g.terminated()) break
                }
            }
        }
    }
})
