package dev.proxima.core.train;

import dev.proxima.core.ppo.Agent;
import dev.proxima.core.ppo.PpoConfig;
import dev.proxima.core.ppo.UpdateStats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** What a {@link Callback} sees after an update; valid only during the {@link Callback#onUpdate} call. */
public interface UpdateEvent {

    /** The update's statistics (CleanRL's metrics). */
    UpdateStats stats();

    /** The update just completed (1-based). */
    default int update() {
        return stats().update();
    }

    /** Env steps taken so far. */
    default long globalStep() {
        return stats().globalStep();
    }

    /** The run's number of updates. */
    int numUpdates();

    /** Whether this is the run's last update. */
    default boolean isLast() {
        return update() >= numUpdates();
    }

    PpoConfig config();

    /** The policy after this update, as a standalone agent (the same instance for every call of this event). */
    Agent agent();

    /** Writes a training checkpoint of the run as it is now (atomically); {@code TrainingRun} can resume from it. */
    void save(Path file) throws IOException;

    /** Ends training after this update, normally; {@code reason} is reported in the result. */
    void stop(String reason);

    /** The evaluation made at this update by an {@link Evaluate} callback that ran before this one, if any. */
    Optional<Evaluation> evaluation();

    /** Makes an evaluation visible to the callbacks after this one (what {@link Evaluate} does). */
    void publish(Evaluation evaluation);

    /** Reports a warning to every callback's {@link Callback#onWarning} and the platform logger. */
    void warn(String message);
}
