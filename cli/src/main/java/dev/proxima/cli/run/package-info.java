/**
 * What a training run writes into its directory: {@code metrics.csv} (CleanRL metric names), the TensorBoard event
 * file, evaluations, best and last checkpoints, {@code reward_curve.png} (XChart) and {@code summary.json}.
 */
package dev.proxima.cli.run;
