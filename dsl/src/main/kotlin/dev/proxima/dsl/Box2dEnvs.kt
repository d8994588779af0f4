package dev.proxima.dsl

import dev.proxima.core.env.EnvSpec
import dev.proxima.envs.box2d.Box2dEnvs

/*
 * The Box2D envs (module envs-box2d) as Kotlin values, so `ppo { env(LunarLander) }` compiles as written: each object
 * IS the env's default spec. Gymnasium's options (gravity, wind, hardcore, ...) are on the Java builders:
 * `env(Box2dEnvs.lunarLander().enableWind(true).spec())`.
 */

private fun limit(spec: EnvSpec<*, *>): Int = spec.maxEpisodeSteps().orElse(0)

private fun threshold(spec: EnvSpec<*, *>): Double = spec.rewardThreshold().orElse(Double.NaN)

private val LUNAR_LANDER = Box2dEnvs.lunarLander().spec()
private val LUNAR_LANDER_CONTINUOUS = Box2dEnvs.lunarLanderContinuous().spec()
private val BIPEDAL_WALKER = Box2dEnvs.bipedalWalker().spec()
private val BIPEDAL_WALKER_HARDCORE = Box2dEnvs.bipedalWalker().hardcore(true).spec()

/** `LunarLander-v3`: land on the pad with `Discrete(4)` engines; 1000 steps, solved at 200. */
object LunarLander : EnvSpec<FloatArray, Int>(
    LUNAR_LANDER.id(), LUNAR_LANDER.factory(), limit(LUNAR_LANDER), threshold(LUNAR_LANDER),
)

/** `LunarLanderContinuous-v3`: the same with `Box(2)` throttles; 1000 steps, solved at 200. */
object LunarLanderContinuous : EnvSpec<FloatArray, FloatArray>(
    LUNAR_LANDER_CONTINUOUS.id(), LUNAR_LANDER_CONTINUOUS.factory(), limit(LUNAR_LANDER_CONTINUOUS),
    threshold(LUNAR_LANDER_CONTINUOUS),
)

/** `BipedalWalker-v3`: walk a 4-joint robot across rough terrain with `Box(4)` motors; 1600 steps, solved at 300. */
object BipedalWalker : EnvSpec<FloatArray, FloatArray>(
    BIPEDAL_WALKER.id(), BIPEDAL_WALKER.factory(), limit(BIPEDAL_WALKER), threshold(BIPEDAL_WALKER),
)

/** `BipedalWalkerHardcore-v3`: the same over stumps, stairs and pits; 2000 steps, solved at 300. */
object BipedalWalkerHardcore : EnvSpec<FloatArray, FloatArray>(
    BIPEDAL_WALKER_HARDCORE.id(), BIPEDAL_WALKER_HARDCORE.factory(), limit(BIPEDAL_WALKER_HARDCORE),
    threshold(BIPEDAL_WALKER_HARDCORE),
)
