package dev.proxima.cli

import dev.proxima.cli.tensorboard.EventFileReader
import dev.proxima.core.internal.Json
import dev.proxima.core.ppo.Agent
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.Stages
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import io.kotest.assertions.withClue
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeGreaterThanOrEqual
import io.kotest.matchers.ints.shouldBeGreaterThan
import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock
import java.time.Instant
import java.time.ZoneOffset
import javax.imageio.ImageIO

private fun summary(dir: Path): Map<String, Any> = Json.readObject(dir.resolve("summary.json"))

class TrainCommandTest : FunSpec({
    val wd = Files.createTempDirectory("train-test")
    val clock = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC)
    TestScripts.write("config.ppo.kts", TestScripts.CONFIG)
    Files.copy(TestScripts.dir.resolve("config.ppo.kts"), wd.resolve("config.ppo.kts"))
    val run = wd.resolve("runs/CartPole-v1-20250102-030405")

    test("train writes the run directory: checkpoints, metrics.csv, TensorBoard events, reward curve, summary.json") {
        val r = proxima(wd, "train", "config.ppo.kts", "--steps", "2048", "--eval-episodes", "3", clock = clock)
        withClue(r) {
            r.code shouldBe 0
            r.out shouldContain "training PPO on CartPole-v1 for 2,048 steps: 8 updates of 4 envs x 64 steps, seed 3"
            r.out shouldContain "run directory: runs/CartPole-v1-20250102-030405"
            r.out shouldContain "done: 2,048 steps"
            r.out shouldContain "evaluation: "
        }
        Files.list(run).use { s -> s.map { it.fileName.toString() }.toList() } shouldContainAll
            listOf("checkpoints", "metrics.csv", "reward_curve.png", "summary.json", "config.ppo.kts")

        val s = summary(run)
        s["env"] shouldBe "CartPole-v1"
        s["seed"] shouldBe 3L
        s["steps"] shouldBe 2048L
        s["requested_steps"] shouldBe 2048L
        s["updates"] shouldBe 8L
        s["eval_episodes"] shouldBe 3L
        (s["wall_seconds"] as Double) shouldBeGreaterThan 0.0
        (s["sps"] as Double) shouldBe (2048 / (s["wall_seconds"] as Double) plusOrMinus 1e-6)
        s["reward_threshold"] shouldBe 475.0
        s["solved"] shouldBe ((s["eval_mean_return"] as Double) >= 475.0)
        s["interrupted"] shouldBe false
        @Suppress("UNCHECKED_CAST")
        (s["config"] as Map<String, Any>).let { c ->
            c["numEnvs"] shouldBe 4L
            c["numSteps"] shouldBe 64L
            c["seed"] shouldBe 3L
        }

        // The final evaluation is of the last agent, with the evaluation seed: reproducible from the checkpoint.
        val last = Agent.load(run.resolve("checkpoints/last.safetensors"))
        val again = last.evaluate(3, true, 3 + TrainCommand.EVAL_SEED_OFFSET)
        s["eval_mean_return"] shouldBe again.meanReturn()
        s["eval_std_return"] shouldBe again.stdReturn()
        // The best checkpoint holds the agent of the best evaluation.
        @Suppress("UNCHECKED_CAST")
        val best = s["best"] as Map<String, Any>
        Agent.load(run.resolve("checkpoints/best.safetensors")).evaluate(3, true, 3 + TrainCommand.EVAL_SEED_OFFSET)
            .meanReturn() shouldBe best["eval_mean_return"]
        (best["eval_mean_return"] as Double) shouldBeGreaterThanOrEqual (s["eval_mean_return"] as Double)
        // last.safetensors is a training checkpoint: the run can be continued from it.
        val config = PpoConfig.builder().env("CartPole-v1").rollout(4, 64).updateEpochs(2).numMinibatches(4)
            .learningRate(1e-3).seed(3).build()
        Stages.restore(config, 4096, 1, run.resolve("checkpoints/last.safetensors")).use { it.update() shouldBe 8 }

        val img = ImageIO.read(run.resolve("reward_curve.png").toFile())
        img.width shouldBe 900
    }

    test("metrics.csv has one row per update, and the TensorBoard file holds the same scalars") {
        val csv = Files.readAllLines(run.resolve("metrics.csv"))
        val header = csv[0].split(",")
        header.take(2) shouldBe listOf("update", "global_step")
        header shouldContainAll listOf("losses/policy_loss", "losses/value_loss", "losses/entropy", "losses/approx_kl",
            "losses/clipfrac", "losses/explained_variance", "charts/SPS", "charts/episodic_return")
        val rows = csv.drop(1).map { it.split(",") }
        rows.size shouldBe 8
        rows.map { it[0].toInt() } shouldBe (1..8).toList()
        rows.last()[1] shouldBe "2048"

        val tb = Files.list(run).use { st -> st.filter { it.fileName.toString().startsWith("events.out.tfevents.") }.toList() }
        tb.size shouldBe 1
        val events = EventFileReader.read(tb[0])
        events[0].fileVersion shouldBe "brain.Event:2"
        val updateEvents = events.drop(1).filter { e -> e.values.none { it.tag.startsWith("eval/") } }
        updateEvents.size shouldBe 8
        for ((row, event) in rows.zip(updateEvents)) {
            event.step shouldBe row[1].toLong()
            val byTag = event.values.associate { it.tag to it.simpleValue }
            for ((i, key) in header.withIndex().drop(2)) {
                if (row[i].isEmpty()) byTag.containsKey(key) shouldBe false
                else byTag[key] shouldBe row[i].toDouble().toFloat()
            }
        }
        // One eval event per evaluation, the last at the final step with the summary's numbers.
        val evals = events.filter { e -> e.values.any { it.tag == "eval/mean_return" } }
        evals.size shouldBe 8 // evaluations after updates 1..7 (every update for so short a run), and the final one
        evals.last().step shouldBe 2048
        evals.last().values.single { it.tag == "eval/mean_return" }.simpleValue shouldBe
            (summary(run)["eval_mean_return"] as Double).toFloat()
    }

    test("--seed overrides the script's seed; a second run in the same second gets its own directory") {
        val r = proxima(wd, "train", "config.ppo.kts", "--steps", "256", "--seed", "7", clock = clock)
        withClue(r) { r.code shouldBe 0 }
        val second = wd.resolve("runs/CartPole-v1-20250102-030405-2")
        summary(second)["seed"] shouldBe 7L
        @Suppress("UNCHECKED_CAST")
        (summary(second)["config"] as Map<String, Any>)["seed"] shouldBe 7L
        summary(second)["updates"] shouldBe 1L
    }

    test("a ppo { } script trains through the DSL's trainer, for the budget it sets itself") {
        TestScripts.write("dsl.ppo.kts", TestScripts.DSL)
        Files.copy(TestScripts.dir.resolve("dsl.ppo.kts"), wd.resolve("dsl.ppo.kts"))
        val r = proxima(wd, "train", "dsl.ppo.kts", "--out", "dsl-run", "--eval-episodes", "2")
        withClue(r) {
            r.code shouldBe 0
            r.out shouldContain "training PPO on CartPole-v1 for 512 steps: 4 updates of 4 envs x 32 steps, seed 4"
            r.err shouldBe ""
        }
        val s = summary(wd.resolve("dsl-run"))
        s["steps"] shouldBe 512L
        @Suppress("UNCHECKED_CAST")
        (s["files"] as Map<String, Any>)["last_checkpoint_kind"] shouldBe "agent"
        Agent.load(wd.resolve("dsl-run/checkpoints/last.safetensors")).evaluate(2, true, 4 + TrainCommand.EVAL_SEED_OFFSET)
            .meanReturn() shouldBe s["eval_mean_return"]
        Files.readAllLines(wd.resolve("dsl-run/metrics.csv")).size shouldBe 5

        // --seed on a trainer: rebuilt from its configuration, with a note that script callbacks are not carried.
        val seeded = proxima(wd, "train", "dsl.ppo.kts", "--out", "dsl-seeded", "--seed", "8", "--steps", "128")
        withClue(seeded) {
            seeded.code shouldBe 0
            seeded.err shouldContain "proxima: note: --seed rebuilt the ppo { } trainer"
        }
        summary(wd.resolve("dsl-seeded"))["seed"] shouldBe 8L
    }

    test("eval evaluates a saved agent and records a GIF") {
        val r = proxima(wd, "eval", "runs/CartPole-v1-20250102-030405/checkpoints/best.safetensors", "--episodes", "2",
            "--gif", "cart.gif")
        withClue(r) {
            r.code shouldBe 0
            r.out shouldContain "on CartPole-v1: "
            r.out shouldContain "over 2 episodes"
            r.out shouldContain "recorded cart.gif: "
        }
        ImageIO.getImageReadersByFormatName("gif").next().run {
            ImageIO.createImageInputStream(wd.resolve("cart.gif").toFile()).use { input ->
                setInput(input)
                getNumImages(true) shouldBeGreaterThan 1
            }
        }
    }

    test("a script that declares its own env trains, and eval finds that env through the run's copy of the script") {
        TestScripts.write("corridor.ppo.kts", TestScripts.corridor(0))
        Files.copy(TestScripts.dir.resolve("corridor.ppo.kts"), wd.resolve("corridor.ppo.kts"))
        val r = proxima(wd, "train", "corridor.ppo.kts", "--steps", "1024", "--out", "corridor-run")
        withClue(r) { r.code shouldBe 0 }
        summary(wd.resolve("corridor-run"))["env"] shouldBe "Corridor-v0"
        val e = proxima(wd, "eval", "corridor-run/checkpoints/last.safetensors", "--episodes", "2")
        withClue(e) {
            e.code shouldBe 0
            e.out shouldContain "on Corridor-v0: "
        }
        // Without the script nearby, the unknown env is a one-line error that says what to do.
        Files.copy(wd.resolve("corridor-run/checkpoints/last.safetensors"), wd.resolve("lonely.safetensors"))
        proxima(wd, "eval", "lonely.safetensors").run {
            code shouldBe 1
            err shouldContain "no environment \"Corridor-v0\""
            err shouldContain "--script FILE"
            hasNoStackTrace() shouldBe true
        }
        proxima(wd, "eval", "lonely.safetensors", "--script", "corridor.ppo.kts", "--episodes", "1").code shouldBe 0
    }

    test("bad arguments: one line on stderr, exit 2, no stack trace") {
        for (args in listOf(
            listOf("train"),
            listOf("train", "config.ppo.kts", "--stpes", "10"),
            listOf("train", "config.ppo.kts", "--steps"),
            listOf("train", "config.ppo.kts", "--steps", "abc"),
            listOf("train", "config.ppo.kts", "--steps", "0"),
            listOf("train", "config.ppo.kts", "--seed", "1.5"),
            listOf("train", "config.ppo.kts", "extra.ppo.kts"),
            listOf("train", "config.ppo.kts", "-s", "10"),
        )) {
            val r = proxima(wd, *args.toTypedArray())
            withClue(args) {
                r.code shouldBe 2
                r.err shouldStartWith "proxima: train: "
                r.err.trim().lines().size shouldBe 1
                r.hasNoStackTrace() shouldBe true
            }
        }
        proxima(wd, "train", "config.ppo.kts", "--stpes", "10").err shouldContain "Did you mean --steps?"
    }

    test("a missing script, an occupied --out: one line, exit 1") {
        proxima(wd, "train", "missing.ppo.kts").run {
            code shouldBe 1
            err.trim() shouldBe "proxima: train: no such file: missing.ppo.kts"
        }
        Files.createDirectories(wd.resolve("busy"))
        Files.writeString(wd.resolve("busy/keep.txt"), "x")
        proxima(wd, "train", "config.ppo.kts", "--out", "busy").run {
            code shouldBe 1
            err shouldContain "--out busy already holds files"
        }
    }

    test("script errors: every compile error as file:line:column, runtime errors at the script line, exit 1") {
        TestScripts.write("errors.ppo.kts", TestScripts.ERRORS)
        Files.copy(TestScripts.dir.resolve("errors.ppo.kts"), wd.resolve("errors.ppo.kts"))
        proxima(wd, "train", "errors.ppo.kts").run {
            code shouldBe 1
            val lines = err.trim().lines()
            lines[0] shouldStartWith "errors.ppo.kts:1:13: error: "
            lines[1] shouldStartWith "errors.ppo.kts:4:6: error: "
            lines[2] shouldBe "proxima: errors.ppo.kts: 2 errors, the script was not run"
            hasNoStackTrace() shouldBe true
        }
        TestScripts.write("throws.ppo.kts", TestScripts.THROWS)
        Files.copy(TestScripts.dir.resolve("throws.ppo.kts"), wd.resolve("throws.ppo.kts"))
        proxima(wd, "train", "throws.ppo.kts").run {
            code shouldBe 1
            err shouldStartWith "throws.ppo.kts:5: error: PpoConfigException: invalid PPO configuration"
            hasNoStackTrace() shouldBe true
        }
        TestScripts.write("novalue.ppo.kts", TestScripts.NO_VALUE)
        Files.copy(TestScripts.dir.resolve("novalue.ppo.kts"), wd.resolve("novalue.ppo.kts"))
        proxima(wd, "train", "novalue.ppo.kts").run {
            code shouldBe 1
            err shouldContain "must end with a ppo { } block or a PpoConfig"
        }
    }

    test("an exception thrown by the script's own env during training points at the script line") {
        Files.writeString(wd.resolve("flaky.ppo.kts"), TestScripts.corridor(150))
        proxima(wd, "train", "flaky.ppo.kts", "--steps", "1024", "--out", "flaky-run").run {
            withClue(this) {
                code shouldBe 1
                val lines = err.trim().lines()
                lines[0] shouldBe "flaky.ppo.kts:13: error: IllegalStateException: corridor sensor failed at step 150"
                lines[1] shouldStartWith "    (while: env copy 0 (Corridor) failed in step after 149 steps"
                lines.size shouldBe 2
                hasNoStackTrace() shouldBe true
            }
        }
    }
})
