package dev.proxima.core.testing

import dev.proxima.core.ppo.PpoConfig

import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvFactory
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.env.Reset
import dev.proxima.core.env.Snapshottable
import dev.proxima.core.env.Step
import dev.proxima.core.run.Rng
import dev.proxima.core.space.Box
import dev.proxima.core.space.Discrete
import dev.proxima.core.space.Space

/**
 * A contextual bandit in episodes: the observation is a cue (+1 or -1, drawn from the env's stream) and noise; the
 * reward is 1 when the action index matches the cue's sign (1 for +1, 0 for -1), else 0. Never terminates: the spec's
 * time limit truncates, so bootstrapping is exercised. A random policy earns 0.5 per step.
 */
class CueEnv : Env<FloatArray, Int>, Snapshottable {
    private var rng: Rng? = null
    private var cue = 1f
    private var noise = 0f

    override fun observationSpace(): Space<FloatArray> = Box.of(-2f, 2f, 2)
    override fun actionSpace(): Space<Int> = Discrete(2)
    override fun reset(seed: Long): Reset<FloatArray> {
        rng = Rng(seed)
        return Reset(draw())
    }

    override fun reset(): Reset<FloatArray> = Reset(draw())

    private fun draw(): FloatArray {
        val r = checkNotNull(rng)
        cue = if (r.nextBoolean()) 1f else -1f
        noise = (r.nextDouble() - 0.5).toFloat()
        return floatArrayOf(cue, noise)
    }

    override fun step(action: Int): Step<FloatArray> {
        val right = (action == 1) == (cue > 0)
        return Step(draw(), if (right) 1.0 else 0.0, false, false)
    }

    override fun snapshot(): LongArray = longArrayOf(
        if (rng == null) 0 else 1, rng?.state() ?: 0, cue.toRawBits().toLong(), noise.toRawBits().toLong(),
    )

    override fun restore(snapshot: LongArray) {
        Snapshottable.checkLength(snapshot, 4, CueEnv::class.java)
        rng = if (snapshot[0] == 0L) null else Rng.fromState(snapshot[1])
        cue = Float.fromBits(snapshot[2].toInt())
        noise = Float.fromBits(snapshot[3].toInt())
    }
}

/**
 * Continuous control in one step of thought: the observation is a target in [-1, 1]; the reward is
 * -(a - target)^2 with the action clipped by the box [-1, 1]. Terminates after 8 steps.
 */
class TargetEnv : Env<FloatArray, FloatArray>, Snapshottable {
    private var rng: Rng? = null
    private var target = 0f
    private var t = 0

    override fun observationSpace(): Space<FloatArray> = Box.of(-1f, 1f, 1)
    override fun actionSpace(): Space<FloatArray> = Box.of(-1f, 1f, 1)
    override fun reset(seed: Long): Reset<FloatArray> {
        rng = Rng(seed)
        return reset()
    }

    override fun reset(): Reset<FloatArray> {
        t = 0
        return Reset(draw())
    }

    private fun draw(): FloatArray {
        target = (checkNotNull(rng).nextDouble() * 2 - 1).toFloat()
        return floatArrayOf(target)
    }

    override fun step(action: FloatArray): Step<FloatArray> {
        val d = (action[0] - target).toDouble()
        t++
        return Step(draw(), -d * d, t >= 8, false)
    }

    override fun snapshot(): LongArray = longArrayOf(rng?.state() ?: 0, target.toRawBits().toLong(), t.toLong())

    override fun restore(snapshot: LongArray) {
        Snapshottable.checkLength(snapshot, 3, TargetEnv::class.java)
        rng = Rng.fromState(snapshot[0])
        target = Float.fromBits(snapshot[1].toInt())
        t = snapshot[2].toInt()
    }
}

val CUE: EnvSpec<FloatArray, Int> = EnvSpec("Cue-v0", EnvFactory { CueEnv() }, 16, Double.NaN)
val TARGET: EnvSpec<FloatArray, FloatArray> = EnvSpec("Target-v0", EnvFactory { TargetEnv() }, 0, Double.NaN)

/** A small, fast configuration on [CUE]. */
fun cueConfig(seed: Long = 1): PpoConfig.Builder = PpoConfig.builder().env(CUE).seed(seed).rollout(4, 32)
    .numMinibatches(4).updateEpochs(4).learningRate(3e-3)
    .network(dev.proxima.core.nn.Network.separate(intArrayOf(16), intArrayOf(16)))
