/**
 * Running PPO: the one trainer of Proxima. {@link dev.proxima.core.train.Trainer} (immutable settings: config,
 * sampling workers, callbacks) starts {@link dev.proxima.core.train.TrainingRun}s, whose loop is collect → advantage
 * → update → sync old policy → callbacks, blocking ({@code train}) or asynchronous ({@code trainAsync}, cancelled
 * between updates), stoppable, checkpointed ({@code save}) and resumable ({@code Trainer.resume}). Sampling workers
 * run on a {@link dev.proxima.core.train.SamplingExecutor} (the calling thread, an {@code ExecutorService}, or the
 * DSL's coroutine dispatchers) with identical results for any number of workers. Callbacks follow Stable-Baselines3:
 * {@link dev.proxima.core.train.Evaluate}, {@link dev.proxima.core.train.EarlyStop},
 * {@link dev.proxima.core.train.Checkpoint}, and update listeners. {@link dev.proxima.core.train.PpoLoop} is the
 * one-line entry point. The DSL, the command line and the benchmarks all drive this package.
 */
package dev.proxima.core.train;
