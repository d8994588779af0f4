/**
 * PPO itself. The trainer: {@link dev.proxima.core.ppo.PpoConfig} (validated, CleanRL's names and defaults),
 * {@link dev.proxima.core.ppo.Stages} (the run's state and its five stages), {@link dev.proxima.core.ppo.PpoLoop}
 * (the blocking entry point), {@link dev.proxima.core.ppo.Agent} (the trained policy, evaluation) and
 * {@link dev.proxima.core.ppo.Checkpoint} (the file format).
 *
 * <p>The PPO math: the {@link dev.proxima.core.ppo.LossTerm} plugin point and its built-in terms
 * ({@link dev.proxima.core.ppo.ClippedSurrogate}, {@link dev.proxima.core.ppo.ValueLoss},
 * {@link dev.proxima.core.ppo.EntropyBonus}, {@link dev.proxima.core.ppo.KlPenalty}), advantage estimation
 * ({@link dev.proxima.core.ppo.Gae}, {@link dev.proxima.core.ppo.Advantages}) and the diagnostics CleanRL logs
 * ({@link dev.proxima.core.ppo.KlStats}, {@link dev.proxima.core.ppo.ExplainedVariance}).
 *
 * <p>Everything follows {@code cleanrl/ppo.py} and {@code ppo_continuous_action.py} with torch semantics (sample std,
 * the subgradients of {@code max} and {@code clamp}) in float64, and is checked against golden vectors. A loss term
 * returns its value and adds its gradient with respect to the per-row log-probability, entropy and value; the
 * policy head ({@code dev.proxima.core.dist}) carries it on to the network outputs.
 */
package dev.proxima.core.ppo;
