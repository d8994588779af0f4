package dev.proxima.core.env;

/**
 * An env or wrapper whose whole mutable state (including its random stream) can be saved and restored exactly. A
 * checkpoint taken by the trainer continues bit for bit only if every layer of every env copy is snapshottable (all
 * built-in envs and the wrappers {@link EnvSpec#make} applies are); otherwise the copies start new episodes on
 * resume. Doubles are stored as their raw bits ({@link Double#doubleToRawLongBits}) so nothing is rounded.
 */
public interface Snapshottable {

    /** The complete mutable state. */
    long[] snapshot();

    /** Restores a state returned by {@link #snapshot()} of an object of the same class. */
    void restore(long[] snapshot);

    /**
     * The state of every layer of {@code env}, outermost first, or {@code null} when some layer is not
     * {@link Snapshottable}.
     */
    static long[][] captureChain(Env<?, ?> env) {
        java.util.List<long[]> layers = new java.util.ArrayList<>();
        Env<?, ?> e = env;
        while (true) {
            if (!(e instanceof Snapshottable s)) {
                return null;
            }
            layers.add(s.snapshot());
            if (!(e instanceof Wrapper<?, ?> w)) {
                return layers.toArray(new long[0][]);
            }
            e = w.inner();
        }
    }

    /** Restores what {@link #captureChain} returned into an env built the same way. */
    static void restoreChain(Env<?, ?> env, long[][] layers) {
        Env<?, ?> e = env;
        for (int i = 0; i < layers.length; i++) {
            if (!(e instanceof Snapshottable s)) {
                throw new IllegalStateException("env layer " + i + " (" + e.getClass().getName()
                        + ") cannot be restored: it is not Snapshottable, but the checkpoint has a state for it");
            }
            s.restore(layers[i]);
            boolean last = i == layers.length - 1;
            if (last != !(e instanceof Wrapper<?, ?>)) {
                throw new IllegalStateException("the checkpoint has " + layers.length + " env layers but "
                        + env.name() + " is wrapped differently (layer " + i + " is " + e.getClass().getName()
                        + "). Make the env the same way as when the checkpoint was written.");
            }
            if (!last) {
                e = ((Wrapper<?, ?>) e).inner();
            }
        }
    }

    /** Checks a snapshot's length, naming the class, for {@link #restore} implementations. */
    static void checkLength(long[] snapshot, int expected, Class<?> owner) {
        if (snapshot == null || snapshot.length != expected) {
            throw new IllegalArgumentException(owner.getSimpleName() + ".restore: expected a snapshot of " + expected
                    + " values but got " + (snapshot == null ? "null" : snapshot.length)
                    + "; it was written by another class or version.");
        }
    }
}
