package dev.proxima.core.env;

/**
 * Steps several env copies in one call, for envs whose every step is a round trip to something outside the JVM: the
 * Python bridge of {@code dev.proxima.envs.gym} sends one message per vector step instead of one per copy. The copies
 * implement {@link BatchStepped}; {@link SyncVectorEnv} finds them and calls {@link #stepAll} before it steps the
 * copies one by one as usual, and each copy's {@code step} then returns the result already fetched.
 */
public interface StepBatch {

    /**
     * Steps the copies in {@code slots[from..to)} (their {@link BatchStepped#batchSlot()}s) with the actions in
     * {@code actions[from..to)} (as {@link Env#step} takes them), all in one call, and keeps each result: the copy's
     * next {@code step} with an equal action returns it without another call. A copy whose episode ended in this step
     * is reset in the same call, continuing its random stream as {@link Env#reset()} does, and its next
     * {@code reset()} returns that observation. Throws if any copy fails; the vector env must then be reset.
     */
    void stepAll(int[] slots, Object[] actions, int from, int to);
}
