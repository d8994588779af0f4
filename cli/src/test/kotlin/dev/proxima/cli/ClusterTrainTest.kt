package dev.proxima.cli

import dev.proxima.core.checkpoint.Checkpoints
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldMatch
import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import java.util.concurrent.CompletableFuture
import java.util.concurrent.TimeUnit

/** A script's inline env (not registered anywhere but in the script), trained with or without a cluster. */
private fun corridor(cluster: String) = """
    |class Corridor : Env<FloatArray, Int> {
    |    private var pos = 0
    |    override fun observationSpace(): Space<FloatArray> = Box.of(0f, 5f, 1)
    |    override fun actionSpace(): Space<Int> = Discrete(2)
    |    override fun reset(seed: Long): Reset<FloatArray> = reset()
    |    override fun reset(): Reset<FloatArray> { pos = 0; return Reset(floatArrayOf(0f), mapOf()) }
    |    override fun step(action: Int): Step<FloatArray> {
    |        pos = (pos + if (action == 1) 1 else -1).coerceIn(0, 5)
    |        return Step(floatArrayOf(pos.toFloat()), if (pos == 5) 1.0 else -0.01, pos == 5, false, mapOf())
    |    }
    |}
    |ppo {
    |    env(EnvSpec("Corridor-v0", { _ -> Corridor() }, 50, 0.9))
    |    rollout(numEnvs = 4, numSteps = 32)
    |    numMinibatches(2)
    |    updateEpochs(2)
    |    seed(11)
    |    totalSteps(768)
    |    $cluster
    |}
    |""".trimMargin()

/** metrics.csv without the wall-clock and cluster columns. */
private fun learningMetrics(run: Path): List<String> {
    val lines = Files.readAllLines(run.resolve("metrics.csv"))
    val header = lines[0].split(",")
    val keep = header.indices.filter { header[it] != "charts/SPS" && !header[it].startsWith("cluster/") }
    return lines.map { l -> l.split(",").let { cells -> keep.joinToString(",") { cells[it] } } }
}

/**
 * `proxima train` of a script with `cluster(workers = 2)`: the learner in this JVM starts two worker JVMs through the
 * command's own main (`proxima worker --script ...`), which find the script's inline env; the run equals the same
 * script without a cluster.
 */
class ClusterTrainTest : FunSpec({
    tags(Slow)
    val wd = Files.createTempDirectory("cluster-train-test")

    test("train with cluster(workers = 2): local worker JVMs get the script, the run is recorded, and equals the single-JVM run") {
        Files.writeString(wd.resolve("corridor.ppo.kts"), corridor("cluster(workers = 2)"))
        Files.writeString(wd.resolve("single.ppo.kts"), corridor(""))
        val r = proxima(wd, "train", "corridor.ppo.kts", "--out", "cluster", "--eval-episodes", "2")
        val run = wd.resolve("cluster")
        withClue(r.toString() + workerLogs(run)) {
            r.code shouldBe 0
            r.out shouldMatch Regex("(?s).*cluster proxima-[0-9a-f]{8}: listening on 127\\.0\\.0\\.1:\\d+ for 2 workers; " +
                "starting them here \\(their output: cluster/workers/worker-I\\.log\\).*")
            r.out shouldContain "cluster: 2 of 2 workers joined in "
            r.out shouldContain "xfer_ms"
            r.out shouldContain "done: 768 steps"
            r.err shouldBe ""
        }
        // The workers ran the same script, found its env, and ended when the learner stopped them.
        for (i in 0..1) {
            val log = run.resolve("workers/worker-$i.log")
            waitUntil(30) { Files.exists(log) && Files.readString(log).contains("worker: the run ended") } shouldBe true
            Files.readString(log) shouldContain "declares env Corridor-v0"
        }

        val s = summary(run)
        s["outcome"] shouldBe "finished"
        @Suppress("UNCHECKED_CAST")
        val c = s["cluster"] as Map<String, Any?>
        c["workers"] shouldBe 2L
        c["fewest_workers"] shouldBe 2L
        c["failures"] shouldBe 0L
        c["restarts"] shouldBe 0L
        c["on_failure"] shouldBe "fail()"
        c["updates"] shouldBe 6L
        c["worker_logs"] shouldBe "workers"
        (c["mean_rollout_ms"] as Double) shouldBeGreaterThan 0.0
        (c["mean_broadcast_bytes"] as Double) shouldBeGreaterThan 0.0
        @Suppress("UNCHECKED_CAST")
        val events = c["events"] as List<String>
        events.count { it.matches(Regex("\\d+\\.\\d s: worker [01] joined, pid \\d+ on .+")) } shouldBe 2
        events[0] shouldMatch Regex("\\d+\\.\\d s: listening on 127\\.0\\.0\\.1:\\d+ for 2 workers")
        @Suppress("UNCHECKED_CAST")
        (s["files"] as Map<String, Any?>)["worker_logs"] shouldBe "workers"
        val header = Files.readAllLines(run.resolve("metrics.csv"))[0].split(",")
        header shouldContainAll listOf("cluster/workers", "cluster/rollout_ms", "cluster/sample_ms", "cluster/overhead_ms",
            "cluster/broadcast_bytes", "cluster/gather_bytes", "cluster/failures", "cluster/restarts")

        // The same script and seed in one JVM: no cluster columns or summary part, and the same run bit for bit.
        val single = proxima(wd, "train", "single.ppo.kts", "--out", "single", "--eval-episodes", "2")
        withClue(single) { single.code shouldBe 0 }
        val one = wd.resolve("single")
        Files.readAllLines(one.resolve("metrics.csv"))[0].contains("cluster/") shouldBe false
        summary(one).containsKey("cluster") shouldBe false
        single.out.contains("xfer_ms") shouldBe false
        learningMetrics(run) shouldBe learningMetrics(one)
        val a = Checkpoints.readRun(run.resolve("checkpoints/last.safetensors"))
        val b = Checkpoints.readRun(one.resolve("checkpoints/last.safetensors"))
        a.update() shouldBe 6
        a.agent().params().map { it.toRawBits() } shouldBe b.agent().params().map { it.toRawBits() }
    }

    test("a worker killed mid-run under fail(): the run stops with a checkpoint in the run directory and says how to resume") {
        Files.writeString(wd.resolve("corridor.ppo.kts"), corridor("cluster(workers = 2)")) // compiled by the test above
        val run = wd.resolve("fail")
        val before = Instant.now().minusSeconds(1)
        val learner = CompletableFuture.supplyAsync {
            proxima(wd, "train", "corridor.ppo.kts", "--out", "fail", "--steps", "1M", "--checkpoint-every", "1")
        }
        val started = waitUntil(120) { rows(run.resolve("metrics.csv")) >= 2 || learner.isDone }
        // The learner runs in this JVM: its worker JVMs are this JVM's children started since.
        val workers = ProcessHandle.current().children().filter { p ->
            p.info().startInstant().map { it.isAfter(before) }.orElse(false)
        }.toList()
        withClue("started=$started, workers=$workers") { workers.size shouldBe 2 }
        workers[0].destroyForcibly() // SIGKILL
        val r = learner.get(120, TimeUnit.SECONDS)
        val s = summary(run)
        withClue(r.toString() + workerLogs(run)) {
            r.code shouldBe Cli.EXIT_FAILURE
            r.err shouldContain "proxima: cluster: worker "
            r.err shouldContain "proxima: train: training stopped after update "
            r.err shouldContain "the cluster run cannot go on"
            r.err shouldContain "is saved in fail/checkpoints/last.safetensors; when the cause is fixed, continue it " +
                "with: proxima train --resume fail"
            r.hasNoStackTrace() shouldBe true
            s["outcome"] shouldBe "failed"
        }
        // The checkpoint is that of the last update recorded, which is the summary's.
        val saved = Checkpoints.readRun(run.resolve("checkpoints/last.safetensors")).update()
        saved shouldBe rows(run.resolve("metrics.csv"))
        s["last_checkpoint_update"] shouldBe saved.toLong()
        s["updates"] shouldBe saved.toLong()
        @Suppress("UNCHECKED_CAST")
        val c = s["cluster"] as Map<String, Any?>
        c["failures"] shouldBe 1L
        @Suppress("UNCHECKED_CAST")
        (c["events"] as List<String>).count { it.contains(Regex("worker [01] failed in update ")) } shouldBe 1
    }
})

private fun workerLogs(run: Path): String {
    val dir = run.resolve("workers")
    if (!Files.isDirectory(dir)) return ""
    return Files.list(dir).use { s -> s.sorted().toList() }.joinToString("") { "\n--- $it\n" + Files.readString(it) }
}
