package dev.proxima.cluster.transport;

/** A worker's connection to its learner. */
public interface WorkerLink extends AutoCloseable {

    /** This connection's id, unique in the cluster (what the learner's {@link LearnerLink#send} takes). */
    String id();

    /** Sends {@code message} to the learner. */
    void send(byte[] message);

    /** The next message from the learner, waiting at most {@code timeoutMillis}; {@code null} when none came. */
    byte[] receive(long timeoutMillis) throws InterruptedException;

    /** Whether the connection to the learner is up. */
    boolean connected();

    @Override
    void close();
}
