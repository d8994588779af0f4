package dev.proxima.core.train;

import java.util.Map;

/**
 * Called by the trainer between updates, as Stable-Baselines3's callbacks are ({@code common/callbacks.py}): after
 * every update {@link #onUpdate} sees the update's statistics and may evaluate, save, or stop the run. Built in:
 * {@link Evaluate} (periodic evaluation, best-model saving), {@link EarlyStop}, {@link Checkpoint} (periodic training
 * checkpoints), and {@link UpdateListener}s via {@code Trainer.Builder.onUpdate}. Callbacks run in the order they were
 * added, on the training thread, while the run is consistent (a whole number of updates).
 *
 * <p>A callback with state (the best evaluation so far) returns a fresh instance from {@link #copy()}, so that a
 * trainer can run several times, and names it with {@link #stateKey()} so that checkpoints carry it across a resume.
 */
public interface Callback {

    /** After update {@code event.update()}; may call {@link UpdateEvent#stop} to end the run after it. */
    void onUpdate(UpdateEvent event);

    /** Something the user should know that is not an error (e.g. no episode has ended yet); by default ignored. */
    default void onWarning(String message) {}

    /** The key this callback's {@link #state()} is saved under in training checkpoints, or {@code null} for none. */
    default String stateKey() {
        return null;
    }

    /** State to save in checkpoints (numbers by name). */
    default Map<String, Double> state() {
        return Map.of();
    }

    /** Restores what {@link #state()} returned. */
    default void restoreState(Map<String, Double> state) {}

    /**
     * An instance with the same settings and its initial state, for one run. The default returns {@code this}, right
     * for stateless callbacks.
     */
    default Callback copy() {
        return this;
    }
}
