/**
 * Observation and action spaces with Gymnasium's semantics: {@link dev.proxima.core.space.Box},
 * {@link dev.proxima.core.space.Discrete}, {@link dev.proxima.core.space.MultiDiscrete} and the composite
 * {@link dev.proxima.core.space.Tuple} and {@link dev.proxima.core.space.Dict}. A space flattens its elements into the
 * float rows the network reads; {@link dev.proxima.core.space.Spaces} holds Gymnasium's {@code flatten} functions and
 * {@link dev.proxima.core.space.FlatLayout} describes a row's layout so a saved policy can check it sees the same one.
 */
package dev.proxima.core.space;
