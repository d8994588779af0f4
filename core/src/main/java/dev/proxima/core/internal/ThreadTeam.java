package dev.proxima.core.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads that runs one {@link Task} on all its members at once and returns when every member is
 * done: the optimiser's parallel sections (a layer's rows, a range of parameters). The caller is member 0, so a
 * team of {@code n} starts {@code n - 1} daemon threads, once; a team of 1 starts none and runs the task inline.
 *
 * <p>Why not an {@code ExecutorService}: one minibatch of CleanRL's CartPole network is a few dozen sections of
 * 10-50 µs each, so a hand-off must cost about a microsecond and allocate nothing. The members spin on a volatile
 * generation counter for {@link #SPIN_NANOS} after each section (the next one usually follows within that), then
 * park until woken, so an idle team (during sampling, between runs) takes no CPU.
 *
 * <p>What each member does is up to the task, which splits its work by member index with {@link #start}/{@link #end};
 * callers keep results independent of the team's size by splitting only work whose result does not depend on where
 * the split falls (rows, or output entries each summed in a fixed order). Not for concurrent use: one caller at a
 * time. {@link #close} stops the threads.
 */
public final class ThreadTeam implements AutoCloseable {

    /** How long an idle member spins before it parks. */
    private static final long SPIN_NANOS = 200_000;

    /** One parallel section: member {@code member} of {@code members} does its share. */
    @FunctionalInterface
    public interface Task {
        void run(int member, int members);
    }

    private static final ThreadTeam SOLO = new ThreadTeam(1, "solo");

    private final int size;
    private final Thread[] threads;
    private final String name;
    private volatile long generation;
    private volatile boolean closed;
    private final AtomicInteger pending = new AtomicInteger();
    /** Per member: true while it is parked or about to park, so the caller knows to unpark it. */
    private final java.util.concurrent.atomic.AtomicIntegerArray sleeping;
    private Task task;
    private volatile Throwable failure;

    private ThreadTeam(int size, String name) {
        this.size = size;
        this.name = name;
        this.threads = new Thread[size];
        this.sleeping = new java.util.concurrent.atomic.AtomicIntegerArray(size);
        for (int m = 1; m < size; m++) {
            int member = m;
            Thread t = new Thread(() -> work(member), name + "-" + m);
            t.setDaemon(true);
            threads[m] = t;
            t.start();
        }
    }

    /** A team of {@code size} members (the caller and {@code size - 1} new daemon threads named {@code name-i}). */
    public static ThreadTeam of(int size, String name) {
        if (size < 1) {
            throw new IllegalArgumentException("ThreadTeam: size = " + size + "; a team has at least 1 member.");
        }
        return size == 1 ? SOLO : new ThreadTeam(size, name);
    }

    /** The team of one: runs every task inline on the caller; nothing to close. */
    public static ThreadTeam solo() {
        return SOLO;
    }

    public int size() {
        return size;
    }

    /** First index of member {@code member}'s share of {@code n} items (contiguous, sizes differing by at most 1). */
    public static int start(int n, int member, int members) {
        return (int) ((long) n * member / members);
    }

    /** One past the last index of member {@code member}'s share of {@code n} items. */
    public static int end(int n, int member, int members) {
        return (int) ((long) n * (member + 1) / members);
    }

    /**
     * Runs {@code task} on every member if {@code parallel} (else on the caller alone, as member 0 of 1) and returns
     * when all are done; rethrows a member's exception. Small work is cheaper inline than handed off: callers pass
     * {@code parallel = false} for it, which must not change the results.
     */
    public void run(Task task, boolean parallel) {
        int n = size;
        if (n == 1 || !parallel) {
            task.run(0, 1);
            return;
        }
        if (closed) {
            throw new IllegalStateException("ThreadTeam " + name + " is closed.");
        }
        this.task = task;
        pending.set(n - 1);
        generation++; // volatile write: publishes the task to the members
        for (int m = 1; m < n; m++) {
            if (sleeping.get(m) != 0) {
                LockSupport.unpark(threads[m]);
            }
        }
        Throwable own = null;
        try {
            task.run(0, n);
        } catch (RuntimeException | Error e) {
            own = e;
        }
        while (pending.get() != 0) {
            Thread.onSpinWait();
        }
        this.task = null;
        Throwable f = failure;
        if (f != null || own != null) {
            failure = null;
            Throwable first = own != null ? own : f;
            if (first instanceof RuntimeException r) {
                throw r;
            }
            if (first instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(first);
        }
    }

    private void work(int member) {
        long seen = 0;
        while (true) {
            long g = generation;
            if (g == seen) {
                if (closed) {
                    return;
                }
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while ((g = generation) == seen && !closed && System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                }
                if (g == seen) {
                    sleeping.set(member, 1);
                    // Dekker-style with the caller's "generation++ then read sleeping": one of us sees the other.
                    while ((g = generation) == seen && !closed) {
                        LockSupport.park(this);
                    }
                    sleeping.set(member, 0);
                    if (g == seen) {
                        return; // closed
                    }
                }
            }
            seen = g;
            try {
                task.run(member, size);
            } catch (Throwable e) {
                failure = e;
            }
            pending.decrementAndGet();
        }
    }

    /** Stops the member threads (they finish the section they are in); the solo team ignores this. */
    @Override
    public void close() {
        if (this == SOLO || closed) {
            return;
        }
        closed = true;
        for (int m = 1; m < size; m++) {
            LockSupport.unpark(threads[m]);
        }
    }

    @Override
    public String toString() {
        return "ThreadTeam(" + name + ", " + size + (closed ? ", closed)" : ")");
    }
}
