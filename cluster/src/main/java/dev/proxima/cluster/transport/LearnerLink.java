package dev.proxima.cluster.transport;

import java.util.function.Consumer;

/** The learner's end of a cluster: one inbox for every worker's messages, and a way to reach each worker. */
public interface LearnerLink extends AutoCloseable {

    /** The address workers join, {@code host:port} (the port actually bound). */
    String address();

    /** Sends {@code message} to worker {@code worker} (its {@link WorkerLink#id()}); never blocks for long. */
    void send(String worker, byte[] message);

    /**
     * The next message from any worker, waiting at most {@code timeoutMillis} ({@code 0}: only one that has already
     * arrived); {@code null} when none came. Anything that is not a byte message of a known worker connection (e.g. a
     * Java-serialised object) is refused, counted in {@link #refused()}, and not returned.
     */
    Envelope receive(long timeoutMillis) throws InterruptedException;

    /** Calls {@code listener} (on a transport thread) with the id of every worker whose connection is lost. */
    void onLost(Consumer<String> listener);

    /** Forgets worker {@code worker}: drops its pending messages. */
    void forget(String worker);

    /** Messages refused so far (foreign serialisation, damaged). */
    long refused();

    /** Stops the endpoint; workers still connected see the learner gone. */
    @Override
    void close();

    /** A message and the id of the worker connection it came from. */
    record Envelope(String from, byte[] body) {}
}
