package dev.proxima.core.env

import dev.proxima.core.dist.CategoricalHead
import dev.proxima.core.dist.MultiDiscreteHead
import dev.proxima.core.space.Box
import dev.proxima.core.space.Discrete
import dev.proxima.core.space.MultiDiscrete
import dev.proxima.core.space.Space
import io.kotest.assertions.throwables.shouldThrow
import dev.proxima.core.testing.Allocation
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.util.SplittableRandom
import java.util.random.RandomGenerator

/**
 * Discrete(4, start = 1). Observation [t]; in state t only the actions whose index k has (k + t) even are legal and
 * stepping another one throws. Terminates at t = 3. With [noValidAt] the mask allows nothing at that t.
 */
private class ParityEnv(private val noValidAt: Int = -1) : Env<FloatArray, Int>, ActionMasked {
    private val actions = Discrete(4, 1)
    private var t = 0
    val received = mutableListOf<Int>()

    override fun observationSpace(): Space<FloatArray> = Box.of(0f, 10f, 1)
    override fun actionSpace(): Space<Int> = actions
    override fun reset(seed: Long) = reset()
    override fun reset(): Reset<FloatArray> { t = 0; return Reset(floatArrayOf(0f)) }
    override fun step(action: Int): Step<FloatArray> {
        val k = action - 1
        require((k + t) % 2 == 0) { "action $action is illegal at t = $t" }
        received += action
        t++
        return Step(floatArrayOf(t.toFloat()), 1.0, t == 3, false)
    }
    override fun actionMask(mask: BooleanArray, offset: Int) {
        for (k in 0 until 4) mask[offset + k] = t != noValidAt && (k + t) % 2 == 0
    }
}

/** MultiDiscrete([3, 2], start = [1, 0]); component 0 may not repeat its previous value. Never ends. */
private class DialEnv : Env<FloatArray, IntArray>, ActionMasked {
    private val actions = MultiDiscrete(intArrayOf(3, 2), intArrayOf(1, 0))
    private var last = 1
    val received = mutableListOf<List<Int>>()

    override fun observationSpace(): Space<FloatArray> = Box.of(0f, 10f, 1)
    override fun actionSpace(): Space<IntArray> = actions
    override fun reset(seed: Long) = reset()
    override fun reset(): Reset<FloatArray> { last = 1; return Reset(floatArrayOf(1f)) }
    override fun step(action: IntArray): Step<FloatArray> {
        require(action[0] != last) { "component 0 repeated $last" }
        received += action.toList()
        last = action[0]
        return Step(floatArrayOf(last.toFloat()), 0.0, false, false)
    }
    override fun actionMask(mask: BooleanArray, offset: Int) {
        for (k in 0 until 3) mask[offset + k] = k + 1 != last
        mask[offset + 3] = true
        mask[offset + 4] = true
    }
}

class ActionMaskTest : FunSpec({

    test("masks of every copy, found through the spec's wrappers, follow auto-resets") {
        val spec = EnvSpec("Parity-v0", EnvFactory<FloatArray, Int> { ParityEnv() }, 100, Double.NaN)
        val venv = SyncVectorEnv.of(spec, 1L, 2L)
        venv.hasActionMasks() shouldBe true
        venv.maskDim() shouldBe 4
        val obs = FloatArray(2)
        venv.reset(longArrayOf(1, 2), obs)
        val mask = BooleanArray(8)
        venv.actionMasks(mask)
        mask.toList() shouldBe List(2) { listOf(true, false, true, false) }.flatten()
        val actions = floatArrayOf(0f, 2f) // indices: env actions 1 and 3
        val buffers = Triple(DoubleArray(2), BooleanArray(2), BooleanArray(2))
        val finalObs = FloatArray(2)
        venv.step(actions, obs, buffers.first, buffers.second, buffers.third, finalObs)
        venv.actionMasks(mask)
        mask.toList() shouldBe List(2) { listOf(false, true, false, true) }.flatten()
        actions[0] = 1f; actions[1] = 3f
        venv.step(actions, obs, buffers.first, buffers.second, buffers.third, finalObs)
        actions[0] = 0f; actions[1] = 2f
        venv.step(actions, obs, buffers.first, buffers.second, buffers.third, finalObs) // t = 3: ends, auto-resets
        buffers.second.toList() shouldBe listOf(true, true)
        venv.actionMasks(mask)
        mask.toList() shouldBe List(2) { listOf(true, false, true, false) }.flatten() // the new episode's first state
        val slice = BooleanArray(8)
        venv.actionMasks(1, 2, slice)
        slice.toList() shouldBe List(4) { false } + listOf(true, false, true, false)
    }

    test("a random masked policy never takes an illegal action (the env would throw)") {
        val envs = mutableListOf<ParityEnv>()
        val venv = SyncVectorEnv.of(EnvFactory<FloatArray, Int> { ParityEnv().also { e -> envs += e } }, 1L, 2L, 3L)
        val head = CategoricalHead(4)
        val obs = FloatArray(3)
        venv.reset(longArrayOf(1, 2, 3), obs)
        val mask = BooleanArray(12)
        val actions = FloatArray(3)
        val rngs = Array<RandomGenerator>(3) { SplittableRandom(it + 10L) }
        repeat(300) {
            venv.actionMasks(mask)
            head.sample(DoubleArray(12), null, mask, 3, rngs, actions, DoubleArray(3))
            venv.step(actions, obs, DoubleArray(3), BooleanArray(3), BooleanArray(3), FloatArray(3))
        }
        envs.sumOf { it.received.size } shouldBe 900
        envs.flatMap { it.received }.toSet() shouldBe setOf(1, 2, 3, 4)
    }

    test("MultiDiscrete actions reach the env with their starts; per-component masks") {
        val env = DialEnv()
        val venv = SyncVectorEnv.of(EnvFactory<FloatArray, IntArray> { env }, 5L)
        venv.actionDim() shouldBe 2
        venv.maskDim() shouldBe 5
        venv.reset(longArrayOf(5), FloatArray(1))
        val head = MultiDiscreteHead(3, 2)
        val mask = BooleanArray(5)
        val actions = FloatArray(2)
        val rng = arrayOf<RandomGenerator>(SplittableRandom(3))
        repeat(200) {
            venv.actionMasks(mask)
            head.sample(DoubleArray(5), null, mask, 1, rng, actions, DoubleArray(1))
            venv.step(actions, FloatArray(1), DoubleArray(1), BooleanArray(1), BooleanArray(1), FloatArray(1))
        }
        env.received.size shouldBe 200
        env.received.map { it[0] }.toSet() shouldBe setOf(1, 2, 3)
        env.received.map { it[1] }.toSet() shouldBe setOf(0, 1)
        env.received.zipWithNext().all { (a, b) -> a[0] != b[0] } shouldBe true
    }

    test("a state with no valid action, an env without masks and bad buffers fail naming the copy") {
        val venv = SyncVectorEnv.of(EnvFactory<FloatArray, Int> { seed -> ParityEnv(noValidAt = if (seed == 2L) 0 else -1) },
            1L, 2L)
        venv.reset(longArrayOf(1, 2), FloatArray(2))
        shouldThrow<VectorEnvException> { venv.actionMasks(BooleanArray(8)) }.message shouldContain
            "env copy 1 (ParityEnv) reported an action mask with no valid action after 0 steps"
        shouldThrow<IllegalArgumentException> { venv.actionMasks(BooleanArray(7)) }.message shouldContain
            "numEnvs * maskDim = 2 * 4 = 8"
        val plain = SyncVectorEnv.of(EnvFactory<FloatArray, Int> { CounterEnv() }, 1L)
        plain.hasActionMasks() shouldBe false
        plain.reset(longArrayOf(1), FloatArray(2))
        shouldThrow<IllegalStateException> { plain.actionMasks(BooleanArray(3)) }.message shouldContain
            "does not implement ActionMasked"
        val md = SyncVectorEnv.of(EnvFactory<FloatArray, IntArray> { object : Env<FloatArray, IntArray> by DialEnv(), ActionMasked {
            override fun actionMask(mask: BooleanArray, offset: Int) { for (k in 0 until 5) mask[offset + k] = k < 3 }
        } }, 1L)
        md.reset(longArrayOf(1), FloatArray(1))
        shouldThrow<VectorEnvException> { md.actionMasks(BooleanArray(5)) }.message shouldContain
            "no valid action for component 1"
        shouldThrow<IllegalArgumentException> { ActionMasked.maskSize(Box.of(0f, 1f, 2)) }.message shouldContain
            "Discrete and MultiDiscrete"
    }

    test("gathering masks and sampling with them allocate nothing") {
        val venv = SyncVectorEnv.of(EnvSpec("Parity-v0", EnvFactory<FloatArray, Int> { ParityEnv() }, 100, Double.NaN),
            1L, 2L, 3L, 4L)
        venv.reset(longArrayOf(1, 2, 3, 4), FloatArray(4))
        val mask = BooleanArray(16)
        val head = CategoricalHead(4)
        val logits = DoubleArray(16) { it * 0.1 }
        val actions = FloatArray(4)
        val logp = DoubleArray(4)
        val ent = DoubleArray(4)
        val grad = DoubleArray(16)
        val w = DoubleArray(4) { 1.0 }
        val rngs = Array<RandomGenerator>(4) { SplittableRandom(it.toLong()) }
        fun round() {
            venv.actionMasks(mask)
            head.sample(logits, null, mask, 4, rngs, actions, logp)
            head.logProbAndEntropy(logits, null, mask, actions, 4, logp, ent)
            head.backward(logits, null, mask, actions, 4, w, w, grad, null)
        }
        val used = Allocation.steadyState(rounds = 1_000, budget = 1024) { round() }
        withClue("allocated $used bytes in 1,000 rounds") { (used < 1024) shouldBe true }
    }
})
