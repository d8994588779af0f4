package dev.proxima.core.env;

/**
 * An env copy that can be stepped together with other copies of the same {@link StepBatch}. {@link SyncVectorEnv}
 * uses it when it finds it under its copies' wrappers ({@link #find}): one {@link StepBatch#stepAll} per batch and
 * vector step, then the usual {@code step} per copy, which returns the prefetched result.
 */
public interface BatchStepped {

    /** The batch this copy belongs to; copies are stepped together when their batches are the same object. */
    StepBatch stepBatch();

    /** This copy's index within its batch, as {@link StepBatch#stepAll} takes it. */
    int batchSlot();

    /**
     * The {@link BatchStepped} env under {@code env}, or {@code null}. Only wrappers known to pass each action through
     * unchanged and to step and reset their inner env exactly once per call are looked through ({@link EnvChecks},
     * {@link TimeLimit}, {@link RecordEpisodeStatistics}, {@link NormalizeObservation}, {@link NormalizeReward}): under
     * any other wrapper (e.g. {@link ClipAction}, which changes actions) the copy is stepped on its own, correct but
     * with one round trip per copy.
     */
    static BatchStepped find(Env<?, ?> env) {
        Env<?, ?> e = env;
        while (true) {
            if (e instanceof BatchStepped b) {
                return b;
            }
            if (e instanceof EnvChecks<?, ?> || e instanceof TimeLimit<?, ?> || e instanceof RecordEpisodeStatistics<?, ?>
                    || e instanceof NormalizeObservation<?> || e instanceof NormalizeReward<?, ?>) {
                e = ((Wrapper<?, ?>) e).inner();
            } else {
                return null;
            }
        }
    }
}
