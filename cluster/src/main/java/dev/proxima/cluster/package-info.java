/**
 * Distributed rollouts: a learner JVM trains PPO while worker JVMs (on this machine or others) sample the env copies,
 * over Hazelcast. {@link dev.proxima.cluster.ClusterCollector} plugs into core's trainer
 * ({@code Trainer.Builder.collector}); {@link dev.proxima.cluster.Worker} is the workers' entry point;
 * {@link dev.proxima.cluster.FailurePolicy} says what a failed worker costs (RLlib's semantics: fail, ignore,
 * restart); {@link dev.proxima.cluster.WorkerLauncher} starts workers and replacements;
 * {@link dev.proxima.cluster.ClusterListener} and {@link dev.proxima.cluster.ClusterStatus} report on the run. The
 * transport is behind {@link dev.proxima.cluster.transport.Transport}. See the module's README for the protocol, the
 * normalisation scheme and the security defaults.
 */
package dev.proxima.cluster;
