package dev.proxima.cluster;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts worker processes for a cluster run: the initial workers when the run opens, and replacements under
 * {@link FailurePolicy#restart}. {@link #localProcesses()} (the default) starts JVMs on the learner's machine;
 * {@link #external()} starts nothing (workers are started by hand or by a supervisor on other machines, with
 * {@code proxima worker --join ...} or {@link Worker#main}); implement it for other launchers (ssh, Kubernetes).
 */
@FunctionalInterface
public interface WorkerLauncher {

    /**
     * Starts the worker of {@code launch.index()}; it must connect to {@code launch.join()} with
     * {@link Launch#workerArgs()}.
     *
     * @return the started process, or {@code null} when this launcher starts nothing
     */
    Handle launch(Launch launch) throws IOException;

    /** Worker JVMs on this machine, with this JVM's java and class path and {@link Worker} as main class. */
    static LocalProcessLauncher localProcesses() {
        return LocalProcessLauncher.DEFAULT;
    }

    /** Starts nothing: workers join by themselves; a restart waits for a new worker to join. */
    static WorkerLauncher external() {
        return External.INSTANCE;
    }

    /**
     * What to start.
     *
     * @param index       the worker slot
     * @param join        the learner's {@code host:port}
     * @param clusterName the run's cluster name
     * @param threads     sampling threads per worker
     * @param attempt     1 for the first start of this slot, 2 for its first replacement, ...
     */
    record Launch(int index, String join, String clusterName, int threads, int attempt) {
        /** The arguments of {@link Worker#main} for this launch. */
        public List<String> workerArgs() {
            List<String> a = new ArrayList<>(List.of("--join", join, "--cluster", clusterName, "--index",
                    Integer.toString(index)));
            if (threads > 1) {
                a.add("--threads");
                a.add(Integer.toString(threads));
            }
            return a;
        }
    }

    /** A started worker process. */
    interface Handle {
        /** Its process id, or -1 when unknown. */
        long pid();

        boolean isAlive();

        /** Its exit code once it ended, else -1. */
        int exitCode();

        /** Ends it at once ({@code SIGKILL}); a frozen process too. */
        void kill();

        /** Where its output goes (a log file), or an empty string. */
        String log();
    }

    /** {@link #external()}. */
    enum External implements WorkerLauncher {
        INSTANCE;

        @Override
        public Handle launch(Launch launch) {
            return null;
        }

        @Override
        public String toString() {
            return "external";
        }
    }
}
