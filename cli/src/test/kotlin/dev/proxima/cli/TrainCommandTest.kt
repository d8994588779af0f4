package dev.proxima.cli

import dev.proxima.cli.tensorboard.EventFileReader
import dev.proxima.core.checkpoint.Checkpoints
import dev.proxima.core.ppo.Agent
import dev.proxima.core.train.Evaluate
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.string.shouldStartWith
import java.nio.file.Files
import java.nio.file.Path
import java.time.Clock
import java.time.Instant
import java.time.ZoneOffset

/** metrics.csv without the columns that depend on the wall clock. */
private fun metricsWithoutTime(run: Path): List<String> {
    val lines = Files.readAllLines(run.resolve("metrics.csv"))
    val header = lines[0].split(",")
    val sps = header.indexOf("charts/SPS")
    return lines.map { l -> l.split(",").filterIndexed { i, _ -> i != sps }.joinToString(",") }
}

private fun params(file: Path): DoubleArray = Checkpoints.readAgent(file).params()

class TrainCommandTest : FunSpec({
    val wd = Files.createTempDirectory("train-test")
    val clock = Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC)
    TestScripts.write("config.ppo.kts", TestScripts.CONFIG)
    Files.copy(TestScripts.dir.resolve("config.ppo.kts"), wd.resolve("config.ppo.kts"))
    val run = wd.resolve("runs/CartPole-v1-20250102-030405")

    test("train writes the run directory: checkpoints, metrics, evaluations, TensorBoard events, curve, summary, run.json") {
        val r = proxima(wd, "train", "config.ppo.kts", "--steps", "2048", "--eval-episodes", "3", clock = clock)
        withClue(r) {
            r.code shouldBe 0
            r.out shouldContain "training PPO on CartPole-v1 for 2,048 steps: 8 updates of 4 envs x 64 steps, seed 3"
            r.out shouldContain "run directory: runs/CartPole-v1-20250102-030405"
            r.out shouldContain "done: 2,048 steps"
            r.out shouldContain "evaluation: "
            r.err shouldBe ""
        }
        Files.list(run).use { s -> s.map { it.fileName.toString() }.toList() } shouldContainAll
            listOf("checkpoints", "metrics.csv", "evaluations.csv", "reward_curve.png", "summary.json", "run.json",
                "config.ppo.kts")
        val s = summary(run)
        s["env"] shouldBe "CartPole-v1"
        s["seed"] shouldBe 3L
        s["steps"] shouldBe 2048L
        s["updates"] shouldBe 8L
        s["eval_episodes"] shouldBe 3L
        s["eval_update"] shouldBe 8L
        s["eval_seed"] shouldBe 3L + Evaluate.SEED_OFFSET
        s["outcome"] shouldBe "finished"
        s["last_checkpoint_update"] shouldBe 8L
        (s["wall_seconds"] as Double) shouldBeGreaterThan 0.0
        (s["sps"] as Double) shouldBe (2048 / (s["wall_seconds"] as Double) plusOrMinus 1e-6)
        s["solved"] shouldBe ((s["eval_mean_return"] as Double) >= 475.0)
        @Suppress("UNCHECKED_CAST")
        (s["config"] as Map<String, Any>)["numSteps"] shouldBe 64L

        // last.safetensors is a full training checkpoint at the last update; its agent gives the summary's figure.
        val last = run.resolve("checkpoints/last.safetensors")
        Checkpoints.kind(last) shouldBe Checkpoints.KIND_TRAINING
        Checkpoints.readRun(last).update() shouldBe 8
        val again = Agent.load(last).evaluate(3, true, 3 + Evaluate.SEED_OFFSET)
        s["eval_mean_return"] shouldBe again.meanReturn()
        s["eval_std_return"] shouldBe again.stdReturn()

        // metrics.csv: one row per update; the TensorBoard file holds the same scalars.
        val csv = Files.readAllLines(run.resolve("metrics.csv"))
        val header = csv[0].split(",")
        header.take(3) shouldBe listOf("update", "global_step", "episodes")
        header shouldContainAll listOf("losses/policy_loss", "losses/value_loss", "losses/approx_kl", "charts/SPS",
            "charts/episodic_return")
        val rows = csv.drop(1).map { it.split(",") }
        rows.map { it[0].toInt() } shouldBe (1..8).toList()
        val tb = Files.list(run).use { st -> st.filter { it.fileName.toString().startsWith("events.out.tfevents.") }.toList() }
        tb.size shouldBe 1
        val events = EventFileReader.read(tb[0])
        events[0].fileVersion shouldBe "brain.Event:2"
        val updateEvents = events.drop(1).filter { e -> e.values.none { it.tag.startsWith("eval/") } }
        for ((row, event) in rows.zip(updateEvents)) {
            event.step shouldBe row[1].toLong()
            val byTag = event.values.associate { it.tag to it.simpleValue }
            for ((i, key) in header.withIndex().drop(3)) {
                if (row[i].isEmpty()) byTag.containsKey(key) shouldBe false else byTag[key] shouldBe row[i].toDouble().toFloat()
            }
        }
        // One evaluation per update for so short a run, the last one the summary's.
        Files.readAllLines(run.resolve("evaluations.csv")).drop(1).map { it.split(",")[0].toInt() } shouldBe (1..8).toList()
        events.last { e -> e.values.any { it.tag == "eval/mean_return" } }.values
            .single { it.tag == "eval/mean_return" }.simpleValue shouldBe (s["eval_mean_return"] as Double).toFloat()
    }

    test("eval defaults to the run's evaluation seed, so its figure equals summary.json's") {
        val s = summary(run)
        for (file in listOf("checkpoints/last.safetensors", "checkpoints/best.safetensors")) {
            val e = proxima(wd, "eval", "runs/CartPole-v1-20250102-030405/$file", "--episodes", "3")
            withClue(e) { e.code shouldBe 0 }
            e.out shouldContain "seed ${3 + Evaluate.SEED_OFFSET}"
            if (file.contains("last")) {
                e.out shouldContain String.format(java.util.Locale.ROOT, ": %.1f ± %.1f over 3 episodes",
                    s["eval_mean_return"] as Double, s["eval_std_return"] as Double)
            } else {
                @Suppress("UNCHECKED_CAST")
                val best = s["best"] as Map<String, Any>
                e.out shouldContain String.format(java.util.Locale.ROOT, ": %.1f ±", best["eval_mean_return"] as Double)
            }
        }
    }

    test("--seed and --set keep the script's callbacks and preset; summary.json records the preset") {
        val log = wd.resolve("callbacks.log")
        Files.writeString(wd.resolve("tuned.ppo.kts"), TestScripts.dslWithCallbacks(log))
        val r = proxima(wd, "train", "tuned.ppo.kts", "--seed", "8", "--set", "clip=0.1", "--steps", "512", "--out", "tuned")
        withClue(r) {
            r.code shouldBe 0
            r.out shouldContain "seed 8, preset TUNED"
            r.err shouldBe ""
        }
        Files.readAllLines(log) shouldBe (1..4).map { "update $it" }
        val s = summary(wd.resolve("tuned"))
        s["preset"] shouldBe "TUNED"
        s["seed"] shouldBe 8L
        @Suppress("UNCHECKED_CAST")
        (s["config"] as Map<String, Any>)["clip"] shouldBe 0.1

        proxima(wd, "train", "tuned.ppo.kts", "--set", "clipp=0.1", "--steps", "128").run {
            code shouldBe 1
            err shouldContain "clipp"
            err shouldContain "clip"
            hasNoStackTrace() shouldBe true
        }
        proxima(wd, "train", "tuned.ppo.kts", "--set", "clip").run {
            code shouldBe 2
            err shouldContain "--set name=value"
        }
    }

    test("step counts are long end to end; too many updates, too large and zero are refused with the limit") {
        for ((steps, says) in listOf("1000000M" to "at most 2,147,483,647 updates", "6e11" to "at most 2,147,483,647 updates",
            "1e30" to "too large", "0" to "at least 1 step", "-5" to "at least 1 step", "1.5" to "not a whole number",
            "abc" to "not a number of steps")) {
            val r = proxima(wd, "train", "config.ppo.kts", "--steps", steps)
            withClue("$steps: $r") {
                r.code shouldBe 2
                r.err shouldContain says
                r.err.trim().lines().size shouldBe 1
                r.hasNoStackTrace() shouldBe true
            }
        }
        Counts.parse("100_000") shouldBe 100_000L
        Counts.parse("1.5M") shouldBe 1_500_000L
        Counts.parse("2e6") shouldBe 2_000_000L
        Counts.parse("1000000M") shouldBe 1_000_000_000_000L
        Counts.parse("6e11") shouldBe 600_000_000_000L
    }

    test("--resume FILE continues a run from a checkpoint inside it: same final parameters, metrics rows not doubled") {
        val out = wd.resolve("res")
        val ck = out.resolve("ck")
        Files.writeString(wd.resolve("res.ppo.kts"), TestScripts.dslWithCallbacks(wd.resolve("res.log"), ck, steps = 1024))
        val first = proxima(wd, "train", "res.ppo.kts", "--out", "res", "--eval-every", "3", "--checkpoint-every", "2")
        withClue(first) { first.code shouldBe 0 }
        val finalParams = params(out.resolve("checkpoints/last.safetensors"))
        val metrics = metricsWithoutTime(out)
        metrics.size shouldBe 9
        val evals = Files.readAllLines(out.resolve("evaluations.csv"))

        // Stray temporary files of interrupted writes are removed; other files stay.
        Files.writeString(out.resolve("checkpoints/.last.safetensors.7f3a9c.tmp"), "half")
        Files.writeString(out.resolve(".metrics.csv.1b2c.tmp"), "half")
        Files.writeString(out.resolve("notes.tmp"), "mine")
        val resumed = proxima(wd, "train", "--resume", "res/ck/update-000003.safetensors", "--optimiser-threads", "2")
        withClue(resumed) {
            resumed.code shouldBe 0
            resumed.out shouldContain "continuing PPO on CartPole-v1 from update 3 of 8"
            resumed.err shouldContain "removed res/checkpoints/.last.safetensors.7f3a9c.tmp"
            resumed.err shouldContain "removed res/.metrics.csv.1b2c.tmp"
        }
        Files.exists(out.resolve("checkpoints/.last.safetensors.7f3a9c.tmp")) shouldBe false
        Files.exists(out.resolve("notes.tmp")) shouldBe true
        params(out.resolve("checkpoints/last.safetensors")).map { it.toRawBits() } shouldBe finalParams.map { it.toRawBits() }
        metricsWithoutTime(out) shouldBe metrics
        Files.readAllLines(out.resolve("evaluations.csv")) shouldBe evals
        val tb = Files.list(out).use { s -> s.filter { it.fileName.toString().startsWith("events.out.tfevents.") }.sorted().toList() }
        tb.size shouldBe 2
        val second = EventFileReader.read(tb.last())
        second[1].sessionStatus shouldBe 1
        second[1].step shouldBe 3L * 128 + 1
        second.drop(2).first().step shouldBe 4L * 128
        val s = summary(out)
        s["resumes"] shouldBe 1L
        s["updates"] shouldBe 8L
        s["preset"] shouldBe "TUNED"
    }

    test("--resume refuses what it cannot continue, each with its reason") {
        proxima(wd, "train", "--resume", "res").run {
            code shouldBe 1
            err shouldContain "at the end of its run (update 8 of 8)"
            err shouldContain "--steps"
        }
        proxima(wd, "train", "--resume", "res", "--seed", "3").run {
            code shouldBe 2
            err shouldContain "--seed cannot be changed when resuming"
        }
        proxima(wd, "train", "config.ppo.kts", "--resume", "res").code shouldBe 2
        Files.createDirectories(wd.resolve("plain"))
        proxima(wd, "train", "--resume", "plain").run {
            code shouldBe 1
            err shouldContain "not a run directory"
        }
        proxima(wd, "train", "--resume", "nowhere").run {
            code shouldBe 1
            err.trim() shouldBe "proxima: no such file: nowhere"
        }
        // A longer budget continues a finished run; a script copy changed since the start is refused.
        proxima(wd, "train", "--resume", "res", "--steps", "1536").run {
            withClue(this) { code shouldBe 0 }
            out shouldContain "from update 8 of 12"
        }
        Files.writeString(wd.resolve("res/res.ppo.kts"), "// changed\n", java.nio.file.StandardOpenOption.APPEND)
        proxima(wd, "train", "--resume", "res", "--steps", "2048").run {
            code shouldBe 1
            err shouldContain "was changed since the run started"
        }
    }

    test("resuming an env that cannot be snapshotted warns on stderr") {
        Files.writeString(wd.resolve("corridor.ppo.kts"), TestScripts.corridor(0))
        proxima(wd, "train", "corridor.ppo.kts", "--steps", "512", "--out", "corr").code shouldBe 0
        proxima(wd, "train", "--resume", "corr", "--steps", "1024").run {
            withClue(this) { code shouldBe 0 }
            err shouldContain "proxima: warning: resuming Corridor-v0 at update 4"
            err shouldContain "cannot be snapshotted"
        }
        @Suppress("UNCHECKED_CAST")
        (summary(wd.resolve("corr"))["warnings"] as List<String>).single() shouldContain "not bit for bit"
    }

    test("an env that never ends: the trainer's warning on stderr, and a bounded evaluation that says what to do") {
        Files.writeString(wd.resolve("endless.ppo.kts"), TestScripts.ENDLESS)
        proxima(wd, "train", "endless.ppo.kts", "--steps", "1024", "--eval-every", "4", "--out", "endless").run {
            withClue(this) {
                code shouldBe 1
                err shouldContain "proxima: warning: no episode of Endless-v0 has ended"
                err shouldContain "ran 100,000 steps without ending"
                err shouldContain "time limit"
                hasNoStackTrace() shouldBe true
            }
        }
        summary(wd.resolve("endless"))["outcome"] shouldBe "failed"
    }

    test("running out of memory is a message with what to do, and the summary is written") {
        Files.writeString(wd.resolve("greedy.ppo.kts"), TestScripts.GREEDY)
        proxima(wd, "train", "greedy.ppo.kts", "--steps", "1024", "--out", "greedy").run {
            withClue(this) {
                code shouldBe 1
                err shouldContain "out of memory"
                err shouldContain "-Xmx"
                hasNoStackTrace() shouldBe true
            }
        }
        summary(wd.resolve("greedy"))["outcome"] shouldBe "failed"
    }

    test("a ppo { } script trains through core's trainer; last.safetensors is a training checkpoint") {
        TestScripts.write("dsl.ppo.kts", TestScripts.DSL)
        Files.copy(TestScripts.dir.resolve("dsl.ppo.kts"), wd.resolve("dsl.ppo.kts"))
        val r = proxima(wd, "train", "dsl.ppo.kts", "--out", "dsl-run", "--eval-episodes", "2")
        withClue(r) {
            r.code shouldBe 0
            r.out shouldContain "training PPO on CartPole-v1 for 512 steps: 4 updates of 4 envs x 32 steps, seed 4"
            r.err shouldBe ""
        }
        Checkpoints.kind(wd.resolve("dsl-run/checkpoints/last.safetensors")) shouldBe Checkpoints.KIND_TRAINING
        Files.readAllLines(wd.resolve("dsl-run/metrics.csv")).size shouldBe 5
    }

    test("bad arguments: one line on stderr, exit 2, no stack trace; misspelt options get the closest") {
        for (args in listOf(
            listOf("train"),
            listOf("train", "config.ppo.kts", "--stpes", "10"),
            listOf("train", "config.ppo.kts", "--steps"),
            listOf("train", "config.ppo.kts", "--seed", "1.5"),
            listOf("train", "config.ppo.kts", "extra.ppo.kts"),
            listOf("train", "config.ppo.kts", "--eval-episodes", "0"),
            listOf("train", "config.ppo.kts", "--checkpoint-every", "0"),
            listOf("train", "config.ppo.kts", "--optimiser-threads", "0"),
        )) {
            val r = proxima(wd, *args.toTypedArray())
            withClue("$args: $r") {
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
            err.trim() shouldBe "proxima: no such file: missing.ppo.kts"
        }
        Files.createDirectories(wd.resolve("busy"))
        Files.writeString(wd.resolve("busy/keep.txt"), "x")
        proxima(wd, "train", "config.ppo.kts", "--out", "busy").run {
            code shouldBe 1
            err shouldContain "--out busy already holds files"
        }
        proxima(wd, "train", "runs").run {
            code shouldBe 1
            err shouldContain "runs is a directory, not a script file"
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
            err shouldContain "must end with a ppo { } block, a PpoConfig or a Trainer"
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
                hasNoStackTrace() shouldBe true
                out shouldNotContain "done:"
            }
        }
        summary(wd.resolve("flaky-run"))["outcome"] shouldBe "failed"
    }
})
