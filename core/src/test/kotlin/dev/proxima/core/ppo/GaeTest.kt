package dev.proxima.core.ppo

import dev.proxima.core.testing.fixedSeed
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.property.Arb
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import java.util.SplittableRandom
import kotlin.math.abs

private class Episode(seed: Long) {
    val rng = SplittableRandom(seed)
    val t = 1 + rng.nextInt(20)
    val n = 1 + rng.nextInt(4)
    val rewards = DoubleArray(t * n) { rng.nextGaussian() }
    val values = DoubleArray(t * n) { rng.nextGaussian() }
    val terminated = BooleanArray(t * n) { rng.nextInt(6) == 0 }
    val truncated = BooleanArray(t * n) { rng.nextInt(6) == 0 }
    val finalValues = DoubleArray(t * n) { if (truncated[it]) rng.nextGaussian() else 0.0 }
    val nextValue = DoubleArray(n) { rng.nextGaussian() }
    val gamma = rng.nextDouble(0.5, 1.0)
    val lambda = rng.nextDouble()

    fun run(gamma: Double = this.gamma, lambda: Double = this.lambda, finals: DoubleArray = finalValues,
            mode: Gae.Truncation = Gae.Truncation.BOOTSTRAP): Pair<DoubleArray, DoubleArray> {
        val adv = DoubleArray(t * n)
        val ret = DoubleArray(t * n)
        Gae.compute(t, n, rewards, values, terminated, truncated, finals, nextValue, gamma, lambda, mode, adv, ret)
        return adv to ret
    }

    fun done(row: Int) = terminated[row] || truncated[row]

    /** What follows the step in row (t, env) for a one-step target. */
    fun boot(t: Int, env: Int, row: Int): Double = when {
        terminated[row] -> 0.0
        truncated[row] -> finalValues[row]
        t == this.t - 1 -> nextValue[env]
        else -> values[row + n]
    }
}

class GaeTest : FunSpec({
    val cfg = fixedSeed(31, 300)

    test("lambda = 0 gives the one-step TD error r + gamma*boot - V") {
        checkAll(cfg, Arb.long()) { seed ->
            val e = Episode(seed)
            val (adv, ret) = e.run(lambda = 0.0)
            for (t in 0 until e.t) for (env in 0 until e.n) {
                val row = t * e.n + env
                abs(adv[row] - (e.rewards[row] + e.gamma * e.boot(t, env, row) - e.values[row])) shouldBeLessThan 1e-12
                ret[row] shouldBe adv[row] + e.values[row]
            }
        }
    }

    test("lambda = 1 gives the discounted return to the episode's end (bootstrapped there) minus V") {
        checkAll(cfg, Arb.long()) { seed ->
            val e = Episode(seed)
            val (adv, _) = e.run(lambda = 1.0)
            for (env in 0 until e.n) for (t in 0 until e.t) {
                // brute force: sum discounted rewards until a done or the rollout's end, then bootstrap
                var g = 0.0
                var discount = 1.0
                var k = t
                while (true) {
                    val row = k * e.n + env
                    g += discount * e.rewards[row]
                    if (e.done(row) || k == e.t - 1) { g += discount * e.gamma * e.boot(k, env, row); break }
                    discount *= e.gamma
                    k++
                }
                abs(adv[t * e.n + env] - (g - e.values[t * e.n + env])) shouldBeLessThan 1e-9
            }
        }
    }

    test("final values are read only where truncated and not terminated; CleanRL's variant ignores them") {
        checkAll(cfg, Arb.long()) { seed ->
            val e = Episode(seed)
            val noise = DoubleArray(e.t * e.n) { if (e.truncated[it] && !e.terminated[it]) e.finalValues[it] else 1e6 + it }
            e.run(finals = noise).first.toList() shouldBe e.run().first.toList()
            val asTermination = e.run(finals = DoubleArray(e.t * e.n) { 1e6 }, mode = Gae.Truncation.TREAT_AS_TERMINATION)
            val zeroFinals = e.run(finals = DoubleArray(e.t * e.n))
            asTermination.first.toList() shouldBe zeroFinals.first.toList()
        }
    }

    test("bad arguments fail with the value and a fix") {
        val one = DoubleArray(1)
        val f = BooleanArray(1)
        shouldThrow<IllegalArgumentException> {
            Gae.compute(1, 1, one, one, f, f, one, one, 1.5, 0.95, one, one)
        }.message shouldContain "gamma = 1.5"
        shouldThrow<IllegalArgumentException> {
            Gae.compute(1, 1, one, one, f, f, one, one, 0.99, -0.1, one, one)
        }.message shouldContain "gaeLambda = -0.1"
        shouldThrow<IllegalArgumentException> {
            Gae.compute(2, 1, one, one, f, f, one, one, 0.99, 0.95, one, one)
        }.message shouldContain "rewards has 1 entries; need numSteps*numEnvs = 2*1 = 2"
        shouldThrow<IllegalArgumentException> {
            Gae.compute(1, 1, one, one, f, f, null, one, 0.99, 0.95, one, one)
        }.message shouldContain "TREAT_AS_TERMINATION"
        shouldThrow<IllegalArgumentException> {
            Gae.compute(1, 2, DoubleArray(2), DoubleArray(2), BooleanArray(2), BooleanArray(2), DoubleArray(2), one,
                0.99, 0.95, DoubleArray(2), DoubleArray(2))
        }.message shouldContain "nextValue"
        // null final values are fine when truncation is treated as termination
        Gae.compute(1, 1, one, one, f, f, null, one, 0.99, 0.95, Gae.Truncation.TREAT_AS_TERMINATION, one, one)
    }
})
