package dev.proxima.core.env;

/**
 * An env copy of a {@link SyncVectorEnv} threw while being reset or stepped. The message and the accessors name the
 * copy and how far it had got; the env's own exception is the cause. After this, reset the vector env before
 * stepping it again.
 */
public class VectorEnvException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int envIndex;
    private final long step;

    public VectorEnvException(String message, int envIndex, long step, Throwable cause) {
        super(message, cause);
        this.envIndex = envIndex;
        this.step = step;
    }

    /** Index of the failing copy. */
    public int envIndex() {
        return envIndex;
    }

    /** Steps the copy had completed since the vector env was built (0 if it failed before its first step). */
    public long step() {
        return step;
    }
}
