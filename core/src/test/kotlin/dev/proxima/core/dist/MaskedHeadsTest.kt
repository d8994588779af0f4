package dev.proxima.core.dist

import dev.proxima.core.space.Box
import dev.proxima.core.testing.Allocation
import dev.proxima.core.testing.FiniteDifference
import dev.proxima.core.testing.fixedSeed
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.property.Arb
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import java.util.SplittableRandom
import java.util.random.RandomGenerator
import kotlin.math.abs
import kotlin.math.exp
import kotlin.math.ln
import kotlin.math.sqrt

/** A random mask of [rows] blocks of sizes [sizes], each block with at least one true entry. */
private fun randomMask(rng: SplittableRandom, rows: Int, sizes: IntArray): BooleanArray {
    val mask = BooleanArray(rows * sizes.sum())
    var o = 0
    repeat(rows) {
        for (n in sizes) {
            for (k in 0 until n) mask[o + k] = rng.nextInt(3) > 0
            mask[o + rng.nextInt(n)] = true
            o += n
        }
    }
    return mask
}

/** For each row and block, a valid index of that block under [mask]. */
private fun validActions(rng: SplittableRandom, rows: Int, sizes: IntArray, mask: BooleanArray): FloatArray {
    val out = FloatArray(rows * sizes.size)
    var o = 0
    for (i in 0 until rows) {
        for ((c, n) in sizes.withIndex()) {
            val valid = (0 until n).filter { mask[o + it] }
            out[i * sizes.size + c] = valid[rng.nextInt(valid.size)].toFloat()
            o += n
        }
    }
    return out
}

/** Central differences of sum(wl*logp + we*H) w.r.t. each valid logit must match backward; invalid ones get 0. */
private fun checkGradients(head: PolicyHead, sizes: IntArray, seed: Long, masked: Boolean) {
    val rng = SplittableRandom(seed)
    val rows = 1 + rng.nextInt(4)
    val width = sizes.sum()
    val logits = DoubleArray(rows * width) { rng.nextDouble(-4.0, 4.0) }
    val mask = if (masked) randomMask(rng, rows, sizes) else null
    val actions = validActions(rng, rows, sizes, mask ?: BooleanArray(rows * width) { true })
    val wl = DoubleArray(rows) { rng.nextDouble(-2.0, 2.0) }
    val we = DoubleArray(rows) { rng.nextDouble(-2.0, 2.0) }
    val logp = DoubleArray(rows)
    val ent = DoubleArray(rows)
    val objective = {
        head.logProbAndEntropy(logits, null, mask, actions, rows, logp, ent)
        (0 until rows).sumOf { wl[it] * logp[it] + we[it] * ent[it] }
    }
    val grad = DoubleArray(rows * width)
    head.backward(logits, null, mask, actions, rows, wl, we, grad, null)
    for (k in logits.indices) {
        if (mask != null && !mask[k]) {
            grad[k] shouldBe 0.0
            // and the objective does not move when an invalid logit does
            FiniteDifference.partial(logits, k, f = objective) shouldBe 0.0
        } else {
            FiniteDifference.assertMatches("seed $seed logit $k", grad[k], FiniteDifference.partial(logits, k, f = objective))
        }
    }
}

class MaskedHeadsTest : FunSpec({

    context("finite differences of log-prob and entropy w.r.t. the logits") {
        test("CategoricalHead, masked") {
            checkAll(fixedSeed(21, 150), Arb.long()) { seed ->
                val n = 1 + SplittableRandom(seed).nextInt(7)
                checkGradients(CategoricalHead(n), intArrayOf(n), seed, masked = true)
            }
        }
        test("MultiDiscreteHead, masked and unmasked") {
            checkAll(fixedSeed(22, 150), Arb.long()) { seed ->
                val r = SplittableRandom(seed xor 77)
                val nvec = IntArray(1 + r.nextInt(3)) { 1 + r.nextInt(5) }
                checkGradients(MultiDiscreteHead(*nvec), nvec, seed, masked = true)
                checkGradients(MultiDiscreteHead(*nvec), nvec, seed, masked = false)
            }
        }
    }

    test("null mask, an all-true mask and the unmasked overloads give bit-identical results") {
        val rng = SplittableRandom(3)
        for (head in listOf<PolicyHead>(CategoricalHead(5), MultiDiscreteHead(2, 3, 4))) {
            val rows = 6
            val logits = DoubleArray(rows * head.policyDim()) { rng.nextDouble(-3.0, 3.0) }
            val all = BooleanArray(rows * head.maskDim()) { true }
            val a1 = FloatArray(rows * head.actionDim()); val a2 = a1.clone(); val a3 = a1.clone()
            val l1 = DoubleArray(rows); val l2 = l1.clone(); val l3 = l1.clone()
            head.sample(logits, null, rows, Array(rows) { SplittableRandom(it.toLong()) }, a1, l1)
            head.sample(logits, null, null, rows, Array(rows) { SplittableRandom(it.toLong()) }, a2, l2)
            head.sample(logits, null, all, rows, Array(rows) { SplittableRandom(it.toLong()) }, a3, l3)
            a2.toList() shouldBe a1.toList(); a3.toList() shouldBe a1.toList()
            l2.toList() shouldBe l1.toList(); l3.toList() shouldBe l1.toList()
            val e1 = DoubleArray(rows); val e3 = DoubleArray(rows)
            head.logProbAndEntropy(logits, null, a1, rows, l1, e1)
            head.logProbAndEntropy(logits, null, all, a1, rows, l3, e3)
            l3.toList() shouldBe l1.toList(); e3.toList() shouldBe e1.toList()
            val g1 = DoubleArray(logits.size); val g3 = DoubleArray(logits.size)
            head.backward(logits, null, a1, rows, DoubleArray(rows) { 0.7 }, DoubleArray(rows) { -0.3 }, g1, null)
            head.backward(logits, null, all, a1, rows, DoubleArray(rows) { 0.7 }, DoubleArray(rows) { -0.3 }, g3, null)
            g3.toList() shouldBe g1.toList()
        }
    }

    test("masked sampling follows the renormalised valid probabilities and never takes an invalid action") {
        val logits = doubleArrayOf(0.5, 9.0, -1.0, 2.0, 0.0) // action 1 would dominate if it were allowed
        val mask = booleanArrayOf(true, false, true, true, true)
        val rows = 200_000
        val head = CategoricalHead(5)
        val policyOut = DoubleArray(rows * 5) { logits[it % 5] }
        val masks = BooleanArray(rows * 5) { mask[it % 5] }
        val rng = SplittableRandom(2025)
        val actions = FloatArray(rows)
        val logp = DoubleArray(rows)
        head.sample(policyOut, null, masks, rows, Array(rows) { rng }, actions, logp)
        val z = logits.indices.filter { mask[it] }.sumOf { exp(logits[it]) }
        val counts = IntArray(5)
        actions.forEach { counts[it.toInt()]++ }
        counts[1] shouldBe 0
        for (k in listOf(0, 2, 3, 4)) {
            val p = exp(logits[k]) / z
            abs(counts[k].toDouble() / rows - p) shouldBeLessThan 5 * sqrt(p * (1 - p) / rows)
        }
        val ent = DoubleArray(rows)
        val check = DoubleArray(rows)
        head.logProbAndEntropy(policyOut, null, masks, actions, rows, check, ent)
        check.toList() shouldBe logp.toList() // sample() reports exactly what logProbAndEntropy computes
        val h = -listOf(0, 2, 3, 4).sumOf { val p = exp(logits[it]) / z; p * ln(p) }
        abs(ent[0] - h) shouldBeLessThan 1e-14
        val mean = -logp.average() // Monte-Carlo entropy of the masked distribution
        abs(mean - h) shouldBeLessThan 0.01
    }

    test("MultiDiscreteHead draws one nextDouble per component, in component order, from rngs[i] only") {
        val head = MultiDiscreteHead(3, 1, 4)
        val rows = 4
        val logits = DoubleArray(rows * 8) { (it * 0.37) % 1.9 - 0.5 }
        val together = FloatArray(rows * 3)
        head.sample(logits, null, rows, Array(rows) { SplittableRandom(50L + it) }, together, DoubleArray(rows))
        val cat3 = CategoricalHead(3)
        val cat4 = CategoricalHead(4)
        for (i in 0 until rows) {
            val rng = SplittableRandom(50L + i)
            val a = FloatArray(1)
            cat3.sample(logits.copyOfRange(i * 8, i * 8 + 3), null, 1, arrayOf(rng), a, DoubleArray(1))
            together[i * 3] shouldBe a[0]
            rng.nextDouble() // the one-choice component still draws
            cat4.sample(logits.copyOfRange(i * 8 + 4, i * 8 + 8), null, 1, arrayOf(rng), a, DoubleArray(1))
            together[i * 3 + 2] shouldBe a[0]
            together[i * 3 + 1] shouldBe 0f
            val reference = SplittableRandom(50L + i).also { r -> repeat(3) { r.nextDouble() } }
            rng.nextLong() shouldBe reference.nextLong()
        }
    }

    test("MultiDiscreteHead sums its components' categorical log-probs and entropies") {
        val rng = SplittableRandom(9)
        val nvec = intArrayOf(3, 2, 4)
        val head = MultiDiscreteHead(*nvec)
        val logits = DoubleArray(9) { rng.nextDouble(-2.0, 2.0) }
        val mask = booleanArrayOf(true, false, true, true, true, false, true, true, true)
        val action = floatArrayOf(2f, 1f, 3f)
        val lp = DoubleArray(1); val h = DoubleArray(1)
        head.logProbAndEntropy(logits, null, mask, action, 1, lp, h)
        var sumLp = 0.0; var sumH = 0.0; var o = 0
        for ((c, n) in nvec.withIndex()) {
            val l1 = DoubleArray(1); val h1 = DoubleArray(1)
            CategoricalHead(n).logProbAndEntropy(logits.copyOfRange(o, o + n), null, mask.copyOfRange(o, o + n),
                floatArrayOf(action[c]), 1, l1, h1)
            sumLp += l1[0]; sumH += h1[0]; o += n
        }
        abs(lp[0] - sumLp) shouldBeLessThan 1e-15
        abs(h[0] - sumH) shouldBeLessThan 1e-15
    }

    test("the mode ignores a larger invalid logit; NaN behind the mask is not read") {
        val out = FloatArray(2)
        CategoricalHead(3).mode(doubleArrayOf(5.0, 1.0, 2.0, Double.NaN, 0.5, 0.5), null,
            booleanArrayOf(false, true, true, false, true, true), 2, out)
        out.toList() shouldBe listOf(2f, 1f) // first of the tied valid maxima
        val md = FloatArray(2)
        MultiDiscreteHead(2, 2).mode(doubleArrayOf(9.0, 0.0, Double.NaN, 1.0), null,
            booleanArrayOf(false, true, false, true), 1, md)
        md.toList() shouldBe listOf(1f, 1f)
    }

    test("a row with no valid action, an invalid stored action and a short mask fail naming the row") {
        val head = CategoricalHead(3)
        val logp = DoubleArray(2); val ent = DoubleArray(2)
        val logits = DoubleArray(6)
        shouldThrow<IllegalArgumentException> {
            head.logProbAndEntropy(logits, null, booleanArrayOf(true, false, false, false, false, false),
                floatArrayOf(0f, 0f), 2, logp, ent)
        }.message shouldContain "row 1 has no valid action"
        shouldThrow<IllegalArgumentException> {
            head.sample(logits, null, booleanArrayOf(true, true, true, false, false, false), 2,
                arrayOf(SplittableRandom(1), SplittableRandom(2)), FloatArray(2), logp)
        }.message shouldContain "row 1 has no valid action"
        shouldThrow<IllegalArgumentException> {
            head.backward(logits, null, booleanArrayOf(true, true, true, true, false, true), floatArrayOf(0f, 1f), 2,
                logp, ent, DoubleArray(6), null)
        }.message shouldContain "row 1 has action 1, which its mask [1, 0, 1] marks invalid"
        shouldThrow<IllegalArgumentException> {
            head.mode(logits, null, BooleanArray(5) { true }, 2, FloatArray(2))
        }.message shouldContain "mask has 5 entries but n = 2 rows need 6"
        shouldThrow<IllegalArgumentException> {
            MultiDiscreteHead(2, 2).logProbAndEntropy(DoubleArray(4), null, booleanArrayOf(true, true, false, false),
                floatArrayOf(0f, 0f), 1, DoubleArray(1), DoubleArray(1))
        }.message shouldContain "row 0, component 1 has no valid action"
        shouldThrow<IllegalArgumentException> {
            head.logProbAndEntropy(doubleArrayOf(Double.NEGATIVE_INFINITY, 0.0, Double.NEGATIVE_INFINITY), null,
                booleanArrayOf(true, false, true), floatArrayOf(0f), 1, logp, ent)
        }.message shouldContain "-inf for every valid action"
    }

    test("heads without masks reject one, and accept null") {
        val gaussian = DiagGaussianHead(1)
        gaussian.maskDim() shouldBe 0
        shouldThrow<IllegalArgumentException> {
            gaussian.sample(doubleArrayOf(0.0), doubleArrayOf(0.0), booleanArrayOf(true), 1,
                arrayOf<RandomGenerator>(SplittableRandom(1)), FloatArray(1), DoubleArray(1))
        }.message shouldContain "takes none"
        val out = FloatArray(1)
        gaussian.mode(doubleArrayOf(0.25), doubleArrayOf(0.0), null, 1, out)
        out[0] shouldBe 0.25f
        TanhGaussianHead(Box.of(-1f, 1f, 1)).maskDim() shouldBe 0
        CategoricalHead(4).maskDim() shouldBe 4
        MultiDiscreteHead(3, 2).let { listOf(it.policyDim(), it.actionDim(), it.maskDim(), it.logStdDim()) } shouldBe
            listOf(5, 2, 5, 0)
        shouldThrow<IllegalArgumentException> { MultiDiscreteHead(3, 0) }.message shouldContain "nvec[1] = 0"
        MultiDiscreteHead(3, 2).toString() shouldBe "MultiDiscreteHead(nvec = [3, 2])"
    }

    test("every head's methods, masked or not, allocate nothing per call") {
        val rows = 16
        for (head in listOf(CategoricalHead(6), MultiDiscreteHead(3, 4, 2),
                TanhGaussianHead(Box.of(-1f, 2f, 3), LogStdBound.tanh(-5.0, 2.0)), DiagGaussianHead(3, LogStdBound.clamp(-5.0, 2.0)))) {
            val rng = SplittableRandom(1)
            val logits = DoubleArray(rows * head.policyDim()) { rng.nextDouble(-1.0, 1.0) }
            val logStd = DoubleArray(head.logStdDim()) { -0.5 }
            val mask = if (head.maskDim() > 0) BooleanArray(rows * head.maskDim()) { it % 3 != 1 } else null
            val actions = FloatArray(rows * head.actionDim())
            val env = FloatArray(rows * head.actionDim())
            val logp = DoubleArray(rows); val ent = DoubleArray(rows); val w = DoubleArray(rows) { 0.3 }
            val grad = DoubleArray(logits.size); val dLogStd = DoubleArray(head.logStdDim())
            val rngs = Array<RandomGenerator>(rows) { SplittableRandom(it.toLong()) }
            fun round() {
                head.sample(logits, logStd, mask, rows, rngs, actions, logp)
                head.mode(logits, logStd, mask, rows, actions)
                head.logProbAndEntropy(logits, logStd, mask, actions, rows, logp, ent)
                head.backward(logits, logStd, mask, actions, rows, w, w, grad, dLogStd)
                head.envActions(actions, rows, env, 0)
            }
            val used = Allocation.steadyState(rounds = 1_000, budget = 1024) { round() }
            withClue("$head allocated $used bytes") { (used < 1024) shouldBe true }
        }
    }
})
