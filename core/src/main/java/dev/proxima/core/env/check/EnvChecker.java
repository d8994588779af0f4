package dev.proxima.core.env.check;

import dev.proxima.core.env.ActionMasked;
import dev.proxima.core.env.Env;
import dev.proxima.core.env.EnvContractException;
import dev.proxima.core.env.EnvFactory;
import dev.proxima.core.env.EnvSpec;
import dev.proxima.core.env.Reset;
import dev.proxima.core.env.Step;
import dev.proxima.core.space.Box;
import dev.proxima.core.space.Dict;
import dev.proxima.core.space.Discrete;
import dev.proxima.core.space.MultiDiscrete;
import dev.proxima.core.space.Space;
import dev.proxima.core.space.Spaces;
import dev.proxima.core.space.Tuple;
import dev.proxima.core.env.check.Finding.Check;
import dev.proxima.core.env.check.Finding.Severity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Checks that an env keeps the contract of {@link Env}, as Gymnasium's {@code gymnasium.utils.env_checker.check_env}
 * does, and reports every problem with what was observed, what was expected and the likely cause.
 *
 * <pre>{@code
 * EnvCheckReport report = EnvChecker.check(ClassicControl.cartPole());   // the env as make() gives it
 * EnvChecker.checkOrThrow(seed -> new MyEnv());                            // a raw env, throws on errors
 * }</pre>
 *
 * <h2>What is checked</h2>
 * In the order of {@link Check}: well-formed spaces; {@code step} before {@code reset} fails; {@code reset(seed)}
 * reproducible across copies and calls, and different seeds differ; observations of the right type and shape, finite
 * and inside the observation space (after reset and after every step); rewards finite; the same seed and actions give
 * the same steps; observation arrays not reused between steps; actions outside the action space rejected; stepping
 * after {@code terminated} or {@code truncated} without {@code reset} fails; {@code close()} safe twice. The checker
 * creates a few copies of the env, runs up to 2 000 random steps, and closes every copy it made. Composite
 * observations ({@link Dict}, {@link Tuple}) are checked part by part, and a finding names the part
 * ({@code obs['position'][0]}).
 *
 * <h2>Action masks</h2>
 * For an env that implements {@link ActionMasked} (itself or a wrapper in it), the random steps take only actions its
 * mask allows, and the mask is checked after reset and every step ({@link Check#ACTION_MASK}): the action space is
 * {@link Discrete} or {@link MultiDiscrete}; {@code actionMask} writes each of its {@code maskSize} entries (filling
 * the buffer with {@code true} or with {@code false} beforehand gives the same mask) and nothing outside them; at least
 * one action (per component) is valid. The mask is a {@code boolean[]}, so its element type cannot be wrong. Then, in
 * a state where the mask rules something out, one masked-out action is stepped ({@link Check#MASKED_ACTION}): the env
 * must throw a clear exception if {@link ActionMasked#rejectsInvalidActions()} is {@code true}, and accept it if
 * {@code false}.
 *
 * <h2>Who enforces the contract</h2>
 * The env is checked <em>as given</em>. {@link #check(EnvSpec)} checks what {@code spec.make(seed)} returns, so the
 * spec's {@link dev.proxima.core.env.EnvChecks} wrapper supplies the rejection of invalid actions and of steps after
 * the end, as Gymnasium's {@code make} adds {@code OrderEnforcing} and {@code PassiveEnvChecker}.
 * {@link #check(EnvFactory)} checks a raw env, which must do it itself: a raw env that silently accepts an action
 * outside its space is reported. An out-of-bounds but finite continuous action that the env accepts is a
 * {@link Severity#WARNING} (Gymnasium's Pendulum clips such actions by design); accepting {@code null}, {@code NaN}, a
 * wrong length or an out-of-range discrete action is an {@link Severity#ERROR}.
 *
 * <p>A rejection counts as clear when it is an {@link EnvContractException}, {@link IllegalArgumentException},
 * {@link IllegalStateException} or (for {@code null}) {@link NullPointerException}; any other exception is reported as
 * a warning because its message will not tell the user what went wrong.
 */
public final class EnvChecker {
    /** Random steps the rollout checks take at most. */
    static final int MAX_STEPS = 2_000;
    /** Episodes the rollout checks play at most. */
    static final int MAX_EPISODES = 3;
    private static final int SPACE_SAMPLES = 20;
    private static final int OTHER_SEEDS = 5;

    private EnvChecker() {}

    /** Checks the env as {@code spec.make(seed)} gives it (with the spec's checks and time limit), seed 0. */
    public static <O, A> EnvCheckReport check(EnvSpec<O, A> spec) {
        return check(spec, 0);
    }

    /** Checks the env as {@code spec.make(seed)} gives it, starting from {@code seed}. */
    public static <O, A> EnvCheckReport check(EnvSpec<O, A> spec, long seed) {
        Objects.requireNonNull(spec, "spec");
        return new Run<O, A>(spec::make, seed).run();
    }

    /** Checks raw env copies made by {@code factory}, seed 0. */
    public static <O, A> EnvCheckReport check(EnvFactory<O, A> factory) {
        return check(factory, 0);
    }

    /** Checks raw env copies made by {@code factory}, starting from {@code seed}. */
    public static <O, A> EnvCheckReport check(EnvFactory<O, A> factory, long seed) {
        Objects.requireNonNull(factory, "factory");
        return new Run<>(factory, seed).run();
    }

    /** {@link #check(EnvSpec)}, throwing {@link EnvCheckException} with the report if any finding is an error. */
    public static <O, A> EnvCheckReport checkOrThrow(EnvSpec<O, A> spec) {
        return orThrow(check(spec));
    }

    /** {@link #check(EnvFactory)}, throwing {@link EnvCheckException} with the report if any finding is an error. */
    public static <O, A> EnvCheckReport checkOrThrow(EnvFactory<O, A> factory) {
        return orThrow(check(factory));
    }

    private static EnvCheckReport orThrow(EnvCheckReport report) {
        if (!report.passed()) {
            throw new EnvCheckException(report);
        }
        return report;
    }

    /** One checking session; holds the findings and the envs it opened. */
    private static final class Run<O, A> {
        private final EnvFactory<O, A> factory;
        private final long seed;
        private final List<Finding> findings = new ArrayList<>();
        private final Set<Check> reportedOnce = EnumSet.noneOf(Check.class);
        private final List<Env<O, A>> opened = new ArrayList<>();
        private String name = "env";
        private Space<O> obsSpace;
        private Space<A> actSpace;
        /** Whether reset(seed) gave equal observations on two copies; if not, step determinism cannot be judged. */
        private boolean resetReproducible = true;
        /** Whether the env reports action masks (and its action space allows them). */
        private boolean masked;

        Run(EnvFactory<O, A> factory, long seed) {
            this.factory = factory;
            this.seed = seed;
        }

        EnvCheckReport run() {
            try {
                if (checkSpaces()) {
                    checkStepBeforeReset();
                    if (checkReset()) {
                        checkRollout();
                        checkInvalidActions();
                        if (masked) {
                            checkMaskedAction();
                        }
                    }
                    checkCloseTwice();
                }
            } finally {
                for (Env<O, A> e : opened) {
                    try {
                        e.close();
                    } catch (RuntimeException ignored) {
                        // already reported by checkCloseTwice if it matters
                    }
                }
            }
            return new EnvCheckReport(name, findings);
        }

        private void add(Check check, Severity severity, String observed, String expected, String cause) {
            findings.add(new Finding(check, severity, observed, expected, cause));
        }

        /** Adds a finding only the first time {@code check} fails, so a broken rollout gives one line, not 2 000. */
        private void addOnce(Check check, Severity severity, String observed, String expected, String cause) {
            if (reportedOnce.add(check)) {
                add(check, severity, observed, expected, cause);
            }
        }

        private void unexpected(String where, RuntimeException e) {
            add(Check.UNEXPECTED_EXCEPTION, Severity.ERROR, where + " threw " + describe(e),
                    where + " to return normally",
                    "a bug in the env, or a check in it stricter than the contract; repeat the call to see the"
                            + " stack trace");
        }

        private Env<O, A> open() {
            Env<O, A> env = factory.create(seed);
            if (env == null) {
                throw new NullPointerException("the factory returned null");
            }
            opened.add(env);
            return env;
        }

        /** A new copy reset with the run's seed, or {@code null} after reporting why there is none. */
        private Env<O, A> openAndReset() {
            try {
                Env<O, A> env = open();
                env.reset(seed);
                return env;
            } catch (RuntimeException e) {
                unexpected("creating and resetting a copy", e);
                return null;
            }
        }

        // ---------------------------------------------------------------- spaces

        private boolean checkSpaces() {
            Env<O, A> env;
            try {
                env = open();
                name = env.name();
                obsSpace = env.observationSpace();
                actSpace = env.actionSpace();
                masked = ActionMasked.find(env) != null;
            } catch (RuntimeException e) {
                add(Check.SPACES, Severity.ERROR, "creating the env or asking for its spaces threw " + describe(e),
                        "the factory to make an env whose observationSpace() and actionSpace() return",
                        "the env's constructor or a space accessor fails; no further check could run");
                return false;
            }
            boolean ok = true;
            if (obsSpace == null) {
                add(Check.SPACES, Severity.ERROR, "observationSpace() returned null", "a Space, e.g. a Box",
                        "the field holding the space is not initialised before it is read (set it in the constructor)");
                ok = false;
            }
            if (actSpace == null) {
                add(Check.SPACES, Severity.ERROR, "actionSpace() returned null", "a Space, e.g. Discrete(n) or a Box",
                        "the field holding the space is not initialised before it is read (set it in the constructor)");
                ok = false;
            }
            if (!ok) {
                return false;
            }
            if (!obsSpace.equals(env.observationSpace()) || !actSpace.equals(env.actionSpace())) {
                add(Check.SPACES, Severity.WARNING, "two calls returned unequal spaces: " + obsSpace + " then "
                                + env.observationSpace() + ", " + actSpace + " then " + env.actionSpace(),
                        "the same (equal) spaces on every call",
                        "the spaces are rebuilt from mutable state; make them final fields set in the constructor");
            }
            int before = findings.size();
            checkSpace("observation", obsSpace);
            checkSpace("action", actSpace);
            if (masked && !(actSpace instanceof Discrete || actSpace instanceof MultiDiscrete)) {
                add(Check.ACTION_MASK, Severity.ERROR, "the env implements ActionMasked but its action space is "
                                + actSpace,
                        "a Discrete or MultiDiscrete action space (masks select among discrete choices)",
                        "masking was added to a continuous env; bound the Box instead, or remove ActionMasked");
                masked = false; // the mask checks cannot run without a mask size
            }
            // The other checks sample actions and test observations against these spaces; with a broken space
            // they would only report consequences.
            return findings.subList(before, findings.size()).stream().noneMatch(f -> f.severity() == Severity.ERROR);
        }

        private <T> void checkSpace(String which, Space<T> space) {
            if (space.flatDim() < 1) {
                add(Check.SPACES, Severity.ERROR, which + " space " + space + " has flatDim() = " + space.flatDim(),
                        "flatDim() >= 1", "a Space implementation that counts its entries wrongly");
                return;
            }
            SplittableRandom rng = new SplittableRandom(seed);
            float[] flat = new float[space.flatDim()];
            try {
                for (int i = 0; i < SPACE_SAMPLES; i++) {
                    T x = space.sample(rng);
                    if (!space.contains(x)) {
                        add(Check.SPACES, Severity.ERROR, which + " space " + space + " sampled " + show(x)
                                        + ", which contains() rejects",
                                "every sample to be an element of the space",
                                "sample() and contains() disagree about the bounds, shape or type (the checks that"
                                        + " use the spaces were skipped)");
                        return;
                    }
                    space.flatten(x, flat, 0);
                    T back = space.unflatten(flat, 0, null);
                    if (!Spaces.elementsEqual(x, back)) {
                        add(Check.SPACES, Severity.ERROR, which + " space " + space + ": flatten then unflatten turned "
                                        + show(x) + " into " + show(back),
                                "unflatten(flatten(x)) equal to x",
                                "flatten() and unflatten() use different layouts or lose precision");
                        return;
                    }
                }
            } catch (RuntimeException e) {
                add(Check.SPACES, Severity.ERROR, which + " space " + space + " threw " + describe(e)
                                + " while sampling or flattening",
                        "sample, contains, flatten and unflatten to work on every element",
                        "a bug in the Space implementation");
            }
        }

        // ---------------------------------------------------------------- ordering

        private void checkStepBeforeReset() {
            Env<O, A> env;
            try {
                env = open();
            } catch (RuntimeException e) {
                unexpected("creating a second copy", e);
                return;
            }
            A action = actSpace.sample(new SplittableRandom(seed));
            try {
                Step<O> s = env.step(action);
                add(Check.STEP_BEFORE_RESET, Severity.ERROR, "step(" + show(action) + ") on a new env, before any"
                                + " reset(), returned normally (reward " + (s == null ? "?" : s.reward()) + ")",
                        "an exception such as EnvContractException(\"step() called before reset()\")",
                        "the env starts from a default state instead of refusing; keep a flag set by reset() and"
                                + " check it in step() (Gymnasium: OrderEnforcing / ResetNeeded)");
            } catch (RuntimeException e) {
                if (!isClear(e, false)) {
                    add(Check.STEP_BEFORE_RESET, Severity.WARNING, "step() before reset() threw " + describe(e),
                            "an EnvContractException or IllegalStateException saying reset() must come first",
                            "the env fails on its uninitialised state by accident, with a message that does not say"
                                    + " why");
                }
            }
        }

        // ---------------------------------------------------------------- reset

        private boolean checkReset() {
            Env<O, A> a;
            Env<O, A> b;
            O a0;
            O b0;
            try {
                a = open();
                b = open();
                a0 = observation(a.reset(seed), "reset(" + seed + ")");
                b0 = observation(b.reset(seed), "reset(" + seed + ")");
            } catch (RuntimeException e) {
                unexpected("reset(" + seed + ")", e);
                return false;
            }
            a0 = snapshot(a0);
            checkObservation(a0, "reset(" + seed + ")");
            if (masked) {
                mask(a, "reset(" + seed + ")");
            }
            if (!Spaces.elementsEqual(a0, b0)) {
                resetReproducible = false;
                add(Check.RESET_REPRODUCIBLE, Severity.ERROR, "two fresh copies returned " + show(a0) + " and "
                                + show(b0) + " from reset(" + seed + ")",
                        "the same first observation for the same seed",
                        "reset(seed) does not seed the env's random generator (or a static/shared generator is used);"
                                + " create it from the seed, e.g. rng = new SplittableRandom(seed)");
            }
            try {
                O again = observation(a.reset(seed), "second reset(" + seed + ")");
                if (!Spaces.elementsEqual(a0, again)) {
                    add(Check.RESET_REPRODUCIBLE, Severity.ERROR, "reset(" + seed + ") returned " + show(a0)
                                    + ", a second reset(" + seed + ") on the same env returned " + show(again),
                            "reset(seed) to restart the random stream, giving the same observation",
                            "reset(seed) keeps drawing from the old random stream instead of reseeding it");
                }
                b.reset(seed);
                O a1 = observation(a.reset(), "reset()");
                O b1 = observation(b.reset(), "reset()");
                checkObservation(a1, "reset()");
                if (!Spaces.elementsEqual(a1, b1)) {
                    resetReproducible = false;
                    add(Check.RESET_REPRODUCIBLE, Severity.ERROR, "after reset(" + seed + "), reset() returned "
                                    + show(a1) + " on one copy and " + show(b1) + " on another",
                            "reset() to continue the seeded stream identically",
                            "reset() reseeds from the clock or uses a generator shared between copies");
                }
                boolean anyDiffers = false;
                for (int i = 1; i <= OTHER_SEEDS && !anyDiffers; i++) {
                    O other = observation(a.reset(seed + i), "reset(" + (seed + i) + ")");
                    checkObservation(other, "reset(" + (seed + i) + ")");
                    anyDiffers = !Spaces.elementsEqual(a0, other);
                }
                if (!anyDiffers) {
                    add(Check.RESET_SEED_MATTERS, Severity.WARNING, "reset(seed) returned " + show(a0) + " for all of"
                                    + " the seeds " + seed + " to " + (seed + OTHER_SEEDS),
                            "different seeds to give different first observations",
                            "reset(seed) ignores its seed; fine only if the start state is deterministic by design");
                }
            } catch (RuntimeException e) {
                unexpected("reset", e);
                return false;
            }
            return true;
        }

        /** A deep copy of an observation, so an env that reuses its arrays cannot change what was recorded. */
        @SuppressWarnings("unchecked")
        private O snapshot(O obs) {
            return (O) Spaces.copyOf(obs);
        }

        private O observation(Reset<O> r, String where) {
            if (r == null) {
                throw new EnvContractException(where + " returned null instead of a Reset");
            }
            return r.observation();
        }

        // ---------------------------------------------------------------- rollout

        private void checkRollout() {
            Env<O, A> a;
            Env<O, A> b;
            try {
                a = open();
                b = open();
                a.reset(seed);
                b.reset(seed);
            } catch (RuntimeException e) {
                unexpected("reset(" + seed + ")", e);
                return;
            }
            SplittableRandom rng = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
            boolean endChecked = false;
            boolean deterministic = resetReproducible; // else two copies start apart and would differ anyway
            int episodes = 0;
            O previous = null;
            int step = 0;
            for (int t = 0; t < MAX_STEPS && episodes < MAX_EPISODES; t++) {
                A action;
                if (masked) {
                    boolean[] mask = mask(a, step == 0 ? "reset" : "step " + step + " of episode " + (episodes + 1));
                    if (mask == null) {
                        return; // reported; an env without a valid action cannot be stepped on
                    }
                    action = validAction(mask, rng);
                } else {
                    action = actSpace.sample(rng);
                }
                step++;
                Step<O> sa;
                Step<O> sb;
                try {
                    sa = a.step(action);
                    sb = deterministic ? b.step(action) : null;
                } catch (RuntimeException e) {
                    unexpected("step(" + show(action) + ") with an action from actionSpace().sample(), at step "
                            + step + " of episode " + (episodes + 1) + ",", e);
                    return;
                }
                if (sa == null) {
                    add(Check.UNEXPECTED_EXCEPTION, Severity.ERROR, "step(" + show(action) + ") returned null",
                            "a Step", "a missing return value in step()");
                    return;
                }
                String where = "step " + step + " of episode " + (episodes + 1);
                checkObservation(sa.observation(), where);
                if (!Double.isFinite(sa.reward())) {
                    addOnce(Check.REWARD_FINITE, Severity.ERROR, where + " returned reward " + sa.reward(),
                            "a finite reward",
                            "a division by zero, log(0) or overflow in the reward formula");
                }
                if (previous != null && sa.observation() == previous) {
                    addOnce(Check.OBSERVATION_NOT_REUSED, Severity.WARNING, where + " returned the same "
                                    + "observation object as the step before, overwritten in place",
                            "a new observation per step (Step owns it)",
                            "the env fills one array field and returns it each step; a rollout buffer that keeps"
                                    + " observations then sees only the last one. Return a copy");
                }
                previous = sa.observation();
                if (deterministic && !sameStep(sa, sb)) {
                    deterministic = false;
                    add(Check.STEP_DETERMINISTIC, Severity.ERROR, "two copies reset with seed " + seed + " and given"
                                    + " the same actions differ at " + where + ": " + describe(sa) + " vs "
                                    + describe(sb),
                            "identical steps (same observation, reward and flags)",
                            "step() draws from an unseeded or shared random generator, or depends on a static field;"
                                    + " take all randomness from the generator seeded in reset(seed)");
                }
                if (sa.terminated() || sa.truncated()) {
                    episodes++;
                    if (!endChecked) {
                        endChecked = true;
                        checkStepAfterEnd(a, sa, action, where);
                    }
                    previous = null;
                    step = 0;
                    try {
                        a.reset();
                        if (deterministic) {
                            b.reset();
                        }
                    } catch (RuntimeException e) {
                        unexpected("reset() after an episode ended", e);
                        return;
                    }
                }
            }
            if (!endChecked) {
                add(Check.STEP_AFTER_END, Severity.NOTE, "no episode ended within " + MAX_STEPS + " random steps",
                        "an episode end, to check that stepping on fails",
                        "the env never terminates and has no time limit; wrap it in a TimeLimit or check it through"
                                + " its EnvSpec (EnvChecker.check(spec)) to test this");
            }
        }

        private void checkStepAfterEnd(Env<O, A> env, Step<O> last, A action, String where) {
            String flags = (last.terminated() ? "terminated" : "") + (last.terminated() && last.truncated() ? "+" : "")
                    + (last.truncated() ? "truncated" : "");
            try {
                Step<O> s = env.step(action);
                add(Check.STEP_AFTER_END, Severity.ERROR, where + " ended the episode (" + flags + "), and one more"
                                + " step(" + show(action) + ") without reset() returned normally"
                                + (s == null ? "" : " (reward " + s.reward() + ", terminated " + s.terminated()
                                        + ", truncated " + s.truncated() + ")"),
                        "an exception such as EnvContractException(\"step() called after the episode ended\")",
                        flags.contains("truncated") && !last.terminated()
                                ? "the check of the end sits inside the TimeLimit wrapper, so it never sees the"
                                        + " truncated flag; wrap the time limit inside EnvChecks (or check the flag in"
                                        + " step())"
                                : "step() does not remember that the episode ended; set a flag when returning"
                                        + " terminated and refuse to step until reset(), or make the env through"
                                        + " an EnvSpec, whose EnvChecks does it");
            } catch (RuntimeException e) {
                if (!isClear(e, false)) {
                    add(Check.STEP_AFTER_END, Severity.WARNING, "step() after the episode ended threw " + describe(e),
                            "an EnvContractException or IllegalStateException saying reset() is needed",
                            "the env fails on its finished state by accident, with a message that does not say why");
                }
            }
        }

        private boolean sameStep(Step<O> x, Step<O> y) {
            return y != null && Spaces.elementsEqual(x.observation(), y.observation())
                    && Double.compare(x.reward(), y.reward()) == 0 && x.terminated() == y.terminated()
                    && x.truncated() == y.truncated();
        }

        private void checkObservation(Object obs, String where) {
            if (obs == null) {
                addOnce(Check.OBSERVATION_IN_SPACE, Severity.ERROR, where + " returned a null observation",
                        "an element of " + obsSpace, "the observation is built before the state is set");
                return;
            }
            if (obsSpace instanceof Box box) {
                if (!(obs instanceof float[] x)) {
                    addOnce(Check.OBSERVATION_IN_SPACE, Severity.ERROR, where + " returned a "
                                    + obs.getClass().getSimpleName() + " observation: " + show(obs),
                            "a float[" + box.flatDim() + "], the element type of " + box,
                            "the observation is built with the wrong type (e.g. double[]); convert it to float[]");
                    return;
                }
                if (x.length != box.flatDim()) {
                    addOnce(Check.OBSERVATION_IN_SPACE, Severity.ERROR, where + " returned a float[" + x.length
                                    + "] observation: " + show(obs),
                            "a float[" + box.flatDim() + "] (shape " + Arrays.toString(box.shape()) + " of " + box + ")",
                            "the observation and the observation space disagree on the number of entries");
                    return;
                }
                for (int i = 0; i < x.length; i++) {
                    if (!Float.isFinite(x[i])) {
                        addOnce(Check.OBSERVATION_IN_SPACE, Severity.ERROR, where + " returned observation "
                                        + show(obs) + " whose entry " + i + " is " + x[i],
                                "finite observations",
                                "a division by zero or overflow in the dynamics, or a state left uninitialised");
                        return;
                    }
                }
                for (int i = 0; i < x.length; i++) {
                    if (!(x[i] >= box.low(i) && x[i] <= box.high(i))) {
                        addOnce(Check.OBSERVATION_IN_SPACE, Severity.ERROR, where + " returned observation "
                                        + show(obs) + " whose entry " + i + " = " + x[i] + " is outside ["
                                        + box.low(i) + ", " + box.high(i) + "]",
                                "observations inside the observation space " + box,
                                "the space's bounds are tighter than what the dynamics reach (widen them, or clip"
                                        + " the state as Gymnasium's envs do)");
                        return;
                    }
                }
            } else if (!obsSpace.contains(obs)) {
                String why = whyNotIn(obsSpace, obs, "obs");
                addOnce(Check.OBSERVATION_IN_SPACE, Severity.ERROR, where + " returned observation " + show(obs)
                                + (why == null ? "" : ": " + why),
                        "an element of " + obsSpace, "the observation and the observation space disagree");
            }
        }

        /** The first reason {@code x} is not in {@code space}, naming the part ({@code obs['a'][1]}), or null. */
        private static String whyNotIn(Space<?> space, Object x, String path) {
            if (x == null) {
                return path + " is null";
            }
            if (space instanceof Box box) {
                if (!(x instanceof float[] f) || f.length != box.flatDim()) {
                    return path + " = " + show(x) + " is not a float[" + box.flatDim() + "]";
                }
                for (int i = 0; i < f.length; i++) {
                    if (!(f[i] >= box.low(i) && f[i] <= box.high(i))) {
                        return path + " entry " + i + " = " + f[i] + (Float.isFinite(f[i]) ? " is outside ["
                                + box.low(i) + ", " + box.high(i) + "]" : " is not finite");
                    }
                }
                return null;
            }
            if (space instanceof Tuple t) {
                if (!(x instanceof List<?> l) || l.size() != t.size()) {
                    return path + " = " + show(x) + " is not a List of " + t.size() + " elements";
                }
                for (int i = 0; i < t.size(); i++) {
                    String why = whyNotIn(t.space(i), l.get(i), path + "[" + i + "]");
                    if (why != null) {
                        return why;
                    }
                }
                return null;
            }
            if (space instanceof Dict d) {
                if (!(x instanceof Map<?, ?> m)) {
                    return path + " = " + show(x) + " is not a Map";
                }
                for (String k : d.keys()) {
                    if (!m.containsKey(k)) {
                        return path + " has no key '" + k + "'";
                    }
                    String why = whyNotIn(d.space(k), m.get(k), path + "['" + k + "']");
                    if (why != null) {
                        return why;
                    }
                }
                for (Object k : m.keySet()) {
                    if (!d.keys().contains(k)) {
                        return path + " has the key " + show(k) + ", which " + d + " does not";
                    }
                }
                return null;
            }
            return space.contains(x) ? null : path + " = " + show(x) + " is not in " + space;
        }

        // ---------------------------------------------------------------- invalid actions

        private void checkInvalidActions() {
            Env<O, A> env;
            try {
                env = open();
            } catch (RuntimeException e) {
                unexpected("creating a copy", e);
                return;
            }
            for (Object bad : invalidActions()) {
                try {
                    env.reset(seed);
                } catch (RuntimeException e) {
                    unexpected("reset(" + seed + ")", e);
                    return;
                }
                probe(env, bad);
            }
        }

        /** Values that are not elements of the action space, mildest last. */
        private List<Object> invalidActions() {
            List<Object> bad = new ArrayList<>();
            bad.add(null);
            if (actSpace instanceof Discrete d) {
                bad.add(d.start() - 1);
                bad.add(d.start() + d.n());
            } else if (actSpace instanceof MultiDiscrete m) {
                bad.add(new int[m.size() + 1]);
                int[] low = m.start();
                low[m.size() - 1]--;
                bad.add(low);
                int[] high = m.start();
                high[0] += m.nvec(0);
                bad.add(high);
            } else if (actSpace instanceof Box box) {
                int n = box.flatDim();
                bad.add(new float[n + 1]);
                float[] nan = midpoint(box);
                nan[0] = Float.NaN;
                bad.add(nan);
                for (int i = 0; i < n; i++) {
                    if (Float.isFinite(box.high(i))) {
                        float[] high = midpoint(box);
                        high[i] = box.high(i) + Math.max(1f, Math.abs(box.high(i)));
                        bad.add(high);
                        break;
                    }
                }
                for (int i = 0; i < n; i++) {
                    if (Float.isFinite(box.low(i))) {
                        float[] low = midpoint(box);
                        low[i] = box.low(i) - Math.max(1f, Math.abs(box.low(i)));
                        bad.add(low);
                        break;
                    }
                }
            }
            return bad;
        }

        private static float[] midpoint(Box box) {
            float[] x = new float[box.flatDim()];
            for (int i = 0; i < x.length; i++) {
                boolean lo = Float.isFinite(box.low(i));
                boolean hi = Float.isFinite(box.high(i));
                x[i] = lo && hi ? (float) (((double) box.low(i) + box.high(i)) / 2) : lo ? box.low(i) : hi ? box.high(i) : 0f;
            }
            return x;
        }

        @SuppressWarnings("unchecked")
        private void probe(Env<O, A> env, Object bad) {
            boolean mild = bad instanceof float[] f && f.length == actSpace.flatDim() && allFinite(f);
            try {
                Step<O> s = env.step((A) bad);
                add(Check.REJECTS_INVALID_ACTION, mild ? Severity.WARNING : Severity.ERROR,
                        "step(" + show(bad) + ") returned normally" + (s == null ? "" : " (reward " + s.reward()
                                + ", observation " + show(s.observation()) + ")"),
                        "an exception such as EnvContractException naming the action and " + actSpace,
                        mild ? "the env clips or ignores out-of-bounds actions (Gymnasium's Pendulum clips on purpose);"
                                        + " a caller's bug then goes unnoticed. Make the env through an EnvSpec, whose"
                                        + " EnvChecks rejects it, or check actionSpace().contains(action) in step()"
                                : "step() uses the action without checking it; check actionSpace().contains(action)"
                                        + " and throw EnvContractException, or make the env through an EnvSpec, whose"
                                        + " EnvChecks does");
            } catch (ClassCastException e) {
                add(Check.REJECTS_INVALID_ACTION, Severity.WARNING, "step(" + show(bad) + ") threw " + describe(e),
                        "an EnvContractException naming the action and " + actSpace,
                        "the action type does not match the action space's element type");
            } catch (RuntimeException e) {
                if (!isClear(e, bad == null)) {
                    add(Check.REJECTS_INVALID_ACTION, Severity.WARNING, "step(" + show(bad) + ") threw "
                                    + describe(e),
                            "an EnvContractException (or IllegalArgumentException) naming the action and " + actSpace,
                            "the env fails by accident deeper inside (e.g. an array index), so the message does not"
                                    + " say the action was invalid; check actionSpace().contains(action) first");
                }
            }
        }

        private static boolean allFinite(float[] f) {
            for (float v : f) {
                if (!Float.isFinite(v)) {
                    return false;
                }
            }
            return true;
        }

        // ---------------------------------------------------------------- action masks

        /**
         * The mask of {@code env}'s current state, checked (reported once on failure, then {@code null}): written
         * twice, into a buffer filled with {@code true} and with {@code false}, at offset 1 between guard entries.
         */
        private boolean[] mask(Env<O, A> env, String where) {
            ActionMasked m = ActionMasked.find(env);
            int size = ActionMasked.maskSize(actSpace);
            boolean[][] seen = new boolean[2][];
            for (int fill = 0; fill < 2; fill++) {
                boolean[] buf = new boolean[size + 2];
                Arrays.fill(buf, fill == 0);
                try {
                    m.actionMask(buf, 1);
                } catch (RuntimeException e) {
                    addOnce(Check.ACTION_MASK, Severity.ERROR, "actionMask(mask, 1) after " + where + " threw "
                                    + describe(e),
                            "the " + size + " entries of " + actSpace + " written from offset 1",
                            "actionMask ignores its offset, or the mask array is sized for the env's own use");
                    return null;
                }
                if (buf[0] != (fill == 0) || buf[size + 1] != (fill == 0)) {
                    addOnce(Check.ACTION_MASK, Severity.ERROR, "actionMask(mask, 1) after " + where + " wrote outside"
                                    + " entries 1.." + size + " (mask " + show(buf) + ")",
                            "exactly the " + size + " entries of " + actSpace + " from the offset",
                            "the mask is written from index 0 instead of the offset, or has the wrong length (it needs"
                                    + " ActionMasked.maskSize(actionSpace) = " + size + " entries)");
                    return null;
                }
                seen[fill] = Arrays.copyOfRange(buf, 1, size + 1);
            }
            if (!Arrays.equals(seen[0], seen[1])) {
                int k = 0;
                while (seen[0][k] == seen[1][k]) {
                    k++;
                }
                addOnce(Check.ACTION_MASK, Severity.ERROR, "after " + where + ", actionMask left entry " + k
                                + " as the buffer held it: " + show(seen[0]) + " into a buffer of true, " + show(seen[1])
                                + " into a buffer of false",
                        "every one of the " + size + " entries written, the same on every call",
                        "actionMask sets only the valid (or only the invalid) entries; write each entry, e.g."
                                + " mask[offset + k] = isLegal(k)");
                return null;
            }
            int from = 0;
            int components = actSpace instanceof MultiDiscrete md ? md.size() : 1;
            for (int c = 0; c < components; c++) {
                int n = actSpace instanceof MultiDiscrete md ? md.nvec(c) : size;
                boolean any = false;
                for (int k = from; k < from + n; k++) {
                    any |= seen[1][k];
                }
                if (!any) {
                    addOnce(Check.ACTION_MASK, Severity.ERROR, "after " + where + ", the mask " + show(seen[1])
                                    + " allows no action" + (components > 1 ? " for component " + c : ""),
                            "at least one valid action in every state",
                            "a state where nothing is legal must end the episode (terminated) instead");
                    return null;
                }
                from += n;
            }
            return seen[1];
        }

        /** A uniformly random action the mask allows (per component for MultiDiscrete). */
        @SuppressWarnings("unchecked")
        private A validAction(boolean[] mask, SplittableRandom rng) {
            if (actSpace instanceof Discrete d) {
                return (A) Integer.valueOf(d.start() + pick(mask, 0, d.n(), true, rng));
            }
            MultiDiscrete m = (MultiDiscrete) actSpace;
            int[] x = new int[m.size()];
            for (int c = 0, from = 0; c < m.size(); from += m.nvec(c), c++) {
                x[c] = m.start(c) + pick(mask, from, m.nvec(c), true, rng);
            }
            return (A) x;
        }

        /** An action inside the space that the mask rules out, or {@code null} if the mask allows everything. */
        @SuppressWarnings("unchecked")
        private A maskedOutAction(boolean[] mask, SplittableRandom rng) {
            if (actSpace instanceof Discrete d) {
                int k = pick(mask, 0, d.n(), false, rng);
                return k < 0 ? null : (A) Integer.valueOf(d.start() + k);
            }
            MultiDiscrete m = (MultiDiscrete) actSpace;
            int[] x = new int[m.size()];
            boolean found = false;
            for (int c = 0, from = 0; c < m.size(); from += m.nvec(c), c++) {
                int bad = found ? -1 : pick(mask, from, m.nvec(c), false, rng);
                found |= bad >= 0;
                x[c] = m.start(c) + (bad >= 0 ? bad : pick(mask, from, m.nvec(c), true, rng));
            }
            return found ? (A) x : null;
        }

        /** A random {@code k} in {@code [0, n)} with {@code mask[from + k] == value}, or -1 if there is none. */
        private static int pick(boolean[] mask, int from, int n, boolean value, SplittableRandom rng) {
            int count = 0;
            for (int k = 0; k < n; k++) {
                count += mask[from + k] == value ? 1 : 0;
            }
            if (count == 0) {
                return -1;
            }
            int target = rng.nextInt(count);
            for (int k = 0; ; k++) {
                if (mask[from + k] == value && target-- == 0) {
                    return k;
                }
            }
        }

        /**
         * Walks valid random steps until the mask rules an action out, then steps that action and compares what
         * happens with {@link ActionMasked#rejectsInvalidActions()}.
         */
        private void checkMaskedAction() {
            Env<O, A> env = openAndReset();
            if (env == null) {
                return;
            }
            boolean rejects = ActionMasked.find(env).rejectsInvalidActions();
            SplittableRandom rng = new SplittableRandom(seed ^ 0x5851F42D4C957F2DL);
            for (int t = 0; t < MAX_STEPS; t++) {
                boolean[] mask = mask(env, "step " + t + " of the masked-action check");
                if (mask == null) {
                    return;
                }
                A bad = maskedOutAction(mask, rng);
                if (bad != null) {
                    probeMasked(env, bad, mask, rejects, t);
                    return;
                }
                try {
                    if (env.step(validAction(mask, rng)).done()) {
                        env.reset();
                    }
                } catch (RuntimeException e) {
                    unexpected("a step with an action the mask allows", e);
                    return;
                }
            }
            add(Check.MASKED_ACTION, Severity.NOTE, "the mask allowed every action in all " + MAX_STEPS
                            + " states visited", "a state where the mask rules an action out, to step it",
                    "the env has no illegal actions in the states random play reaches; then it needs no mask");
        }

        private void probeMasked(Env<O, A> env, A bad, boolean[] mask, boolean rejects, int t) {
            String what = "step(" + show(bad) + ") after " + t + " steps, with the mask " + show(mask)
                    + " ruling it out,";
            try {
                Step<O> s = env.step(bad);
                if (rejects) {
                    add(Check.MASKED_ACTION, Severity.ERROR, what + " returned normally" + (s == null ? ""
                                    : " (reward " + s.reward() + ")"),
                            "an exception (IllegalArgumentException or EnvContractException naming the action), since"
                                    + " rejectsInvalidActions() is true",
                            "step() does not check the action against the mask; check it and throw, or return false"
                                    + " from rejectsInvalidActions() if masked actions are meant to be harmless");
                }
            } catch (RuntimeException e) {
                if (!rejects) {
                    add(Check.MASKED_ACTION, Severity.ERROR, what + " threw " + describe(e),
                            "the step to succeed, since rejectsInvalidActions() is false",
                            "step() rejects masked actions; return true from rejectsInvalidActions() (the default)");
                } else if (!isClear(e, false)) {
                    add(Check.MASKED_ACTION, Severity.WARNING, what + " threw " + describe(e),
                            "an IllegalArgumentException or EnvContractException naming the action and why it is"
                                    + " illegal",
                            "the env fails by accident deeper inside (e.g. an array index); check the action first");
                }
            }
        }

        // ---------------------------------------------------------------- close

        private void checkCloseTwice() {
            Env<O, A> env = openAndReset();
            if (env == null) {
                return;
            }
            for (int i = 1; i <= 2; i++) {
                try {
                    env.close();
                } catch (RuntimeException e) {
                    add(Check.CLOSE_TWICE, Severity.ERROR, (i == 1 ? "the first" : "the second") + " close() threw "
                                    + describe(e),
                            "close() to succeed, and to be a no-op the second time",
                            "close() releases a resource without checking whether it is already released; keep a"
                                    + " closed flag");
                    return;
                }
            }
        }

        // ---------------------------------------------------------------- helpers

        private static boolean isClear(RuntimeException e, boolean nullInput) {
            return e instanceof EnvContractException || e instanceof IllegalArgumentException
                    || e instanceof IllegalStateException || (nullInput && e instanceof NullPointerException);
        }

        private static String describe(Throwable e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : "(\"" + e.getMessage() + "\")");
        }

        private String describe(Step<O> s) {
            return s == null ? "null" : "(observation " + show(s.observation()) + ", reward " + s.reward()
                    + ", terminated " + s.terminated() + ", truncated " + s.truncated() + ")";
        }

        private static String show(Object v) {
            return Spaces.show(v);
        }
    }
}
