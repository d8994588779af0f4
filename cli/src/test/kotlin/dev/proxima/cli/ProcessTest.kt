package dev.proxima.cli

import dev.proxima.core.checkpoint.Checkpoints
import io.kotest.assertions.withClue
import io.kotest.core.Tag
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import java.nio.file.Path

/** Tests that start `proxima` as a child process (seconds each): run apart with -Dkotest.tags='!Slow'. */
object Slow : Tag()

private fun metricsWithoutSps(run: Path): List<String> {
    val lines = Files.readAllLines(run.resolve("metrics.csv"))
    val sps = lines[0].split(",").indexOf("charts/SPS")
    return lines.map { l -> l.split(",").filterIndexed { i, _ -> i != sps }.joinToString(",") }
}

/** What only a real process shows: kill -9 and resume, SIGTERM while an env step blocks, a file-size limit. */
class ProcessTest : FunSpec({
    tags(Slow)
    val wd = Files.createTempDirectory("process-test")

    test("kill -9 mid-run, then --resume: the final parameters equal the uninterrupted run's bit for bit") {
        // CartPole is deterministic and snapshottable; 60 updates, a training checkpoint after every one.
        Files.writeString(wd.resolve("cart.ppo.kts"), """
            |ppo {
            |    env(CartPole)
            |    rollout(numEnvs = 4, numSteps = 32)
            |    numMinibatches(2)
            |    updateEpochs(4)
            |    seed(9)
            |    totalSteps(7680)
            |}
            |""".trimMargin())
        val full = proxima(wd, "train", "cart.ppo.kts", "--out", "full", "--checkpoint-every", "1")
        withClue(full) { full.code shouldBe 0 }

        val child = childProxima(wd, listOf("train", "cart.ppo.kts", "--out", "killed", "--checkpoint-every", "1"))
        val killed = wd.resolve("killed")
        val started = waitUntil(120) { rows(killed.resolve("metrics.csv")) >= 3 || !child.isAlive }
        child.destroyForcibly() // SIGKILL
        val code = child.exitWithin(30)
        withClue("child: started=$started, " + Files.readString(wd.resolve("child.err"))) { code shouldBe 137 }
        val at = Checkpoints.readRun(killed.resolve("checkpoints/last.safetensors")).update()
        at shouldBeLessThan 60

        val resumed = proxima(wd, "train", "--resume", "killed")
        withClue(resumed) {
            resumed.code shouldBe 0
            resumed.out shouldContain "continuing PPO on CartPole-v1 from update $at of 60"
        }
        val a = Checkpoints.readRun(full.let { wd.resolve("full/checkpoints/last.safetensors") })
        val b = Checkpoints.readRun(killed.resolve("checkpoints/last.safetensors"))
        b.update() shouldBe 60
        b.agent().params().map { it.toRawBits() } shouldBe a.agent().params().map { it.toRawBits() }
        b.adamM().map { it.toRawBits() } shouldBe a.adamM().map { it.toRawBits() }
        metricsWithoutSps(killed) shouldBe metricsWithoutSps(wd.resolve("full"))
        Files.readAllLines(killed.resolve("evaluations.csv")) shouldBe Files.readAllLines(wd.resolve("full/evaluations.csv"))
        summary(killed)["outcome"] shouldBe "finished"
    }

    test("SIGTERM between updates: stops after the update in progress, saves it as the last checkpoint, says how to continue") {
        Files.writeString(wd.resolve("long.ppo.kts"), """
            |ppo {
            |    env(CartPole)
            |    rollout(numEnvs = 4, numSteps = 32)
            |    seed(2)
            |    totalSteps(100_000_000)
            |}
            |""".trimMargin())
        proxima(wd, "train", "long.ppo.kts", "--steps", "128").code shouldBe 0 // compiles it into the shared cache
        val child = childProxima(wd, listOf("train", "long.ppo.kts", "--out", "graceful", "--checkpoint-every", "1000"))
        val run = wd.resolve("graceful")
        waitUntil(120) { rows(run.resolve("metrics.csv")) >= 3 || !child.isAlive }
        child.destroy() // SIGTERM
        val code = child.exitWithin(60)
        val out = Files.readString(wd.resolve("child.out"))
        withClue(out + Files.readString(wd.resolve("child.err"))) {
            code shouldBe 143
            out shouldContain "stopped at update "
            out shouldContain "continue with: proxima train --resume graceful"
        }
        val s = summary(run)
        s["outcome"] shouldBe "interrupted"
        val updates = (s["updates"] as Long).toInt()
        rows(run.resolve("metrics.csv")) shouldBe updates
        // The update in progress was finished and saved, although --checkpoint-every had not come due.
        Checkpoints.readRun(run.resolve("checkpoints/last.safetensors")).update() shouldBe updates
        s["last_checkpoint_update"] shouldBe updates.toLong()
    }

    test("SIGTERM while an env step blocks: stops within seconds, says what it waits for, writes the summary") {
        // Copy 0's 150th step never returns (update 3 of 8: 2 copies x 64 steps per update).
        Files.writeString(wd.resolve("block.ppo.kts"), """
            |class Blocking : Env<FloatArray, Int> {
            |    private var n = 0
            |    override fun observationSpace(): Space<FloatArray> = Box.of(0f, 1f, 1)
            |    override fun actionSpace(): Space<Int> = Discrete(2)
            |    override fun reset(seed: Long): Reset<FloatArray> = reset()
            |    override fun reset(): Reset<FloatArray> = Reset(floatArrayOf(0f), mapOf())
            |    override fun step(action: Int): Step<FloatArray> {
            |        if (++n == 150) Thread.sleep(Long.MAX_VALUE)
            |        return Step(floatArrayOf(0f), 1.0, n % 10 == 0, false, mapOf())
            |    }
            |}
            |PpoConfig.builder().env(EnvSpec("Blocking-v0", { _ -> Blocking() }, 50, Double.NaN)).rollout(2, 64).build()
            |""".trimMargin())
        proxima(wd, "train", "block.ppo.kts", "--steps", "128").code shouldBe 0 // compiles it into the shared cache
        val child = childProxima(wd, listOf("train", "block.ppo.kts", "--steps", "1024", "--out", "blocked",
            "--checkpoint-every", "1"))
        val blocked = wd.resolve("blocked")
        // Update 3 blocks; wait for the status line that says so (no update for 2 s).
        val waiting = waitUntil(120) {
            Files.readString(wd.resolve("child.out")).contains("... update 3/8") || !child.isAlive
        }
        child.destroy() // SIGTERM
        val code = child.exitWithin(60)
        val err = Files.readString(wd.resolve("child.err"))
        withClue("waiting=$waiting\n$err\n" + Files.readString(wd.resolve("child.out"))) {
            code shouldBe 143
            err shouldContain "proxima: stopping after the update in progress (now stepping the envs (rollout step"
            err shouldContain "proxima: stopped while stepping the envs"
            err shouldContain "in Blocking.step(block.ppo.kts:8) <- java.lang.Thread.sleep"
            err shouldContain "The checkpoints written before are intact: blocked/checkpoints/last.safetensors (update 2)"
            err shouldContain "continue with: proxima train --resume blocked"
        }
        val s = summary(blocked)
        s["outcome"] shouldBe "interrupted"
        s["updates"] shouldBe 2L
        (s["detail"] as String) shouldContain "stepping the envs"
        Checkpoints.readRun(blocked.resolve("checkpoints/last.safetensors")).update() shouldBe 2
    }

    test("a full disk (here a file-size limit) names the file, keeps the earlier checkpoints, writes the summary") {
        // 300 blocks of 512 bytes: the best agent (74 kB) and the small files fit, a training checkpoint (223 kB) not.
        TestScripts.write("config.ppo.kts", TestScripts.CONFIG)
        Files.copy(TestScripts.dir.resolve("config.ppo.kts"), wd.resolve("config.ppo.kts"))
        proxima(wd, "train", "config.ppo.kts", "--steps", "256").code shouldBe 0 // into the shared cache
        val child = childProxima(wd, listOf("train", "config.ppo.kts", "--steps", "1024", "--out", "full-disk"),
            shell = "ulimit -f 300;")
        val code = child.exitWithin(120)
        val err = Files.readString(wd.resolve("child.err"))
        withClue(err + Files.readString(wd.resolve("child.out"))) {
            code shouldBe 1
            err shouldContain "proxima: train: training stopped after update 1: cannot write the checkpoint of update 1 to"
            err shouldContain "full-disk/checkpoints/last.safetensors"
            err shouldContain "File too large"
            err shouldContain "The checkpoints written before are intact: full-disk/checkpoints/best.safetensors."
            err.contains("\tat ") shouldBe false
        }
        val s = summary(wd.resolve("full-disk"))
        s["outcome"] shouldBe "failed"
        (s["detail"] as String) shouldContain "last.safetensors"
        Files.list(wd.resolve("full-disk/checkpoints")).use { st -> st.map { it.fileName.toString() }.toList() } shouldBe
            listOf("best.safetensors")
    }
})
