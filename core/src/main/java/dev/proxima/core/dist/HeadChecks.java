package dev.proxima.core.dist;

/** Argument checks shared by the built-in heads: constant cost per call, so they stay on in the hot path. */
final class HeadChecks {

    private HeadChecks() {}

    static void rows(String where, int n) {
        if (n < 0) {
            throw new IllegalArgumentException(where + ": n = " + n + " rows; pass a row count >= 0");
        }
    }

    /** {@code array} must hold at least {@code n * perRow} entries. */
    static void length(String where, String name, int length, int n, int perRow) {
        long need = (long) n * perRow;
        if (length < need) {
            throw new IllegalArgumentException(where + ": " + name + " has " + length + " entries but n = " + n
                    + " rows need " + need + " (" + perRow + " per row). Size the buffer for the largest n used.");
        }
    }

    static void length(String where, String name, double[] a, int n, int perRow) {
        if (a == null) {
            throw new NullPointerException(where + ": " + name + " is null");
        }
        length(where, name, a.length, n, perRow);
    }

    static void length(String where, String name, float[] a, int n, int perRow) {
        if (a == null) {
            throw new NullPointerException(where + ": " + name + " is null");
        }
        length(where, name, a.length, n, perRow);
    }

    /** A parameter vector with one entry per action dimension. */
    static void perDimension(String where, String name, double[] a, int d) {
        if (a == null) {
            throw new NullPointerException(where + ": " + name + " is null");
        }
        if (a.length < d) {
            throw new IllegalArgumentException(where + ": " + name + " has " + a.length + " entries but the head has "
                    + d + " action dimensions; pass one per dimension.");
        }
    }

    /** An optional per-row gradient: {@code null} means all zeros. */
    static void optionalLength(String where, String name, double[] a, int n) {
        if (a != null) {
            length(where, name, a.length, n, 1);
        }
    }

    /** An optional action mask of {@code perRow} entries per row: {@code null} means every action is valid. */
    static void optionalMask(String where, boolean[] mask, int n, int perRow) {
        if (mask != null) {
            length(where, "mask", mask.length, n, perRow);
        }
    }

    /** One random generator per row. */
    static void rngs(String where, java.util.random.RandomGenerator[] rngs, int n) {
        if (rngs == null || rngs.length < n) {
            throw new IllegalArgumentException(where + ": need one RandomGenerator per row (n = " + n + "), got "
                    + (rngs == null ? "null" : rngs.length));
        }
    }
}
