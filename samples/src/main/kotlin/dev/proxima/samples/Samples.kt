/**
 * Helpers shared by the samples: the step budget from the command line, and the return of a uniformly random policy,
 * the baseline a trained agent has to beat.
 */
package dev.proxima.samples

import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.ppo.EvalResult
import dev.proxima.core.run.Rng

/**
 * The env-step budget of a sample: `--steps N` on the command line, else the system property `steps` (as
 * `-Dsteps=N` on the Maven command line of README.md), else [default].
 */
fun budget(args: Array<String>, default: Long): Long {
    val i = args.indexOf("--steps")
    val text = if (i >= 0 && i + 1 < args.size) args[i + 1] else System.getProperty("steps")
    return text?.replace("_", "")?.toLongOrNull()?.takeIf { it > 0 }
        ?: if (text == null) default else throw IllegalArgumentException(
            "steps = \"$text\" is not a positive whole number of env steps; e.g. --steps 50000",
        )
}

/** Returns of [episodes] episodes of a uniformly random policy on [spec], made as training makes it. */
fun randomPolicy(spec: EnvSpec<*, *>, episodes: Int, seed: Long): EvalResult {
    val rng = Rng(seed)
    return play(spec, episodes, seed) { env, _ -> env.actionSpace().sample(rng) }
}

/**
 * Returns of [episodes] episodes of [policy] (which sees the env and the observation) on [spec], made as training
 * makes it, the first reset with [seed]: a baseline to compare a trained agent with.
 */
fun <O, A> play(spec: EnvSpec<O, A>, episodes: Int, seed: Long, policy: (Env<O, A>, O) -> A): EvalResult {
    val returns = ArrayList<Double>()
    val lengths = ArrayList<Int>()
    spec.make(seed).use { env ->
        var obs = env.reset(seed).observation()
        repeat(episodes) { ep ->
            if (ep > 0) obs = env.reset().observation()
            var ret = 0.0
            var len = 0
            do {
                val step = env.step(policy(env, obs))
                obs = step.observation()
                ret += step.reward()
                len++
            } while (!step.done())
            returns += ret
            lengths += len
        }
    }
    return EvalResult(returns, lengths)
}
