/**
 * Implementation helpers shared by Proxima's modules: a strict JSON reader and writer ({@link
 * dev.proxima.core.internal.Json}) and the optimiser's thread team. Atomic file replacement is API:
 * {@link dev.proxima.core.io.AtomicFiles}.
 *
 * <p><b>Not API.</b> Nothing here is covered by compatibility promises; it may change or disappear in any release.
 * Applications should not use it directly.
 */
package dev.proxima.core.internal;
