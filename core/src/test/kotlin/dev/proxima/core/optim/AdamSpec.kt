package dev.proxima.core.optim

import dev.proxima.core.testing.Allocation
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.util.SplittableRandom
import kotlin.math.abs
import kotlin.math.sqrt

class AdamSpec : FunSpec({

    fun gaussians(rng: SplittableRandom, n: Int, scale: Double = 1.0) = DoubleArray(n) { rng.nextGaussian() * scale }

    test("the first step moves every parameter by lr against the gradient's sign (bias correction, eps small)") {
        val p = doubleArrayOf(1.0, -2.0, 3.0)
        val g = doubleArrayOf(0.5, -4.0, 1e-2)
        Adam(3).step(p, g, 0.1)
        // m̂ = g, v̂ = g², so the step is lr·g/(|g| + eps)
        for ((i, start) in listOf(1.0, -2.0, 3.0).withIndex()) {
            abs(p[i] - (start - 0.1 * g[i] / (abs(g[i]) + 1e-5))) shouldBeLessThan 1e-15
        }
    }

    test("clipping scales by maxNorm/(norm+1e-6) above the threshold and not at all below it") {
        val g = doubleArrayOf(3.0, 4.0)
        val adam = Adam(2)
        adam.step(DoubleArray(2), g, 1e-3, 0.5) shouldBe 5.0
        adam.lastClipCoef() shouldBe 0.5 / (5.0 + 1e-6)
        adam.m()[0] shouldBe (1 - 0.9) * (3.0 * (0.5 / (5.0 + 1e-6)))
        adam.step(DoubleArray(2), doubleArrayOf(0.1, 0.2), 1e-3, 0.5)
        adam.lastClipCoef() shouldBe 1.0
        GradClip.clipCoef(0.0, 0.5) shouldBe 1.0
    }

    test("a NaN or infinite gradient throws before anything changes, naming the index") {
        val rng = SplittableRandom(1)
        val adam = Adam(10)
        val p = gaussians(rng, 10)
        adam.step(p, gaussians(rng, 10), 1e-3, 0.5)
        val pBefore = p.copyOf()
        val mBefore = adam.m()
        val vBefore = adam.v()
        for (bad in listOf(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)) {
            val g = gaussians(rng, 10)
            g[7] = bad
            val e = shouldThrow<NonFiniteException> { adam.step(p, g, 1e-3, 0.5) }
            e.what() shouldBe "gradient"
            e.index() shouldBe 7
            e.message shouldContain "gradient[7] = $bad"
            e.message shouldContain "unchanged"
            p.toList() shouldBe pBefore.toList()
            adam.m().toList() shouldBe mBefore.toList()
            adam.v().toList() shouldBe vBefore.toList()
            adam.t() shouldBe 1L
        }
    }

    test("a step that takes a parameter beyond the bound is undone exactly, on one thread or split over two") {
        for (threads in listOf(1, 2)) {
            val rng = SplittableRandom(11)
            val n = 9155 // above the size at which the update is split over a team
            val team = dev.proxima.core.internal.ThreadTeam.of(threads, "adam-spec")
            try {
                val adam = Adam(n)
                adam.useThreads(team)
                val p = gaussians(rng, n)
                adam.step(p, gaussians(rng, n), 1e-3, 0.5, 10.0) // within the bound: kept
                adam.t() shouldBe 1L
                p[8000] = 9.9999 // the next step of 1e-3 against a negative gradient takes it past 10
                val pBefore = p.copyOf()
                val mBefore = adam.m()
                val vBefore = adam.v()
                val g = gaussians(rng, n, 0.01)
                g[8000] = -1.0
                val e = shouldThrow<NonFiniteException> { adam.step(p, g, 1e-3, 0.5, 10.0) }
                withClue("$threads thread(s)") {
                    e.what() shouldBe "parameter"
                    e.index() shouldBe 8000
                    (e.value() > 10.0) shouldBe true
                    e.message shouldContain "unchanged"
                    p.toList() shouldBe pBefore.toList()
                    adam.m().toList() shouldBe mBefore.toList()
                    adam.v().toList() shouldBe vBefore.toList()
                    adam.t() shouldBe 1L
                }
                adam.step(p, g, 1e-3, 0.5) // unbounded: the same step now goes through
                adam.t() shouldBe 2L
                (p[8000] > 10.0) shouldBe true
            } finally {
                team.close()
            }
        }
        shouldThrow<IllegalArgumentException> { Adam(3).step(DoubleArray(3), DoubleArray(3), 1e-3, 0.5, 0.0) }
            .message shouldContain "bound = 0.0"
    }

    test("huge but finite gradients have a finite norm and are clipped, not reported as non-finite") {
        val g = doubleArrayOf(1e200, -1e200, 3e199)
        val norm = GradClip.globalNorm(g, 3)
        abs(norm / (1e200 * sqrt(2.09)) - 1) shouldBeLessThan 1e-15
        val p = DoubleArray(3)
        Adam(3).step(p, g, 1e-3, 0.5)
        p.all { it.isFinite() } shouldBe true
    }

    test("state export and restore continue bit for bit, also through copy()") {
        val rng = SplittableRandom(3)
        val n = 37
        val a = Adam(n)
        val pa = gaussians(rng, n)
        val gs = List(12) { gaussians(rng, n, if (it % 3 == 0) 5.0 else 0.1) }
        for (k in 0 until 5) a.step(pa, gs[k], 3e-4 * (1 - k / 12.0), 0.5)

        val b = Adam(n)
        b.restore(a.m(), a.v(), a.t())
        val pb = pa.copyOf()
        val c = a.copy()
        val pc = pa.copyOf()
        for (k in 5 until 12) {
            val lr = 3e-4 * (1 - k / 12.0)
            a.step(pa, gs[k], lr, 0.5)
            b.step(pb, gs[k], lr, 0.5)
            c.step(pc, gs[k], lr, 0.5)
        }
        pb.toList() shouldBe pa.toList()
        pc.toList() shouldBe pa.toList()
        b.m().toList() shouldBe a.m().toList()
        b.v().toList() shouldBe a.v().toList()
        b.t() shouldBe 12L
        a.m()[0] = 99.0 // accessors return copies
        a.m()[0] shouldBe b.m()[0]
    }

    test("restore refuses a state of the wrong size or with impossible values") {
        val adam = Adam(3)
        shouldThrow<IllegalArgumentException> { adam.restore(DoubleArray(2), DoubleArray(3), 1) }.message shouldContain "m has 2"
        shouldThrow<IllegalArgumentException> { adam.restore(DoubleArray(3), DoubleArray(3), -1) }.message shouldContain "t = -1"
        shouldThrow<IllegalArgumentException> { adam.restore(DoubleArray(3), doubleArrayOf(0.0, -1.0, 0.0), 1) }
            .message shouldContain "v[1] = -1.0"
        shouldThrow<NonFiniteException> { adam.restore(doubleArrayOf(0.0, Double.NaN, 0.0), DoubleArray(3), 1) }.index() shouldBe 1
    }

    test("bad settings and arguments are reported with their values") {
        val e = shouldThrow<IllegalArgumentException> { Adam(3, 1.0, 0.999, 0.0, 0.0) }
        e.message shouldContain "beta1 = 1.0"
        e.message shouldContain "eps = 0.0"
        val adam = Adam(3)
        shouldThrow<IllegalArgumentException> { adam.step(DoubleArray(2), DoubleArray(3), 1e-3) }.message shouldContain "made for 3"
        shouldThrow<IllegalArgumentException> { adam.step(DoubleArray(3), DoubleArray(3), Double.NaN) }.message shouldContain "lr = NaN"
        shouldThrow<IllegalArgumentException> { adam.step(DoubleArray(3), DoubleArray(3), 1e-3, 0.0) }.message shouldContain "maxGradNorm = 0.0"
        adam.t() shouldBe 0L
    }

    test("a step allocates nothing") {
        val rng = SplittableRandom(4)
        val adam = Adam(9155)
        val p = gaussians(rng, 9155)
        val g = gaussians(rng, 9155)
        val used = Allocation.steadyState(rounds = 20, budget = 1024) { adam.step(p, g, 1e-4, 0.5) }
        withClue("allocated $used bytes in 20 steps") { (used < 1024) shouldBe true }
    }
})
