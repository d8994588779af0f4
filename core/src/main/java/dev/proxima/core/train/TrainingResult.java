package dev.proxima.core.train;

import dev.proxima.core.ppo.Agent;
import dev.proxima.core.ppo.UpdateStats;
import java.util.List;

/**
 * The outcome of a training run: the trained agent and the statistics of every update.
 *
 * @param agent     the policy after the last update
 * @param updates   statistics of each update, in order
 * @param seconds   wall-clock training time: collecting and updating, without callbacks (evaluations, checkpoints)
 * @param earlyStop why an early stop ended the run, or {@code null} when it was not stopped early
 */
public record TrainingResult(Agent agent, List<UpdateStats> updates, double seconds, String earlyStop) {
    public TrainingResult {
        updates = List.copyOf(updates);
    }

    /** A result that was not stopped early. */
    public TrainingResult(Agent agent, List<UpdateStats> updates, double seconds) {
        this(agent, updates, seconds, null);
    }

    /** Whether an early stop ended the run. */
    public boolean stoppedEarly() {
        return earlyStop != null;
    }

    /** Env steps taken. */
    public long steps() {
        return updates.isEmpty() ? 0 : updates.get(updates.size() - 1).globalStep();
    }

    /** The last update's statistics. */
    public UpdateStats last() {
        if (updates.isEmpty()) {
            throw new IllegalStateException("no update ran");
        }
        return updates.get(updates.size() - 1);
    }
}
