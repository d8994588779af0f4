/**
 * The environment SPI with Gymnasium's semantics: {@link dev.proxima.core.env.Env}, its results
 * {@link dev.proxima.core.env.Step} and {@link dev.proxima.core.env.Reset}, specs and the
 * {@link dev.proxima.core.env.EnvRegistry} fed by {@link dev.proxima.core.env.EnvProvider} services, wrappers
 * ({@link dev.proxima.core.env.TimeLimit} and friends) and the auto-resetting vector env the trainer samples from.
 * An env that has illegal actions in some states reports its valid ones through
 * {@link dev.proxima.core.env.ActionMasked}; the vector env gathers them with {@code SyncVectorEnv.actionMasks}.
 */
package dev.proxima.core.env;
