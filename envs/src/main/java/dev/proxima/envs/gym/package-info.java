/**
 * The Gymnasium bridge: train and evaluate on Python envs from the JVM. {@link dev.proxima.envs.gym.GymEnv} is one env
 * copy in a Python child process running a small standard-library server shipped in this jar
 * ({@code proxima_gym_server.py}); {@link dev.proxima.envs.gym.GymSpec} configures and makes copies (interpreter,
 * kwargs, timeout); {@link dev.proxima.envs.gym.GymProvider} resolves ids {@code gym:<id>}. Copies of one spec are
 * stepped together, one message per vector step. The wire protocol is documented in {@code docs/gym-bridge.md}.
 */
package dev.proxima.envs.gym;
