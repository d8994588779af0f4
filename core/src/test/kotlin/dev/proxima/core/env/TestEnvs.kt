package dev.proxima.core.env

import dev.proxima.core.space.Box
import dev.proxima.core.space.Discrete
import dev.proxima.core.space.Space
import java.util.SplittableRandom

/**
 * A counter with known rewards: observation [t, noise] where t counts the steps of the episode and noise is drawn
 * from the env's random stream at each reset; the reward of step t with action index k is 10*t + k. Terminates when
 * t reaches [terminateAt]. Actions are Discrete(3, start).
 */
class CounterEnv(
    private val terminateAt: Int = Int.MAX_VALUE,
    start: Int = 0,
    private val failAtStep: Int = -1,
    private val nanAtStep: Int = -1,
) : Env<FloatArray, Int> {
    private val obsSpace = Box.of(-1000f, 1000f, 2)
    private val actSpace = Discrete(3, start)
    private var rng: SplittableRandom? = null
    private var t = 0
    private var noise = 0f
    var episodes = 0
        private set
    val actionsReceived = mutableListOf<Int>()

    override fun observationSpace(): Space<FloatArray> = obsSpace
    override fun actionSpace(): Space<Int> = actSpace

    override fun reset(seed: Long): Reset<FloatArray> {
        rng = SplittableRandom(seed)
        return newEpisode()
    }

    override fun reset(): Reset<FloatArray> = newEpisode()

    private fun newEpisode(): Reset<FloatArray> {
        val r = checkNotNull(rng) { "reset(seed) first" }
        t = 0
        noise = r.nextInt(100).toFloat()
        episodes++
        return Reset(floatArrayOf(0f, noise), mapOf("reset" to episodes))
    }

    override fun step(action: Int): Step<FloatArray> {
        actionsReceived += action
        t++
        if (t == failAtStep) throw IllegalStateException("boom at $t")
        val k = action - actSpace.start()
        val obs = floatArrayOf(t.toFloat(), if (t == nanAtStep) Float.NaN else noise)
        return Step(obs, 10.0 * t + k, t >= terminateAt, false, mapOf("t" to t))
    }

    companion object {
        /** Reward of episode step [t] with action index [k]. */
        fun reward(t: Int, k: Int) = 10.0 * t + k

        /** The noise values a fresh CounterEnv draws for its first [n] episodes after reset(seed). */
        fun noises(seed: Long, n: Int): List<Float> {
            val r = SplittableRandom(seed)
            return List(n) { r.nextInt(100).toFloat() }
        }
    }
}

/** A continuous env: the observation is the action it received; reward = sum of the action; never ends. */
class EchoEnv : Env<FloatArray, FloatArray> {
    private val space = Box.of(floatArrayOf(-1f, -2f), floatArrayOf(1f, 2f))
    val received = mutableListOf<FloatArray>()
    var lastActionRef: FloatArray? = null
        private set

    override fun observationSpace(): Space<FloatArray> = Box.of(-10f, 10f, 2)
    override fun actionSpace(): Space<FloatArray> = space
    override fun reset(seed: Long) = Reset(floatArrayOf(0f, 0f))
    override fun reset() = Reset(floatArrayOf(0f, 0f))
    override fun step(action: FloatArray): Step<FloatArray> {
        lastActionRef = action
        received += action.clone()
        return Step(action.clone(), (action[0] + action[1]).toDouble(), false, false)
    }
}

/** Plays back fixed observations and rewards; terminates where told. */
class ScriptEnv(
    private val observations: List<FloatArray>,
    private val rewards: List<Double>,
    private val terminatedAt: Set<Int> = emptySet(),
    private val truncatedAt: Set<Int> = emptySet(),
    private val first: FloatArray = FloatArray(observations[0].size),
) : Env<FloatArray, Int> {
    private var i = 0
    override fun observationSpace(): Space<FloatArray> = Box.of(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, first.size)
    override fun actionSpace(): Space<Int> = Discrete(2)
    override fun reset(seed: Long) = Reset(first.clone())
    override fun reset() = Reset(first.clone())
    override fun step(action: Int): Step<FloatArray> {
        val k = i++
        return Step(observations[k].clone(), rewards[k], k in terminatedAt, k in truncatedAt)
    }
}

class TestEnvProvider : EnvProvider {
    override fun specs(): Collection<EnvSpec<*, *>> = listOf(
        EnvSpec("Counter-v0", EnvFactory { CounterEnv() }, 5, Double.NaN),
        // A stand-in under a familiar id, to test the "did you mean" message.
        EnvSpec("CartPole-v1", EnvFactory { CounterEnv(terminateAt = 3) }, 500, 475.0),
    )
}
