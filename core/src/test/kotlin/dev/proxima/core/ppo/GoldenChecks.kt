package dev.proxima.core.ppo

import dev.proxima.core.dist.CategoricalHead
import dev.proxima.core.dist.DiagGaussianHead
import dev.proxima.core.testing.ArrayGrads
import dev.proxima.core.testing.ArrayMinibatch
import dev.proxima.core.testing.ArrayOutputs
import dev.proxima.core.testing.assertAllClose
import dev.proxima.core.testing.assertClose
import dev.proxima.core.testing.flat
import dev.proxima.core.testing.flatBooleans
import dev.proxima.core.testing.int
import dev.proxima.core.testing.num
import dev.proxima.core.testing.obj
import dev.proxima.core.testing.vec

/*
 * One checker per golden file: each runs our code on a case's inputs and compares every output field of the case
 * (except the informational `fd_check_max_abs_err` and `unclipped_term_is_max`), throwing AssertionError on the
 * first mismatch. GoldenTest runs them on every case; GoldenMutationTest shows each field is really compared.
 */

/** Output fields that describe the generator rather than the math; not compared. */
val INFORMATIONAL_FIELDS = setOf("fd_check_max_abs_err", "unclipped_term_is_max")

/** Both policy-loss variants in the golden files. */
private val ADVANTAGE_VARIANTS = listOf("raw_advantages", "normalized_advantages")

/** The two ways to configure the clip range: explicitly, and from the run's config via beginUpdate. */
private fun surrogates(clip: Double): List<Pair<String, ClippedSurrogate>> = listOf(
    "ClippedSurrogate($clip)" to ClippedSurrogate(clip),
    "ClippedSurrogate() + ctx" to ClippedSurrogate().also { it.beginUpdate(LossContext(clip, 1, 1)) },
)

fun checkGaeCase(label: String, c: Map<String, Any?>) {
    val t = c.int("T")
    val n = c.int("N")
    val inp = c.obj("inputs")
    val out = c.obj("outputs")
    val rewards = inp.flat("rewards")
    val values = inp.flat("values")
    val terminated = inp.flatBooleans("terminated")
    val truncated = inp.flatBooleans("truncated")
    val finalValues = inp.flat("final_values")
    val nextValue = inp.vec("next_value")
    for ((mode, suffix) in listOf(Gae.Truncation.BOOTSTRAP to "", Gae.Truncation.TREAT_AS_TERMINATION to "_no_truncation_bootstrap")) {
        val adv = DoubleArray(t * n)
        val ret = DoubleArray(t * n)
        Gae.compute(t, n, rewards, values, terminated, truncated, finalValues, nextValue, c.num("gamma"),
            c.num("lambda"), mode, adv, ret)
        assertAllClose("$label advantages$suffix", out.flat("advantages$suffix"), adv)
        assertAllClose("$label returns$suffix", out.flat("returns$suffix"), ret)
    }
}

fun checkCategoricalCase(label: String, c: Map<String, Any?>) {
    val b = c.int("B")
    val a = c.int("A")
    val clip = c.num("clip_coef")
    val inp = c.obj("inputs")
    val out = c.obj("outputs")
    val logits = inp.flat("logits")
    val actions = inp.vec("actions").map { it.toFloat() }.toFloatArray()
    val oldLogp = inp.vec("old_logp")
    val head = CategoricalHead(a)

    val logp = DoubleArray(b)
    val entropy = DoubleArray(b)
    head.logProbAndEntropy(logits, null, actions, b, logp, entropy)
    assertAllClose("$label new_logp", out.vec("new_logp"), logp)
    assertAllClose("$label logratio", out.vec("logratio"), DoubleArray(b) { logp[it] - oldLogp[it] })
    assertAllClose("$label ratio", out.vec("ratio"), DoubleArray(b) { KlStats.ratio(logp[it], oldLogp[it]) })
    assertAllClose("$label entropy", out.vec("entropy"), entropy)

    // probs[b][k] = exp(log π(k|s_b)), read through the head one action at a time
    val probs = DoubleArray(b * a)
    val scratchLogp = DoubleArray(b)
    val scratchEnt = DoubleArray(b)
    for (k in 0 until a) {
        head.logProbAndEntropy(logits, null, FloatArray(b) { k.toFloat() }, b, scratchLogp, scratchEnt)
        for (i in 0 until b) probs[i * a + k] = Math.exp(scratchLogp[i])
    }
    assertAllClose("$label probs", out.flat("probs"), probs)

    val stats = KlStats.of(logp, oldLogp, b, clip)
    assertClose("$label old_approx_kl", out.num("old_approx_kl"), stats.oldApproxKl)
    assertClose("$label approx_kl", out.num("approx_kl"), stats.approxKl)
    assertClose("$label clipfrac", out.num("clipfrac"), stats.clipFrac)

    // Entropy bonus value and d(mean entropy)/d logits through EntropyBonus then the head.
    val outputs = ArrayOutputs(b, logProb = logp, entropy = entropy)
    val entGrads = ArrayGrads(b)
    val entMean = EntropyBonus(0.01, false).lossAndGrad(ArrayMinibatch(b, oldLogProb = oldLogp), outputs, entGrads)
    assertClose("$label entropy_mean", out.num("entropy_mean"), entMean)
    val dLogits = DoubleArray(b * a)
    head.backward(logits, null, actions, b, entGrads.logProb, entGrads.entropy, dLogits, null)
    assertAllClose("$label entropy_mean_grad_logits", out.flat("entropy_mean_grad_logits"), dLogits)

    for (variant in ADVANTAGE_VARIANTS) {
        val v = out.obj(variant)
        val adv = inp.vec("advantages")
        if (variant == "normalized_advantages") {
            Advantages.normalize(adv)
            assertAllClose("$label $variant advantages_used", v.vec("advantages_used"), adv)
        }
        val mb = ArrayMinibatch(b, oldLogProb = oldLogp, advantages = adv)
        for ((name, term) in surrogates(clip)) {
            val grads = ArrayGrads(b)
            val loss = term.lossAndGrad(mb, outputs, grads)
            assertClose("$label $variant $name pg_loss", v.num("pg_loss"), loss)
            head.backward(logits, null, actions, b, grads.logProb, grads.entropy, dLogits, null)
            assertAllClose("$label $variant $name pg_loss_grad_logits", v.flat("pg_loss_grad_logits"), dLogits)
            assertAllClose("$label $variant $name entropy grads", DoubleArray(b), grads.entropy, 0.0, 0.0)
            assertAllClose("$label $variant $name value grads", DoubleArray(b), grads.value, 0.0, 0.0)
        }
    }
}

fun checkGaussianCase(label: String, c: Map<String, Any?>) {
    val b = c.int("B")
    val d = c.int("D")
    val clip = c.num("clip_coef")
    val inp = c.obj("inputs")
    val out = c.obj("outputs")
    val mean = inp.flat("mean")
    val logStd = inp.vec("log_std")
    val actions = inp.flat("actions") // float64: the golden actions are not float32 values
    val oldLogp = inp.vec("old_logp")
    val head = DiagGaussianHead(d)

    val logp = DoubleArray(b)
    val entropy = DoubleArray(b)
    head.logProbAndEntropy(mean, logStd, actions, b, logp, entropy)
    assertAllClose("$label new_logp", out.vec("new_logp"), logp)
    assertAllClose("$label logratio", out.vec("logratio"), DoubleArray(b) { logp[it] - oldLogp[it] })
    assertAllClose("$label ratio", out.vec("ratio"), DoubleArray(b) { KlStats.ratio(logp[it], oldLogp[it]) })
    assertAllClose("$label entropy", out.vec("entropy"), entropy)

    val stats = KlStats.of(logp, oldLogp, b, clip)
    assertClose("$label old_approx_kl", out.num("old_approx_kl"), stats.oldApproxKl)
    assertClose("$label approx_kl", out.num("approx_kl"), stats.approxKl)
    assertClose("$label clipfrac", out.num("clipfrac"), stats.clipFrac)

    val outputs = ArrayOutputs(b, logProb = logp, entropy = entropy)
    val entGrads = ArrayGrads(b)
    val entMean = EntropyBonus().lossAndGrad(ArrayMinibatch(b, oldLogProb = oldLogp), outputs, entGrads)
    assertClose("$label entropy_mean", out.num("entropy_mean"), entMean)
    val dMean = DoubleArray(b * d)
    val dLogStd = DoubleArray(d)
    head.backward(mean, logStd, actions, b, entGrads.logProb, entGrads.entropy, dMean, dLogStd)
    assertAllClose("$label entropy_mean_grad_mean", out.flat("entropy_mean_grad_mean"), dMean)
    assertAllClose("$label entropy_mean_grad_log_std", out.vec("entropy_mean_grad_log_std"), dLogStd)

    for (variant in ADVANTAGE_VARIANTS) {
        val v = out.obj(variant)
        val adv = inp.vec("advantages")
        if (variant == "normalized_advantages") {
            Advantages.normalize(adv)
            assertAllClose("$label $variant advantages_used", v.vec("advantages_used"), adv)
        }
        val mb = ArrayMinibatch(b, oldLogProb = oldLogp, advantages = adv)
        for ((name, term) in surrogates(clip)) {
            val grads = ArrayGrads(b)
            val loss = term.lossAndGrad(mb, outputs, grads)
            assertClose("$label $variant $name pg_loss", v.num("pg_loss"), loss)
            head.backward(mean, logStd, actions, b, grads.logProb, grads.entropy, dMean, dLogStd)
            assertAllClose("$label $variant $name pg_loss_grad_mean", v.flat("pg_loss_grad_mean"), dMean)
            assertAllClose("$label $variant $name pg_loss_grad_log_std", v.vec("pg_loss_grad_log_std"), dLogStd)
        }
    }
}

fun checkValueLossCase(label: String, c: Map<String, Any?>) {
    val b = c.int("B")
    val clip = c.num("clip_coef")
    val inp = c.obj("inputs")
    val out = c.obj("outputs")
    val newValues = inp.vec("new_values")
    val oldValues = inp.vec("old_values")
    val mb = ArrayMinibatch(b, returns = inp.vec("returns"), oldValues = oldValues)
    val outputs = ArrayOutputs(b, values = newValues)
    val ctx = LossContext(clip, 1, 1)

    val plain = ValueLoss(0.5, false).also { it.beginUpdate(ctx) }
    val plainGrads = ArrayGrads(b)
    assertClose("$label v_loss_plain", out.num("v_loss_plain"), plain.lossAndGrad(mb, outputs, plainGrads))
    assertAllClose("$label v_loss_plain_grad_new_values", out.vec("v_loss_plain_grad_new_values"), plainGrads.value)

    assertAllClose("$label v_clipped", out.vec("v_clipped"),
        DoubleArray(b) { ValueLoss.clippedValue(newValues[it], oldValues[it], clip) })
    val clipped = ValueLoss().also { it.beginUpdate(ctx) }
    val clippedGrads = ArrayGrads(b)
    assertClose("$label v_loss_clipped", out.num("v_loss_clipped"), clipped.lossAndGrad(mb, outputs, clippedGrads))
    assertAllClose("$label v_loss_clipped_grad_new_values", out.vec("v_loss_clipped_grad_new_values"),
        clippedGrads.value)
    for (g in listOf(plainGrads, clippedGrads)) {
        assertAllClose("$label logProb grads", DoubleArray(b), g.logProb, 0.0, 0.0)
        assertAllClose("$label entropy grads", DoubleArray(b), g.entropy, 0.0, 0.0)
    }
}

fun checkExplainedVarianceCase(label: String, c: Map<String, Any?>) {
    val inp = c.obj("inputs")
    assertClose("$label explained_variance", c.obj("outputs").num("explained_variance"),
        ExplainedVariance.of(inp.vec("values"), inp.vec("returns")))
}

/** A readable name for case [i] of a golden file. */
fun caseLabel(file: String, i: Int, c: Map<String, Any?>): String =
    "$file[$i]" + ((c["tag"] ?: c["name"])?.let { " $it" } ?: "")
