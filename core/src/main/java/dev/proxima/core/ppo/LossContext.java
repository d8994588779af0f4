package dev.proxima.core.ppo;

import dev.proxima.core.optim.LrSchedule;

/**
 * What a loss term may know about the run when an update starts.
 *
 * @param clip      the configured clip range ({@code clip(0.2)})
 * @param update    1-based index of the current update
 * @param numUpdates total number of updates in the run
 */
public record LossContext(double clip, int update, int numUpdates) {

    /**
     * CleanRL's annealing factor {@code 1 - (update-1)/numUpdates}: 1 at the first update, towards 0 at the end; the
     * same schedule as the learning rate's ({@link LrSchedule#linear}).
     */
    public double frac() {
        return LrSchedule.linear(1.0).lr(update, numUpdates);
    }
}
