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
import kotlin.math.sqrt

class CategoricalHeadTest : FunSpec({

    test("backward matches central finite differences of sum(wl*logp + we*H) w.r.t. the logits") {
        checkAll(fixedSeed(11, 200), Arb.long()) { seed ->
            val rng = SplittableRandom(seed)
            val n = 1 + rng.nextInt(6)
            val rows = 1 + rng.nextInt(5)
            val head = CategoricalHead(n)
            val logits = DoubleArray(rows * n) { rng.nextDouble(-4.0, 4.0) }
            val actions = FloatArray(rows) { rng.nextInt(n).toFloat() }
            val wl = DoubleArray(rows) { rng.nextDouble(-2.0, 2.0) }
            val we = DoubleArray(rows) { rng.nextDouble(-2.0, 2.0) }
            val logp = DoubleArray(rows)
            val ent = DoubleArray(rows)
            val objective = {
                head.logProbAndEntropy(logits, null, actions, rows, logp, ent)
                (0 until rows).sumOf { wl[it] * logp[it] + we[it] * ent[it] }
            }
            val grad = DoubleArray(rows * n)
            head.backward(logits, null, actions, rows, wl, we, grad, null)
            for (k in logits.indices) {
                FiniteDifference.assertMatches("seed $seed logit $k", grad[k], FiniteDifference.partial(logits, k, f = objective))
            }
        }
    }

    test("log-probabilities are normalised, including for huge logits") {
        val head = CategoricalHead(3)
        val logits = doubleArrayOf(1000.0, 999.0, -1000.0, 0.1, 0.2, 0.3)
        val total = DoubleArray(2)
        val logp = DoubleArray(2)
        val ent = DoubleArray(2)
        for (k in 0 until 3) {
            head.logProbAndEntropy(logits, null, floatArrayOf(k.toFloat(), k.toFloat()), 2, logp, ent)
            for (i in 0 until 2) total[i] += exp(logp[i])
        }
        abs(total[0] - 1.0) shouldBeLessThan 1e-15
        abs(total[1] - 1.0) shouldBeLessThan 1e-15
        head.logProbAndEntropy(logits, null, floatArrayOf(0f, 0f), 2, logp, ent)
        logp[0] shouldBe -ln(1.0 + exp(-1.0)) // exp(-2000) underflows to 0
        ent[0].isFinite() shouldBe true
    }

    test("inverse-CDF sampling matches the probabilities (fixed seed, 5-sigma bounds)") {
        val logits = doubleArrayOf(0.5, -1.0, 2.0, 0.0)
        val n = 4
        val rows = 200_000
        val head = CategoricalHead(n)
        val policyOut = DoubleArray(rows * n) { logits[it % n] }
        val rng = SplittableRandom(2024)
        val rngs = Array<RandomGenerator>(rows) { rng }
        val actions = FloatArray(rows)
        val logp = DoubleArray(rows)
        head.sample(policyOut, null, rows, rngs, actions, logp)
        val z = logits.sumOf { exp(it) }
        val counts = IntArray(n)
        for (i in 0 until rows) {
            val a = actions[i].toInt()
            counts[a]++
            logp[i] shouldBe logits[a] - 2.0 - ln(logits.sumOf { exp(it - 2.0) }) // max-shifted log-softmax
        }
        for (k in 0 until n) {
            val p = exp(logits[k]) / z
            val sigma = sqrt(p * (1 - p) / rows)
            abs(counts[k].toDouble() / rows - p) shouldBeLessThan 5 * sigma
        }
    }

    test("Monte-Carlo entropy -mean(log p(a)) of samples matches the analytic entropy") {
        val logits = doubleArrayOf(1.0, 0.2, -0.7, 0.0, 2.5, -3.0)
        val rows = 100_000
        val head = CategoricalHead(6)
        val policyOut = DoubleArray(rows * 6) { logits[it % 6] }
        val rng = SplittableRandom(7)
        val actions = FloatArray(rows)
        val logp = DoubleArray(rows)
        head.sample(policyOut, null, rows, Array(rows) { rng }, actions, logp)
        val ent = DoubleArray(rows)
        val check = DoubleArray(rows)
        head.logProbAndEntropy(policyOut, null, actions, rows, check, ent)
        check.toList() shouldBe logp.toList() // sample() reports exactly what logProbAndEntropy computes
        val mean = -logp.average()
        val sd = sqrt(logp.sumOf { (-it - mean) * (-it - mean) } / (rows - 1))
        abs(mean - ent[0]) shouldBeLessThan 5 * sd / sqrt(rows.toDouble())
    }

    test("row i draws exactly one nextDouble() from rngs[i] only") {
        val head = CategoricalHead(3)
        val rows = 5
        val policyOut = DoubleArray(rows * 3) { (it * 0.37) % 1.3 }
        val together = FloatArray(rows)
        head.sample(policyOut, null, rows, Array(rows) { SplittableRandom(100L + it) }, together, DoubleArray(rows))
        for (i in 0 until rows) {
            val rng = SplittableRandom(100L + i)
            val single = FloatArray(1)
            head.sample(policyOut.copyOfRange(i * 3, i * 3 + 3), null, 1, arrayOf(rng), single, DoubleArray(1))
            single[0] shouldBe together[i]
            val reference = SplittableRandom(100L + i).also { it.nextDouble() }
            rng.nextLong() shouldBe reference.nextLong()
        }
    }

    test("mode is the argmax, the first one on ties") {
        val head = CategoricalHead(4)
        val out = FloatArray(3)
        head.mode(doubleArrayOf(0.0, 3.0, 1.0, 3.0, -1.0, -1.0, -1.0, -1.0, 0.0, 0.0, 0.5, Double.NEGATIVE_INFINITY),
            null, 3, out)
        out.toList() shouldBe listOf(1f, 0f, 2f)
    }

    test("-inf logits mask actions: never sampled, no NaN in entropy or gradients") {
        val head = CategoricalHead(3)
        val ninf = Double.NEGATIVE_INFINITY
        val rows = 20_000
        val policyOut = DoubleArray(rows * 3) { if (it % 3 == 1) ninf else 0.3 * (it % 3) }
        val rng = SplittableRandom(5)
        val actions = FloatArray(rows)
        head.sample(policyOut, null, rows, Array(rows) { rng }, actions, DoubleArray(rows))
        actions.count { it == 1f } shouldBe 0
        val logp = DoubleArray(rows)
        val ent = DoubleArray(rows)
        head.logProbAndEntropy(policyOut, null, actions, rows, logp, ent)
        // entropy equals that of the two unmasked actions
        val p0 = 1 / (1 + exp(0.6))
        abs(ent[0] - (-p0 * ln(p0) - (1 - p0) * ln(1 - p0))) shouldBeLessThan 1e-15
        val grad = DoubleArray(rows * 3)
        head.backward(policyOut, null, actions, rows, DoubleArray(rows) { 1.0 }, DoubleArray(rows) { 1.0 }, grad, null)
        grad.all { it.isFinite() } shouldBe true
        (0 until rows).all { grad[it * 3 + 1] == 0.0 } shouldBe true
    }

    test("bad logits, actions and buffers fail with messages naming them") {
        val head = CategoricalHead(2)
        val logp = DoubleArray(1)
        val ent = DoubleArray(1)
        shouldThrow<IllegalArgumentException> {
            head.logProbAndEntropy(doubleArrayOf(0.0, Double.NaN), null, floatArrayOf(0f), 1, logp, ent)
        }.message shouldContain "NaN"
        shouldThrow<IllegalArgumentException> {
            head.logProbAndEntropy(doubleArrayOf(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY), null,
                floatArrayOf(0f), 1, logp, ent)
        }.message shouldContain "masked"
        shouldThrow<IllegalArgumentException> {
            head.logProbAndEntropy(doubleArrayOf(0.0, 1.0), null, floatArrayOf(2f), 1, logp, ent)
        }.message shouldContain "action 2.0"
        shouldThrow<IllegalArgumentException> {
            head.logProbAndEntropy(doubleArrayOf(0.0, 1.0), null, floatArrayOf(0.5f), 1, logp, ent)
        }.message shouldContain "0..1"
        shouldThrow<IllegalArgumentException> {
            head.logProbAndEntropy(doubleArrayOf(0.0, 1.0), null, floatArrayOf(0f, 1f), 2, logp, ent)
        }.message shouldContain "policyOut has 2 entries but n = 2 rows need 4"
        shouldThrow<IllegalArgumentException> { CategoricalHead(0) }.message shouldContain "n = 0"
        head.toString() shouldBe "CategoricalHead(n = 2)"
        listOf(head.policyDim(), head.actionDim(), head.logStdDim()) shouldBe listOf(2, 1, 0)
    }
})
