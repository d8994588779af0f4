package dev.proxima.core.dist;

import java.util.Locale;
import java.util.Objects;

/**
 * How a {@code Box} action space is handled by its Gaussian head, with the stable names a config or checkpoint stores.
 */
public enum ContinuousActions {
    /**
     * {@link DiagGaussianHead}: sample on all of {@code R^d}, clip into the box on the way to the env, store the
     * unclipped sample (CleanRL's {@code ppo_continuous_action.py} with Gymnasium's {@code ClipAction}). Works for
     * unbounded boxes too.
     */
    CLIP("clip"),
    /**
     * {@link TanhGaussianHead}: sample {@code u} from a Gaussian, send {@code low + (tanh(u) + 1)·(high - low)/2} to
     * the env, with the exact change-of-variables log-probability. Needs a bounded box.
     */
    TANH("tanh");

    private final String id;

    ContinuousActions(String id) {
        this.id = id;
    }

    /** The stable name: {@code clip} or {@code tanh}. */
    public String id() {
        return id;
    }

    /** The constant named {@code id} ({@code clip} or {@code tanh}, case-insensitive). */
    public static ContinuousActions fromId(String id) {
        Objects.requireNonNull(id, "ContinuousActions.fromId: id");
        for (ContinuousActions c : values()) {
            if (c.id.equals(id.strip().toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("ContinuousActions: unknown '" + id + "'; use clip or tanh");
    }

    @Override
    public String toString() {
        return id;
    }
}
