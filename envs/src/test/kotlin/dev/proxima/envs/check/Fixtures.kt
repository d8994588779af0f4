package dev.proxima.envs.check

import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvContractException
import dev.proxima.core.env.Reset
import dev.proxima.core.env.Step
import dev.proxima.core.space.Box
import dev.proxima.core.space.Discrete
import dev.proxima.core.space.Space
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
