package dev.proxima.core.ppo;

/**
 * Per-minibatch advantage normalisation, CleanRL's {@code norm_adv}: {@code A ← (A - mean(A)) / (std(A) + 1e-8)}
 * with torch's {@code Tensor.std}, i.e. the sample standard deviation (divisor {@code n - 1}). The normalised
 * advantages are constants of the loss (no gradient flows through mean or std).
 */
public final class Advantages {

    /** Added to the standard deviation, as CleanRL does. */
    public static final double EPS = 1e-8;

    private Advantages() {}

    /** Normalises {@code a[offset .. offset+length-1]} in place. */
    public static void normalize(double[] a, int offset, int length) {
        if (length < 2) {
            throw new IllegalArgumentException("Advantages.normalize: " + length + " value(s); the sample std divides"
                    + " by n - 1, so normalising needs at least 2 (torch would give NaN). Use minibatches of 2 or"
                    + " more rows, or turn normAdv off.");
        }
        if (offset < 0 || offset + length > a.length) {
            throw new IllegalArgumentException("Advantages.normalize: range [" + offset + ", " + (offset + length)
                    + ") is outside the array of " + a.length + " entries");
        }
        double sum = 0.0;
        for (int i = offset; i < offset + length; i++) {
            sum += a[i];
        }
        double mean = sum / length;
        double squares = 0.0;
        for (int i = offset; i < offset + length; i++) {
            double c = a[i] - mean;
            squares += c * c;
        }
        double denom = Math.sqrt(squares / (length - 1)) + EPS;
        for (int i = offset; i < offset + length; i++) {
            a[i] = (a[i] - mean) / denom;
        }
    }

    /** Normalises the whole array in place. */
    public static void normalize(double[] a) {
        normalize(a, 0, a.length);
    }
}
