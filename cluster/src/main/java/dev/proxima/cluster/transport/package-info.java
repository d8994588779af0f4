/**
 * The transport of a cluster run, behind three small interfaces ({@link dev.proxima.cluster.transport.Transport},
 * {@link dev.proxima.cluster.transport.LearnerLink}, {@link dev.proxima.cluster.transport.WorkerLink}), and its
 * Hazelcast implementation {@link dev.proxima.cluster.transport.HazelcastTransport}: the learner is the only
 * Hazelcast member, workers are Hazelcast clients, and messages are byte arrays in Proxima's own format.
 */
package dev.proxima.cluster.transport;
