/**
 * Gymnasium's Box2D environments on libGDX's JNI binding of the C++ Box2D: {@link dev.proxima.envs.box2d.LunarLander}
 * ({@code LunarLander-v3}), {@link dev.proxima.envs.box2d.LunarLanderContinuous} ({@code LunarLanderContinuous-v3}) and
 * {@link dev.proxima.envs.box2d.BipedalWalker} ({@code BipedalWalker-v3}, {@code BipedalWalkerHardcore-v3}), with
 * Gymnasium's options on the builders of {@link dev.proxima.envs.box2d.Box2dEnvs}, registered by
 * {@link dev.proxima.envs.box2d.Box2dProvider}, and Gymnasium's heuristic controllers
 * ({@link dev.proxima.envs.box2d.LunarLanderHeuristic}, {@link dev.proxima.envs.box2d.BipedalWalkerHeuristic}).
 * Each env is {@link dev.proxima.envs.render.Renderable}.
 *
 * <p>The natives (Linux, macOS, Windows) load on first use ({@link dev.proxima.envs.box2d.Box2dNatives}); a Box2D world
 * lives in native memory, so close envs you make yourself. The envs are not
 * {@link dev.proxima.core.env.Snapshottable}: a resumed training run starts their copies on new episodes.
 */
package dev.proxima.envs.box2d;
