package dev.proxima.core.ppo

import dev.proxima.core.testing.ArrayGrads
import dev.proxima.core.testing.ArrayMinibatch
import dev.proxima.core.testing.ArrayOutputs
import dev.proxima.core.testing.FiniteDifference
import dev.proxima.core.testing.fixedSeed
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.property.Arb
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import java.util.OptionalDouble
import java.util.SplittableRandom
import kotlin.math.abs
import kotlin.math.exp

/** Random minibatch rows around a policy that moved a little (|log ratio| up to 0.6). */
private class Rows(seed: Long) {
    val rng = SplittableRandom(seed)
    val b = 1 + rng.nextInt(12)
    val oldLogp = DoubleArray(b) { rng.nextDouble(-3.0, 0.0) }
    val logp = DoubleArray(b) { oldLogp[it] + rng.nextDouble(-0.6, 0.6) }
    val adv = DoubleArray(b) { rng.nextGaussian() }
    val entropy = DoubleArray(b) { rng.nextDouble(0.0, 2.0) }
    val oldValues = DoubleArray(b) { rng.nextGaussian() }
    val values = DoubleArray(b) { oldValues[it] + rng.nextDouble(-0.6, 0.6) }
    val returns = DoubleArray(b) { rng.nextGaussian() }
    val mb = ArrayMinibatch(b, oldLogp, adv, returns, oldValues)
    val out = ArrayOutputs(b, logp, entropy, values)
}

/** Checks the gradient a term adds w.r.t. one per-row quantity against finite differences, skipping kinks. */
private fun checkTermGradient(label: String, term: LossTerm, rows: Rows, x: DoubleArray,
                              added: (ArrayGrads) -> DoubleArray, nearKink: (Int) -> Boolean = { false }) {
    val grads = ArrayGrads(rows.b)
    term.lossAndGrad(rows.mb, rows.out, grads)
    for (i in 0 until rows.b) {
        if (nearKink(i)) continue
        val numeric = FiniteDifference.partial(x, i) { term.lossAndGrad(rows.mb, rows.out, ArrayGrads(rows.b)) }
        FiniteDifference.assertMatches("$label row $i", added(grads)[i], numeric, 1e-7)
    }
}

class LossTermsTest : FunSpec({
    val ctx = LossContext(0.2, 1, 10)
    val cfg = fixedSeed(21, 300)

    test("ClippedSurrogate: gradient w.r.t. log-probabilities matches finite differences") {
        checkAll(cfg, Arb.long()) { seed ->
            val r = Rows(seed)
            for (clip in listOf(0.1, 0.2, 0.3)) {
                val nearKink = { i: Int ->
                    val ratio = exp(r.logp[i] - r.oldLogp[i])
                    abs(ratio - (1 - clip)) < 1e-4 || abs(ratio - (1 + clip)) < 1e-4
                }
                checkTermGradient("seed $seed clip $clip", ClippedSurrogate(clip), r, r.logp, { it.logProb }, nearKink)
            }
            checkTermGradient("seed $seed unclipped", ClippedSurrogate.unclipped(), r, r.logp, { it.logProb })
        }
    }

    test("ValueLoss: plain and clipped gradients w.r.t. values match finite differences") {
        checkAll(cfg, Arb.long()) { seed ->
            val r = Rows(seed)
            checkTermGradient("seed $seed plain", ValueLoss(0.5, false), r, r.values, { it.value })
            val clip = 0.2
            val nearKink = { i: Int ->
                val change = r.values[i] - r.oldValues[i]
                val vClip = ValueLoss.clippedValue(r.values[i], r.oldValues[i], clip)
                abs(abs(change) - clip) < 1e-4 ||
                    (abs(change) > clip && abs((r.values[i] - r.returns[i]) + (vClip - r.returns[i])) < 1e-4)
            }
            checkTermGradient("seed $seed clipped", ValueLoss().also { it.beginUpdate(ctx) }, r, r.values, { it.value }, nearKink)
        }
    }

    test("EntropyBonus and KlPenalty: gradients match finite differences") {
        checkAll(cfg, Arb.long()) { seed ->
            val r = Rows(seed)
            checkTermGradient("seed $seed entropy", EntropyBonus(), r, r.entropy, { it.entropy })
            checkTermGradient("seed $seed kl", KlPenalty(), r, r.logp, { it.logProb })
        }
    }

    test("each term writes only its own gradient slot") {
        val r = Rows(3)
        val terms = listOf(ClippedSurrogate(0.2), ValueLoss().also { it.beginUpdate(ctx) }, EntropyBonus(), KlPenalty())
        val slots = listOf("logProb", "value", "entropy", "logProb")
        for ((term, slot) in terms.zip(slots)) {
            val g = ArrayGrads(r.b)
            term.lossAndGrad(r.mb, r.out, g)
            val bySlot = mapOf("logProb" to g.logProb, "value" to g.value, "entropy" to g.entropy)
            for ((name, arr) in bySlot) if (name != slot) arr.all { it == 0.0 } shouldBe true
        }
    }

    test("ClippedSurrogate: the clip comes from the constructor or from the run at beginUpdate") {
        val r = Rows(8)
        val fromRun = ClippedSurrogate()
        fromRun.clip() shouldBe OptionalDouble.empty()
        shouldThrow<IllegalStateException> { fromRun.lossAndGrad(r.mb, r.out, ArrayGrads(r.b)) }.message shouldContain "beginUpdate"
        fromRun.beginUpdate(LossContext(0.1, 1, 1))
        fromRun.lossAndGrad(r.mb, r.out, ArrayGrads(r.b)) shouldBe ClippedSurrogate(0.1).lossAndGrad(r.mb, r.out, ArrayGrads(r.b))
        val fixed = ClippedSurrogate(0.3)
        fixed.beginUpdate(LossContext(0.1, 1, 1)) // the explicit clip wins
        fixed.lossAndGrad(r.mb, r.out, ArrayGrads(r.b)) shouldBe ClippedSurrogate(0.3).lossAndGrad(r.mb, r.out, ArrayGrads(r.b))
        fixed.clip() shouldBe OptionalDouble.of(0.3)
        fixed.toString() shouldBe "ClippedSurrogate(clip = 0.3)"
        fromRun.toString() shouldBe "ClippedSurrogate(clip = run's clip)"
        fixed.key() shouldBe "losses/policy_loss"
        fixed.weight(ctx) shouldBe 1.0
    }

    test("ClippedSurrogate: ratio 1 (first epoch) gives -mean(A) and gradient -A/B; unclipped() never clips") {
        val b = 4
        val adv = doubleArrayOf(1.0, -2.0, 0.5, 3.0)
        val logp = doubleArrayOf(-0.1, -0.2, -0.3, -0.4)
        val mb = ArrayMinibatch(b, logp.copyOf(), adv)
        val g = ArrayGrads(b)
        ClippedSurrogate(0.2).lossAndGrad(mb, ArrayOutputs(b, logp), g) shouldBe -adv.sum() / b
        g.logProb.toList() shouldBe adv.map { -it / b }
        // far outside the clip range: the clipped objective has zero gradient where it binds, L^CPI never does
        val moved = DoubleArray(b) { logp[it] + 1.0 }
        val clippedGrads = ArrayGrads(b)
        ClippedSurrogate(0.2).lossAndGrad(mb, ArrayOutputs(b, moved), clippedGrads)
        clippedGrads.logProb.toList() shouldBe listOf(0.0, -adv[1] * exp(1.0) / b, 0.0, 0.0)
        val cpi = ArrayGrads(b)
        ClippedSurrogate.unclipped().lossAndGrad(mb, ArrayOutputs(b, moved), cpi)
        cpi.logProb.toList() shouldBe adv.map { -it * exp(1.0) / b }
    }

    test("ValueLoss and EntropyBonus weights; annealing follows LossContext.frac()") {
        ValueLoss().weight(ctx) shouldBe 0.5
        ValueLoss(1.5, false).weight(ctx) shouldBe 1.5
        EntropyBonus().weight(ctx) shouldBe -0.01
        val annealed = EntropyBonus(0.02, true)
        annealed.weight(LossContext(0.2, 1, 10)) shouldBe -0.02
        annealed.weight(LossContext(0.2, 6, 10)) shouldBe -0.02 * 0.5
        annealed.weight(LossContext(0.2, 10, 10)) shouldBe -0.02 * (1.0 - 9.0 / 10.0)
        ValueLoss().toString() shouldBe "ValueLoss(coef = 0.5, clipped = true)"
        annealed.toString() shouldBe "EntropyBonus(coef = 0.02, anneal = true)"
        listOf(ValueLoss().key(), EntropyBonus().key(), KlPenalty().key()) shouldBe
            listOf("losses/value_loss", "losses/entropy", "losses/kl_penalty")
    }

    test("ValueLoss(clipped) needs beginUpdate; with clip = +inf it equals the plain loss") {
        val r = Rows(17)
        shouldThrow<IllegalStateException> { ValueLoss().lossAndGrad(r.mb, r.out, ArrayGrads(r.b)) }
        val inf = ValueLoss().also { it.beginUpdate(LossContext(Double.POSITIVE_INFINITY, 1, 1)) }
        val plain = ValueLoss(0.5, false)
        val g1 = ArrayGrads(r.b)
        val g2 = ArrayGrads(r.b)
        inf.lossAndGrad(r.mb, r.out, g1) shouldBe plain.lossAndGrad(r.mb, r.out, g2)
        g1.value.toList() shouldBe g2.value.toList()
    }

    test("KlPenalty: value is the k3 estimate; beta adapts as in Schulman et al. 2017 section 4") {
        val b = 2
        val oldLogp = doubleArrayOf(-1.0, -2.0)
        val logp = doubleArrayOf(-0.8, -2.3)
        val kl = KlPenalty()
        val value = kl.lossAndGrad(ArrayMinibatch(b, oldLogp), ArrayOutputs(b, logp), ArrayGrads(b))
        value shouldBe ((exp(0.2) - 1 - 0.2) + (exp(-0.3) - 1 + 0.3)) / 2
        kl.beta() shouldBe 1.0
        kl.weight(ctx) shouldBe 1.0
        kl.endUpdate(ctx, 0.001) // < 0.01/1.5
        kl.beta() shouldBe 0.5
        kl.endUpdate(ctx, 0.01) // within [d/1.5, 1.5 d]
        kl.beta() shouldBe 0.5
        kl.endUpdate(ctx, 0.016) // > 0.015
        kl.endUpdate(ctx, 0.05)
        kl.beta() shouldBe 2.0
        kl.weight(ctx) shouldBe 2.0
        kl.endUpdate(ctx, Double.NaN) // a diverged update does not corrupt beta
        kl.beta() shouldBe 2.0

        val state = kl.state()
        state shouldBe mapOf("beta" to 2.0)
        val restored = KlPenalty()
        restored.restoreState(state)
        restored.beta() shouldBe 2.0
        shouldThrow<IllegalArgumentException> { restored.restoreState(mapOf()) }.message shouldContain "beta"
        shouldThrow<IllegalArgumentException> { restored.restoreState(mapOf("beta" to -1.0)) }.message shouldContain "-1.0"

        val fixed = KlPenalty.fixed(0.3)
        fixed.endUpdate(ctx, 1.0)
        fixed.beta() shouldBe 0.3
        fixed.toString() shouldBe "KlPenalty(beta = 0.3, fixed)"
        KlPenalty().toString() shouldBe "KlPenalty(beta = 1.0, targetKl = 0.01, adaptive)"
    }

    test("invalid coefficients fail with the value and a fix") {
        shouldThrow<IllegalArgumentException> { ClippedSurrogate(0.0) }.message shouldContain "clip = 0.0"
        shouldThrow<IllegalArgumentException> { ClippedSurrogate(Double.NaN) }.message shouldContain "clip = NaN"
        shouldThrow<IllegalArgumentException> { ClippedSurrogate().beginUpdate(LossContext(-0.2, 1, 1)) }
            .message shouldContain "clip = -0.2"
        shouldThrow<IllegalArgumentException> { ClippedSurrogate().beginUpdate(LossContext(Double.POSITIVE_INFINITY, 1, 1)) }
            .message shouldContain "run's configured clip"
        shouldThrow<IllegalArgumentException> { ValueLoss(-1.0, true) }.message shouldContain "coef (vfCoef) = -1.0"
        shouldThrow<IllegalArgumentException> { ValueLoss(Double.POSITIVE_INFINITY, true) }.message shouldContain "0.5"
        shouldThrow<IllegalArgumentException> { EntropyBonus(Double.NaN, false) }.message shouldContain "coef (entCoef) = NaN"
        shouldThrow<IllegalArgumentException> { KlPenalty(0.0, 0.01) }.message shouldContain "beta = 0.0"
        shouldThrow<IllegalArgumentException> { KlPenalty(1.0, -0.01) }.message shouldContain "targetKl = -0.01"
        shouldThrow<IllegalArgumentException> { KlPenalty.fixed(-1.0) }.message shouldContain "beta = -1.0"
        shouldThrow<IllegalArgumentException> { EntropyBonus().lossAndGrad(ArrayMinibatch(0), ArrayOutputs(0), ArrayGrads(0)) }
            .message shouldContain "size 0"
    }
})
