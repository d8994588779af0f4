/**
 * {@link dev.proxima.core.env.check.EnvChecker}, the counterpart of Gymnasium's {@code check_env}: it runs an env
 * through the contract of {@link dev.proxima.core.env.Env} and reports each
 * {@link dev.proxima.core.env.check.Finding} with what was observed, what was expected and the likely cause.
 */
package dev.proxima.core.env.check;
