package dev.proxima.core.env;

import dev.proxima.core.space.Discrete;
import dev.proxima.core.space.Space;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code numEnvs} copies of one env stepped together with flat arrays, as Gymnasium 0.29's {@code SyncVectorEnv}
 * ({@code gymnasium/vector/sync_vector_env.py}) and the environment side of CleanRL's {@code ppo.py}.
 *
 * <h2>Auto-reset, "same step"</h2>
 * When copy {@code i} ends an episode (terminated or truncated), the same {@link #step} call writes the final
 * observation of that episode to row {@code i} of {@code finalObsOut}, keeps the step's info as
 * {@link #finalInfo(int)},
 * resets the copy with {@link Env#reset()} (continuing its random stream) and writes the first observation of the next
 * episode to row {@code i} of {@code obsOut}. The reward and flags are those of the ending step. PPO needs the final
 * observation to bootstrap truncated episodes with V(final obs); rows of {@code finalObsOut} whose copy did not end are
 * left untouched.
 *
 * <h2>Flat arrays</h2>
 * Observations are {@code numEnvs * obsDim} floats, each row flattened by the observation space. Actions are
 * {@code actionDim} floats per copy: for {@link Discrete} the index {@code 0..n-1} as a float (the space's
 * {@code start} is added here), otherwise the floats the action space unflattens (into a reused per-copy array for a
 * Box). Once the copies are built, {@link #reset} and {@link #step} allocate nothing except an {@link Episode} record
 * per finished episode (and whatever the envs allocate themselves).
 *
 * <h2>Flat stepping</h2>
 * A copy whose outermost env is {@link FlatStepped} (the built-in classic-control envs, as {@link EnvSpec#make} wraps
 * them) is stepped and auto-reset with {@link FlatStepped#stepInto} / {@link FlatStepped#resetInto}, which write
 * straight into {@code obsOut}, {@code rewardsOut} and, through a copy of the row, {@code finalObsOut}: no
 * {@link Step}, {@link Reset}, observation array or boxed action per step, so stepping such copies allocates nothing
 * (but the {@link Episode} per finished episode). Its info maps are empty. Other copies take the object path
 * ({@link Env#step}); the results are the same either way.
 *
 * <h2>Parallel stepping</h2>
 * {@link #step(int, int, float[], float[], double[], boolean[], boolean[], float[])} steps only copies
 * {@code [from, to)}, so workers can step disjoint slices concurrently, each writing only its rows of the shared
 * full-size arrays. Each copy is confined to one thread per step; the caller must make every slice happen-before
 * the single {@link #finishStep} that completes the step (joining the workers' futures does that). Everything that
 * involves all copies happens in {@code finishStep}, on one thread, in index order: finished episodes are queued and
 * the optional normalisers are applied, so the results do not depend on the number of workers.
 *
 * <h2>Episode statistics and normalisation</h2>
 * Per copy, the return (sum of the raw, unnormalised rewards) and length of the running episode are tracked; each
 * finished episode is queued as an {@link Episode} for the trainer to {@link #drainEpisodes drain}. An optional
 * {@link ObservationNormalizer} and {@link RewardNormalizer}, shared by all copies as in SB3's {@code VecNormalize},
 * normalise {@code obsOut} and {@code rewardsOut} in place after each step (final observations with the same
 * statistics, without updating them); freeze them with {@code updateRunningMean(false)} for evaluation.
 *
 * <h2>Batched stepping</h2>
 * Copies that are {@link BatchStepped} (under the wrappers {@link BatchStepped#find} looks through) are stepped with
 * one {@link StepBatch#stepAll} per batch and step (per range step, for parallel workers) before the per-copy steps,
 * which then return the prefetched results: an env living in another process (the Python bridge) costs one round
 * trip per vector step, not one per copy. Results are the same as stepping the copies one by one.
 *
 * <p>An exception thrown by a copy is rethrown as {@link VectorEnvException} naming the copy and its step count; the
 * vector env must then be reset.
 */
public final class SyncVectorEnv<O, A> implements AutoCloseable {

    /**
     * A finished episode of one copy.
     *
     * @param env    index of the copy
     * @param ret    the episode's return: the sum of its raw rewards
     * @param length the episode's length in steps
     */
    public record Episode(int env, double ret, int length) {}

    private final List<Env<O, A>> envs;
    private final long[] seeds;
    private final int numEnvs;
    private final Space<O> observationSpace;
    private final Space<A> actionSpace;
    private final int obsDim;
    private final int actionDim;
    private final Discrete discrete;
    private final Object[] actionReuse;

    private final double[] episodeReturn;
    private final int[] episodeLength;
    private final long[] stepCount;
    private final boolean[] stepped;
    private final boolean[] ended;
    private final double[] endedReturn;
    private final int[] endedLength;
    private final Object[] info;
    private final Object[] finalInfo;
    private final ArrayDeque<Episode> episodes = new ArrayDeque<>();
    // The flat path of each copy (see the class comment), or null where the copy takes the object path.
    private final FlatStepped[] flat;

    // Batched stepping (see the class comment); null when no copy is BatchStepped. The scratch arrays are used at the
    // indices of the range being stepped, so workers stepping disjoint ranges never share an entry.
    private final StepBatch[] batchOf;
    private final int[] batchSlotOf;
    private final int[] batchSlots;
    private final Object[] batchActions;
    private final boolean[] batched;

    private ObservationNormalizer observationNormalizer;
    private RewardNormalizer rewardNormalizer;
    // Volatile: a worker that hits an env exception sets it, other workers read it.
    private volatile boolean needsReset = true;

    private SyncVectorEnv(List<Env<O, A>> envs, long[] seeds) {
        this.envs = envs;
        this.seeds = seeds;
        this.numEnvs = envs.size();
        Env<O, A> first = envs.get(0);
        this.observationSpace = first.observationSpace();
        this.actionSpace = first.actionSpace();
        for (int i = 1; i < numEnvs; i++) {
            Env<O, A> e = envs.get(i);
            if (!observationSpace.equals(e.observationSpace()) || !actionSpace.equals(e.actionSpace())) {
                throw new IllegalArgumentException("SyncVectorEnv: copy " + i + " (" + e.name() + ") has spaces "
                        + e.observationSpace() + " / " + e.actionSpace() + " but copy 0 has " + observationSpace
                        + " / " + actionSpace + ". All copies must be the same env.");
            }
        }
        this.obsDim = observationSpace.flatDim();
        this.actionDim = actionSpace.flatDim();
        this.discrete = actionSpace instanceof Discrete d ? d : null;
        this.actionReuse = new Object[numEnvs];
        this.episodeReturn = new double[numEnvs];
        this.episodeLength = new int[numEnvs];
        this.stepCount = new long[numEnvs];
        this.stepped = new boolean[numEnvs];
        this.ended = new boolean[numEnvs];
        this.endedReturn = new double[numEnvs];
        this.endedLength = new int[numEnvs];
        this.info = new Object[numEnvs];
        this.finalInfo = new Object[numEnvs];
        for (int i = 0; i < numEnvs; i++) {
            info[i] = Map.of();
            finalInfo[i] = Map.of();
        }
        StepBatch[] batches = new StepBatch[numEnvs];
        int[] slots = new int[numEnvs];
        boolean any = false;
        for (int i = 0; i < numEnvs; i++) {
            BatchStepped b = BatchStepped.find(envs.get(i));
            if (b != null && b.stepBatch() != null) {
                batches[i] = b.stepBatch();
                slots[i] = b.batchSlot();
                any = true;
            }
        }
        this.batchOf = any ? batches : null;
        this.batchSlotOf = any ? slots : null;
        this.batchSlots = any ? new int[numEnvs] : null;
        this.batchActions = any ? new Object[numEnvs] : null;
        this.batched = any ? new boolean[numEnvs] : null;
        this.flat = new FlatStepped[numEnvs];
        for (int i = 0; i < numEnvs; i++) {
            flat[i] = batches[i] == null ? FlatStepped.of(envs.get(i)) : null;
        }
    }

    /**
     * {@code seeds.length} copies made as Gymnasium's {@code make} does ({@link EnvSpec#make}: checked, and under
     * the spec's time limit); copy {@code i} is made with {@code seeds[i]}.
     */
    public static <O, A> SyncVectorEnv<O, A> of(EnvSpec<O, A> spec, long... seeds) {
        Objects.requireNonNull(spec, "spec");
        return build(spec::make, spec.id(), seeds);
    }

    /**
     * {@code seeds.length} copies made by {@code factory}, used as it is: wrap the env in the factory if it needs
     * {@link TimeLimit} or {@link EnvChecks}. Copy {@code i} is made with {@code seeds[i]}.
     */
    public static <O, A> SyncVectorEnv<O, A> of(EnvFactory<O, A> factory, long... seeds) {
        Objects.requireNonNull(factory, "factory");
        return build(factory, "factory", seeds);
    }

    private static <O, A> SyncVectorEnv<O, A> build(EnvFactory<O, A> factory, String what, long[] seeds) {
        Objects.requireNonNull(seeds, "seeds");
        if (seeds.length < 1) {
            throw new IllegalArgumentException("SyncVectorEnv: no seeds given, so no env copies; pass one seed per"
                    + " copy (numEnvs = seeds.length)");
        }
        List<Env<O, A>> envs = new ArrayList<>(seeds.length);
        try {
            for (int i = 0; i < seeds.length; i++) {
                Env<O, A> e;
                try {
                    e = factory.create(seeds[i]);
                } catch (RuntimeException ex) {
                    throw new VectorEnvException("SyncVectorEnv: making copy " + i + " from " + what + " with seed "
                            + seeds[i] + " failed: " + ex, i, 0, ex);
                }
                if (e == null) {
                    throw new IllegalArgumentException("SyncVectorEnv: " + what + " returned null for copy " + i);
                }
                envs.add(e);
            }
            return new SyncVectorEnv<>(List.copyOf(envs), seeds.clone());
        } catch (RuntimeException ex) {
            for (Env<O, A> e : envs) {
                try {
                    e.close();
                } catch (Exception suppressed) {
                    ex.addSuppressed(suppressed);
                }
            }
            throw ex;
        }
    }

    public int numEnvs() {
        return numEnvs;
    }

    /** Floats per observation row. */
    public int obsDim() {
        return obsDim;
    }

    /** Floats per action (1 for {@link Discrete}). */
    public int actionDim() {
        return actionDim;
    }

    public Space<O> observationSpace() {
        return observationSpace;
    }

    public Space<A> actionSpace() {
        return actionSpace;
    }

    /** The seeds the copies were made with, a copy; the usual argument of the first {@link #reset}. */
    public long[] seeds() {
        return seeds.clone();
    }

    /** Copy {@code i}, for inspection (e.g. {@code Wrapper.find}); stepping it directly breaks the bookkeeping. */
    public Env<O, A> env(int i) {
        return envs.get(i);
    }

    /**
     * The info of copy {@code i}'s latest result: the step's, or after an auto-reset the reset's (Gymnasium 0.29
     * returns the reset info for copies that were reset).
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> info(int i) {
        return (Map<String, Object>) info[i];
    }

    /** The info of the step that ended copy {@code i}'s latest episode (Gymnasium 0.29's {@code final_info}). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> finalInfo(int i) {
        return (Map<String, Object>) finalInfo[i];
    }

    /** Return of copy {@code i}'s running episode so far (raw rewards). */
    public double episodeReturn(int i) {
        return episodeReturn[i];
    }

    /** Steps of copy {@code i}'s running episode so far. */
    public int episodeLength(int i) {
        return episodeLength[i];
    }

    /**
     * Sets (or with {@code null} removes) the observation normaliser applied by {@link #reset} and
     * {@link #finishStep}; its dim must be {@link #obsDim()}.
     */
    public SyncVectorEnv<O, A> observationNormalizer(ObservationNormalizer normalizer) {
        if (normalizer != null && normalizer.dim() != obsDim) {
            throw new IllegalArgumentException("SyncVectorEnv: the observation normaliser has dim " + normalizer.dim()
                    + " but observations have obsDim = " + obsDim + " (" + observationSpace + ")");
        }
        this.observationNormalizer = normalizer;
        return this;
    }

    /** Sets (or with {@code null} removes) the reward normaliser; it must have {@link #numEnvs()} copies. */
    public SyncVectorEnv<O, A> rewardNormalizer(RewardNormalizer normalizer) {
        if (normalizer != null && normalizer.numEnvs() != numEnvs) {
            throw new IllegalArgumentException("SyncVectorEnv: the reward normaliser tracks " + normalizer.numEnvs()
                    + " returns but there are numEnvs = " + numEnvs + " copies");
        }
        this.rewardNormalizer = normalizer;
        return this;
    }

    public Optional<ObservationNormalizer> observationNormalizer() {
        return Optional.ofNullable(observationNormalizer);
    }

    public Optional<RewardNormalizer> rewardNormalizer() {
        return Optional.ofNullable(rewardNormalizer);
    }

    /**
     * Resets every copy and writes the first observations to {@code obsOut} ({@code numEnvs * obsDim} floats). Running
     * episodes are dropped from the statistics; the reward normaliser's running returns restart at 0 and the
     * observation normaliser sees this batch.
     *
     * @param seeds one seed per copy for {@link Env#reset(long)}, or {@code null} to continue each copy's random
     *              stream with {@link Env#reset()} (only after a seeded reset)
     */
    public void reset(long[] seeds, float[] obsOut) {
        if (seeds != null && seeds.length != numEnvs) {
            throw new IllegalArgumentException("SyncVectorEnv.reset: " + seeds.length + " seeds for numEnvs = "
                    + numEnvs + " copies; pass one per copy (or null to continue their random streams)");
        }
        checkLength("obsOut", obsOut.length, obsDim, "obsDim");
        needsReset = true;
        for (int i = 0; i < numEnvs; i++) {
            Reset<O> r;
            try {
                r = seeds != null ? envs.get(i).reset(seeds[i]) : envs.get(i).reset();
                observationSpace.flatten(r.observation(), obsOut, i * obsDim);
            } catch (RuntimeException e) {
                throw failure(i, seeds != null ? "reset(" + seeds[i] + ")" : "reset()", e);
            }
            info[i] = r.info();
            finalInfo[i] = Map.of();
            episodeReturn[i] = 0.0;
            episodeLength[i] = 0;
            stepped[i] = false;
            ended[i] = false;
        }
        if (rewardNormalizer != null) {
            rewardNormalizer.resetReturns();
        }
        if (observationNormalizer != null) {
            observationNormalizer.normalize(obsOut, numEnvs);
        }
        needsReset = false;
    }

    /**
     * Steps every copy once with its action, auto-resetting copies whose episode ended, and applies the normalisers:
     * {@link #step(int, int, float[], float[], double[], boolean[], boolean[], float[]) step(0, numEnvs, ...)} then
     * {@link #finishStep}.
     *
     * @param actions       {@code numEnvs * actionDim} floats
     * @param obsOut        receives {@code numEnvs * obsDim} floats: the next observations (of a new episode where one
     *                      ended)
     * @param rewardsOut    receives {@code numEnvs} rewards
     * @param terminatedOut receives {@code numEnvs} terminated flags
     * @param truncatedOut  receives {@code numEnvs} truncated flags
     * @param finalObsOut   {@code numEnvs * obsDim} floats; row {@code i} receives copy {@code i}'s final observation
     *                      only when its episode ended
     */
    public void step(float[] actions, float[] obsOut, double[] rewardsOut, boolean[] terminatedOut,
            boolean[] truncatedOut, float[] finalObsOut) {
        step(0, numEnvs, actions, obsOut, rewardsOut, terminatedOut, truncatedOut, finalObsOut);
        finishStep(obsOut, rewardsOut, terminatedOut, truncatedOut, finalObsOut);
    }

    /**
     * Steps copies {@code [from, to)} only, writing their rows of the full-size arrays (same layout as
     * {@link #step(float[], float[], double[], boolean[], boolean[], float[])}). Disjoint ranges may be stepped by
     * different threads at the same time. Once every copy has been stepped, call {@link #finishStep} once on one
     * thread; stepping a copy twice before that is an error. The raw rewards and unnormalised observations are in the
     * arrays until {@code finishStep} normalises them.
     */
    public void step(int from, int to, float[] actions, float[] obsOut, double[] rewardsOut, boolean[] terminatedOut,
            boolean[] truncatedOut, float[] finalObsOut) {
        if (needsReset) {
            throw new IllegalStateException("SyncVectorEnv.step: call reset(seeds, obsOut) first"
                    + " (before the first step, and after an env copy threw)");
        }
        if (from < 0 || from > to || to > numEnvs) {
            throw new IllegalArgumentException("SyncVectorEnv.step: range [" + from + ", " + to
                    + ") is not inside [0, " + numEnvs + ")");
        }
        checkArrays(actions, obsOut, rewardsOut, terminatedOut, truncatedOut, finalObsOut);
        if (batchOf != null) {
            stepBatches(from, to, actions);
        }
        for (int i = from; i < to; i++) {
            if (stepped[i]) {
                throw new IllegalStateException("SyncVectorEnv.step: copy " + i + " was already stepped in this"
                        + " step; call finishStep(...) once every copy has been stepped");
            }
            stepOne(i, actions, obsOut, rewardsOut, terminatedOut, truncatedOut, finalObsOut);
            stepped[i] = true;
        }
    }

    /** One {@link StepBatch#stepAll} per batch among copies {@code [from, to)}; see the class comment. */
    private void stepBatches(int from, int to, float[] actions) {
        for (int i = from; i < to; i++) {
            if (stepped[i]) {
                throw new IllegalStateException("SyncVectorEnv.step: copy " + i + " was already stepped in this"
                        + " step; call finishStep(...) once every copy has been stepped");
            }
            batched[i] = batchOf[i] == null;
        }
        for (int i = from; i < to; i++) {
            if (batched[i]) {
                continue;
            }
            StepBatch batch = batchOf[i];
            int end = from;
            for (int j = i; j < to; j++) {
                if (!batched[j] && batchOf[j] == batch) {
                    batchSlots[end] = batchSlotOf[j];
                    batchActions[end] = action(j, actions);
                    batched[j] = true;
                    end++;
                }
            }
            try {
                batch.stepAll(batchSlots, batchActions, from, end);
            } catch (RuntimeException e) {
                throw failure(i, "a batched step of " + (end - from) + " copies", e);
            }
        }
    }

    private void stepOne(int i, float[] actions, float[] obsOut, double[] rewardsOut, boolean[] terminatedOut,
            boolean[] truncatedOut, float[] finalObsOut) {
        if (flat[i] != null) {
            stepFlat(i, flat[i], actions, obsOut, rewardsOut, terminatedOut, truncatedOut, finalObsOut);
            return;
        }
        A action = action(i, actions);
        Env<O, A> env = envs.get(i);
        Step<O> s;
        try {
            s = env.step(action);
        } catch (RuntimeException e) {
            throw failure(i, "step", e);
        }
        stepCount[i]++;
        double reward = s.reward();
        rewardsOut[i] = reward;
        terminatedOut[i] = s.terminated();
        truncatedOut[i] = s.truncated();
        episodeReturn[i] += reward;
        episodeLength[i]++;
        info[i] = s.info();
        if (!s.done()) {
            ended[i] = false;
            flatten(i, s.observation(), obsOut, "step");
            return;
        }
        // ALGO LOGIC: same-step auto-reset (Gymnasium 0.29). Keep the final observation for bootstrapping
        // truncated episodes, then start the next episode on the copy's continuing random stream.
        flatten(i, s.observation(), finalObsOut, "step");
        finalInfo[i] = s.info();
        endEpisode(i);
        Reset<O> r;
        try {
            r = env.reset();
        } catch (RuntimeException e) {
            throw failure(i, "auto-reset after the episode ended", e);
        }
        info[i] = r.info();
        flatten(i, r.observation(), obsOut, "auto-reset");
    }

    /**
     * {@link #stepOne} on the flat path: the same bookkeeping, the same same-step auto-reset (the final observation is
     * the row {@code stepInto} wrote, copied to {@code finalObsOut} before {@code resetInto} overwrites it).
     */
    private void stepFlat(int i, FlatStepped env, float[] actions, float[] obsOut, double[] rewardsOut,
            boolean[] terminatedOut, boolean[] truncatedOut, float[] finalObsOut) {
        if (discrete != null) {
            discreteIndex(i, actions);
        }
        int row = i * obsDim;
        int flags;
        try {
            flags = env.stepInto(actions, i * actionDim, obsOut, row, rewardsOut, i);
        } catch (RuntimeException e) {
            throw failure(i, "step", e);
        }
        stepCount[i]++;
        boolean terminated = (flags & FlatStepped.TERMINATED) != 0;
        boolean truncated = (flags & FlatStepped.TRUNCATED) != 0;
        terminatedOut[i] = terminated;
        truncatedOut[i] = truncated;
        episodeReturn[i] += rewardsOut[i];
        episodeLength[i]++;
        info[i] = Map.of();
        if (!terminated && !truncated) {
            ended[i] = false;
            return;
        }
        System.arraycopy(obsOut, row, finalObsOut, row, obsDim);
        finalInfo[i] = Map.of();
        endEpisode(i);
        try {
            env.resetInto(obsOut, row);
        } catch (RuntimeException e) {
            throw failure(i, "auto-reset after the episode ended", e);
        }
    }

    /** Copy {@code i}'s episode ended this step: record its return and length for the drain, start counting anew. */
    private void endEpisode(int i) {
        ended[i] = true;
        endedReturn[i] = episodeReturn[i];
        endedLength[i] = episodeLength[i];
        episodeReturn[i] = 0.0;
        episodeLength[i] = 0;
    }

    /** Copy {@code i}'s discrete action as an index in {@code [0, n)}, or an exception (the vector env needs a reset). */
    private int discreteIndex(int i, float[] actions) {
        float a = actions[i * actionDim];
        int index = (int) a;
        if (index != a || index < 0 || index >= discrete.n()) {
            needsReset = true;
            throw new IllegalArgumentException("SyncVectorEnv.step: action " + a + " for copy " + i
                    + " is not an index in [0, " + discrete.n() + ") of " + discrete
                    + ". Pass the sampled category index as a float.");
        }
        return index;
    }

    @SuppressWarnings("unchecked")
    private A action(int i, float[] actions) {
        int offset = i * actionDim;
        if (discrete != null) {
            return (A) Integer.valueOf(discrete.start() + discreteIndex(i, actions));
        }
        try {
            A a = actionSpace.unflatten(actions, offset, (A) actionReuse[i]);
            actionReuse[i] = a;
            return a;
        } catch (RuntimeException e) {
            throw failure(i, "unflattening the action for " + actionSpace, e);
        }
    }

    private void flatten(int i, O observation, float[] dst, String where) {
        try {
            observationSpace.flatten(observation, dst, i * obsDim);
        } catch (RuntimeException e) {
            throw failure(i, "flattening the observation of " + where + " into " + observationSpace
                    + " (is it the right type and length?)", e);
        }
    }

    /**
     * Completes a step made of range steps: checks that every copy was stepped, queues the finished episodes in copy
     * order, then (if set) normalises {@code obsOut} (updating the statistics with the whole batch), the final
     * observations of the copies that ended (same statistics, not updated) and {@code rewardsOut}. Pass the same
     * arrays as to the range steps. Single-threaded.
     */
    public void finishStep(float[] obsOut, double[] rewardsOut, boolean[] terminatedOut, boolean[] truncatedOut,
            float[] finalObsOut) {
        for (int i = 0; i < numEnvs; i++) {
            if (!stepped[i]) {
                throw new IllegalStateException("SyncVectorEnv.finishStep: copy " + i + " was not stepped since the"
                        + " last finishStep; step every copy in [0, " + numEnvs + ") first");
            }
        }
        for (int i = 0; i < numEnvs; i++) {
            stepped[i] = false;
            if (ended[i]) {
                episodes.addLast(new Episode(i, endedReturn[i], endedLength[i]));
            }
        }
        if (observationNormalizer != null) {
            observationNormalizer.normalize(obsOut, numEnvs);
            for (int i = 0; i < numEnvs; i++) {
                if (ended[i]) {
                    observationNormalizer.apply(finalObsOut, i, 1);
                }
            }
        }
        if (rewardNormalizer != null) {
            rewardNormalizer.normalize(rewardsOut, terminatedOut, truncatedOut);
        }
    }

    // ---------------------------------------------------------------- action masks

    /**
     * Whether every copy reports action masks ({@link ActionMasked}, found through the wrappers with
     * {@link ActionMasked#find}).
     */
    public boolean hasActionMasks() {
        for (Env<O, A> e : envs) {
            if (ActionMasked.find(e) == null) {
                return false;
            }
        }
        return true;
    }

    /** Mask entries per copy: {@link ActionMasked#maskSize} of the action space ({@code n}, or {@code Σ nvec}). */
    public int maskDim() {
        return ActionMasked.maskSize(actionSpace);
    }

    /**
     * Writes every copy's action mask for its current state into {@code out}: {@code numEnvs * maskDim()} booleans,
     * copy {@code i} at {@code i * maskDim()}. Call it after {@link #reset} and after each step; a copy that
     * auto-reset reports the mask of its new episode's first state, matching {@code obsOut}.
     *
     * @throws IllegalStateException if a copy does not implement {@link ActionMasked}
     * @throws VectorEnvException    if a copy's mask allows no action (in some component), naming the copy
     */
    public void actionMasks(boolean[] out) {
        actionMasks(0, numEnvs, out);
    }

    /**
     * As {@link #actionMasks(boolean[])} for copies {@code [from, to)} only, writing their rows of the full-size
     * array; a sampling worker can call it for its slice right after {@link #step(int, int, float[], float[],
     * double[], boolean[], boolean[], float[]) stepping} it. Allocates nothing unless it throws.
     */
    public void actionMasks(int from, int to, boolean[] out) {
        int dim = maskDim();
        if (from < 0 || from > to || to > numEnvs) {
            throw new IllegalArgumentException("SyncVectorEnv.actionMasks: range [" + from + ", " + to
                    + ") is not inside [0, " + numEnvs + ")");
        }
        checkLength("mask out", out.length, dim, "maskDim");
        for (int i = from; i < to; i++) {
            Env<O, A> env = envs.get(i);
            ActionMasked masked = ActionMasked.find(env);
            if (masked == null) {
                throw new IllegalStateException("SyncVectorEnv.actionMasks: copy " + i + " (" + env.name() + ")"
                        + " does not implement ActionMasked, so it reports no valid actions. Implement"
                        + " ActionMasked on the env, or train without masks (check hasActionMasks() first).");
            }
            try {
                masked.actionMask(out, i * dim);
            } catch (RuntimeException e) {
                throw failure(i, "actionMask", e);
            }
            checkSomeValid(i, out, i * dim);
        }
    }

    /** Every component of copy {@code i}'s mask allows at least one value; the message is built only on failure. */
    private void checkSomeValid(int i, boolean[] mask, int offset) {
        int from = offset;
        int components = actionSpace instanceof dev.proxima.core.space.MultiDiscrete m ? m.size() : 1;
        for (int c = 0; c < components; c++) {
            int n = actionSpace instanceof dev.proxima.core.space.MultiDiscrete m ? m.nvec(c) : maskDim();
            boolean any = false;
            for (int k = from; k < from + n && !any; k++) {
                any = mask[k];
            }
            if (!any) {
                throw new VectorEnvException("env copy " + i + " (" + envs.get(i).name() + ") reported an action mask"
                        + " with no valid action" + (components > 1 ? " for component " + c : "") + " after "
                        + stepCount[i] + " steps (step " + episodeLength[i] + " of its episode): mask "
                        + java.util.Arrays.toString(java.util.Arrays.copyOfRange(mask, offset, offset + maskDim()))
                        + ". Every state must allow at least one action; end the episode instead.", i, stepCount[i],
                        null);
            }
            from += n;
        }
    }

    /**
     * The state of copy {@code i}'s env layers, outermost first, for checkpoints; {@code null} when a layer is not
     * {@link Snapshottable}. Take it between steps (after {@link #finishStep}).
     */
    public long[][] snapshotCopy(int i) {
        return Snapshottable.captureChain(envs.get(i));
    }

    /**
     * Restores copy {@code i} from {@link #snapshotCopy} and its running episode's return and length, and marks the
     * vector env as started, so stepping continues the interrupted episodes without a reset.
     */
    public void restoreCopy(int i, long[][] layers, double episodeReturn, int episodeLength) {
        Snapshottable.restoreChain(envs.get(i), layers);
        this.episodeReturn[i] = episodeReturn;
        this.episodeLength[i] = episodeLength;
        this.stepped[i] = false;
        this.ended[i] = false;
        this.needsReset = false;
    }

    /** Moves every finished episode not drained yet, oldest first (ties in copy order), into {@code sink}. */
    public int drainEpisodes(Collection<? super Episode> sink) {
        int n = 0;
        for (Episode e; (e = episodes.pollFirst()) != null; n++) {
            sink.add(e);
        }
        return n;
    }

    /** Closes every copy; the first failure is thrown after all were tried, the others suppressed in it. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (Env<O, A> e : envs) {
            try {
                e.close();
            } catch (RuntimeException ex) {
                if (first == null) {
                    first = ex;
                } else {
                    first.addSuppressed(ex);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private VectorEnvException failure(int i, String what, RuntimeException e) {
        needsReset = true;
        return new VectorEnvException("env copy " + i + " (" + envs.get(i).name() + ") failed in " + what
                + " after " + stepCount[i] + " steps (step " + episodeLength[i] + " of its episode): " + e, i,
                stepCount[i], e);
    }

    // Messages are built only on failure: these checks run on every step, which must not allocate.
    private void checkArrays(float[] actions, float[] obsOut, double[] rewardsOut, boolean[] terminatedOut,
            boolean[] truncatedOut, float[] finalObsOut) {
        checkLength("actions", actions.length, actionDim, "actionDim");
        checkLength("obsOut", obsOut.length, obsDim, "obsDim");
        checkLength("finalObsOut", finalObsOut.length, obsDim, "obsDim");
        checkLength("rewardsOut", rewardsOut.length, 1, null);
        checkLength("terminatedOut", terminatedOut.length, 1, null);
        checkLength("truncatedOut", truncatedOut.length, 1, null);
    }

    /** Checks that an array holds {@code numEnvs} rows of {@code perEnv} entries. */
    private void checkLength(String name, int length, int perEnv, String perEnvName) {
        if (length < numEnvs * perEnv) {
            String formula = perEnvName == null ? "numEnvs"
                    : "numEnvs * " + perEnvName + " = " + numEnvs + " * " + perEnv;
            throw new IllegalArgumentException("SyncVectorEnv: " + name + " has length " + length + " but needs "
                    + formula + " = " + numEnvs * perEnv);
        }
    }
}
