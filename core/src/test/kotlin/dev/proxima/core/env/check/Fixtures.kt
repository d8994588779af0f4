package dev.proxima.core.env.check

import dev.proxima.core.env.ActionMasked
import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvChecks
import dev.proxima.core.env.EnvContractException
import dev.proxima.core.env.Reset
import dev.proxima.core.env.Step
import dev.proxima.core.env.TimeLimit
import dev.proxima.core.space.Box
import dev.proxima.core.space.Dict
import dev.proxima.core.space.Discrete
import dev.proxima.core.space.MultiDiscrete
import dev.proxima.core.space.Space
import dev.proxima.core.testing.TargetEnv
import java.util.Random
import java.util.SplittableRandom
import kotlin.math.abs

/**
 * A small env that keeps the whole contract: a point on [-10, 10], pushed by -1 or +1 from a random start in
 * [-2, 2), terminating when |x| reaches 9. Each broken fixture below overrides one thing.
 */
open class Walk : Env<FloatArray, Int> {
    private var rng: SplittableRandom? = null
    protected var x = 0.0
    private var started = false
    private var ended = false

    override fun observationSpace(): Space<FloatArray> = OBS
    override fun actionSpace(): Space<Int> = ACTIONS
    override fun name() = javaClass.simpleName

    override fun reset(seed: Long): Reset<FloatArray> {
        rng = SplittableRandom(seed)
        return start()
    }

    override fun reset(): Reset<FloatArray> {
        if (rng == null) rng = SplittableRandom()
        return start()
    }

    private fun start(): Reset<FloatArray> {
        x = startPosition(rng!!)
        started = true
        ended = false
        return Reset(observation())
    }

    protected open fun startPosition(rng: SplittableRandom) = rng.nextDouble(-2.0, 2.0)
    protected open fun observation() = floatArrayOf(x.toFloat(), (x / 10).toFloat())
    protected open fun reward() = -0.1
    protected open fun checkAction(action: Int) {
        if (!ACTIONS.contains(action)) throw EnvContractException("Walk: action $action is outside $ACTIONS")
    }
    protected open fun checkOrder() {
        if (!started) throw EnvContractException("Walk: step() before reset()")
        if (ended) throw EnvContractException("Walk: step() after the episode ended")
    }
    protected open fun move(action: Int) = if (action == 1) 1.0 else -1.0
    protected open fun ends() = abs(x) >= 9

    override fun step(action: Int): Step<FloatArray> {
        checkAction(action)
        checkOrder()
        x += move(action)
        ended = ends()
        return Step(observation(), reward(), ended, false)
    }

    companion object {
        val OBS: Box = Box.of(-10f, 10f, 2)
        val ACTIONS = Discrete(2)
    }
}

/** One fixture per check, each breaking exactly that part of the contract. */
object Broken {
    /** A space whose samples its own contains() rejects. */
    class BadSpace : Walk() {
        private val space = object : Space<Int> by ACTIONS {
            override fun sample(rng: java.util.random.RandomGenerator): Int = 7
            override fun toString() = "BadSpace"
        }
        override fun actionSpace(): Space<Int> = space
    }

    class StepsBeforeReset : Walk() {
        private var started = false
        override fun reset(seed: Long) = super.reset(seed).also { started = true }
        override fun checkOrder() {
            if (started) super.checkOrder() // before the first reset: silently steps from x = 0
        }
    }

    class UnseededReset : Walk() {
        override fun startPosition(rng: SplittableRandom) = SHARED.nextDouble() * 4 - 2
        companion object { val SHARED = Random() }
    }

    class IgnoresSeed : Walk() {
        override fun startPosition(rng: SplittableRandom) = 0.5
    }

    class ObservationOutOfBounds : Walk() {
        override fun observation() = floatArrayOf((3 * x).toFloat(), (x / 10).toFloat())
    }

    class ObservationWrongShape : Walk() {
        override fun observation() = floatArrayOf(x.toFloat(), (x / 10).toFloat(), 0f)
    }

    class ObservationNaN : Walk() {
        override fun observation() = floatArrayOf(x.toFloat(), if (abs(x) > 3) Float.NaN else 0f)
    }

    class NaNReward : Walk() {
        override fun reward() = if (abs(x) > 3) Double.NaN else -0.1
    }

    class NoisyStep : Walk() {
        override fun move(action: Int) = super.move(action) + NOISE.nextGaussian() * 1e-6
        companion object { val NOISE = Random() }
    }

    class ReusesObservation : Walk() {
        private val buffer = FloatArray(2)
        override fun observation(): FloatArray {
            buffer[0] = x.toFloat()
            buffer[1] = (x / 10).toFloat()
            return buffer
        }
    }

    /** Treats any action other than 1 as a push to the left. */
    class AcceptsAnyAction : Walk() {
        override fun checkAction(action: Int) {}
    }

    /** Indexes a table with the action, so a bad action fails with ArrayIndexOutOfBoundsException. */
    class UnclearRejection : Walk() {
        override fun checkAction(action: Int) {}
        override fun move(action: Int) = doubleArrayOf(-1.0, 1.0)[action]
    }

    class StepsAfterEnd : Walk() {
        private var done = false
        override fun reset(seed: Long) = super.reset(seed).also { done = false }
        override fun reset() = super.reset().also { done = false }
        override fun checkOrder() {
            if (!done) super.checkOrder()
        }
        override fun step(action: Int) = super.step(action).also { if (it.terminated()) done = true }
    }

    class NeverEnds : Walk() {
        override fun ends() = false
        override fun observation() = floatArrayOf(x.coerceIn(-10.0, 10.0).toFloat(), 0f)
    }

    class CloseTwiceFails : Walk() {
        private var closed = false
        override fun close() {
            check(!closed) { "already closed" }
            closed = true
        }
    }

    /** A continuous env that reads action[0] and nothing else: NaN, extra entries and any value go through. */
    class UncheckedContinuous : Env<FloatArray, FloatArray> {
        private val walk = Walk()
        override fun observationSpace(): Space<FloatArray> = Walk.OBS
        override fun actionSpace(): Space<FloatArray> = Box.of(-1f, 1f, 1)
        override fun reset(seed: Long) = walk.reset(seed)
        override fun reset() = walk.reset()
        override fun step(action: FloatArray) = walk.step(if (action[0] > 0) 1 else 0)
    }
}

/**
 * Walk with an action mask: pushing right (1) is illegal from x >= 4, and step() throws on it. Keeps the whole contract,
 * masks included; each broken fixture in [BrokenMasks] overrides one thing.
 */
open class MaskedWalk : Walk(), ActionMasked {
    protected open fun legal(action: Int) = action == 0 || x < 4

    override fun checkAction(action: Int) {
        super.checkAction(action)
        if (!legal(action)) throw IllegalArgumentException("MaskedWalk: action $action (right) is illegal at x = $x")
    }

    override fun actionMask(mask: BooleanArray, offset: Int) {
        mask[offset] = legal(0)
        mask[offset + 1] = legal(1)
    }
}

/**
 * The walk observed as Dict(position: Box(2), side: Discrete(2)) and driven by MultiDiscrete([2, 3], start = [0, 1]):
 * component 0 is the direction, component 1 a gear (1..3) whose value 3 is illegal left of 0 (masked; step throws).
 */
open class DictWalk : Env<Map<String, Any>, IntArray>, ActionMasked {
    private var rng: SplittableRandom? = null
    protected var x = 0.0
    private var started = false
    private var ended = false

    override fun observationSpace(): Space<Map<String, Any>> = OBS
    override fun actionSpace(): Space<IntArray> = ACTIONS
    override fun name() = javaClass.simpleName
    override fun reset(seed: Long): Reset<Map<String, Any>> { rng = SplittableRandom(seed); return start() }
    override fun reset(): Reset<Map<String, Any>> { if (rng == null) rng = SplittableRandom(); return start() }

    private fun start(): Reset<Map<String, Any>> {
        x = rng!!.nextDouble(-2.0, 2.0)
        started = true
        ended = false
        return Reset(observation())
    }

    protected open fun observation(): Map<String, Any> =
        mapOf("side" to if (x >= 0) 1 else 0, "position" to floatArrayOf(x.toFloat(), (x / 10).toFloat()))

    override fun step(action: IntArray): Step<Map<String, Any>> {
        if (!ACTIONS.contains(action)) throw EnvContractException("DictWalk: action ${action.contentToString()} is outside $ACTIONS")
        if (action[1] == 3 && x < 0) throw IllegalArgumentException("DictWalk: gear 3 is illegal left of 0 (x = $x)")
        if (!started) throw EnvContractException("DictWalk: step() before reset()")
        if (ended) throw EnvContractException("DictWalk: step() after the episode ended")
        x += (if (action[0] == 1) 1.0 else -1.0) * (1 + action[1]) / 4
        ended = abs(x) >= 9
        return Step(observation(), -0.1, ended, false)
    }

    override fun actionMask(mask: BooleanArray, offset: Int) {
        for (k in 0 until 5) mask[offset + k] = k != 4 || x >= 0
    }

    companion object {
        val OBS = Dict(mapOf("position" to Walk.OBS, "side" to Discrete(2)))
        val ACTIONS = MultiDiscrete(intArrayOf(2, 3), intArrayOf(0, 1))
    }
}

/** One fixture per mask check (and for composite observations), each breaking exactly that. */
object BrokenMasks {
    /** A mask on a continuous action space. */
    class MaskOnBox : Env<FloatArray, FloatArray> by EnvChecks(TimeLimit(TargetEnv(), 200)), ActionMasked {
        override fun actionMask(mask: BooleanArray, offset: Int) {}
        override fun name() = "MaskOnBox"
    }

    /** Sets the legal entries only, so the illegal ones keep whatever the buffer held. */
    class MaskLeavesEntries : MaskedWalk() {
        override fun actionMask(mask: BooleanArray, offset: Int) {
            if (legal(0)) mask[offset] = true
            if (legal(1)) mask[offset + 1] = true
        }
    }

    /** Writes from index 0 whatever the offset. */
    class MaskIgnoresOffset : MaskedWalk() {
        override fun actionMask(mask: BooleanArray, offset: Int) {
            mask[0] = legal(0)
            mask[1] = legal(1)
        }
    }

    /** Left of -3 nothing is legal, but the episode goes on. */
    class MaskAllowsNothing : MaskedWalk() {
        override fun legal(action: Int) = x > -3 && super.legal(action)
    }

    /** The mask rules right out from x >= 4, but step() takes it anyway. */
    class MaskedActionAccepted : MaskedWalk() {
        override fun checkAction(action: Int) {
            if (!ACTIONS.contains(action)) throw EnvContractException("action $action is outside $ACTIONS")
        }
    }

    /** Says masked actions are harmless, but throws on them. */
    class MaskedActionDeclaredHarmless : MaskedWalk() {
        override fun rejectsInvalidActions() = false
    }

    /** Rejects a masked action by failing on an array index. */
    class MaskedActionUnclear : MaskedWalk() {
        override fun checkAction(action: Int) {
            if (!ACTIONS.contains(action)) throw EnvContractException("action $action is outside $ACTIONS")
            if (!legal(action)) IntArray(1)[action + 1]++
        }
    }

    /** Drops the "side" key right of 3. */
    class DictObservationMissingKey : DictWalk() {
        override fun observation(): Map<String, Any> = if (x > 3) mapOf("position" to floatArrayOf(x.toFloat(), 0f)) else super.observation()
    }

    /** The position leaves its box when |x| > 3. */
    class DictObservationOutOfBounds : DictWalk() {
        override fun observation(): Map<String, Any> =
            mapOf("side" to if (x >= 0) 1 else 0, "position" to floatArrayOf((3 * x).toFloat(), 0f))
    }
}
