package dev.proxima.samples.java;

import dev.proxima.core.env.Env;
import dev.proxima.core.env.EnvContractException;
import dev.proxima.core.env.Reset;
import dev.proxima.core.env.Snapshottable;
import dev.proxima.core.env.Step;
import dev.proxima.core.run.Rng;
import dev.proxima.core.space.Dict;
import dev.proxima.core.space.Discrete;
import dev.proxima.core.space.MultiDiscrete;
import dev.proxima.core.space.Space;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Three dials to set to a shown target, several choices at once: a {@code MultiDiscrete} action (one categorical per
 * dial) and a {@code Dict} observation.
 *
 * <h2>Action space</h2>
 * {@code MultiDiscrete([3 4 5], start=[1 1 1])}: the setting of each dial, dial {@code i} from 1 to {@code nvec[i]}.
 *
 * <h2>Observation</h2>
 * {@code Dict('round': Discrete(4), 'target': MultiDiscrete([3 4 5], start=[1 1 1]))}: the round (0 to 3) and the
 * target setting. Flattened for the network as Gymnasium does, keys sorted: the round one-hot (4 floats), then each
 * dial's target one-hot (3 + 4 + 5 floats), 16 floats in all.
 *
 * <h2>Reward</h2>
 * The fraction of dials set to their target, {@code 0, 1/3, 2/3} or {@code 1}, each round.
 *
 * <h2>Starting state</h2>
 * Round 0 with a uniformly random target; each round draws a new target.
 *
 * <h2>Episode end</h2>
 * Terminates after {@value #ROUNDS} rounds.
 *
 * <h2>Optimum</h2>
 * Setting every dial to its target returns {@value #OPTIMAL_RETURN} per episode; a uniformly random policy returns
 * {@code 4·(1/3 + 1/4 + 1/5)/3 ≈ 1.044} on average. The dials are independent, which is exactly what a product of
 * categoricals can represent.
 */
public final class Dials implements Env<Map<String, Object>, int[]>, Snapshottable {
    public static final String ID = "Dials-v0";
    /** Rounds per episode. */
    public static final int ROUNDS = 4;
    /** The return of the optimal policy: every dial right in every round. */
    public static final double OPTIMAL_RETURN = 4.0;
    static final MultiDiscrete SETTINGS = new MultiDiscrete(new int[] {3, 4, 5}, new int[] {1, 1, 1});
    private static final Dict OBSERVATIONS = new Dict(Map.of("round", new Discrete(ROUNDS), "target", SETTINGS));

    private Rng rng = new Rng(0);
    private int round;
    private int[] target;
    private boolean started;

    @Override
    public Space<Map<String, Object>> observationSpace() {
        return OBSERVATIONS;
    }

    @Override
    public Space<int[]> actionSpace() {
        return SETTINGS;
    }

    @Override
    public String name() {
        return ID;
    }

    @Override
    public Reset<Map<String, Object>> reset(long seed) {
        rng = new Rng(seed);
        return reset();
    }

    @Override
    public Reset<Map<String, Object>> reset() {
        round = 0;
        target = SETTINGS.sample(rng);
        started = true;
        return new Reset<>(observation());
    }

    @Override
    public Step<Map<String, Object>> step(int[] action) {
        if (!SETTINGS.contains(action)) {
            throw new EnvContractException(ID + ": action " + (action == null ? null : Arrays.toString(action))
                    + " is not a setting of " + SETTINGS + " (an int[3], dial i from 1 to nvec[i])");
        }
        if (!started) {
            throw new EnvContractException(ID + ": call reset(seed) before step, and reset() after an episode ends");
        }
        int matches = 0;
        for (int i = 0; i < target.length; i++) {
            matches += action[i] == target[i] ? 1 : 0;
        }
        round++;
        boolean done = round == ROUNDS;
        started = !done;
        if (!done) {
            target = SETTINGS.sample(rng);
        }
        return new Step<>(observation(), matches / 3.0, done, false);
    }

    /** The current target, for a scripted optimal policy. */
    int[] target() {
        return target.clone();
    }

    private Map<String, Object> observation() {
        Map<String, Object> obs = new LinkedHashMap<>();
        obs.put("round", Math.min(round, ROUNDS - 1)); // the final observation repeats the last round
        obs.put("target", target.clone());
        return obs;
    }

    /** The whole state (random stream, round, target), so a training checkpoint continues an episode exactly. */
    @Override
    public long[] snapshot() {
        long[] s = new long[3 + target.length];
        s[0] = rng.state();
        s[1] = round;
        s[2] = started ? 1 : 0;
        for (int i = 0; i < target.length; i++) {
            s[3 + i] = target[i];
        }
        return s;
    }

    @Override
    public void restore(long[] snapshot) {
        Snapshottable.checkLength(snapshot, 3 + SETTINGS.nvec().length, Dials.class);
        rng = Rng.fromState(snapshot[0]);
        round = (int) snapshot[1];
        started = snapshot[2] != 0;
        target = new int[SETTINGS.nvec().length];
        for (int i = 0; i < target.length; i++) {
            target[i] = (int) snapshot[3 + i];
        }
    }
}
