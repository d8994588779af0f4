package dev.proxima.envs.box2d

import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.run.Rng
import dev.proxima.core.space.Box
import kotlin.math.max
import kotlin.math.sqrt

/** Returns and lengths of 200 episodes. */
class Episodes(val returns: DoubleArray, val lengths: DoubleArray)

/**
 * Plays the golden `statistics` policies on our envs: seeds 0..199, one `reset(seed)` each on a fresh
 * `spec.make(seed)` env (TimeLimit and contract checks), Gymnasium's heuristic (BipedalWalker: first action zeros) or a
 * uniform random policy seeded with the episode seed.
 */
object Statistics {
    const val EPISODES = 200

    @Suppress("UNCHECKED_CAST")
    fun play(envId: String, policy: String, seeds: IntRange = 0 until EPISODES): Episodes {
        val spec = EnvRegistry.global().spec(envId)
        val returns = DoubleArray(seeds.count())
        val lengths = DoubleArray(seeds.count())
        for ((i, seed) in seeds.withIndex()) {
            val env = spec.make(seed.toLong()) as Env<FloatArray, Any>
            env.use {
                var obs = env.reset(seed.toLong()).observation()
                val rng = Rng(seed.toLong() xor 0x5DEECE66DL)
                val walker = BipedalWalkerHeuristic()
                var ret = 0.0
                var n = 0
                while (true) {
                    val a: Any = when (policy) {
                        "random" -> env.actionSpace().sample(rng)!!
                        "heuristic" -> when (envId) {
                            "LunarLander-v3" -> LunarLanderHeuristic.discrete(obs)
                            "LunarLanderContinuous-v3" -> LunarLanderHeuristic.continuous(obs)
                            else -> if (n == 0) FloatArray(4) else walker.act(obs)
                        }
                        else -> error(policy)
                    }
                    val s = env.step(a)
                    ret += s.reward()
                    n++
                    obs = s.observation()
                    if (s.done()) break
                }
                returns[i] = ret
                lengths[i] = n.toDouble()
            }
        }
        return Episodes(returns, lengths)
    }

    /** The two-sample Kolmogorov-Smirnov statistic: the largest gap between the empirical CDFs. */
    fun ks(a: DoubleArray, b: DoubleArray): Double {
        val x = a.sorted()
        val y = b.sorted()
        var i = 0
        var j = 0
        var d = 0.0
        while (i < x.size && j < y.size) {
            val v = minOf(x[i], y[j])
            while (i < x.size && x[i] <= v) i++
            while (j < y.size && y[j] <= v) j++
            d = max(d, kotlin.math.abs(i.toDouble() / x.size - j.toDouble() / y.size))
        }
        return d
    }

    /**
     * The KS critical value at level [alpha] for samples of sizes [n] and [m] (asymptotic:
     * `c(α)·sqrt((n+m)/(n·m))`, `c(α) = sqrt(-ln(α/2)/2)`).
     */
    fun ksCritical(n: Int, m: Int, alpha: Double): Double =
        sqrt(-kotlin.math.ln(alpha / 2) / 2) * sqrt((n + m).toDouble() / (n.toDouble() * m))
}
