package dev.proxima.cli.console

import dev.proxima.cli.run.EvalPoint
import dev.proxima.cli.run.RunMonitor
import dev.proxima.cluster.ClusterCollector
import dev.proxima.core.ppo.UpdateStats
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.string.shouldStartWith
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.util.function.IntConsumer

private fun stats(u: Int) = UpdateStats(u, u * 100L, 10.0 + u, 10.0, 1, 4, mapOf(UpdateStats.SPS to 1000.0))

private fun capture(interactive: Boolean, updates: Int, body: (Progress) -> Unit): String {
    val bytes = ByteArrayOutputStream()
    var now = 0L
    val ps = PrintStream(bytes, true, "UTF-8")
    val p = Progress(ps, ps, interactive, updates * 100L, updates) { now.also { now += 50_000_000L } }
    body(p)
    p.finish()
    return bytes.toString("UTF-8")
}

class ProgressTest : FunSpec({
    test("not on a terminal: plain lines only, a header and a row every tenth of the run, the first and the last") {
        val text = capture(false, 40) { p -> (1..40).forEach { p.update(stats(it), 12.5) } }
        text shouldNotContain "\r"
        text shouldNotContain "\u001b"
        val lines = text.lines().filter { it.isNotBlank() }
        lines[0] shouldContain "update"
        lines[0] shouldContain "approx_kl"
        val updates = lines.drop(1).map { it.trim().split(Regex("\\s+"))[0].toInt() }
        updates shouldBe listOf(1, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40)
        lines.drop(1).forEach { it shouldContain "12.5" }
    }

    test("on a terminal: the bar is redrawn in place and cleared before table rows and at the end") {
        val text = capture(true, 3) { p ->
            p.update(stats(1), Double.NaN)
            p.update(stats(2), 11.0)
            p.eval(EvalPoint(2, 200, 50.0, 1.0, 5), true)
            p.update(stats(3), 12.0)
        }
        text shouldContain "\r["
        text shouldContain "100%"
        text shouldContain "300/300 steps"
        text shouldContain "\r\u001b[2K  eval at 200 steps: 50.0 ± 1.0 over 5 episodes  (best so far)"
        text.trimEnd() shouldStartWith "  update"
        text.endsWith("\r\u001b[2K") shouldBe true
    }

    test("within a slow update: a status line every 2 s without a terminal, the bar follows the rollout on one") {
        var now = 0L
        val clock = { now }
        val slow = IntConsumer { now += 1_500_000_000L }
        for (interactive in listOf(false, true)) {
            // 4 env copies x 8 rollout steps per update; each rollout step takes 1.5 s of the fake clock.
            val monitor = RunMonitor(1, 4, 8, 0, clock)
            val bytes = ByteArrayOutputStream()
            val ps = PrintStream(bytes, true, "UTF-8")
            val p = Progress(ps, ps, interactive, 3 * 32L, 3, monitor, nanoTime = clock)
            repeat(4) {
                monitor.run(1, slow)
                p.tick()
            }
            p.finish()
            monitor.close()
            val text = bytes.toString("UTF-8")
            if (!interactive) {
                // At 3 s and 6 s: no update has completed for 2 s, and 2 s passed since the last status line.
                val status = text.lines().filter { it.startsWith("  ... update") }
                status.size shouldBe 2
                status[0] shouldContain "update 1/3: rollout step 2, 8 env steps"
                status[1] shouldContain "rollout step 4, 16 env steps"
            } else {
                text shouldContain "4/96 steps"
                text shouldContain "12/96 steps"
                text shouldNotContain "  ... update"
            }
        }
    }

    test("what a stop waits for names the phase, the rollout step and the user code it is in") {
        val trace = arrayOf(
            StackTraceElement("java.lang.Thread", "sleep", null, -2),
            StackTraceElement("Slow_ppo\$SlowEnv", "step", "slow.ppo.kts", 9),
            StackTraceElement("dev.proxima.core.train.Collector", "sampleSlice", "Collector.java", 200),
        )
        RunMonitor.where(trace) shouldBe "SlowEnv.step(slow.ppo.kts:9) <- java.lang.Thread.sleep"
        var now = 0L
        val m = RunMonitor(1, 2, 4, 0) { now }
        m.run(1) { }
        now += 5_000_000_000L
        m.describe(1, null) shouldBe "stepping the envs (rollout step 2 of 4 of update 1) for 5.0 s"
        m.close()
    }

    test("a cluster run: rows and bar show the workers and the rollout/transfer ms; status lines say what it waits for") {
        fun clusterStats(u: Int, workers: Double) = UpdateStats(u, u * 100L, 10.0, 10.0, 1, 4, mapOf(UpdateStats.SPS to 1000.0,
            ClusterCollector.METRIC_WORKERS to workers, ClusterCollector.METRIC_ROLLOUT_MS to 123.4,
            ClusterCollector.METRIC_OVERHEAD_MS to 5.67))
        for (interactive in listOf(false, true)) {
            var now = 0L
            val monitor = RunMonitor(1, 4, 8, 0) { now }
            monitor.clusterDetail = { "1 of 2 joined" }
            val bytes = ByteArrayOutputStream()
            val ps = PrintStream(bytes, true, "UTF-8")
            val p = Progress(ps, ps, interactive, 300L, 3, monitor, clusterWorkers = 2) { now }
            monitor.enter(RunMonitor.Phase.JOINING)
            now += 2_500_000_000L
            p.tick()
            now += 200_000_000L
            p.update(clusterStats(1, 2.0), 10.0)
            now += 200_000_000L
            p.update(clusterStats(2, 1.0), 10.0)
            p.finish()
            val text = bytes.toString("UTF-8")
            val lines = text.split('\n', '\r').map { it.removePrefix("\u001b[2K") }
            val header = lines.first { it.startsWith("  update") }.trim().split(Regex("\\s+"))
            header.takeLast(3) shouldBe listOf("workers", "roll_ms", "xfer_ms")
            lines.first { it.startsWith("       1 ") }.trim().split(Regex("\\s+")).takeLast(3) shouldBe listOf("2/2", "123", "5.7")
            lines.first { it.startsWith("       2 ") }.trim().split(Regex("\\s+")).takeLast(3) shouldBe listOf("1/2", "123", "5.7")
            if (interactive) {
                text shouldContain "workers 1/2"
                text shouldContain "(waiting for the workers to join (1 of 2 joined) 3 s)"
            } else {
                // No rollout step: the env steps happen in the workers.
                text shouldContain "  ... update 1/3: 0 env steps, 0 steps/s; waiting for the workers to join (1 of 2 joined) for 2.5 s"
                monitor.describe(3, Thread.currentThread()) shouldBe
                    "waiting for the workers to join (1 of 2 joined) in update 3 for 2.9 s"
            }
            monitor.close()
        }
    }

    test("durations read as m:ss or h:mm:ss") {
        Progress.duration(5.4) shouldBe "0:05"
        Progress.duration(3725.0) shouldBe "1:02:05"
        Progress.duration(Double.NaN) shouldBe "-"
        Progress.fmt(1.25, 6, 1) shouldBe "   1.3"
        Progress.fmt(Double.NaN, 6, 1) shouldBe "     -"
    }
})
