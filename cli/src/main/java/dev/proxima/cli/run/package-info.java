/**
 * What a training run writes into its directory, as core callbacks: {@code metrics.csv} (CleanRL metric names),
 * {@code evaluations.csv}, the TensorBoard event file, {@code reward_curve.png} (XChart), {@code summary.json} and
 * {@code run.json}; and the run monitor (the sampling executor that counts rollout steps for progress within an
 * update and says what a stop waits for).
 */
package dev.proxima.cli.run;
