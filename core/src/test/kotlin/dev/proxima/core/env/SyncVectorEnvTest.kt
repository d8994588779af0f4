package dev.proxima.core.env

import dev.proxima.core.space.Discrete
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.util.SplittableRandom
import java.util.concurrent.Executors
import kotlin.math.sqrt

/** The flat arrays a trainer would allocate once. */
private class Buffers(n: Int, obsDim: Int, actDim: Int) {
    val actions = FloatArray(n * actDim)
    val obs = FloatArray(n * obsDim)
    val rewards = DoubleArray(n)
    val terminated = BooleanArray(n)
    val truncated = BooleanArray(n)
    val finalObs = FloatArray(n * obsDim) { Float.NaN }
}

private fun <O, A> SyncVectorEnv<O, A>.step(b: Buffers) =
    step(b.actions, b.obs, b.rewards, b.terminated, b.truncated, b.finalObs)

private fun <O, A> SyncVectorEnv<O, A>.drain(): List<SyncVectorEnv.Episode> =
    mutableListOf<SyncVectorEnv.Episode>().also { drainEpisodes(it) }

/** Copy 0 (seed 7) terminates after 3 steps; copy 1 (seed 8) never terminates and is truncated at 5 by the spec. */
private val counterSpec = EnvSpec(
    "Counter-v0",
    EnvFactory<FloatArray, Int> { seed -> CounterEnv(terminateAt = if (seed == 7L) 3 else 1000) },
    5,
    Double.NaN,
)

class SyncVectorEnvTest : FunSpec({

    test("same-step auto-reset: final observation and info of the ended episode, first observation of the next") {
        val venv = SyncVectorEnv.of(counterSpec, 7L, 8L)
        val b = Buffers(2, venv.obsDim(), venv.actionDim())
        venv.reset(longArrayOf(7, 8), b.obs)
        val noise0 = CounterEnv.noises(7, 3)
        val noise1 = CounterEnv.noises(8, 2)
        b.obs shouldBe floatArrayOf(0f, noise0[0], 0f, noise1[0])
        venv.info(0)["reset"] shouldBe 1

        b.actions[0] = 1f; b.actions[1] = 2f
        venv.step(b); venv.step(b)
        b.obs shouldBe floatArrayOf(2f, noise0[0], 2f, noise1[0])
        b.finalObs.all { it.isNaN() } shouldBe true // rows are written only when a copy ends
        venv.episodeReturn(0) shouldBe CounterEnv.reward(1, 1) + CounterEnv.reward(2, 1)
        venv.episodeLength(1) shouldBe 2

        venv.step(b) // step 3: copy 0 terminates
        b.terminated shouldBe booleanArrayOf(true, false)
        b.truncated shouldBe booleanArrayOf(false, false)
        b.rewards shouldBe doubleArrayOf(CounterEnv.reward(3, 1), CounterEnv.reward(3, 2))
        b.finalObs.sliceArray(0..1) shouldBe floatArrayOf(3f, noise0[0])
        b.finalObs[2].isNaN() shouldBe true
        b.obs shouldBe floatArrayOf(0f, noise0[1], 3f, noise1[0]) // reset() continued copy 0's random stream
        venv.finalInfo(0)["t"] shouldBe 3
        venv.info(0)["reset"] shouldBe 2
        venv.info(1)["t"] shouldBe 3
        venv.drain() shouldBe listOf(SyncVectorEnv.Episode(0, 10.0 + 1 + 20 + 1 + 30 + 1, 3))

        venv.step(b); venv.step(b) // step 5: copy 1 hits the spec's time limit
        b.terminated shouldBe booleanArrayOf(false, false)
        b.truncated shouldBe booleanArrayOf(false, true)
        b.finalObs.sliceArray(2..3) shouldBe floatArrayOf(5f, noise1[0])
        b.obs shouldBe floatArrayOf(2f, noise0[1], 0f, noise1[1])
        venv.drain() shouldBe listOf(SyncVectorEnv.Episode(1, (1..5).sumOf { CounterEnv.reward(it, 2) }, 5))
        venv.drain().shouldBeEmpty()
        venv.close()
    }

    test("copies are made with their seeds and episodes are queued oldest first, ties in copy order") {
        val made = mutableListOf<Long>()
        val venv = SyncVectorEnv.of(EnvFactory<FloatArray, Int> { seed -> made += seed; CounterEnv(terminateAt = 2) },
            5L, 6L, 9L)
        made shouldBe listOf(5L, 6L, 9L)
        venv.seeds() shouldBe longArrayOf(5, 6, 9)
        val b = Buffers(3, 2, 1)
        venv.reset(venv.seeds(), b.obs)
        repeat(4) { venv.step(b) }
        venv.drain().map { it.env } shouldBe listOf(0, 1, 2, 0, 1, 2)
    }

    test("Discrete actions are indices: the space's start is added") {
        val envs = mutableListOf<CounterEnv>()
        val venv = SyncVectorEnv.of(EnvFactory<FloatArray, Int> { CounterEnv(start = -1).also { envs += it } }, 1L, 2L)
        (venv.actionSpace() as Discrete).start() shouldBe -1
        val b = Buffers(2, 2, 1)
        venv.reset(longArrayOf(1, 2), b.obs)
        b.actions[0] = 0f; b.actions[1] = 2f
        venv.step(b)
        envs[0].actionsReceived shouldBe listOf(-1)
        envs[1].actionsReceived shouldBe listOf(1)
        b.rewards shouldBe doubleArrayOf(CounterEnv.reward(1, 0), CounterEnv.reward(1, 2))

        b.actions[1] = 3f
        shouldThrow<IllegalArgumentException> { venv.step(b) }.message shouldContain
            "action 3.0 for copy 1 is not an index in [0, 3)"
        venv.reset(longArrayOf(1, 2), b.obs)
        b.actions[1] = 0.5f
        shouldThrow<IllegalArgumentException> { venv.step(b) }
    }

    test("Box actions are unflattened per copy; ClipAction inside leaves the caller's actions raw") {
        val inner = mutableListOf<EchoEnv>()
        val venv = SyncVectorEnv.of(EnvFactory<FloatArray, FloatArray> { ClipAction(EchoEnv().also { inner += it }) },
            1L, 2L)
        venv.actionDim() shouldBe 2
        val b = Buffers(2, 2, 2)
        venv.reset(longArrayOf(1, 2), b.obs)
        val raw = floatArrayOf(0.5f, 3f, -7f, -1f)
        raw.copyInto(b.actions)
        venv.step(b)
        b.actions shouldBe raw
        inner[0].received.single() shouldBe floatArrayOf(0.5f, 2f)
        inner[1].received.single() shouldBe floatArrayOf(-1f, -1f)
        b.obs shouldBe floatArrayOf(0.5f, 2f, -1f, -1f)
        b.rewards shouldBe doubleArrayOf(2.5, -2.0)
    }

    test("an exception from a copy names the copy and its step count, and the vector env must be reset") {
        val venv = SyncVectorEnv.of(EnvFactory<FloatArray, Int> { seed -> CounterEnv(failAtStep = if (seed == 2L) 4 else -1) },
            1L, 2L)
        val b = Buffers(2, 2, 1)
        venv.reset(longArrayOf(1, 2), b.obs)
        repeat(3) { venv.step(b) }
        val e = shouldThrow<VectorEnvException> { venv.step(b) }
        e.envIndex() shouldBe 1
        e.step() shouldBe 3
        e.message shouldContain "env copy 1 (CounterEnv) failed in step after 3 steps"
        e.message shouldContain "boom at 4"
        e.cause.shouldBeInstanceOf<IllegalStateException>()
        shouldThrow<IllegalStateException> { venv.step(b) }.message shouldContain "call reset(seeds, obsOut) first"
    }

    test("a contract violation inside a copy (NaN observation) surfaces with the copy index") {
        val spec = EnvSpec("Nan-v0", EnvFactory<FloatArray, Int> { CounterEnv(nanAtStep = 2) }, 0, Double.NaN)
        val venv = SyncVectorEnv.of(spec, 1L)
        val b = Buffers(1, 2, 1)
        venv.reset(longArrayOf(1), b.obs)
        venv.step(b)
        val e = shouldThrow<VectorEnvException> { venv.step(b) }
        e.message shouldContain "env copy 0"
        e.cause.shouldBeInstanceOf<EnvContractException>().message shouldContain "whose entry 1 is NaN"
    }

    test("misuse is refused with the numbers") {
        val venv = SyncVectorEnv.of(counterSpec, 7L, 8L)
        val b = Buffers(2, 2, 1)
        shouldThrow<IllegalStateException> { venv.step(b) }
        shouldThrow<IllegalArgumentException> { venv.reset(longArrayOf(1), b.obs) }.message shouldContain
            "1 seeds for numEnvs = 2"
        shouldThrow<IllegalArgumentException> { venv.reset(longArrayOf(1, 2), FloatArray(3)) }.message shouldContain
            "obsOut has length 3 but needs numEnvs * obsDim = 2 * 2 = 4"
        venv.reset(longArrayOf(1, 2), b.obs)
        venv.step(0, 1, b.actions, b.obs, b.rewards, b.terminated, b.truncated, b.finalObs)
        shouldThrow<IllegalStateException> {
            venv.step(0, 1, b.actions, b.obs, b.rewards, b.terminated, b.truncated, b.finalObs)
        }.message shouldContain "copy 0 was already stepped"
        shouldThrow<IllegalStateException> {
            venv.finishStep(b.obs, b.rewards, b.terminated, b.truncated, b.finalObs)
        }.message shouldContain "copy 1 was not stepped"
        shouldThrow<IllegalArgumentException> { SyncVectorEnv.of(counterSpec) }
        shouldThrow<IllegalArgumentException> { venv.observationNormalizer(ObservationNormalizer.gymnasium(3)) }
    }

    context("normalisation and parallel stepping") {
        val seeds = longArrayOf(7, 8, 9, 10)
        val steps = 23
        // Random but reproducible action indices, the same for every run.
        val actionRng = SplittableRandom(42)
        val actionPlan = List(steps) { FloatArray(seeds.size) { actionRng.nextInt(3).toFloat() } }

        fun normalised() = SyncVectorEnv.of(counterSpec, *seeds)
            .observationNormalizer(ObservationNormalizer.cleanRl(2))
            .rewardNormalizer(RewardNormalizer.cleanRl(seeds.size, 0.99))

        class Trace(val obs: List<FloatArray>, val finalObs: List<FloatArray>, val rewards: List<DoubleArray>,
                    val episodes: List<SyncVectorEnv.Episode>, val obsStats: RunningMeanStd.State?,
                    val retStats: RunningMeanStd.State?, val dones: List<BooleanArray>, val terminated: List<BooleanArray>)

        fun run(venv: SyncVectorEnv<FloatArray, Int>, workers: Int): Trace {
            val b = Buffers(seeds.size, 2, 1)
            val pool = Executors.newFixedThreadPool(workers)
            try {
                venv.reset(seeds, b.obs)
                val obs = mutableListOf(b.obs.clone())
                val fin = mutableListOf<FloatArray>()
                val rew = mutableListOf<DoubleArray>()
                val dones = mutableListOf<BooleanArray>()
                val terms = mutableListOf<BooleanArray>()
                for (t in 0 until steps) {
                    actionPlan[t].copyInto(b.actions)
                    b.finalObs.fill(Float.NaN)
                    if (workers == 1) {
                        venv.step(b)
                    } else {
                        val slice = (seeds.size + workers - 1) / workers
                        (0 until workers).map { w ->
                            pool.submit {
                                val from = minOf(w * slice, seeds.size)
                                val to = minOf(from + slice, seeds.size)
                                venv.step(from, to, b.actions, b.obs, b.rewards, b.terminated, b.truncated, b.finalObs)
                            }
                        }.forEach { it.get() }
                        venv.finishStep(b.obs, b.rewards, b.terminated, b.truncated, b.finalObs)
                    }
                    obs += b.obs.clone(); fin += b.finalObs.clone(); rew += b.rewards.clone()
                    dones += BooleanArray(seeds.size) { b.terminated[it] || b.truncated[it] }
                    terms += b.terminated.clone()
                }
                return Trace(obs, fin, rew, venv.drain(), venv.observationNormalizer().orElse(null)?.stats()?.state(),
                    venv.rewardNormalizer().orElse(null)?.stats()?.state(), dones, terms)
            } finally {
                pool.shutdown()
            }
        }

        test("the batch normalisers match a reference computed from the raw run, SB3 VecNormalize order") {
            val raw = run(SyncVectorEnv.of(counterSpec, *seeds), 1)
            val norm = run(normalised(), 1)
            val obsRms = RunningMeanStd(2)
            val retRms = RunningMeanStd(1)
            val returns = DoubleArray(seeds.size)
            fun normObs(x: Float, j: Int) =
                ((x - obsRms.mean(j)) / sqrt(obsRms.variance(j) + 1e-8)).coerceIn(-10.0, 10.0).toFloat()

            obsRms.update(raw.obs[0], seeds.size, 2)
            FloatArray(raw.obs[0].size) { normObs(raw.obs[0][it], it % 2) } shouldBe norm.obs[0]
            for (t in 0 until steps) {
                obsRms.update(raw.obs[t + 1], seeds.size, 2)
                FloatArray(raw.obs[t + 1].size) { normObs(raw.obs[t + 1][it], it % 2) } shouldBe norm.obs[t + 1]
                for (i in seeds.indices) {
                    if (raw.dones[t][i]) {
                        norm.finalObs[t][2 * i] shouldBe normObs(raw.finalObs[t][2 * i], 0)
                        norm.finalObs[t][2 * i + 1] shouldBe normObs(raw.finalObs[t][2 * i + 1], 1)
                    } else {
                        norm.finalObs[t][2 * i].isNaN() shouldBe true
                    }
                }
                for (i in seeds.indices) {
                    returns[i] = if (raw.terminated[t][i]) raw.rewards[t][i] else returns[i] * 0.99 + raw.rewards[t][i]
                }
                retRms.update(returns, seeds.size, 1)
                for (i in seeds.indices) {
                    norm.rewards[t][i] shouldBe (raw.rewards[t][i] / sqrt(retRms.variance(0) + 1e-8)).coerceIn(-10.0, 10.0)
                    if (raw.dones[t][i]) returns[i] = 0.0
                }
            }
            norm.obsStats shouldBe obsRms.state()
            norm.retStats shouldBe retRms.state()
            // Episode statistics are of the raw rewards, whatever the normalisers do.
            norm.episodes shouldBe raw.episodes
            norm.episodes.size shouldBe steps / 3 + 3 * (steps / 5) // copy 0 terminates every 3 steps; 1-3 truncate at 5
        }

        test("stepping slices on 2 or 3 worker threads gives bit-identical results to one thread") {
            val one = run(normalised(), 1)
            for (workers in listOf(2, 3)) {
                val many = run(normalised(), workers)
                many.obs.zip(one.obs).forEach { (a, b) -> a shouldBe b }
                many.finalObs.zip(one.finalObs).forEach { (a, b) -> a.map { it.toRawBits() } shouldBe b.map { it.toRawBits() } }
                many.rewards.zip(one.rewards).forEach { (a, b) -> a shouldBe b }
                many.episodes shouldBe one.episodes
                many.obsStats shouldBe one.obsStats
                many.retStats shouldBe one.retStats
            }
        }

        test("frozen normalisers do not move; restored statistics reproduce a run exactly") {
            val a = normalised()
            val b = Buffers(seeds.size, 2, 1)
            a.reset(seeds, b.obs)
            repeat(7) { a.step(b) }
            val obsState = a.observationNormalizer().get().stats().state()
            val retState = a.rewardNormalizer().get().stats().state()
            a.observationNormalizer().get().updateRunningMean(false)
            a.rewardNormalizer().get().updateRunningMean(false)
            repeat(5) { a.step(b) }
            a.observationNormalizer().get().stats().state() shouldBe obsState
            a.rewardNormalizer().get().stats().state() shouldBe retState

            // Evaluation copy: fresh envs, statistics imported, frozen; same raw inputs give the same outputs.
            val ref = SyncVectorEnv.of(counterSpec, *seeds)
            val c = normalised()
            c.observationNormalizer().get().stats().restore(obsState)
            c.observationNormalizer().get().updateRunningMean(false)
            c.rewardNormalizer().get().updateRunningMean(false)
            c.rewardNormalizer().get().stats().restore(retState)
            val rb = Buffers(seeds.size, 2, 1)
            val cb = Buffers(seeds.size, 2, 1)
            ref.reset(seeds, rb.obs)
            c.reset(seeds, cb.obs)
            val scale = sqrt(retState.variance()[0] + 1e-8)
            repeat(4) {
                ref.step(rb); c.step(cb)
                for (i in seeds.indices) cb.rewards[i] shouldBe (rb.rewards[i] / scale).coerceIn(-10.0, 10.0)
                for (k in cb.obs.indices) {
                    val j = k % 2
                    cb.obs[k] shouldBe ((rb.obs[k] - obsState.mean()[j]) / sqrt(obsState.variance()[j] + 1e-8))
                        .coerceIn(-10.0, 10.0).toFloat()
                }
            }
            c.observationNormalizer().get().stats().state() shouldBe obsState
        }
    }
})
