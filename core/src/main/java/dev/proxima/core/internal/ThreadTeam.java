package dev.proxima.core.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads that runs one {@link Task} on all its members at once and returns when every member is
 * done: the optimiser's parallel sections (a layer's rows, a range of parameters). The caller is member 0, so a
 * team of {@code n} starts {@code n - 1} daemon threads, once; a team of 1 starts none and runs the task inline.
 *
 * <p>Why not an {@code ExecutorService}: one minibatch of CleanRL's CartPole network is six sections of 5-40 µs each
 * (clear the gradients, forward, backward, the gradient norm's blocks, Adam's update, the weight refresh), so a
 * hand-off must cost well under a microsecond (about 0.3 µs measured) and allocate nothing. The members spin on a
 * volatile counter for {@link #SPIN_NANOS} after each section (the next one usually follows within that), then park
 * until woken, so an idle team (during sampling, between runs) takes no CPU.
 *
 * <p>A section is {@code size} parts. Member {@code m} (the caller is member 0) claims part {@code m} first, then
 * any part still unclaimed: so part {@code m} runs on the same thread section after section while every member is
 * running, and the data it writes (a network's gradients, a range of Adam's moments) stays in that core's cache; and
 * the caller does not wait for a member the OS has not scheduled (a busy machine), it does that member's part
 * itself, so a section never takes much longer than on one thread. (Claiming parts in order from one counter let the
 * spinning member take part 0 before the caller in 3-35% of sections, moving both halves' data across cores.) The
 * task splits its work by part index with {@link #start}/{@link #end}; callers keep results independent of the
 * team's size and of who ran which part by splitting only work whose result does not depend on where the split falls
 * (rows, or output entries each summed in a fixed order). Not for concurrent use: one caller at a time.
 * {@link #close} stops the threads.
 */
public final class ThreadTeam implements AutoCloseable {

    /** How long an idle member spins before it parks. */
    private static final long SPIN_NANOS = 100_000;

    /** One parallel section: part {@code part} of {@code parts} (the parts together are the whole work). */
    @FunctionalInterface
    public interface Task {
        void run(int part, int parts);
    }

    private static final ThreadTeam SOLO = new ThreadTeam(1, "solo");

    private final int size;
    private final Thread[] threads;
    private final String name;
    /** The section being run: its generation, one more per parallel section. */
    private final AtomicLong generation = new AtomicLong();
    /**
     * Per part: the generation that last claimed it. A thread claims part {@code p} of section {@code g} by moving it
     * from {@code g - 1} to {@code g} (every part of every section is claimed), so it can never take a part of a later
     * section with an earlier task.
     */
    private final AtomicLongArray claimed;
    /** Parts of the current section finished. */
    private final AtomicInteger done = new AtomicInteger();
    /** Per member: 1 while it is parked or about to park, so the caller knows to unpark it. */
    private final AtomicIntegerArray sleeping;
    private volatile boolean closed;
    private Task task;
    private volatile Throwable failure;

    private ThreadTeam(int size, String name) {
        this.size = size;
        this.name = name;
        this.threads = new Thread[size];
        this.sleeping = new AtomicIntegerArray(size);
        this.claimed = new AtomicLongArray(size);
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

    /** First index of part {@code part}'s share of {@code n} items (contiguous, sizes differing by at most 1). */
    public static int start(int n, int part, int parts) {
        return (int) ((long) n * part / parts);
    }

    /** One past the last index of part {@code part}'s share of {@code n} items. */
    public static int end(int n, int part, int parts) {
        return (int) ((long) n * (part + 1) / parts);
    }

    /**
     * Runs {@code task} as {@link #size()} parts over the team if {@code parallel} (else as one part on the caller)
     * and returns when all parts are done; rethrows a part's exception. Small work is cheaper inline than handed
     * off: callers pass {@code parallel = false} for it, which must not change the results.
     */
    public void run(Task task, boolean parallel) {
        int parts = size;
        if (parts == 1 || !parallel) {
            task.run(0, 1);
            return;
        }
        if (closed) {
            throw new IllegalStateException("ThreadTeam " + name + " is closed.");
        }
        this.task = task;
        done.set(0);
        long g = generation.get() + 1;
        generation.set(g); // volatile write: publishes the task and the reset count to the members
        for (int m = 1; m < size; m++) {
            if (sleeping.get(m) != 0) {
                LockSupport.unpark(threads[m]);
            }
        }
        runParts(g, 0);
        int spins = 0;
        while (done.get() != parts) {
            if (++spins < 1_000) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // a member holds a part but has no core: let it run
            }
        }
        this.task = null;
        Throwable first = failure;
        if (first != null) {
            failure = null;
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
            long g = generation.get();
            if (g == seen) {
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                while ((g = generation.get()) == seen && !closed && System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                }
                if (g == seen) {
                    sleeping.set(member, 1);
                    // Dekker-style with the caller's "publish, then read sleeping": one of us sees the other.
                    while ((g = generation.get()) == seen && !closed) {
                        LockSupport.park(this);
                    }
                    sleeping.set(member, 0);
                    if (g == seen) {
                        return; // closed
                    }
                }
            }
            seen = g;
            runParts(g, member); // nothing if the caller took every part already
        }
    }

    /**
     * Claims and runs parts of section {@code g}, part {@code first} first, then the others in order, until none is
     * left. The task field is this section's: the caller publishes the next one only after every part of this one is
     * done, and it is read only once a part is held. A part's exception is kept for the caller (the first one) and the
     * other parts still run, so the count of done parts always completes.
     */
    private void runParts(long g, int first) {
        for (int k = 0; k < size; k++) {
            int part = k == 0 ? first : k <= first ? k - 1 : k;
            if (generation.get() != g) {
                return; // a later section: every part of this one was claimed
            }
            if (!claimed.compareAndSet(part, g - 1, g)) {
                continue;
            }
            try {
                task.run(part, size);
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e;
                }
            } finally {
                done.incrementAndGet();
            }
        }
    }

    /** Stops the member threads (they finish the part they are in); the solo team ignores this. */
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
