package dev.proxima.core.dist

import dev.proxima.core.space.Box
import dev.proxima.core.testing.FiniteDifference
import dev.proxima.core.testing.fixedSeed
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.property.Arb
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import java.util.SplittableRandom
import java.util.random.RandomGenerator
import kotlin.math.abs
import kotlin.math.exp
import kotlin.math.ln
import kotlin.math.tanh

private val BOUNDS = listOf(LogStdBound.NONE, LogStdBound.clamp(-1.0, 0.5), LogStdBound.tanh(-5.0, 2.0))

/** Central differences of sum(wl*logp + we*H) w.r.t. the means and the raw log-stds must match backward. */
private fun checkGradients(head: PolicyHead, bound: LogStdBound, seed: Long) {
    val rng = SplittableRandom(seed)
    val d = head.actionDim()
    val rows = 1 + rng.nextInt(4)
    val means = DoubleArray(rows * d) { rng.nextDouble(-1.5, 1.5) }
    // keep clamped parameters off the kinks at -1 and 0.5, where the one-sided derivatives differ
    val raw = DoubleArray(d) { listOf(-1.6, -0.4, 0.2, 0.9)[rng.nextInt(4)] + rng.nextDouble(-0.05, 0.05) }
    // actions within a few σ of the mean keep |log π| moderate, so the differences are not lost to rounding
    val actions = FloatArray(rows * d) { means[it].plus(exp(bound.apply(raw[it % d])) * rng.nextDouble(-3.0, 3.0)).toFloat() }
    val wl = DoubleArray(rows) { rng.nextDouble(-2.0, 2.0) }
    val we = DoubleArray(rows) { rng.nextDouble(-2.0, 2.0) }
    val logp = DoubleArray(rows)
    val ent = DoubleArray(rows)
    val objective = {
        head.logProbAndEntropy(means, raw, actions, rows, logp, ent)
        (0 until rows).sumOf { wl[it] * logp[it] + we[it] * ent[it] }
    }
    val dMeans = DoubleArray(rows * d)
    val dRaw = DoubleArray(d)
    head.backward(means, raw, actions, rows, wl, we, dMeans, dRaw)
    for (k in means.indices) {
        FiniteDifference.assertMatches("$head seed $seed mean $k", dMeans[k], FiniteDifference.partial(means, k, f = objective))
    }
    for (j in raw.indices) {
        FiniteDifference.assertMatches("$head seed $seed raw log_std $j", dRaw[j], FiniteDifference.partial(raw, j, f = objective))
    }
}

class TanhGaussianHeadTest : FunSpec({

    test("backward matches finite differences for both Gaussian heads and every log_std bound") {
        checkAll(fixedSeed(31, 120), Arb.long()) { seed ->
            val d = 1 + SplittableRandom(seed).nextInt(3)
            val box = Box.of(FloatArray(d) { -2f + it }, FloatArray(d) { 1f + 2f * it })
            for (bound in BOUNDS) {
                checkGradients(TanhGaussianHead(box, bound), bound, seed)
                checkGradients(DiagGaussianHead(d, bound), bound, seed)
            }
        }
    }

    test("the squashed density integrates to 1 over the box (change of variables)") {
        for ((mean, logStd) in listOf(0.3 to -0.5, -1.2 to 0.4, 2.5 to 0.0)) {
            val head = TanhGaussianHead(Box.of(-3f, 5f, 1))
            // ∫ π(a) da = ∫ π(a(u)) a'(u) du with a'(u) = 4·(1 - tanh² u), by the trapezoid rule on a fine u grid
            val sigma = exp(logStd)
            val steps = 20_000
            val lo = mean - 12 * sigma
            val h = 24 * sigma / steps
            val us = FloatArray(steps + 1) { (lo + it * h).toFloat() }
            val logp = DoubleArray(steps + 1)
            head.logProbAndEntropy(DoubleArray(steps + 1) { mean }, doubleArrayOf(logStd), us, steps + 1, logp,
                DoubleArray(steps + 1))
            var integral = 0.0
            for (i in 0..steps) {
                val u = us[i].toDouble()
                val w = if (i == 0 || i == steps) 0.5 else 1.0
                integral += w * exp(logp[i]) * 4.0 * (1 - tanh(u) * tanh(u)) * h
            }
            abs(integral - 1.0) shouldBeLessThan 1e-4 // grid u values are rounded to float32
        }
    }

    test("log(1 - tanh²u) is exact where the naive form works and finite where it gives -inf") {
        for (u in listOf(-4.0, -1.3, -0.2, 0.0, 0.7, 2.9, 4.4)) {
            val naive = ln(1 - tanh(u) * tanh(u))
            abs(TanhGaussianHead.logOneMinusTanhSquared(u) - naive) shouldBeLessThan 1e-12
        }
        for (u in listOf(19.5, 25.0, 100.0, 700.0)) {
            ln(1 - tanh(u) * tanh(u)) shouldBe Double.NEGATIVE_INFINITY
            // 1 - tanh²u = 4/(e^u + e^-u)² ≈ 4e^{-2u}, so the log is 2 ln 2 - 2u up to e^{-2u}
            abs(TanhGaussianHead.logOneMinusTanhSquared(u) - (2 * ln(2.0) - 2 * u)) shouldBeLessThan 1e-12 * u
            abs(TanhGaussianHead.logOneMinusTanhSquared(-u) - (2 * ln(2.0) - 2 * u)) shouldBeLessThan 1e-12 * u
        }
        val head = TanhGaussianHead(Box.of(-1f, 1f, 1))
        val logp = DoubleArray(2)
        head.logProbAndEntropy(doubleArrayOf(0.0, 0.0), doubleArrayOf(0.0), floatArrayOf(40f, -40f), 2, logp, DoubleArray(2))
        logp.all { it.isFinite() } shouldBe true
    }

    test("env actions are inside the box for any stored value, and the first epoch's ratio is exactly 1") {
        val box = Box.of(floatArrayOf(-2f, 0f, 10f), floatArrayOf(2f, 1f, 10.5f))
        val head = TanhGaussianHead(box, LogStdBound.clamp(-20.0, 2.0))
        val rows = 5_000
        val rng = SplittableRandom(4)
        val means = DoubleArray(rows * 3) { rng.nextDouble(-30.0, 30.0) }
        val raw = doubleArrayOf(1.5, -0.5, 0.0)
        val actions = FloatArray(rows * 3)
        val logp = DoubleArray(rows)
        head.sample(means, raw, rows, Array<RandomGenerator>(rows) { rng }, actions, logp)
        val env = FloatArray(rows * 3)
        head.envActions(actions, rows, env, 0)
        for (i in 0 until rows) box.contains(env.copyOfRange(i * 3, i * 3 + 3)) shouldBe true
        val again = DoubleArray(rows)
        head.logProbAndEntropy(means, raw, actions, rows, again, DoubleArray(rows))
        again.toList() shouldBe logp.toList()
        val out = FloatArray(4)
        TanhGaussianHead(Box.of(-1f, 1f, 1)).envActions(floatArrayOf(Float.MAX_VALUE, -Float.MAX_VALUE, 0f, Float.NaN), 4, out, 0)
        out.take(3) shouldBe listOf(1f, -1f, 0f)
        out[3].isNaN() shouldBe true // NaN reaches the env's checks instead of becoming a legal action
        val mode = FloatArray(3)
        head.mode(doubleArrayOf(0.25, -0.5, 3.0), raw, 1, mode)
        mode.toList() shouldBe listOf(0.25f, -0.5f, 3f) // u = μ; the env gets g(μ)
    }

    test("the entropy is the pre-squash Gaussian's: it does not depend on the box or the means") {
        val h = DoubleArray(1)
        val raw = doubleArrayOf(-0.3, 0.8)
        TanhGaussianHead(Box.of(-1f, 1f, 2)).logProbAndEntropy(doubleArrayOf(0.0, 0.0), raw, floatArrayOf(0f, 0f), 1,
            DoubleArray(1), h)
        val g = DoubleArray(1)
        DiagGaussianHead(2).logProbAndEntropy(doubleArrayOf(5.0, -2.0), raw, floatArrayOf(1f, 1f), 1, DoubleArray(1), g)
        h[0] shouldBe g[0]
    }

    test("a bounded log_std keeps the log-probability finite where the unbounded one is not") {
        val raw = doubleArrayOf(-800.0) // σ = exp(-800) underflows to 0
        val logp = DoubleArray(1)
        DiagGaussianHead(1).logProbAndEntropy(doubleArrayOf(0.0), raw, floatArrayOf(0.5f), 1, logp, DoubleArray(1))
        logp[0].isFinite() shouldBe false
        for (bound in listOf(LogStdBound.clamp(-20.0, 2.0), LogStdBound.tanh(-20.0, 2.0))) {
            val grad = DoubleArray(1)
            val dRaw = DoubleArray(1)
            DiagGaussianHead(1, bound).logProbAndEntropy(doubleArrayOf(0.0), raw, floatArrayOf(0.5f), 1, logp,
                DoubleArray(1))
            logp[0].isFinite() shouldBe true
            DiagGaussianHead(1, bound).backward(doubleArrayOf(0.0), raw, floatArrayOf(0.5f), 1, doubleArrayOf(1.0),
                doubleArrayOf(1.0), grad, dRaw)
            grad[0].isFinite() shouldBe true
            dRaw[0] shouldBe 0.0 // far outside: no gradient (clamp), or a vanished one (tanh)
        }
    }

    test("boxes that cannot be squashed and bad options are rejected with the reason") {
        shouldThrow<IllegalArgumentException> { TanhGaussianHead(Box.of(-1f, Float.POSITIVE_INFINITY, 2)) }
            .message shouldContain "finite low < high"
        shouldThrow<IllegalArgumentException> { TanhGaussianHead(Box.of(floatArrayOf(0f, 1f), floatArrayOf(1f, 1f))) }
            .message shouldContain "entry 1 in [1.0, 1.0]"
        shouldThrow<IllegalArgumentException> {
            Heads.forActionSpace(Box.of(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, 1),
                HeadOptions.DEFAULTS.withContinuous(ContinuousActions.TANH))
        }.message shouldContain "ContinuousActions.CLIP"
        val head = Heads.forActionSpace(Box.of(-2f, 2f, 2), HeadOptions(ContinuousActions.TANH, LogStdBound.clamp(-5.0, 1.0)))
        head.shouldBeInstanceOf<TanhGaussianHead>().logStdBound() shouldBe LogStdBound.clamp(-5.0, 1.0)
        head.toString() shouldBe "TanhGaussianHead(Box(-2.0, 2.0, (2,), float32), logStd clamp(-5.0, 1.0))"
        Heads.forActionSpace(Box.of(-2f, 2f, 2), HeadOptions.DEFAULTS.withLogStdBound(LogStdBound.tanh(-5.0, 2.0)))
            .shouldBeInstanceOf<DiagGaussianHead>().logStdBound() shouldBe LogStdBound.tanh(-5.0, 2.0)
        shouldThrow<IllegalArgumentException> {
            TanhGaussianHead(Box.of(-1f, 1f, 1)).logProbAndEntropy(doubleArrayOf(0.0), doubleArrayOf(Double.NaN),
                floatArrayOf(0f), 1, DoubleArray(1), DoubleArray(1))
        }.message shouldContain "log_std[0] = NaN"
    }
})

class LogStdBoundTest : FunSpec({

    test("derivative matches finite differences of apply away from the clamp's kinks") {
        val rng = SplittableRandom(8)
        repeat(500) {
            val raw = rng.nextDouble(-8.0, 8.0)
            for (bound in BOUNDS) {
                if (bound.kind() == LogStdBound.Kind.CLAMP && (abs(raw - bound.min()) < 1e-3 || abs(raw - bound.max()) < 1e-3)) continue
                val x = doubleArrayOf(raw)
                FiniteDifference.assertMatches("$bound at $raw", bound.derivative(raw),
                    FiniteDifference.partial(x, 0) { bound.apply(x[0]) })
            }
        }
    }

    test("clamp passes the gradient on [min, max] inclusive (as torch.clamp) and blocks it outside") {
        val b = LogStdBound.clamp(-5.0, 2.0)
        listOf(-5.0, 0.0, 2.0).map(b::derivative) shouldBe listOf(1.0, 1.0, 1.0)
        listOf(-5.000001, 2.000001).map(b::derivative) shouldBe listOf(0.0, 0.0)
        listOf(-9.0, 1.5, 3.0).map(b::apply) shouldBe listOf(-5.0, 1.5, 2.0)
    }

    test("tanh stays strictly inside and rawFor inverts apply (the initial log_std keeps its meaning)") {
        val b = LogStdBound.tanh(-5.0, 2.0)
        b.apply(0.0) shouldBe -1.5
        for (ls in listOf(-4.9, -1.0, 0.0, 1.9)) abs(b.apply(b.rawFor(ls)) - ls) shouldBeLessThan 1e-12
        (b.apply(-50.0) >= -5.0 && b.apply(50.0) <= 2.0) shouldBe true
        b.derivative(0.0) shouldBe 3.5
        shouldThrow<IllegalArgumentException> { b.rawFor(2.0) }.message shouldContain "tanh reaches neither end"
        LogStdBound.clamp(-5.0, 2.0).rawFor(0.5) shouldBe 0.5
        LogStdBound.NONE.rawFor(-0.3) shouldBe -0.3
    }

    test("the stable names round-trip through parse") {
        for (b in BOUNDS + LogStdBound.clamp(-20.0, 2.0)) LogStdBound.parse(b.toString()) shouldBe b
        LogStdBound.NONE.toString() shouldBe "none"
        LogStdBound.clamp(-20.0, 2.0).toString() shouldBe "clamp(-20.0, 2.0)"
        LogStdBound.parse(" TANH(-5, 2) ") shouldBe LogStdBound.tanh(-5.0, 2.0)
        ContinuousActions.fromId("Tanh") shouldBe ContinuousActions.TANH
        ContinuousActions.CLIP.toString() shouldBe "clip"
        HeadOptions.DEFAULTS.toString() shouldBe "continuous=clip, logStdBound=none"
        shouldThrow<IllegalArgumentException> { LogStdBound.parse("clamp(-5)") }.message shouldContain "cannot read 'clamp(-5)'"
        shouldThrow<IllegalArgumentException> { LogStdBound.clamp(2.0, -5.0) }.message shouldContain "finite min < max"
        shouldThrow<IllegalArgumentException> { ContinuousActions.fromId("squash") }.message shouldContain "use clip or tanh"
    }
})
