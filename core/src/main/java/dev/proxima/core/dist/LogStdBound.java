package dev.proxima.core.dist;

import java.util.Locale;
import java.util.Objects;

/**
 * How a Gaussian head turns its raw {@code log_std} parameters into the log standard deviations it uses, so that
 * {@code σ = exp(log_std)} can neither collapse to 0 (a log-probability of {@code ±inf}, then NaN gradients) nor blow
 * up. The network stores the raw parameters; the head applies the bound in every method and returns gradients with
 * respect to the raw parameters, so the trainer needs no change beyond picking the bound.
 *
 * <ul>
 * <li>{@code none}: {@code log_std = raw} (CleanRL's {@code ppo_continuous_action.py}).</li>
 * <li>{@code clamp(min, max)}: {@code log_std = min(max(raw, min), max)}. The gradient is passed unchanged for
 * {@code min <= raw <= max} (inclusive, as {@code torch.clamp}) and is 0 outside: a parameter pushed past a bound
 * stops receiving gradient from the loss and stays where Adam's momentum leaves it, while σ stays at the bound.</li>
 * <li>{@code tanh(min, max)}: {@code log_std = min + (max - min)·(tanh(raw) + 1)/2}, the smooth bound of SAC
 * implementations (CleanRL's {@code sac_continuous_action.py}, Spinning Up). Never reaches a bound; the gradient
 * factor {@code (max - min)/2·(1 - tanh² raw)} is in {@code (0, (max-min)/2]} and fades as {@code raw → ±∞}. Note
 * {@code raw = 0} means the midpoint {@code (min + max)/2}: initialise the parameter with {@link #rawFor}.</li>
 * </ul>
 *
 * <p>{@link #toString()} is the stable name to store in a config or checkpoint ({@code none}, {@code clamp(-20.0,
 * 2.0)}, {@code tanh(-5.0, 2.0)}); {@link #parse} reads it back.
 *
 * @param kind the bound's form
 * @param min  smallest log_std ({@code -inf} for {@code none})
 * @param max  largest log_std ({@code +inf} for {@code none})
 */
public record LogStdBound(Kind kind, double min, double max) {

    /** The forms of bound, with their stable names. */
    public enum Kind {
        NONE("none"),
        CLAMP("clamp"),
        TANH("tanh");

        private final String id;

        Kind(String id) {
            this.id = id;
        }

        /** The stable name used in {@link LogStdBound#toString()}. */
        public String id() {
            return id;
        }
    }

    /** No bound: {@code log_std = raw}. */
    public static final LogStdBound NONE = new LogStdBound(Kind.NONE, Double.NEGATIVE_INFINITY,
            Double.POSITIVE_INFINITY);

    public LogStdBound {
        Objects.requireNonNull(kind, "LogStdBound: kind");
        if (kind == Kind.NONE) {
            if (min != Double.NEGATIVE_INFINITY || max != Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("LogStdBound: 'none' has no bounds, got min = " + min + ", max = "
                        + max + "; use clamp(min, max) or tanh(min, max) to bound log_std");
            }
        } else if (!(Double.isFinite(min) && Double.isFinite(max) && min < max)) {
            throw new IllegalArgumentException("LogStdBound: " + kind.id + "(" + min + ", " + max + ") needs finite"
                    + " min < max, e.g. " + kind.id + "(-20.0, 2.0)");
        }
    }

    /** {@code log_std = clamp(raw, min, max)}. */
    public static LogStdBound clamp(double min, double max) {
        return new LogStdBound(Kind.CLAMP, min, max);
    }

    /** {@code log_std = min + (max - min)·(tanh(raw) + 1)/2}. */
    public static LogStdBound tanh(double min, double max) {
        return new LogStdBound(Kind.TANH, min, max);
    }

    /** Reads {@link #toString()}'s form: {@code none}, {@code clamp(min, max)} or {@code tanh(min, max)}. */
    public static LogStdBound parse(String text) {
        Objects.requireNonNull(text, "LogStdBound.parse: text");
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.equals("none")) {
            return NONE;
        }
        for (Kind k : new Kind[] {Kind.CLAMP, Kind.TANH}) {
            if (s.startsWith(k.id + "(") && s.endsWith(")")) {
                String[] parts = s.substring(k.id.length() + 1, s.length() - 1).split(",");
                if (parts.length == 2) {
                    try {
                        return new LogStdBound(k, Double.parseDouble(parts[0].strip()),
                                Double.parseDouble(parts[1].strip()));
                    } catch (NumberFormatException e) {
                        break;
                    }
                }
            }
        }
        throw new IllegalArgumentException("LogStdBound: cannot read '" + text + "'; write none, clamp(min, max) or"
                + " tanh(min, max), e.g. clamp(-20.0, 2.0)");
    }

    /** The log standard deviation the head uses for raw parameter {@code raw}. */
    public double apply(double raw) {
        return switch (kind) {
            case NONE -> raw;
            case CLAMP -> Math.min(Math.max(raw, min), max);
            case TANH -> min + (max - min) * (Math.tanh(raw) + 1.0) * 0.5;
        };
    }

    /** {@code d apply(raw) / d raw}; for {@code clamp}, 1 on {@code [min, max]} (inclusive) and 0 outside. */
    public double derivative(double raw) {
        return switch (kind) {
            case NONE -> 1.0;
            case CLAMP -> raw >= min && raw <= max ? 1.0 : 0.0;
            case TANH -> {
                double t = Math.tanh(raw);
                yield (max - min) * 0.5 * (1.0 - t * t);
            }
        };
    }

    /**
     * The raw parameter for which {@link #apply} gives {@code logStd}: what the trainer should initialise the
     * parameter with ({@code logStd} itself except for {@code tanh}, where it is {@code atanh(2(logStd - min)/(max -
     * min) - 1)}).
     *
     * @throws IllegalArgumentException if {@code logStd} is outside the bound ({@code tanh}: strictly inside)
     */
    public double rawFor(double logStd) {
        boolean inside = switch (kind) {
            case NONE -> Double.isFinite(logStd);
            case CLAMP -> logStd >= min && logStd <= max;
            case TANH -> logStd > min && logStd < max;
        };
        if (!inside) {
            throw new IllegalArgumentException("LogStdBound " + this + ": initial log_std = " + logStd + " is outside"
                    + " the bound" + (kind == Kind.TANH ? " (tanh reaches neither end)" : "")
                    + "; choose a log_std inside it or widen the bound");
        }
        if (kind != Kind.TANH) {
            return logStd;
        }
        double y = 2.0 * (logStd - min) / (max - min) - 1.0;
        return 0.5 * Math.log((1.0 + y) / (1.0 - y)); // atanh
    }

    /** The stable name: {@code none}, {@code clamp(-20.0, 2.0)}, {@code tanh(-5.0, 2.0)}. */
    @Override
    public String toString() {
        return kind == Kind.NONE ? "none" : kind.id + "(" + min + ", " + max + ")";
    }
}
