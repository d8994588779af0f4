package dev.proxima.envs.gym;

import dev.proxima.core.env.EnvFactory;
import dev.proxima.core.env.EnvSpec;
import dev.proxima.core.internal.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * The spec of a Python env served through the Gymnasium bridge: made by {@link GymEnv#python(String)} or resolved
 * from an id {@code gym:<id>} by {@code EnvRegistry}. Immutable; each {@code with} method returns a new spec. Its id is
 * {@code gym:<python id>}, so a checkpoint of an agent trained on it loads again by id (with the default options).
 *
 * <p>Copies made from one spec share a Python process until {@link #copiesPerProcess} of them were made there (by
 * default all of them), so that {@code SyncVectorEnv} steps all its copies in one round trip; the process ends with
 * its last copy. {@link #make} adds no Java {@code TimeLimit}: {@code gymnasium.make} already applied the env's own
 * ({@link #maxEpisodeSteps()} reports it).
 */
public final class GymSpec extends EnvSpec<Object, Object> {
    /** System property naming the Python interpreter, e.g. {@code -Dproxima.python=/usr/bin/python3}. */
    public static final String PYTHON_PROPERTY = "proxima.python";
    /** Environment variable naming the Python interpreter, read when the system property is not set. */
    public static final String PYTHON_ENV = "PROXIMA_PYTHON";
    /** The id prefix {@link GymProvider} resolves. */
    public static final String PREFIX = "gym:";
    /** The default timeout of one request (a step of all copies, a reset, making an env). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** What a spec's processes are started with. */
    record Options(String pythonId, String interpreter, List<Path> pythonPath, String kwargsJson, Duration timeout,
            int copiesPerProcess, boolean forwardStderr) {
        String label() {
            return PREFIX + pythonId;
        }
    }

    private final Options options;
    private final Pool pool;

    private GymSpec(Options options, Pool pool) {
        super(options.label(), pool, 0, Double.NaN);
        this.options = options;
        this.pool = pool;
        pool.spec = this;
    }

    static GymSpec of(String pythonId) {
        Objects.requireNonNull(pythonId, "GymEnv.python: id is null; pass a Gymnasium id such as \"CartPole-v1\".");
        String id = pythonId.startsWith(PREFIX) ? pythonId.substring(PREFIX.length()) : pythonId;
        if (id.isBlank() || id.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("GymEnv.python: id \"" + pythonId + "\" is blank or contains white"
                    + " space; pass a Gymnasium id such as \"CartPole-v1\" or \"module:ClassName\".");
        }
        return new GymSpec(new Options(id, null, List.of(), "", DEFAULT_TIMEOUT, Integer.MAX_VALUE, true), new Pool());
    }

    private GymSpec with(Options o) {
        return new GymSpec(o, new Pool());
    }

    Options options() {
        Options o = options;
        return o.interpreter() != null ? o : new Options(o.pythonId(), defaultInterpreter(), o.pythonPath(),
                o.kwargsJson(), o.timeout(), o.copiesPerProcess(), o.forwardStderr());
    }

    /** The id as Python sees it (without {@code gym:}). */
    public String pythonId() {
        return options.pythonId();
    }

    /**
     * The Python interpreter to run (a path, or a command on the {@code PATH}). Default: the system property
     * {@value #PYTHON_PROPERTY}, else the environment variable {@value #PYTHON_ENV}, else {@code python3} (then
     * {@code python}) on the {@code PATH}, else {@code /usr/bin/python3}.
     */
    public GymSpec interpreter(String python) {
        Objects.requireNonNull(python, "GymSpec.interpreter: null; pass e.g. \"/usr/bin/python3\".");
        Options o = options;
        return with(new Options(o.pythonId(), python, o.pythonPath(), o.kwargsJson(), o.timeout(),
                o.copiesPerProcess(), o.forwardStderr()));
    }

    /** Directories put in front of the child's {@code PYTHONPATH}, e.g. where the module of a {@code module:Class} env lives. */
    public GymSpec pythonPath(Path... dirs) {
        List<Path> all = new ArrayList<>(options.pythonPath());
        for (Path d : dirs) {
            all.add(Objects.requireNonNull(d, "GymSpec.pythonPath: a directory is null"));
        }
        Options o = options;
        return with(new Options(o.pythonId(), o.interpreter(), List.copyOf(all), o.kwargsJson(), o.timeout(),
                o.copiesPerProcess(), o.forwardStderr()));
    }

    /**
     * Keyword arguments of {@code gymnasium.make(id, **kwargs)} (or of the entry point): values are strings, numbers,
     * booleans, {@code null}, lists and maps of those, e.g. {@code kwargs(Map.of("continuous", true))}. They are not
     * part of the id, so a checkpoint loaded by id gets none.
     */
    public GymSpec kwargs(Map<String, ?> kwargs) {
        Objects.requireNonNull(kwargs, "GymSpec.kwargs: null; pass Map.of() for none.");
        String json;
        try {
            json = Json.writeCompact(new LinkedHashMap<String, Object>(kwargs), Json.NonFinite.REJECT);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("GymSpec.kwargs: " + kwargs + " cannot be sent to Python: "
                    + e.getMessage() + ". Use strings, numbers, booleans, null, lists and maps.", e);
        }
        Options o = options;
        return with(new Options(o.pythonId(), o.interpreter(), o.pythonPath(), json, o.timeout(),
                o.copiesPerProcess(), o.forwardStderr()));
    }

    /**
     * How long one request may take (making an env, which imports gymnasium, a reset, a step of all copies) before
     * the process counts as hung and is killed. Default {@link #DEFAULT_TIMEOUT}.
     */
    public GymSpec timeout(Duration timeout) {
        Objects.requireNonNull(timeout, "GymSpec.timeout: null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("GymSpec.timeout: " + timeout + " must be positive, e.g."
                    + " Duration.ofSeconds(60).");
        }
        Options o = options;
        return with(new Options(o.pythonId(), o.interpreter(), o.pythonPath(), o.kwargsJson(), timeout,
                o.copiesPerProcess(), o.forwardStderr()));
    }

    /**
     * At most this many copies per Python process (default: unlimited). One process steps its copies one after the
     * other; with parallel sampling workers, give each worker's share of copies its own process, e.g.
     * {@code copiesPerProcess(numEnvs / workers)}.
     */
    public GymSpec copiesPerProcess(int copies) {
        if (copies < 1) {
            throw new IllegalArgumentException("GymSpec.copiesPerProcess: " + copies + " must be at least 1.");
        }
        Options o = options;
        return with(new Options(o.pythonId(), o.interpreter(), o.pythonPath(), o.kwargsJson(), o.timeout(), copies,
                o.forwardStderr()));
    }

    /** Whether what the Python side prints (to stdout or stderr) is copied to {@code System.err} (default true). */
    public GymSpec forwardStderr(boolean forward) {
        Options o = options;
        return with(new Options(o.pythonId(), o.interpreter(), o.pythonPath(), o.kwargsJson(), o.timeout(),
                o.copiesPerProcess(), forward));
    }

    /** A copy of the env, unwrapped, with its own slot in this spec's current process. */
    @Override
    public GymEnv makeUnwrapped(long seed) {
        return pool.create(seed);
    }

    /** Python's time limit ({@code env.spec.max_episode_steps}); asks Python (making a copy) the first time. */
    @Override
    public OptionalInt maxEpisodeSteps() {
        int m = pool.metadata().maxEpisodeSteps();
        return m > 0 ? OptionalInt.of(m) : OptionalInt.empty();
    }

    /** Python's {@code env.spec.reward_threshold}; asks Python (making a copy) the first time. */
    @Override
    public OptionalDouble rewardThreshold() {
        double t = pool.metadata().rewardThreshold();
        return Double.isNaN(t) ? OptionalDouble.empty() : OptionalDouble.of(t);
    }

    @Override
    public String toString() {
        Options o = options();
        return "GymSpec(" + id() + ", python=" + o.interpreter()
                + (o.kwargsJson().isEmpty() ? "" : ", kwargs=" + o.kwargsJson())
                + (o.pythonPath().isEmpty() ? "" : ", pythonPath=" + o.pythonPath())
                + (o.copiesPerProcess() == Integer.MAX_VALUE ? "" : ", copiesPerProcess=" + o.copiesPerProcess())
                + ")";
    }

    /** The interpreter used when none is given; see {@link #interpreter(String)}. */
    public static String defaultInterpreter() {
        String p = System.getProperty(PYTHON_PROPERTY);
        if (p != null && !p.isBlank()) {
            return p;
        }
        p = System.getenv(PYTHON_ENV);
        if (p != null && !p.isBlank()) {
            return p;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String name : new String[] {"python3", "python"}) {
                for (String dir : path.split(java.io.File.pathSeparator)) {
                    if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                        return name;
                    }
                }
            }
        }
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** What Python reports about the env on {@code make}. */
    record Metadata(int maxEpisodeSteps, double rewardThreshold) {}

    /** The factory: hands out slots of the current process, starting a new one when it is full or gone. */
    private static final class Pool implements EnvFactory<Object, Object> {
        GymSpec spec;
        private PythonProcess current;
        private volatile Metadata metadata;

        @Override
        public synchronized GymEnv create(long seed) {
            Options o = spec.options();
            GymEnv env = current != null && current.accepts(o.copiesPerProcess()) ? current.make(spec) : null;
            if (env == null) { // no process yet, full, or its last copy was just closed on another thread
                current = PythonProcess.start(o);
                env = current.make(spec);
            }
            metadata = new Metadata(env.pythonMaxEpisodeSteps(), env.pythonRewardThreshold());
            return env;
        }

        Metadata metadata() {
            Metadata m = metadata;
            if (m == null) {
                create(0).close();
                m = metadata;
            }
            return m;
        }
    }
}
