package dev.proxima.core.optim;

/**
 * A NaN or infinity reached the optimiser. Thrown before anything is modified, so the parameters and the optimiser
 * state are still those of the last good step (safe to checkpoint or to retry with a smaller learning rate).
 */
public final class NonFiniteException extends ArithmeticException {

    private final String what;
    private final int index;
    private final double value;

    /**
     * @param what    which array held it, e.g. {@code gradient}
     * @param index   its index in that array
     * @param value   the offending value (NaN or ±infinity)
     * @param context where it happened and what it means, appended to the message
     */
    public NonFiniteException(String what, int index, double value, String context) {
        super(what + "[" + index + "] = " + value + context);
        this.what = what;
        this.index = index;
        this.value = value;
    }

    /** Which array held the value, e.g. {@code gradient}. */
    public String what() {
        return what;
    }

    /** Its index in that array (for network parameters, see the layout in {@code Network}). */
    public int index() {
        return index;
    }

    public double value() {
        return value;
    }
}
