/**
 * The Java samples: CartPole through the Java API ({@link dev.proxima.samples.java.CartPoleJava}), and a custom env
 * written in Java ({@link dev.proxima.samples.java.Catch}) found by id through {@link java.util.ServiceLoader}
 * ({@link dev.proxima.samples.java.CatchProvider}) and trained with core alone
 * ({@link dev.proxima.samples.java.CatchJava}). See {@code samples/README.md} for how to run them.
 */
package dev.proxima.samples.java;
