package dev.proxima.core.dist

import dev.proxima.core.testing.FiniteDifference
import dev.proxima.core.testing.fixedSeed
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.property.Arb
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import java.util.random.RandomGenerator
import java.util.SplittableRandom
import kotlin.math.abs
import kotlin.math.exp
import kotlin.math.ln
import kotlin.math.PI
import kotlin.math.sqrt

class DiagGaussianHeadTest : FunSpec({

    test("backward matches central finite differences w.r.t. means and log_std (float64 and float32 actions)") {
        checkAll(fixedSeed(12, 200), Arb.long()) { seed ->
            val rng = SplittableRandom(seed)
            val d = 1 + rng.nextInt(4)
            val rows = 1 + rng.nextInt(5)
            val head = DiagGaussianHead(d)
            val mean = DoubleArray(rows * d) { rng.nextDouble(-2.0, 2.0) }
            val logStd = DoubleArray(d) { rng.nextDouble(-1.5, 1.0) }
            val actions = DoubleArray(rows * d) { mean[it] + rng.nextGaussian() * 1.5 }
            val floatActions = FloatArray(rows * d) { actions[it].toFloat() }
            val wl = DoubleArray(rows) { rng.nextDouble(-2.0, 2.0) }
            val we = DoubleArray(rows) { rng.nextDouble(-2.0, 2.0) }
            val logp = DoubleArray(rows)
            val ent = DoubleArray(rows)
            for (useFloat in listOf(false, true)) {
                val objective = {
                    if (useFloat) head.logProbAndEntropy(mean, logStd, floatActions, rows, logp, ent)
                    else head.logProbAndEntropy(mean, logStd, actions, rows, logp, ent)
                    (0 until rows).sumOf { wl[it] * logp[it] + we[it] * ent[it] }
                }
                val dMean = DoubleArray(rows * d)
                val dLogStd = DoubleArray(d) { 99.0 } // must be overwritten, not accumulated into
                if (useFloat) head.backward(mean, logStd, floatActions, rows, wl, we, dMean, dLogStd)
                else head.backward(mean, logStd, actions, rows, wl, we, dMean, dLogStd)
                for (k in mean.indices) {
                    FiniteDifference.assertMatches("seed $seed mean $k", dMean[k], FiniteDifference.partial(mean, k, f = objective))
                }
                for (j in 0 until d) {
                    FiniteDifference.assertMatches("seed $seed log_std $j", dLogStd[j], FiniteDifference.partial(logStd, j, f = objective))
                }
            }
        }
    }

    test("sampling: per-dimension mean and variance match N(mu, sigma^2) (fixed seed, 5-sigma bounds)") {
        val mu = doubleArrayOf(0.3, -1.2, 4.0)
        val logStd = doubleArrayOf(-0.5, 0.7, 0.0)
        val d = 3
        val rows = 100_000
        val head = DiagGaussianHead(d)
        val policyOut = DoubleArray(rows * d) { mu[it % d] }
        val rng = SplittableRandom(99)
        val actions = FloatArray(rows * d)
        val logp = DoubleArray(rows)
        head.sample(policyOut, logStd, rows, Array<RandomGenerator>(rows) { rng }, actions, logp)
        for (j in 0 until d) {
            val sigma = exp(logStd[j])
            val xs = DoubleArray(rows) { actions[it * d + j].toDouble() }
            val m = xs.average()
            val v = xs.sumOf { (it - m) * (it - m) } / (rows - 1)
            abs(m - mu[j]) shouldBeLessThan 5 * sigma / sqrt(rows.toDouble())
            abs(v - sigma * sigma) shouldBeLessThan 5 * sigma * sigma * sqrt(2.0 / rows)
        }
        // the reported log-probability is that of the stored (float32) action, so the first ratio is exactly 1
        val check = DoubleArray(rows)
        val ent = DoubleArray(rows)
        head.logProbAndEntropy(policyOut, logStd, actions, rows, check, ent)
        check.toList() shouldBe logp.toList()
        // Monte-Carlo entropy
        val h = -logp.average()
        val sd = sqrt(logp.sumOf { (-it - h) * (-it - h) } / (rows - 1))
        abs(h - ent[0]) shouldBeLessThan 5 * sd / sqrt(rows.toDouble())
        abs(ent[0] - logStd.sumOf { 0.5 + 0.5 * ln(2 * PI) + it }) shouldBeLessThan 1e-15
    }

    test("row i draws d nextGaussian() values from rngs[i] only") {
        val head = DiagGaussianHead(2)
        val rows = 4
        val policyOut = DoubleArray(rows * 2) { it * 0.1 }
        val logStd = doubleArrayOf(0.2, -0.3)
        val together = FloatArray(rows * 2)
        head.sample(policyOut, logStd, rows, Array(rows) { SplittableRandom(7L + it) }, together, DoubleArray(rows))
        for (i in 0 until rows) {
            val rng = SplittableRandom(7L + i)
            val reference = SplittableRandom(7L + i)
            for (j in 0 until 2) {
                together[i * 2 + j] shouldBe (policyOut[i * 2 + j] + exp(logStd[j]) * reference.nextGaussian()).toFloat()
            }
            head.sample(policyOut.copyOfRange(i * 2, i * 2 + 2), logStd, 1, arrayOf(rng), FloatArray(2), DoubleArray(1))
            rng.nextLong() shouldBe reference.nextLong()
        }
    }

    test("mode is the mean") {
        val out = FloatArray(4)
        DiagGaussianHead(2).mode(doubleArrayOf(0.25, -1.5, 3.0, 0.0), doubleArrayOf(1.0, 1.0), 2, out)
        out.toList() shouldBe listOf(0.25f, -1.5f, 3.0f, 0.0f)
    }

    test("bad log_std and buffers fail with messages naming them") {
        val head = DiagGaussianHead(2)
        shouldThrow<IllegalArgumentException> {
            head.logProbAndEntropy(DoubleArray(2), doubleArrayOf(0.0, Double.POSITIVE_INFINITY), FloatArray(2), 1,
                DoubleArray(1), DoubleArray(1))
        }.message shouldContain "log_std[1] = Infinity"
        shouldThrow<IllegalArgumentException> {
            head.logProbAndEntropy(DoubleArray(2), doubleArrayOf(0.0), FloatArray(2), 1, DoubleArray(1), DoubleArray(1))
        }.message shouldContain "logStd has 1 entries"
        shouldThrow<IllegalArgumentException> {
            head.backward(DoubleArray(2), DoubleArray(2), FloatArray(2), 1, null, null, DoubleArray(2), DoubleArray(1))
        }.message shouldContain "dLogStd"
        shouldThrow<IllegalArgumentException> { DiagGaussianHead(0) }.message shouldContain "d = 0"
        listOf(head.policyDim(), head.actionDim(), head.logStdDim()) shouldBe listOf(2, 2, 2)
    }
})
