package dev.proxima.dsl

import dev.proxima.core.env.EnvSpec
import dev.proxima.envs.classic.ClassicControl

/*
 * The built-in envs as Kotlin values, so `ppo { env(CartPole) }` compiles as written: each object IS the env's spec,
 * with the factory, time limit and reward threshold of the corresponding ClassicControl spec.
 */

private fun limit(spec: EnvSpec<*, *>): Int = spec.maxEpisodeSteps().orElse(0)

private fun threshold(spec: EnvSpec<*, *>): Double = spec.rewardThreshold().orElse(Double.NaN)

/** `CartPole-v1`: balance a pole on a cart; `Discrete(2)`, 500 steps, solved at 475. */
object CartPole : EnvSpec<FloatArray, Int>(
    ClassicControl.cartPole().id(), ClassicControl.cartPole().factory(),
    limit(ClassicControl.cartPole()), threshold(ClassicControl.cartPole()),
)

/** `Pendulum-v1`: swing a pendulum up and hold it; `Box(1)` torque, 200 steps, no reward threshold. */
object Pendulum : EnvSpec<FloatArray, FloatArray>(
    ClassicControl.pendulum().id(), ClassicControl.pendulum().factory(),
    limit(ClassicControl.pendulum()), threshold(ClassicControl.pendulum()),
)

/** `MountainCar-v0`: drive an underpowered car up a hill; `Discrete(3)`, 200 steps, solved at -110. */
object MountainCar : EnvSpec<FloatArray, Int>(
    ClassicControl.mountainCar().id(), ClassicControl.mountainCar().factory(),
    limit(ClassicControl.mountainCar()), threshold(ClassicControl.mountainCar()),
)

/** `MountainCarContinuous-v0`: the same with a continuous force; `Box(1)`, 999 steps, solved at 90. */
object MountainCarContinuous : EnvSpec<FloatArray, FloatArray>(
    ClassicControl.mountainCarContinuous().id(), ClassicControl.mountainCarContinuous().factory(),
    limit(ClassicControl.mountainCarContinuous()), threshold(ClassicControl.mountainCarContinuous()),
)

/** `Acrobot-v1`: swing a two-link arm above a line; `Discrete(3)`, 500 steps, solved at -100. */
object Acrobot : EnvSpec<FloatArray, Int>(
    ClassicControl.acrobot().id(), ClassicControl.acrobot().factory(),
    limit(ClassicControl.acrobot()), threshold(ClassicControl.acrobot()),
)
