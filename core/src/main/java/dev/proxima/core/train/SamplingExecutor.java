package dev.proxima.core.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * How the sampling workers of one rollout step run: {@code run(n, task)} calls {@code task.accept(w)} for every worker
 * {@code w} in {@code [0, n)} and returns when all have finished. Each worker infers its env copies' actions in one
 * batch and steps those copies; workers touch disjoint copies, rows and workspaces, and every copy has its own action
 * stream, so the rollout (and the run) is the same for any executor and any number of workers.
 *
 * <p>Built in: {@link #direct()} (the calling thread, one worker after the other) and {@link #of(ExecutorService)}
 * (worker 0 on the calling thread, the others on the pool). The Kotlin {@code dsl} module adds one for coroutine
 * dispatchers. The first failure of a worker is rethrown after all workers have finished, with later failures
 * suppressed.
 */
@FunctionalInterface
public interface SamplingExecutor {

    /** Runs {@code task} for workers {@code 0..n-1} and returns when all are done. */
    void run(int n, IntConsumer task);

    /** Every worker on the calling thread, in order. */
    static SamplingExecutor direct() {
        return (n, task) -> {
            for (int w = 0; w < n; w++) {
                task.accept(w);
            }
        };
    }

    /**
     * Workers {@code 1..n-1} on {@code pool} and worker 0 on the calling thread, which then waits for the others. The
     * pool (an {@link ExecutorService}, or any {@link Executor} such as a coroutine dispatcher's) is not shut down by
     * Proxima; it needs {@code n - 1} threads for the workers to run in parallel.
     */
    static SamplingExecutor of(Executor pool) {
        Objects.requireNonNull(pool, "pool");
        return (n, task) -> {
            if (n == 1) {
                task.accept(0);
                return;
            }
            List<Future<?>> futures = new ArrayList<>(n - 1);
            for (int w = 1; w < n; w++) {
                int worker = w;
                FutureTask<Void> f = new FutureTask<>(() -> task.accept(worker), null);
                pool.execute(f);
                futures.add(f);
            }
            Throwable failure = null;
            try {
                task.accept(0);
            } catch (RuntimeException | Error e) {
                failure = e;
            }
            boolean interrupted = false;
            for (Future<?> f : futures) {
                while (true) {
                    try {
                        f.get();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true; // finish the step first: the workers hold the env copies
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause() instanceof RuntimeException || e.getCause() instanceof Error
                                ? e.getCause()
                                : new IllegalStateException("sampling worker failed: " + e.getCause(), e.getCause());
                        if (failure == null) {
                            failure = cause;
                        } else {
                            failure.addSuppressed(cause);
                        }
                        break;
                    }
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure instanceof Error err) {
                throw err;
            }
            if (failure != null) {
                throw (RuntimeException) failure;
            }
        };
    }
}
