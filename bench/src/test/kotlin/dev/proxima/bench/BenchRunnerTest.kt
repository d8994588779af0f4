package dev.proxima.bench

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import javax.imageio.ImageIO

/**
 * Runs each subcommand of [Bench] with tiny budgets and checks that its outputs exist and parse. No figure is judged
 * here (a few hundred steps learn nothing, and timings depend on the machine).
 */
class BenchRunnerTest : FunSpec({

    fun tempDir(): Path = Files.createTempDirectory("proxima-bench")

    test("quality writes a runs.csv that parses, a Markdown table and a PNG per env") {
        val out = tempDir()
        val code = Bench.run("quality", "--envs", "CartPole-v1,Pendulum-v1", "--seeds", "1-2", "--steps", "2048",
            "--episodes", "2", "--points", "3", "--curve-episodes", "1", "--out", out.toString())
        code shouldBe 0

        val runs = Quality.read(out.resolve("runs.csv"))
        runs.map { it.env() to it.seed() }.toSet() shouldBe
            setOf("CartPole-v1" to 1L, "CartPole-v1" to 2L, "Pendulum-v1" to 1L, "Pendulum-v1" to 2L)
        for (r in runs) {
            r.evalMean().isFinite() shouldBe true
            r.sampledMean().isFinite() shouldBe true
            r.curve().size shouldBe 3
            r.curveSteps().last() shouldBe r.steps()
            (r.steps() >= 2048 - 1024) shouldBe true
        }
        val md = Files.readString(out.resolve("quality.md"))
        md shouldContain "| CartPole-v1 |"
        md shouldContain "| Pendulum-v1 |"
        md shouldContain "Reduced run"
        md shouldContain "mean over training seeds 1-2 of each run's mean return over 2 deterministic episodes"
        // "seeds" counts the runs meeting the target; a 2,048-step CartPole run is far below 475.
        md shouldContain Regex("""\| CartPole-v1 \|[^\n]*\| \*\*no\*\* \| 0/2 \|""")
        for (env in listOf("CartPole-v1", "Pendulum-v1")) {
            val png = ImageIO.read(out.resolve(Quality.pngName(env)).toFile())
            (png.width > 100 && png.height > 100) shouldBe true
        }
        File(out.toString()).deleteRecursively()
    }

    test("quality --resume reuses finished runs instead of training them again") {
        val out = tempDir()
        val args = arrayOf("quality", "--envs", "CartPole-v1", "--seeds", "3", "--steps", "1024", "--episodes", "1",
            "--points", "1", "--curve-episodes", "1", "--out", out.toString())
        Bench.run(*args) shouldBe 0
        val first = Files.readAllLines(out.resolve("runs.csv"))
        Bench.run(*args, "--resume") shouldBe 0
        Files.readAllLines(out.resolve("runs.csv")) shouldBe first
        File(out.toString()).deleteRecursively()
    }

    test("speed writes speed.csv with numeric figures and speed.md") {
        val out = tempDir()
        val code = Bench.run("speed", "--warmup", "1", "--updates", "2", "--repeats", "1", "--solve-seeds", "1",
            "--solve-max-steps", "1024", "--eval-every", "2", "--solve-episodes", "1", "--fma-millis", "20",
            "--out", out.toString())
        code shouldBe 0
        val kv = Files.readAllLines(out.resolve("speed.csv")).drop(1).associate {
            val (k, v) = it.split(",", limit = 2)
            k to v
        }
        kv.keys shouldContainAll listOf("throughput_1w_steps_per_s", "fma_peak_1t_gflops", "flops_per_step",
            "train_fraction_of_peak_1t", "peak_heap_mb", "solve_1w_median_s")
        for (k in listOf("throughput_1w_steps_per_s", "fma_peak_1t_gflops", "flops_per_step", "peak_heap_mb")) {
            (kv.getValue(k).toDouble() > 0) shouldBe true
        }
        kv.getValue("solve_1w_median_s").toDouble() // a number, or NaN when the tiny cap leaves CartPole unsolved
        Files.readString(out.resolve("speed.md")) shouldContain "env steps/s"
        File(out.toString()).deleteRecursively()
    }

    test("tune trains on tuning seeds with overrides") {
        Bench.run("tune", "--env", "CartPole-v1", "--steps", "1024", "--seeds", "101", "--episodes", "1",
            "--points", "1", "--set", "learningRate=5e-4", "--set", "network=32x32") shouldBe 0
    }

    test("tune names the reported seed sets it must not tune on (issue 16) and none of the tuning set") {
        Tune.reportedSet(3) shouldBe "the table's training seeds (1-5)"
        Tune.reportedSet(2011) shouldBe "the first fresh-seed check (2001-2020)"
        Tune.reportedSet(3020) shouldBe "the fresh-seed report (3001-3020)"
        (101L..140L).all { Tune.reportedSet(it) == null } shouldBe true
        Tune.reportedSet(3021) shouldBe null
    }

    test("bad command lines exit with 2") {
        Bench.run("nonsense") shouldBe 2
        Bench.run("quality", "--no-such-option", "1") shouldBe 2
        Bench.run("quality", "--envs", "NoSuchEnv-v0") shouldBe 2
        Bench.run("tune", "--env", "CartPole-v1", "--set", "learningRat=1") shouldBe 2
        Bench.run("speed", "--updates", "lots") shouldBe 2
        Bench.run("help") shouldBe 0
    }
})
