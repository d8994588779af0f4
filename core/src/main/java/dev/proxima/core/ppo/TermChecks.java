package dev.proxima.core.ppo;

/** Validation shared by the built-in loss terms; messages name the value, what is wrong and the fix. */
final class TermChecks {

    private TermChecks() {}

    /** A finite coefficient {@code >= 0}. */
    static double nonNegative(String term, String name, double value, String hint) {
        if (!(value >= 0.0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(term + ": " + name + " = " + value
                    + " must be finite and >= 0. " + hint);
        }
        return value;
    }

    /** A finite value {@code > 0}. */
    static double positive(String term, String name, double value, String hint) {
        if (!(value > 0.0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(term + ": " + name + " = " + value + " must be finite and > 0. " + hint);
        }
        return value;
    }

    /** A clip range: {@code > 0}, finite unless {@code allowInfinite} (no clipping). */
    static double clip(String term, double clip, String source, boolean allowInfinite) {
        boolean ok = clip > 0.0 && (allowInfinite || clip < Double.POSITIVE_INFINITY);
        if (!ok) {
            throw new IllegalArgumentException(term + ": clip = " + clip + " (" + source + ") must be "
                    + (allowInfinite ? "> 0 (or +inf for no clipping)" : "finite and > 0")
                    + ": the ratio is kept within [1 - clip, 1 + clip]. CleanRL uses clip(0.2).");
        }
        return clip;
    }

    static int rows(String term, Minibatch mb) {
        int b = mb.size();
        if (b < 1) {
            throw new IllegalArgumentException(term + ": minibatch of size " + b
                    + "; a loss is a mean over rows and needs at least one.");
        }
        return b;
    }
}
