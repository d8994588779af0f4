/**
 * Action distributions over the policy network's output: the {@link dev.proxima.core.dist.PolicyHead} contract,
 * {@link dev.proxima.core.dist.CategoricalHead} (logits, CleanRL {@code ppo.py}),
 * {@link dev.proxima.core.dist.MultiDiscreteHead} (independent categoricals, CleanRL {@code ppo_multidiscrete.py}),
 * {@link dev.proxima.core.dist.DiagGaussianHead} (means and state-independent {@code log_std}, CleanRL
 * {@code ppo_continuous_action.py}), {@link dev.proxima.core.dist.TanhGaussianHead} (the same squashed into a bounded
 * box) and {@link dev.proxima.core.dist.Heads#forActionSpace} to pick one. The choices a config carries are
 * {@link dev.proxima.core.dist.HeadOptions}: {@link dev.proxima.core.dist.ContinuousActions} and
 * {@link dev.proxima.core.dist.LogStdBound}, each with a stable string form.
 *
 * <p>Heads sample, evaluate log-probabilities and entropies, and back-propagate per-row gradients with respect to
 * those two quantities into the policy output and {@code log_std}; the loss terms of {@code dev.proxima.core.ppo}
 * produce the per-row gradients. The discrete heads take optional action masks (see {@code PolicyHead}). All math is
 * float64 and allocation-free per call.
 */
package dev.proxima.core.dist;
