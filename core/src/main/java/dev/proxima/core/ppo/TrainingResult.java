package dev.proxima.core.ppo;

import java.util.List;

/**
 * The outcome of a training run: the trained agent and the statistics of every update.
 *
 * @param agent   the policy after the last update
 * @param updates statistics of each update, in order
 * @param seconds wall-clock training time
 */
public record TrainingResult(Agent agent, List<UpdateStats> updates, double seconds) {
    public TrainingResult {
        updates = List.copyOf(updates);
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
