/**
 * The network engine: a small float32 dense-layer library written for C2's auto-vectoriser
 * ({@link dev.proxima.core.nn.Dense}, {@link dev.proxima.core.nn.Mlp}, {@link dev.proxima.core.nn.Activation}),
 * and the actor-critic networks PPO trains ({@link dev.proxima.core.nn.ActorCritic}), configured and built by
 * {@link dev.proxima.core.nn.Network} (a {@link dev.proxima.core.nn.NetworkFactory}). Master parameters are float64
 * for the optimiser; forward and backward run on a float32 copy, as CleanRL's torch models do.
 */
package dev.proxima.core.nn;
