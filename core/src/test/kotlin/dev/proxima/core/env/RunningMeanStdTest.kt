package dev.proxima.core.env

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.property.Arb
import io.kotest.property.arbitrary.numericDouble
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.list
import io.kotest.property.checkAll
import kotlin.math.abs
import kotlin.math.max

private const val DIM = 3

/**
 * Mean and variance over all rows together with the prior (count eps, mean 0, var 1) that the running statistics
 * start from, computed directly in two passes: the prior is a group of weight eps at 0 with internal variance 1.
 */
private fun direct(rows: List<DoubleArray>, eps: Double): Pair<DoubleArray, DoubleArray> {
    val total = eps + rows.size
    val mean = DoubleArray(DIM) { j -> rows.sumOf { it[j] } / total }
    val variance = DoubleArray(DIM) { j ->
        val m2 = eps * 1.0 + eps * mean[j] * mean[j] + rows.sumOf { (it[j] - mean[j]) * (it[j] - mean[j]) }
        m2 / total
    }
    return mean to variance
}

private fun close(actual: Double, expected: Double) = actual shouldBe (expected plusOrMinus 1e-9 * max(1.0, abs(expected)))

class RunningMeanStdTest : FunSpec({
    test("starts at mean 0, var 1, count epsilon") {
        val s = RunningMeanStd(3)
        s.count() shouldBe 1e-4
        s.mean(2) shouldBe 0.0
        s.variance(1) shouldBe 1.0
    }

    test("batch updates (parallel algorithm) match a direct two-pass computation") {
        val row = Arb.list(Arb.numericDouble(-100.0, 100.0), DIM..DIM)
        checkAll(300, Arb.list(Arb.list(row, 1..8), 1..6)) { batches ->
            val s = RunningMeanStd(DIM)
            val all = mutableListOf<DoubleArray>()
            for (b in batches) {
                val flat = b.flatten().toDoubleArray()
                s.update(flat, b.size, DIM)
                b.forEach { all += it.toDoubleArray() }
            }
            val (mean, variance) = direct(all, 1e-4)
            s.count() shouldBe (1e-4 + all.size plusOrMinus 1e-12)
            for (j in 0 until DIM) {
                close(s.mean(j), mean[j])
                close(s.variance(j), variance[j])
            }
        }
    }

    test("float batches, single samples and batches agree with the direct computation") {
        checkAll(200, Arb.list(Arb.list(Arb.numericDouble(-5.0, 5.0), DIM..DIM), 1..20), Arb.int(1, 4)) { rows, split ->
            val asFloat = rows.map { r -> DoubleArray(DIM) { r[it].toFloat().toDouble() } }
            val bySample = RunningMeanStd(DIM)
            asFloat.forEach { bySample.update(it) }
            val byFloatBatch = RunningMeanStd(DIM)
            asFloat.chunked(split).forEach { chunk ->
                val f = FloatArray(chunk.size * DIM) { chunk[it / DIM][it % DIM].toFloat() }
                byFloatBatch.update(f, chunk.size, DIM)
            }
            val (mean, variance) = direct(asFloat, 1e-4)
            for (j in 0 until DIM) {
                close(bySample.mean(j), mean[j]); close(bySample.variance(j), variance[j])
                close(byFloatBatch.mean(j), mean[j]); close(byFloatBatch.variance(j), variance[j])
            }
        }
    }

    test("a single-sample update is Gymnasium's update_from_moments with batch variance 0 and count 1") {
        val s = RunningMeanStd(1)
        s.update(3.0)
        // delta = 3, tot = 1.0001; mean = 3/1.0001; var = (1e-4*1 + 0 + 9*1e-4*1/1.0001)/1.0001
        val tot = 1e-4 + 1.0
        s.mean(0) shouldBe 3.0 * 1.0 / tot
        s.variance(0) shouldBe (1.0 * 1e-4 + 0.0 * 1 + 3.0 * 3.0 * 1e-4 * 1 / tot) / tot
        s.count() shouldBe tot
    }

    test("state() and restore() round-trip exactly and are defensive copies") {
        val a = RunningMeanStd(DIM)
        a.update(doubleArrayOf(1.0, 2.0, 3.0, 0.1, -7.0, 1e-3), 2, DIM)
        val st = a.state()
        val b = RunningMeanStd(DIM)
        b.restore(st)
        b.state() shouldBe st
        st.mean()[0] = 99.0 // must not leak into the snapshot
        b.restore(st)
        b.mean(0) shouldBe a.mean(0)
        val more = doubleArrayOf(0.5, 0.25, -4.0)
        a.update(more); b.update(more)
        for (j in 0 until DIM) {
            b.mean(j).toBits() shouldBe a.mean(j).toBits()
            b.variance(j).toBits() shouldBe a.variance(j).toBits()
        }
    }

    test("bad input is refused with the numbers") {
        shouldThrow<IllegalArgumentException> { RunningMeanStd(2).restore(RunningMeanStd(3).state()) }
            .message shouldContain "dim = 3"
        shouldThrow<IllegalArgumentException> { RunningMeanStd(2).update(DoubleArray(3), 2, 2) }
            .message shouldContain "need 4 entries but the batch array has 3"
        shouldThrow<IllegalArgumentException> { RunningMeanStd(2).update(DoubleArray(4), 2, 3) }
            .message shouldContain "dim = 3"
        shouldThrow<IllegalArgumentException> { RunningMeanStd(0) }
        shouldThrow<IllegalArgumentException> { RunningMeanStd(1, 0.0) }.message shouldContain "epsilon = 0.0"
        shouldThrow<IllegalArgumentException> { RunningMeanStd.State(doubleArrayOf(0.0), doubleArrayOf(-1.0), 1.0) }
            .message shouldContain "var = -1.0"
    }
})
