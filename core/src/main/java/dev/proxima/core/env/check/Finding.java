package dev.proxima.core.env.check;

import java.util.Objects;

/**
 * One problem {@link EnvChecker} found: which check, how serious, what it saw, what it expected and what most likely
 * causes it (in the manner of Gymnasium's {@code env_checker.py}).
 *
 * @param check       the check that failed
 * @param severity    {@link Severity#ERROR} breaks the env contract; the others are advice
 * @param observed    what the env did, with the values involved
 * @param expected    what the contract asks for
 * @param likelyCause the usual reason and how to fix it
 */
public record Finding(Check check, Severity severity, String observed, String expected, String likelyCause) {

    public Finding {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(observed, "observed");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(likelyCause, "likelyCause");
    }

    /** How serious a finding is. */
    public enum Severity {
        /** The env breaks the contract; {@link EnvChecker#checkOrThrow} fails. */
        ERROR,
        /** Legal but probably unintended, or only half right. */
        WARNING,
        /** A check could not run (e.g. no episode ended within the step budget). */
        NOTE
    }

    /** The checks {@link EnvChecker} runs, in order. */
    public enum Check {
        /** The env can be created and its spaces are non-null, stable, and sample and flatten consistently. */
        SPACES,
        /** {@code step} before the first {@code reset} fails clearly. */
        STEP_BEFORE_RESET,
        /** {@code reset(seed)} gives the same observation on every copy and every call; {@code reset()} continues alike. */
        RESET_REPRODUCIBLE,
        /** Different seeds give different first observations. */
        RESET_SEED_MATTERS,
        /** Observations have the space's type and shape, are finite, and lie in the observation space. */
        OBSERVATION_IN_SPACE,
        /** Rewards are finite. */
        REWARD_FINITE,
        /** The same seed and actions give the same steps. */
        STEP_DETERMINISTIC,
        /** Each step returns a new observation array rather than overwriting the previous one. */
        OBSERVATION_NOT_REUSED,
        /**
         * An {@code ActionMasked} env has a Discrete or MultiDiscrete action space, and after reset and every step its
         * mask writes exactly its {@code maskSize} entries, the same on repeated calls, with at least one valid action
         * (per component).
         */
        ACTION_MASK,
        /** {@code step} rejects actions outside the action space with a clear exception. */
        REJECTS_INVALID_ACTION,
        /**
         * An {@code ActionMasked} env given an action its mask marks invalid throws (clearly) if its
         * {@code rejectsInvalidActions()} says so, and accepts it otherwise.
         */
        MASKED_ACTION,
        /** {@code step} after a terminated or truncated step, without {@code reset}, fails clearly. */
        STEP_AFTER_END,
        /** {@code close()} can be called twice. */
        CLOSE_TWICE,
        /** The env threw where the contract does not allow it (e.g. in {@code reset} or on a valid action). */
        UNEXPECTED_EXCEPTION
    }

    @Override
    public String toString() {
        return severity + " " + check + "\n    observed:     " + observed + "\n    expected:     " + expected
                + "\n    likely cause: " + likelyCause;
    }
}
