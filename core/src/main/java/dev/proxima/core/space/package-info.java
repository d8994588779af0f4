/**
 * Observation and action spaces with Gymnasium's semantics: {@link dev.proxima.core.space.Discrete} and
 * {@link dev.proxima.core.space.Box}. A space flattens its elements into the float rows the network reads.
 */
package dev.proxima.core.space;
