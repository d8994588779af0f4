package dev.proxima.core.env;

import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Pattern;


/**
 * Everything needed to make an env by id, as Gymnasium's {@code EnvSpec}: the id ({@code Name-vN}), a factory, the
 * time limit that {@link #make} applies with {@link TimeLimit}, and the reward threshold at which the task counts as
 * solved.
 */
public class EnvSpec<O, A> {
    private static final Pattern ID = Pattern.compile("\\S+");

    private final String id;
    private final EnvFactory<O, A> factory;
    private final int maxEpisodeSteps;
    private final double rewardThreshold;

    /**
     * @param id              Gymnasium-style id such as {@code CartPole-v1} (no white space)
     * @param factory         makes an unwrapped env
     * @param maxEpisodeSteps time limit applied by {@link #make}, or 0 for none
     * @param rewardThreshold return at which the task is solved, or {@code NaN} for none
     */
    public EnvSpec(String id, EnvFactory<O, A> factory, int maxEpisodeSteps, double rewardThreshold) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(factory, "factory");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("env id \"" + id + "\" is blank or contains white space;"
                    + " use Gymnasium's Name-vN form, e.g. CartPole-v1");
        }
        if (maxEpisodeSteps < 0) {
            throw new IllegalArgumentException("env " + id + ": maxEpisodeSteps = " + maxEpisodeSteps
                    + " is negative; use 0 for no time limit");
        }
        this.id = id;
        this.factory = factory;
        this.maxEpisodeSteps = maxEpisodeSteps;
        this.rewardThreshold = rewardThreshold;
    }

    /** An env copy without any wrapper (no time limit). */
    public Env<O, A> makeUnwrapped(long seed) {
        return factory.create(seed);
    }

    /**
     * An env copy as Gymnasium's {@code make} gives it: under the spec's {@link TimeLimit} when it has one, and checked
     * for contract violations ({@link EnvChecks}) outside it, so a step after truncation is refused too.
     */
    public Env<O, A> make(long seed) {
        Env<O, A> env = factory.create(seed);
        if (maxEpisodeSteps > 0) {
            env = new TimeLimit<>(env, maxEpisodeSteps);
        }
        return new EnvChecks<>(env);
    }

    public String id() {
        return id;
    }

    public EnvFactory<O, A> factory() {
        return factory;
    }

    public OptionalInt maxEpisodeSteps() {
        return maxEpisodeSteps > 0 ? OptionalInt.of(maxEpisodeSteps) : OptionalInt.empty();
    }

    public OptionalDouble rewardThreshold() {
        return Double.isNaN(rewardThreshold) ? OptionalDouble.empty() : OptionalDouble.of(rewardThreshold);
    }

    @Override
    public String toString() {
        return "EnvSpec(" + id + (maxEpisodeSteps > 0 ? ", maxEpisodeSteps=" + maxEpisodeSteps : "")
                + (Double.isNaN(rewardThreshold) ? "" : ", rewardThreshold=" + rewardThreshold) + ")";
    }
}
