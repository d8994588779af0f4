package dev.proxima.core.env

import dev.proxima.core.space.Box
import dev.proxima.core.space.Space
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.floats.plusOrMinus as floatPlusOrMinus
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldNotBeSameInstanceAs
import java.util.random.RandomGenerator
import kotlin.math.abs
import kotlin.math.max
import kotlin.math.sqrt

/** Mean and variance of [xs] merged with the statistics' prior (count 1e-4 at mean 0 with variance 1), two-pass. */
private fun priorStats(xs: List<Double>): Pair<Double, Double> {
    val total = 1e-4 + xs.size
    val mean = xs.sum() / total
    val m2 = 1e-4 * 1.0 + 1e-4 * mean * mean + xs.sumOf { (it - mean) * (it - mean) }
    return mean to m2 / total
}

private fun rel(expected: Double, tol: Double = 1e-12) = expected plusOrMinus tol * max(1.0, abs(expected))

class WrappersTest : FunSpec({

    context("RecordEpisodeStatistics") {
        test("puts (r, l, t) into the info of the step that ends the episode, and only there") {
            val env = RecordEpisodeStatistics(CounterEnv(terminateAt = 3))
            env.reset(1)
            val s1 = env.step(0)
            s1.info()[RecordEpisodeStatistics.KEY].shouldBeNull()
            env.step(1)
            val s3 = env.step(2)
            s3.done() shouldBe true
            val ep = s3.info()[RecordEpisodeStatistics.KEY].shouldBeInstanceOf<RecordEpisodeStatistics.EpisodeStats>()
            ep.r shouldBe CounterEnv.reward(1, 0) + CounterEnv.reward(2, 1) + CounterEnv.reward(3, 2)
            ep.l shouldBe 3
            (ep.t >= 0.0) shouldBe true
            s3.info()["t"] shouldBe 3 // the env's own info is kept
            env.reset()
            repeat(3) { env.step(0) }
            env.episodeCount() shouldBe 2
            env.recentEpisodes().map { it.r } shouldBe listOf(63.0, 60.0)
            env.recentEpisodes().map { it.l } shouldBe listOf(3, 3)
        }

        test("keeps only the last bufferLength episodes") {
            val env = RecordEpisodeStatistics(CounterEnv(terminateAt = 1), 2)
            env.reset(1)
            for (k in 0..2) { env.step(k); env.reset() }
            env.recentEpisodes().map { it.r } shouldBe listOf(CounterEnv.reward(1, 1), CounterEnv.reward(1, 2))
        }

        test("refuses to overwrite an existing \"episode\" entry") {
            val env = RecordEpisodeStatistics(RecordEpisodeStatistics(CounterEnv(terminateAt = 1)))
            env.reset(1)
            shouldThrow<EnvContractException> { env.step(0) }.message shouldContain "already has the key \"episode\""
        }
    }

    context("ClipAction") {
        test("the inner env gets a clipped copy; the caller's array is unchanged") {
            val inner = EchoEnv()
            val env = ClipAction(inner)
            env.reset(0)
            val action = floatArrayOf(5f, -0.5f)
            val s = env.step(action)
            action shouldBe floatArrayOf(5f, -0.5f)
            inner.received.last() shouldBe floatArrayOf(1f, -0.5f)
            inner.lastActionRef shouldNotBeSameInstanceAs action
            s.reward() shouldBe 0.5
            env.step(floatArrayOf(-3f, 9f))
            inner.received.last() shouldBe floatArrayOf(-1f, 2f)
        }

        test("its action space is unbounded with the inner shape, as Gymnasium 1.x") {
            val env = ClipAction(EchoEnv())
            env.actionSpace().isBounded shouldBe false
            env.actionSpace().contains(floatArrayOf(1e30f, -1e30f)) shouldBe true
            env.actionSpace().shape() shouldBe intArrayOf(2)
        }

        test("wrong lengths and non-Box spaces are refused") {
            val env = ClipAction(EchoEnv())
            env.reset(0)
            shouldThrow<EnvContractException> { env.step(floatArrayOf(1f)) }.message shouldContain "float[2]"
            val odd = object : Env<FloatArray, FloatArray> {
                val space = object : Space<FloatArray> {
                    override fun flatDim() = 1
                    override fun contains(value: Any?) = true
                    override fun sample(rng: RandomGenerator) = floatArrayOf(0f)
                    override fun flatten(value: FloatArray, dst: FloatArray, offset: Int) {}
                    override fun unflatten(src: FloatArray, offset: Int, reuse: FloatArray?) = floatArrayOf(0f)
                    override fun toString() = "Odd()"
                }
                override fun observationSpace() = space
                override fun actionSpace() = space
                override fun reset(seed: Long) = Reset(floatArrayOf(0f))
                override fun reset() = Reset(floatArrayOf(0f))
                override fun step(action: FloatArray) = Step(floatArrayOf(0f), 0.0, false, false)
            }
            shouldThrow<IllegalArgumentException> { ClipAction(odd) }.message shouldContain "needs a Box action space"
        }
    }

    context("NormalizeObservation") {
        val obs = listOf(floatArrayOf(1f, 2f), floatArrayOf(3f, -1f), floatArrayOf(-2f, 0.5f), floatArrayOf(4f, 4f))
        fun script() = ScriptEnv(obs, listOf(0.0, 0.0, 0.0, 0.0), first = floatArrayOf(0.5f, -0.5f))

        test("normalises with statistics of every observation so far, reset included") {
            val env = NormalizeObservation(script())
            val seen = mutableListOf(floatArrayOf(0.5f, -0.5f))
            val outs = mutableListOf(env.reset(0).observation())
            for (k in 0..3) {
                seen += obs[k]
                outs += env.step(0).observation()
            }
            for ((n, out) in outs.withIndex()) {
                for (j in 0..1) {
                    val (mean, variance) = priorStats(seen.take(n + 1).map { it[j].toDouble() })
                    val expected = ((seen[n][j] - mean) / sqrt(variance + 1e-8)).toFloat()
                    out[j] shouldBe (expected floatPlusOrMinus 1e-5f * max(1f, abs(expected)))
                }
            }
            env.stats().count() shouldBe (1e-4 + 5 plusOrMinus 1e-12)
            env.observationSpace().isBounded shouldBe false
        }

        test("clips when asked") {
            val env = NormalizeObservation(script(), 1e-8, 0.5)
            env.reset(0)
            val out = env.step(0).observation()
            out.all { it in -0.5f..0.5f } shouldBe true
            out[0] shouldBe 0.5f // (1 - mean)/std is about 1 before the clip
        }

        test("frozen statistics are used but not updated; exported statistics reproduce the outputs exactly") {
            val env = NormalizeObservation(script())
            env.reset(0)
            env.step(0)
            env.updateRunningMean(false)
            val before = env.stats().state()
            val out = env.step(0).observation()
            env.stats().state() shouldBe before
            val mean = before.mean()
            val variance = before.variance()
            out[0] shouldBe ((3.0 - mean[0]) / sqrt(variance[0] + 1e-8)).toFloat()

            val other = NormalizeObservation(script())
            other.reset(0); other.step(0) // advance the script to the same place
            other.stats().restore(before)
            other.updateRunningMean(false)
            other.step(0).observation() shouldBe out
        }
    }

    context("NormalizeReward") {
        val rewards = listOf(1.0, 2.0, -3.0, 0.5, 4.0)
        val gamma = 0.9

        test("matches a hand computation of Gymnasium's recurrence (return cut only at termination)") {
            val env = NormalizeReward(ScriptEnv(List(5) { floatArrayOf(0f) }, rewards, terminatedAt = setOf(2)), gamma)
            env.reset(0)
            // discounted = discounted * gamma * (1 - terminated) + r; the terminal reward carries into the next
            // episode because Gymnasium's wrapper never clears it.
            val discounted = listOf(1.0, 0.9 * 1.0 + 2.0, -3.0, -3.0 * 0.9 + 0.5, (-3.0 * 0.9 + 0.5) * 0.9 + 4.0)
            for (k in rewards.indices) {
                val s = env.step(0)
                if (k == 2) {
                    s.terminated() shouldBe true
                    env.reset() // does not clear the running return
                }
                env.discountedReward() shouldBe rel(discounted[k])
                val (_, variance) = priorStats(discounted.take(k + 1))
                s.reward() shouldBe rel(rewards[k] / sqrt(variance + 1e-8), 1e-10)
            }
        }

        test("the first scaled reward by hand: 1 / sqrt(var + 1e-8) with var from one sample and the prior") {
            val env = NormalizeReward(ScriptEnv(listOf(floatArrayOf(0f)), listOf(1.0)), 0.99)
            env.reset(0)
            env.step(0).reward() shouldBe rel(70.71421321062337, 1e-13)
        }

        test("clip and freeze") {
            val clipped = NormalizeReward(ScriptEnv(listOf(floatArrayOf(0f)), listOf(1.0)), 0.99, 1e-8, 10.0)
            clipped.reset(0)
            clipped.step(0).reward() shouldBe 10.0

            val env = NormalizeReward(ScriptEnv(List(5) { floatArrayOf(0f) }, rewards), gamma)
            env.reset(0)
            env.step(0); env.step(0)
            env.updateRunningMean(false)
            val frozen = env.stats().state()
            val s = env.step(0)
            env.stats().state() shouldBe frozen
            s.reward() shouldBe -3.0 / sqrt(frozen.variance()[0] + 1e-8)
            env.discountedReward() shouldBe rel((0.9 * 1.0 + 2.0) * 0.9 - 3.0) // still accumulates
        }

        test("bad parameters are refused") {
            shouldThrow<IllegalArgumentException> { NormalizeReward(CounterEnv(), 1.5) }.message shouldContain
                "gamma = 1.5"
            shouldThrow<IllegalArgumentException> { NormalizeReward(CounterEnv(), 0.9, -1.0, 10.0) }.message shouldContain
                "epsilon = -1.0"
        }
    }

    context("TimeLimit") {
        test("truncates at maxEpisodeSteps and restarts the count on reset") {
            val env = TimeLimit(CounterEnv(), 3)
            env.reset(0)
            env.step(0).truncated() shouldBe false
            env.step(0).truncated() shouldBe false
            val last = env.step(0)
            last.truncated() shouldBe true
            last.terminated() shouldBe false
            env.elapsedSteps() shouldBe 3
            env.reset()
            env.elapsedSteps() shouldBe 0
            env.step(0).truncated() shouldBe false
        }

        test("termination on the last allowed step keeps both flags") {
            val env = TimeLimit(CounterEnv(terminateAt = 2), 2)
            env.reset(0)
            env.step(0)
            val s = env.step(0)
            s.terminated() shouldBe true
            s.truncated() shouldBe true
        }

        test("a limit below 1 is refused") {
            shouldThrow<IllegalArgumentException> { TimeLimit(CounterEnv(), 0) }.message shouldContain
                "maxEpisodeSteps = 0"
        }
    }

    context("EnvChecks") {
        test("step before the first reset") {
            shouldThrow<EnvContractException> { EnvChecks(CounterEnv()).step(0) }.message shouldContain
                "before the first reset()"
        }

        test("step after the episode ended") {
            val env = EnvChecks(CounterEnv(terminateAt = 1))
            env.reset(0)
            env.step(0).terminated() shouldBe true
            val e = shouldThrow<EnvContractException> { env.step(0) }
            e.message shouldContain "CounterEnv"
            e.message shouldContain "after the episode ended (terminated or truncated) without reset()"
        }

        test("action outside the action space") {
            val env = EnvChecks(CounterEnv())
            env.reset(0)
            shouldThrow<EnvContractException> { env.step(5) }.message shouldContain
                "action 5 at step 1 is outside the action space Discrete(3)"
        }

        test("NaN observation") {
            val env = EnvChecks(CounterEnv(nanAtStep = 2))
            env.reset(0)
            env.step(0)
            shouldThrow<EnvContractException> { env.step(0) }.message shouldContain "whose entry 1 is NaN"
        }
    }

    context("EnvRegistry") {
        test("finds providers through ServiceLoader and makes checked, time-limited envs") {
            val registry = EnvRegistry().loadProviders(WrappersTest::class.java.classLoader)
            registry.ids() shouldBe listOf("CartPole-v1", "Counter-v0")
            EnvRegistry.global().contains("Counter-v0") shouldBe true
            val env = registry.make("Counter-v0", 3)
            Wrapper.find(env, TimeLimit::class.java).shouldNotBeNull().maxEpisodeSteps() shouldBe 5
            Wrapper.find(env, EnvChecks::class.java).shouldNotBeNull()
            registry.spec("CartPole-v1").rewardThreshold().asDouble shouldBe 475.0
        }

        test("an unknown id lists the known ids and the closest match") {
            val registry = EnvRegistry().loadProviders(WrappersTest::class.java.classLoader)
            val e = shouldThrow<EnvNotFoundException> { registry.make("Cartpole-v1", 0) }
            e.message shouldContain "no environment \"Cartpole-v1\""
            e.message shouldContain "Known: CartPole-v1, Counter-v0."
            e.message shouldContain "Did you mean \"CartPole-v1\"?"
            e.known() shouldBe listOf("CartPole-v1", "Counter-v0")
            shouldThrow<EnvNotFoundException> { registry.spec("Zzzzzzzzzzzzzzz-v9") }.message shouldNotContain "Did you mean"
        }
    }
})
