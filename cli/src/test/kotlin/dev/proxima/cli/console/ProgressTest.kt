package dev.proxima.cli.console

import dev.proxima.cli.run.EvalPoint
import dev.proxima.core.ppo.UpdateStats
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.string.shouldStartWith
import java.io.ByteArrayOutputStream
import java.io.PrintStream

private fun stats(u: Int) = UpdateStats(u, u * 100L, 10.0 + u, 10.0, 1, 4, mapOf(UpdateStats.SPS to 1000.0))

private fun capture(interactive: Boolean, updates: Int, body: (Progress) -> Unit): String {
    val bytes = ByteArrayOutputStream()
    var now = 0L
    val p = Progress(PrintStream(bytes, true, "UTF-8"), interactive, updates * 100L, updates) { now.also { now += 50_000_000L } }
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
            p.eval(EvalPoint(200, 50.0, 1.0, 5), true)
            p.update(stats(3), 12.0)
        }
        text shouldContain "\r["
        text shouldContain "100%"
        text shouldContain "300/300 steps"
        text shouldContain "\r\u001b[2K  eval at 200 steps: 50.0 ± 1.0 over 5 episodes  (best so far)"
        text.trimEnd() shouldStartWith "  update"
        text.endsWith("\r\u001b[2K") shouldBe true
    }

    test("durations read as m:ss or h:mm:ss") {
        Progress.duration(5.4) shouldBe "0:05"
        Progress.duration(3725.0) shouldBe "1:02:05"
        Progress.duration(Double.NaN) shouldBe "-"
        Progress.fmt(1.25, 6, 1) shouldBe "   1.3"
        Progress.fmt(Double.NaN, 6, 1) shouldBe "     -"
    }
})
