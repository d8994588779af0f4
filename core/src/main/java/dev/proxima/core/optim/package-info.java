/**
 * Optimisation of the float64 parameter vector: {@link dev.proxima.core.optim.Adam} with torch's semantics,
 * {@link dev.proxima.core.optim.GradClip} ({@code clip_grad_norm_}), the learning-rate
 * {@link dev.proxima.core.optim.LrSchedule} and {@link dev.proxima.core.optim.NonFiniteException} for diverged
 * gradients.
 */
package dev.proxima.core.optim;
