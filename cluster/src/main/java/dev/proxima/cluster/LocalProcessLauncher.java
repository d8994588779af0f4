package dev.proxima.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Starts worker JVMs on this machine: {@code java [jvmArgs] -cp CLASSPATH MAIN [args] --join ... --cluster ...
 * --index I}. By default {@code java} is this JVM's, the class path is this JVM's ({@code java.class.path}) and the
 * main class is {@link Worker}; an application that registers its envs in its own {@code main} gives that class and
 * the argument that makes it a worker ({@code mainClass("com.acme.App").args("worker")}). Each worker's output goes to
 * {@code worker-I.log} in {@link #logDir(Path)} (default: a directory under the system temp dir), unless
 * {@link #inheritIO()}.
 */
public final class LocalProcessLauncher implements WorkerLauncher {
    static final LocalProcessLauncher DEFAULT = new LocalProcessLauncher(null, null, Worker.class.getName(), List.of(),
            List.of(), null, false);

    private final String java;
    private final String classPath;
    private final String mainClass;
    private final List<String> args;
    private final List<String> jvmArgs;
    private final Path logDir;
    private final boolean inheritIO;

    private LocalProcessLauncher(String java, String classPath, String mainClass, List<String> args,
            List<String> jvmArgs, Path logDir, boolean inheritIO) {
        this.java = java;
        this.classPath = classPath;
        this.mainClass = mainClass;
        this.args = List.copyOf(args);
        this.jvmArgs = List.copyOf(jvmArgs);
        this.logDir = logDir;
        this.inheritIO = inheritIO;
    }

    /** The main class of the workers (default {@link Worker}). */
    public LocalProcessLauncher mainClass(String mainClass) {
        return new LocalProcessLauncher(java, classPath, Objects.requireNonNull(mainClass, "mainClass"), args, jvmArgs,
                logDir, inheritIO);
    }

    /** Arguments before the worker's own ({@code --join ...}), e.g. the subcommand of an application's main. */
    public LocalProcessLauncher args(String... args) {
        return new LocalProcessLauncher(java, classPath, mainClass, List.of(args), jvmArgs, logDir, inheritIO);
    }

    /** JVM options of the workers, e.g. {@code -Xmx512m}. */
    public LocalProcessLauncher jvmArgs(String... jvmArgs) {
        return new LocalProcessLauncher(java, classPath, mainClass, args, List.of(jvmArgs), logDir, inheritIO);
    }

    /** The workers' class path (default: this JVM's). */
    public LocalProcessLauncher classPath(String classPath) {
        return new LocalProcessLauncher(java, Objects.requireNonNull(classPath, "classPath"), mainClass, args,
                jvmArgs, logDir, inheritIO);
    }

    /** The {@code java} executable (default: this JVM's). */
    public LocalProcessLauncher java(String java) {
        return new LocalProcessLauncher(Objects.requireNonNull(java, "java"), classPath, mainClass, args, jvmArgs,
                logDir, inheritIO);
    }

    /** Where {@code worker-I.log} files go. */
    public LocalProcessLauncher logDir(Path dir) {
        return new LocalProcessLauncher(java, classPath, mainClass, args, jvmArgs, Objects.requireNonNull(dir, "dir"),
                false);
    }

    /** The workers write to this JVM's standard output and error instead of log files. */
    public LocalProcessLauncher inheritIO() {
        return new LocalProcessLauncher(java, classPath, mainClass, args, jvmArgs, logDir, true);
    }

    /** The command that starts {@code launch}'s worker. */
    public List<String> command(Launch launch) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java != null ? java : Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath != null ? classPath : System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        cmd.addAll(launch.workerArgs());
        return cmd;
    }

    @Override
    public Handle launch(Launch launch) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(launch));
        Path log = null;
        if (inheritIO) {
            pb.inheritIO();
        } else {
            Path dir = logDir != null ? logDir
                    : Path.of(System.getProperty("java.io.tmpdir"), "proxima-" + launch.clusterName());
            Files.createDirectories(dir);
            log = dir.resolve("worker-" + launch.index() + ".log");
            pb.redirectErrorStream(true);
            // Appends: a replacement's output follows its predecessor's.
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        }
        pb.redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().close();
        return new ProcessHandle(p, log);
    }

    @Override
    public String toString() {
        return "localProcesses(" + mainClass + (args.isEmpty() ? "" : " " + String.join(" ", args)) + ")";
    }

    private record ProcessHandle(Process process, Path logFile) implements Handle {
        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public int exitCode() {
            return process.isAlive() ? -1 : process.exitValue();
        }

        @Override
        public void kill() {
            process.destroyForcibly();
        }

        @Override
        public String log() {
            return logFile == null ? "" : logFile.toString();
        }
    }
}
