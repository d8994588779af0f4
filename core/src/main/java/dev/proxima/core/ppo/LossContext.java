package dev.proxima.core.ppo;

/**
 * What a loss term may know about the run when an update starts.
 *
 * @param clip      the configured clip range ({@code clip(0.2)})
 * @param update    1-based index of the current update
 * @param numUpdates total number of updates in the run
 */
public record LossContext(double clip, int update, int numUpdates) {

    /** CleanRL's annealing factor {@code 1 - (update-1)/numUpdates}: 1 at the first update, towards 0 at the end. */
    public double frac() {
        return 1.0 - (update - 1.0) / numUpdates;
    }
}
