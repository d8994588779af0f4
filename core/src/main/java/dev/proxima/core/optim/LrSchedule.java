package dev.proxima.core.optim;

/**
 * The learning rate of each update: constant, or CleanRL's linear annealing ({@code anneal_lr}, on by default in
 * {@code ppo.py}): {@code lr · (1 - (update - 1) / numUpdates)}, which starts at {@code lr} and reaches
 * {@code lr / numUpdates} at the last update (never 0).
 */
public sealed interface LrSchedule permits LrSchedule.Constant, LrSchedule.Linear {

    /** The learning rate of the first update. */
    double initialLr();

    /**
     * @param update     1-based index of the update
     * @param numUpdates total updates of the run, >= 1
     */
    double lr(int update, int numUpdates);

    /** {@code lr} at every update. */
    static LrSchedule constant(double lr) {
        return new Constant(lr);
    }

    /** CleanRL's annealing from {@code lr}: {@code frac = 1 - (update-1)/numUpdates; lrnow = frac * lr}. */
    static LrSchedule linear(double lr) {
        return new Linear(lr);
    }

    /** A constant learning rate. */
    record Constant(double initialLr) implements LrSchedule {
        public Constant {
            checkLr(initialLr);
        }

        @Override
        public double lr(int update, int numUpdates) {
            checkUpdate(update, numUpdates);
            return initialLr;
        }

        @Override
        public String toString() {
            return "constant(" + initialLr + ")";
        }
    }

    /** CleanRL's linear annealing. */
    record Linear(double initialLr) implements LrSchedule {
        public Linear {
            checkLr(initialLr);
        }

        @Override
        public double lr(int update, int numUpdates) {
            checkUpdate(update, numUpdates);
            double frac = 1.0 - (update - 1.0) / numUpdates;
            return frac * initialLr;
        }

        @Override
        public String toString() {
            return "linear(" + initialLr + ")";
        }
    }

    private static void checkLr(double lr) {
        if (!(lr > 0 && lr < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("learningRate = " + lr + ": must be finite and > 0 (CleanRL: 2.5e-4).");
        }
    }

    private static void checkUpdate(int update, int numUpdates) {
        if (numUpdates < 1 || update < 1 || update > numUpdates) {
            throw new IllegalArgumentException("LrSchedule: update = " + update + " of numUpdates = " + numUpdates
                    + "; need 1 <= update <= numUpdates.");
        }
    }
}
