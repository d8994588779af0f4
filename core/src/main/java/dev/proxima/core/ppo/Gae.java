package dev.proxima.core.ppo;

/**
 * Generalized Advantage Estimation, Schulman et al. 2016 (arXiv:1506.02438) eq. 16, computed backwards as in
 * {@code cleanrl/ppo.py}: {@code δ_t = r_t + γ·boot_t - V(s_t)}, {@code Â_t = δ_t + γλ(1 - done_t)Â_{t+1}}, and the
 * TD(λ) return target {@code R_t = Â_t + V(s_t)}.
 *
 * <p>Data is {@code [numSteps][numEnvs]} stored flat at {@code t*numEnvs + env}. Row {@code t} is the step taken
 * from {@code obs_t}: {@code values[t] = V(obs_t)}, and {@code rewards}, {@code terminated}, {@code truncated} are
 * what that step returned. {@code nextValue[env] = V(obs_T)} for the observation after the last step.
 *
 * <p>Gymnasium's two end flags bootstrap differently ({@link Truncation#BOOTSTRAP}):
 * <ul>
 * <li>terminated: the MDP ended, nothing follows: {@code boot = 0};
 * <li>truncated (a time limit): the episode was cut, not ended: {@code boot = V(final obs)} from
 *     {@code finalValues[t]} — the observation {@code step} returned, before the auto-reset replaced it;
 * <li>both set: termination wins (the final state is terminal whatever the clock says);
 * <li>otherwise {@code boot = values[t+1]} (or {@code nextValue} at {@code t = T-1}).
 * </ul>
 * Either flag stops the λ-recursion: the next row belongs to a new episode. CleanRL as written treats truncation like
 * termination ({@link Truncation#TREAT_AS_TERMINATION}), which biases values down near time limits.
 */
public final class Gae {

    /** How a truncated (but not terminated) step is bootstrapped. */
    public enum Truncation {
        /** {@code boot = V(final obs)} of the cut episode (Gymnasium's intent; SB3's fix for its issue #633). */
        BOOTSTRAP,
        /** {@code boot = 0}, as {@code cleanrl/ppo.py} computes it with {@code done = terminated | truncated}. */
        TREAT_AS_TERMINATION
    }

    private Gae() {}

    /** As {@link #compute(int, int, double[], double[], boolean[], boolean[], double[], double[], double, double,
     * Truncation, double[], double[])} with {@link Truncation#BOOTSTRAP}. */
    public static void compute(int numSteps, int numEnvs, double[] rewards, double[] values, boolean[] terminated,
            boolean[] truncated, double[] finalValues, double[] nextValue, double gamma, double gaeLambda,
            double[] advantagesOut, double[] returnsOut) {
        compute(numSteps, numEnvs, rewards, values, terminated, truncated, finalValues, nextValue, gamma, gaeLambda,
                Truncation.BOOTSTRAP, advantagesOut, returnsOut);
    }

    /**
     * Writes advantages and returns for all {@code numSteps × numEnvs} rows.
     *
     * @param finalValues V of the true final observation where {@code truncated} is set (read only there); may be
     *                    {@code null} with {@link Truncation#TREAT_AS_TERMINATION}
     * @param gamma       discount γ in [0, 1]
     * @param gaeLambda   λ in [0, 1]: 0 gives one-step TD errors, 1 discounted Monte-Carlo returns minus V
     */
    public static void compute(int numSteps, int numEnvs, double[] rewards, double[] values, boolean[] terminated,
            boolean[] truncated, double[] finalValues, double[] nextValue, double gamma, double gaeLambda,
            Truncation truncation, double[] advantagesOut, double[] returnsOut) {
        check(numSteps, numEnvs, rewards, values, terminated, truncated, finalValues, nextValue, gamma, gaeLambda,
                truncation, advantagesOut, returnsOut);
        boolean bootstrapTruncated = truncation == Truncation.BOOTSTRAP;
        for (int env = 0; env < numEnvs; env++) {
            double lastGaeLam = 0.0;
            for (int t = numSteps - 1; t >= 0; t--) {
                int row = t * numEnvs + env;
                double boot;
                if (terminated[row]) {
                    boot = 0.0;
                } else if (truncated[row]) {
                    boot = bootstrapTruncated ? finalValues[row] : 0.0;
                } else {
                    boot = t == numSteps - 1 ? nextValue[env] : values[row + numEnvs];
                }
                double nextNonTerminal = terminated[row] || truncated[row] ? 0.0 : 1.0;
                double delta = rewards[row] + gamma * boot - values[row];
                lastGaeLam = delta + gamma * gaeLambda * nextNonTerminal * lastGaeLam;
                advantagesOut[row] = lastGaeLam;
                returnsOut[row] = lastGaeLam + values[row];
            }
        }
    }

    private static void check(int numSteps, int numEnvs, double[] rewards, double[] values, boolean[] terminated,
            boolean[] truncated, double[] finalValues, double[] nextValue, double gamma, double gaeLambda,
            Truncation truncation, double[] advantagesOut, double[] returnsOut) {
        if (numSteps < 1 || numEnvs < 1) {
            throw new IllegalArgumentException("Gae: numSteps = " + numSteps + ", numEnvs = " + numEnvs
                    + "; both must be >= 1");
        }
        if (!(gamma >= 0.0 && gamma <= 1.0)) {
            throw new IllegalArgumentException("Gae: gamma = " + gamma + " must be in [0, 1]; CleanRL uses 0.99");
        }
        if (!(gaeLambda >= 0.0 && gaeLambda <= 1.0)) {
            throw new IllegalArgumentException("Gae: gaeLambda = " + gaeLambda
                    + " must be in [0, 1]; CleanRL uses 0.95");
        }
        if (truncation == null) {
            throw new NullPointerException("Gae: truncation is null; pass Gae.Truncation.BOOTSTRAP");
        }
        int rows = numSteps * numEnvs;
        length("rewards", rewards == null ? -1 : rewards.length, rows, numSteps, numEnvs);
        length("values", values == null ? -1 : values.length, rows, numSteps, numEnvs);
        length("terminated", terminated == null ? -1 : terminated.length, rows, numSteps, numEnvs);
        length("truncated", truncated == null ? -1 : truncated.length, rows, numSteps, numEnvs);
        length("advantagesOut", advantagesOut == null ? -1 : advantagesOut.length, rows, numSteps, numEnvs);
        length("returnsOut", returnsOut == null ? -1 : returnsOut.length, rows, numSteps, numEnvs);
        if (truncation == Truncation.BOOTSTRAP) {
            if (finalValues == null) {
                throw new IllegalArgumentException("Gae: finalValues is null but Truncation.BOOTSTRAP needs V(final"
                        + " obs) for truncated steps. Pass them (0 where not truncated) or use"
                        + " Truncation.TREAT_AS_TERMINATION.");
            }
            length("finalValues", finalValues.length, rows, numSteps, numEnvs);
        }
        if (nextValue == null || nextValue.length < numEnvs) {
            throw new IllegalArgumentException("Gae: nextValue has " + (nextValue == null ? "no" : nextValue.length)
                    + " entries; need numEnvs = " + numEnvs + " (V of each env's observation after the last step)");
        }
    }

    private static void length(String name, int length, int rows, int numSteps, int numEnvs) {
        if (length < rows) {
            throw new IllegalArgumentException("Gae: " + name + " has " + (length < 0 ? "no array" : length
                    + " entries") + "; need numSteps*numEnvs = " + numSteps + "*" + numEnvs + " = " + rows
                    + " (row t*numEnvs + env)");
        }
    }
}
