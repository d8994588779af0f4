/**
 * Gymnasium's classic-control environments, reproduced step for step (Gymnasium 1.4 with NumPy 2):
 * {@link dev.proxima.envs.classic.CartPole}, {@link dev.proxima.envs.classic.Pendulum},
 * {@link dev.proxima.envs.classic.MountainCar}, {@link dev.proxima.envs.classic.MountainCarContinuous} and
 * {@link dev.proxima.envs.classic.Acrobot}. Their specs (ids, time limits, reward thresholds) are in
 * {@link dev.proxima.envs.classic.ClassicControl} and are registered by
 * {@link dev.proxima.envs.classic.ClassicControlProvider}. Each env is also
 * {@link dev.proxima.envs.render.Renderable}.
 */
package dev.proxima.envs.classic;
