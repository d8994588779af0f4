package dev.proxima.core.ppo

import dev.proxima.core.testing.ArrayMinibatch
import dev.proxima.core.testing.ArrayOutputs
import dev.proxima.core.testing.fixedSeed
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThanOrEqual
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.property.Arb
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import java.util.SplittableRandom
import kotlin.math.abs
import kotlin.math.sqrt

class StatsTest : FunSpec({
    val cfg = fixedSeed(41, 200)

    test("normalized advantages have mean 0 and sample std ~1; only the given range changes") {
        checkAll(cfg, Arb.long()) { seed ->
            val rng = SplittableRandom(seed)
            val n = 2 + rng.nextInt(64)
            val scale = rng.nextDouble(0.1, 100.0)
            val a = DoubleArray(n + 2) { rng.nextGaussian() * scale + 3.0 }
            val before = a.copyOf()
            Advantages.normalize(a, 1, n)
            a[0] shouldBe before[0]
            a[n + 1] shouldBe before[n + 1]
            val part = a.copyOfRange(1, n + 1)
            val mean = part.average()
            abs(mean) shouldBeLessThan 1e-12
            val std = sqrt(part.sumOf { (it - mean) * (it - mean) } / (n - 1))
            abs(std - 1.0) shouldBeLessThan 1e-7 // 1e-8 in the denominator
        }
    }

    test("normalizing fewer than 2 values is refused") {
        shouldThrow<IllegalArgumentException> { Advantages.normalize(doubleArrayOf(1.0)) }.message shouldContain "normAdv"
    }

    test("explained variance: 1 for perfect values, NaN for constant returns, rejects mismatched lengths") {
        val returns = doubleArrayOf(1.0, 2.0, 4.0)
        ExplainedVariance.of(returns.copyOf(), returns) shouldBe 1.0
        ExplainedVariance.of(doubleArrayOf(0.0, 1.0, 2.0), doubleArrayOf(3.0, 3.0, 3.0)).isNaN() shouldBe true
        shouldThrow<IllegalArgumentException> { ExplainedVariance.of(DoubleArray(2), DoubleArray(3)) }
    }

    test("KlStats: k3 is never negative; array and minibatch forms agree; clipfrac is strict") {
        checkAll(cfg, Arb.long()) { seed ->
            val rng = SplittableRandom(seed)
            val n = 1 + rng.nextInt(32)
            val old = DoubleArray(n) { rng.nextDouble(-3.0, 0.0) }
            val new = DoubleArray(n) { old[it] + rng.nextGaussian() * 0.3 }
            val s = KlStats.of(new, old, n, 0.2)
            s.approxKl shouldBeGreaterThanOrEqual 0.0
            KlStats.of(ArrayMinibatch(n, old), ArrayOutputs(n, new), 0.2) shouldBe s
        }
        // |r - 1| == clip exactly is not counted: ratio 1.25 = exp(log 1.25) is not exact, so use clip = |r-1| itself
        val old = doubleArrayOf(0.0, 0.0)
        val new = doubleArrayOf(0.0, 0.5)
        val r = KlStats.ratio(0.5, 0.0)
        KlStats.of(new, old, 2, r - 1.0).clipFrac shouldBe 0.0
        KlStats.of(new, old, 2, Math.nextDown(r - 1.0)).clipFrac shouldBe 0.5
    }
})
