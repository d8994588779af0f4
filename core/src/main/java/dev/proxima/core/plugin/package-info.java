/**
 * Plugins by id: {@link dev.proxima.core.plugin.Registry}, the one registry of envs, network factories and loss
 * terms, filled from {@link java.util.ServiceLoader} ({@code EnvProvider}, {@link
 * dev.proxima.core.plugin.NetworkProvider}, {@link dev.proxima.core.plugin.LossTermProvider}), from
 * {@code register...} calls, and with the built-ins. An unknown id fails with the known ids and the closest one. The
 * Kotlin {@code dsl} module adds Koin modules on top of it.
 */
package dev.proxima.core.plugin;
