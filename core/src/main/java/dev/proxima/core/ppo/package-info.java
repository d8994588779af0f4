/**
 * PPO itself, the algorithm only: {@link dev.proxima.core.ppo.PpoConfig} (validated, CleanRL's names and defaults,
 * from the one table of hyperparameters {@link dev.proxima.core.ppo.Params}), {@link dev.proxima.core.ppo.Preset}s,
 * the {@link dev.proxima.core.ppo.Rollout} buffer with GAE, the update ({@link dev.proxima.core.ppo.PpoUpdate}: epochs
 * of shuffled minibatches, in the order of {@code cleanrl/ppo.py}), and the trained policy
 * {@link dev.proxima.core.ppo.Agent}. Running it (the loop, sampling workers, callbacks, checkpoints) is
 * {@code dev.proxima.core.train}'s.
 *
 * <p>The PPO math: the {@link dev.proxima.core.ppo.LossTerm} plugin point and its built-in terms
 * ({@link dev.proxima.core.ppo.ClippedSurrogate}, {@link dev.proxima.core.ppo.ValueLoss},
 * {@link dev.proxima.core.ppo.EntropyBonus}, {@link dev.proxima.core.ppo.KlPenalty}), advantage estimation
 * ({@link dev.proxima.core.ppo.Gae}, {@link dev.proxima.core.ppo.Advantages}) and the diagnostics CleanRL logs
 * ({@link dev.proxima.core.ppo.KlStats}, {@link dev.proxima.core.ppo.ExplainedVariance}).
 *
 * <p>Everything follows {@code cleanrl/ppo.py} and {@code ppo_continuous_action.py} with torch semantics (sample std,
 * the subgradients of {@code max} and {@code clamp}) in float64, and is checked against golden vectors. A loss term
 * returns its value and adds its gradient with respect to the per-row log-probability, entropy and value (and, if it
 * reads them, the raw policy outputs); the policy head ({@code dev.proxima.core.dist}) carries it on to the network
 * outputs.
 */
package dev.proxima.core.ppo;
