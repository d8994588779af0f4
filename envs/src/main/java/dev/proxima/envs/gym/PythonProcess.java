package dev.proxima.envs.gym;

import dev.proxima.core.env.StepBatch;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Discrete;
import dev.proxima.core.space.Space;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One Python child process running {@code proxima_gym_server.py} and the client side of its protocol (see
 * {@code docs/gym-bridge.md}); it hosts any number of env copies, each in a numbered slot. Every request is one
 * synchronised round trip, so copies of one process may be used from several threads.
 *
 * <p>A request that gets no answer within the timeout has the process killed by the watchdog thread; a process that
 * dies turns every pending and later request into a {@link PythonEnvException} with the end of its stderr. All live
 * processes are killed when the JVM exits; the server also exits by itself when its stdin closes (the JVM died).
 */
final class PythonProcess implements StepBatch {
    static final int PROTOCOL_VERSION = 1;
    private static final int OP_MAKE = 1;
    private static final int OP_RESET = 2;
    private static final int OP_STEP = 3;
    private static final int OP_CLOSE = 4;
    private static final int BOX = 1;
    private static final int DISCRETE = 2;
    private static final int TERMINATED = 1;
    private static final int TRUNCATED = 2;
    private static final int RESET_FOLLOWS = 4;
    private static final int STDERR_LINES = 40;
    private static final String SERVER = "proxima_gym_server.py";

    /**
     * Reads the server's source as the first frame of stdin and runs it: nothing is written to disk, and tracebacks
     * name the server file. Nothing else is sent before the server's HELLO, so the buffered read takes no more.
     */
    private static final String BOOTSTRAP = "import sys,struct;i=sys.stdin.buffer;n=struct.unpack('<I',i.read(4))[0];"
            + "exec(compile(i.read(n),'" + SERVER + "','exec'))";

    private static final Set<PythonProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile Thread watchdog;

    private final GymSpec.Options options;
    private final Process process;
    private final OutputStream out;
    private final InputStream in;
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
    /** Reads the child's stderr into {@link #stderrTail} until the process closes it. */
    private Thread drain;
    private final Map<Integer, GymEnv> envs = new HashMap<>();
    private final String pythonVersion;
    private ByteBuffer request = ByteBuffer.allocate(1 << 12).order(ByteOrder.LITTLE_ENDIAN);
    private ByteBuffer reply = ByteBuffer.allocate(1 << 12).order(ByteOrder.LITTLE_ENDIAN);
    private final byte[] header = new byte[4];
    private int made;
    private boolean shutDown;
    /** Why the process can no longer be used, or {@code null}. */
    private String dead;
    /** {@link System#nanoTime()} by which the pending request must be answered; 0 when none is pending. */
    private volatile long deadline;
    private volatile boolean timedOut;
    private volatile String pendingOp = "";
    private long requests;

    private PythonProcess(GymSpec.Options options) {
        this.options = options;
        List<String> command = List.of(options.interpreter(), "-c", BOOTSTRAP);
        ProcessBuilder pb = new ProcessBuilder(command);
        if (!options.pythonPath().isEmpty()) {
            List<String> parts = new ArrayList<>();
            options.pythonPath().forEach(p -> parts.add(p.toAbsolutePath().toString()));
            String existing = pb.environment().get("PYTHONPATH");
            if (existing != null && !existing.isEmpty()) {
                parts.add(existing);
            }
            pb.environment().put("PYTHONPATH", String.join(java.io.File.pathSeparator, parts));
        }
        try {
            this.process = pb.start();
        } catch (IOException e) {
            throw new PythonEnvException(options.label(), "cannot start the Python interpreter \""
                    + options.interpreter() + "\" (" + e.getMessage() + "). Install Python 3, or name an interpreter"
                    + " with -D" + GymSpec.PYTHON_PROPERTY + "=/path/to/python3, the environment variable "
                    + GymSpec.PYTHON_ENV + " or GymSpec.interpreter(...).", null, e);
        }
        this.out = process.getOutputStream();
        this.in = process.getInputStream();
        LIVE.add(this);
        startWatchdog();
        drain = new Thread(this::drainStderr, "proxima-python-stderr");
        drain.setDaemon(true);
        drain.start();
        try {
            byte[] source = serverSource();
            ByteBuffer frame = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(source.length);
            out.write(frame.array());
            out.write(source);
            out.flush();
            ByteBuffer hello;
            try {
                hello = receive("start-up");
            } finally {
                deadline = 0;
            }
            hello.get(); // status 0
            int version = hello.getInt();
            this.pythonVersion = string(hello);
            if (version != PROTOCOL_VERSION) {
                throw new PythonEnvException(options.label(), "the Python server speaks protocol " + version
                        + " but this Proxima speaks " + PROTOCOL_VERSION + ".", null, null);
            }
        } catch (IOException e) {
            throw failure(e);
        } catch (RuntimeException e) {
            kill();
            throw e;
        }
    }

    /** Starts a process, or throws {@link PythonEnvException} saying why it could not start. */
    static PythonProcess start(GymSpec.Options options) {
        return new PythonProcess(options);
    }

    String pythonVersion() {
        return pythonVersion;
    }

    /** Whether another copy may be made here: alive, not shutting down, and below the copies-per-process limit. */
    synchronized boolean accepts(int copiesPerProcess) {
        return dead == null && !shutDown && made < copiesPerProcess;
    }

    /**
     * Makes an env copy in a new slot (Python: {@code gymnasium.make(id, **kwargs)} or the entry point), or returns
     * {@code null} if the process shut down meanwhile (its last copy was closed).
     */
    synchronized GymEnv make(GymSpec spec) {
        if (shutDown) {
            return null;
        }
        check("make");
        begin(OP_MAKE);
        putString(spec.pythonId());
        putString(spec.options().kwargsJson());
        ByteBuffer r = roundTrip("make " + spec.pythonId(), -1);
        int slot = r.getInt();
        Space<?> obs = space(r);
        Space<?> act = space(r);
        int maxSteps = r.getInt();
        double threshold = r.getDouble();
        String description = string(r);
        GymEnv env = new GymEnv(spec, this, slot, obs, act, maxSteps, threshold, description);
        envs.put(slot, env);
        made++;
        return env;
    }

    /** {@code env.reset(seed=...)}, or {@code env.reset()} when {@code seeded} is false. */
    synchronized Object reset(GymEnv env, boolean seeded, long seed) {
        check("reset");
        begin(OP_RESET);
        request.putInt(env.batchSlot()).put((byte) (seeded ? 1 : 0)).putLong(seed);
        return observation(roundTrip("reset", env.batchSlot()), env.observationSpace());
    }

    /** One step of one copy, without auto-reset. */
    synchronized GymEnv.Result step(GymEnv env, Object action) {
        check("step");
        begin(OP_STEP);
        request.put((byte) 0).putInt(1).putInt(env.batchSlot());
        putAction(env, action);
        return result(roundTrip("step", env.batchSlot()), env);
    }

    /**
     * One round trip for the copies in {@code slots[from..to)}, with auto-reset; each copy keeps its result for its
     * next {@code step} (see {@link StepBatch}).
     */
    @Override
    public synchronized void stepAll(int[] slots, Object[] actions, int from, int to) {
        check("step");
        begin(OP_STEP);
        request.put((byte) 1).putInt(to - from);
        for (int k = from; k < to; k++) {
            GymEnv env = env(slots[k]);
            ensure(4);
            request.putInt(slots[k]);
            putAction(env, actions[k]);
        }
        ByteBuffer r = roundTrip("step of " + (to - from) + " copies", -1);
        for (int k = from; k < to; k++) {
            GymEnv env = env(slots[k]);
            env.prefetched(actions[k], result(r, env));
        }
    }

    /** Closes a copy; the process shuts down with its last copy. */
    synchronized void close(GymEnv env) {
        if (envs.remove(env.batchSlot()) == null || dead != null) {
            if (envs.isEmpty()) {
                shutDown();
            }
            return;
        }
        try {
            begin(OP_CLOSE);
            request.putInt(env.batchSlot());
            roundTrip("close", env.batchSlot());
        } finally {
            if (envs.isEmpty()) {
                shutDown();
            }
        }
    }

    private GymEnv env(int slot) {
        GymEnv env = envs.get(slot);
        if (env == null) {
            throw new IllegalArgumentException("no open env copy in slot " + slot + " of " + options.label()
                    + "'s Python process (closed?)");
        }
        return env;
    }

    private GymEnv.Result result(ByteBuffer r, GymEnv env) {
        double reward = r.getDouble();
        int flags = r.get();
        Object obs = observation(r, env.observationSpace());
        Object next = (flags & RESET_FOLLOWS) != 0 ? observation(r, env.observationSpace()) : null;
        return new GymEnv.Result(obs, reward, (flags & TERMINATED) != 0, (flags & TRUNCATED) != 0, next);
    }

    private static Object observation(ByteBuffer r, Space<?> space) {
        if (space instanceof Discrete) {
            return (int) r.getLong();
        }
        float[] x = new float[space.flatDim()];
        r.asFloatBuffer().get(x);
        r.position(r.position() + 4 * x.length);
        return x;
    }

    private void putAction(GymEnv env, Object action) {
        Space<?> space = env.actionSpace();
        if (space instanceof Discrete d) {
            if (!(action instanceof Integer a) || !d.contains(a)) {
                throw new IllegalArgumentException(env.name() + ": action " + GymEnv.show(action) + " is not in the"
                        + " action space " + d + "; pass an Integer in it.");
            }
            ensure(8);
            request.putLong(a);
            return;
        }
        if (!(action instanceof float[] a) || a.length != space.flatDim()) {
            throw new IllegalArgumentException(env.name() + ": action " + GymEnv.show(action) + " does not fit the"
                    + " action space " + space + "; pass a float[" + space.flatDim() + "].");
        }
        ensure(4 * a.length);
        request.asFloatBuffer().put(a);
        request.position(request.position() + 4 * a.length);
    }

    private static Space<?> space(ByteBuffer r) {
        int kind = r.get();
        if (kind == DISCRETE) {
            long n = r.getLong();
            long start = r.getLong();
            return new Discrete(Math.toIntExact(n), Math.toIntExact(start));
        }
        if (kind != BOX) {
            throw new IllegalStateException("unknown space kind " + kind + " from the Python server");
        }
        int ndim = r.getInt();
        int[] shape = new int[ndim];
        int size = 1;
        for (int k = 0; k < ndim; k++) {
            shape[k] = r.getInt();
            size = Math.multiplyExact(size, shape[k]);
        }
        float[] low = new float[size];
        float[] high = new float[size];
        r.asFloatBuffer().get(low);
        r.position(r.position() + 4 * size);
        r.asFloatBuffer().get(high);
        r.position(r.position() + 4 * size);
        return new Box(low, high, shape);
    }

    // -------------------------------------------------------------------------------------------------------------
    // Frames
    // -------------------------------------------------------------------------------------------------------------

    private void begin(int op) {
        request.clear();
        request.position(4); // the length, written in roundTrip
        request.put((byte) op);
    }

    private void ensure(int bytes) {
        if (request.remaining() < bytes) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(2 * request.capacity(), request.position() + bytes))
                    .order(ByteOrder.LITTLE_ENDIAN);
            request.flip();
            bigger.put(request);
            request = bigger;
        }
    }

    private void putString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        ensure(4 + b.length);
        request.putInt(b.length).put(b);
    }

    private static String string(ByteBuffer r) {
        int n = r.getInt();
        String s = new String(r.array(), r.arrayOffset() + r.position(), n, StandardCharsets.UTF_8);
        r.position(r.position() + n);
        return s;
    }

    /** Sends the request built since {@link #begin} and returns the reply after its status byte. */
    private ByteBuffer roundTrip(String op, int slot) {
        int length = request.position() - 4;
        request.putInt(0, length);
        requests++;
        try {
            pendingOp = op;
            deadline = System.nanoTime() + options.timeout().toNanos();
            out.write(request.array(), 0, request.position());
            out.flush();
            ByteBuffer r = receive(op);
            int status = r.get();
            if (status != 0) {
                String type = string(r);
                String traceback = string(r);
                int failedSlot = r.getInt();
                GymEnv env = envs.get(failedSlot >= 0 ? failedSlot : slot);
                throw PythonEnvException.raised(env != null ? env.name() : options.label(), op, type, traceback,
                        options.interpreter(), pythonVersion);
            }
            return r;
        } catch (IOException e) {
            throw failure(e);
        } finally {
            deadline = 0;
        }
    }

    private ByteBuffer receive(String op) throws IOException {
        pendingOp = op;
        if (deadline == 0) {
            deadline = System.nanoTime() + options.timeout().toNanos();
        }
        if (in.readNBytes(header, 0, 4) < 4) {
            throw new IOException("end of stream");
        }
        int length = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (length < 1) {
            throw new IOException("bad frame length " + length);
        }
        if (reply.capacity() < length) {
            reply = ByteBuffer.allocate(Math.max(length, 2 * reply.capacity())).order(ByteOrder.LITTLE_ENDIAN);
        }
        if (in.readNBytes(reply.array(), 0, length) < length) {
            throw new IOException("end of stream");
        }
        reply.clear().limit(length);
        return reply;
    }

    private void check(String op) {
        if (dead != null) {
            throw new PythonEnvException(options.label(), "cannot " + op + ": " + dead, null, null);
        }
        if (shutDown) {
            throw new IllegalStateException(options.label() + ": cannot " + op + ": its Python process was shut"
                    + " down with its last env copy.");
        }
    }

    /** The process died or was killed: a clear error with the end of its stderr; the process is unusable after. */
    private PythonEnvException failure(IOException cause) {
        String op = pendingOp;
        String why;
        if (timedOut) {
            why = "the Python process did not answer \"" + op + "\" within " + seconds(options) + " and was killed"
                    + " (hung, or slower than the timeout: raise it with GymSpec.timeout(...))";
        } else {
            Integer code = null;
            try {
                if (process.waitFor(2, TimeUnit.SECONDS)) {
                    code = process.exitValue();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            why = "the Python process " + (code != null ? "exited with code " + code : "stopped answering (" + cause
                    .getMessage() + ")") + " during \"" + op + "\"";
        }
        kill();
        String tail = stderrTail();
        dead = why;
        return new PythonEnvException(options.label(), why + "." + (tail.isEmpty() ? " It wrote nothing to stderr."
                : " The end of its stderr:\n" + tail), null, cause);
    }

    private static String seconds(GymSpec.Options o) {
        return o.timeout().toMillis() / 1000.0 + " s";
    }

    private void shutDown() {
        shutDown = true;
        LIVE.remove(this);
        try {
            out.close(); // the server exits at the end of its stdin
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private void kill() {
        LIVE.remove(this);
        process.destroyForcibly();
    }

    /** Requests sent so far (round trips; for tests and diagnostics). */
    synchronized long requests() {
        return requests;
    }

    /** Whether the child process is still running (for tests and diagnostics). */
    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    // -------------------------------------------------------------------------------------------------------------
    // stderr, the watchdog and the exit hook
    // -------------------------------------------------------------------------------------------------------------

    private void drainStderr() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (stderrTail) {
                    if (stderrTail.size() == STDERR_LINES) {
                        stderrTail.removeFirst();
                    }
                    stderrTail.addLast(line);
                }
                if (options.forwardStderr()) {
                    System.err.println("[" + options.label() + "] " + line);
                }
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    /** The end of the child's stderr; called once it is dead, so the drain thread reads to the end first. */
    private String stderrTail() {
        try {
            // A dead process's stderr ends: wait for the drain to have read what it wrote last (a fixed pause
            // lost the last lines under load).
            drain.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (stderrTail) {
            return stderrTail.isEmpty() ? "" : "  " + String.join("\n  ", stderrTail);
        }
    }

    private static void startWatchdog() {
        if (watchdog != null) {
            return;
        }
        synchronized (LIVE) {
            if (watchdog != null) {
                return;
            }
            Thread t = new Thread(() -> {
                while (true) {
                    long now = System.nanoTime();
                    for (PythonProcess p : LIVE) {
                        long d = p.deadline;
                        if (d != 0 && now - d > 0) {
                            p.timedOut = true;
                            p.process.destroyForcibly(); // unblocks the reader with an end of stream
                        }
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "proxima-python-watchdog");
            t.setDaemon(true);
            t.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                for (PythonProcess p : LIVE) {
                    p.process.destroyForcibly();
                }
            }, "proxima-python-exit"));
            watchdog = t;
        }
    }

    private static byte[] serverSource() {
        try (InputStream s = PythonProcess.class.getResourceAsStream(SERVER)) {
            if (s == null) {
                throw new IllegalStateException(SERVER + " is missing from the proxima-envs jar (resource "
                        + "dev/proxima/envs/gym/" + SERVER + ")");
            }
            return s.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
