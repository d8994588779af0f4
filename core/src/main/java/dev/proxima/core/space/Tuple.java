package dev.proxima.core.space;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The product of spaces in a fixed order, as Gymnasium's {@code Tuple((s0, s1, ...))}. An element is a
 * {@code List<Object>} holding one element of each space, in order (Gymnasium's tuple).
 *
 * <p>{@link #flatten} is Gymnasium's: the children's {@link Spaces#flatten} forms concatenated in order, a
 * {@link Discrete} or {@link MultiDiscrete} child one-hot encoded; {@link #offset(int)} says where each child starts
 * and {@link FlatLayout#of} describes the whole row. Flattening allocates nothing.
 */
public final class Tuple implements Space<List<Object>> {
    private final List<Space<?>> spaces;
    private final int[] offsets;
    private final int flatDim;

    /** @param spaces the children in order, at least one */
    public Tuple(List<? extends Space<?>> spaces) {
        Objects.requireNonNull(spaces, "Tuple: spaces");
        if (spaces.isEmpty()) {
            throw new IllegalArgumentException("Tuple: no spaces given; a Tuple needs at least one child space");
        }
        for (int i = 0; i < spaces.size(); i++) {
            if (spaces.get(i) == null) {
                throw new IllegalArgumentException("Tuple: child " + i + " is null; give a Space for every position");
            }
        }
        this.spaces = List.copyOf(spaces);
        this.offsets = new int[spaces.size()];
        long total = 0;
        for (int i = 0; i < spaces.size(); i++) {
            offsets[i] = (int) total;
            total += Spaces.flatDim(spaces.get(i));
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Tuple: the flattened children hold more than Integer.MAX_VALUE floats");
            }
        }
        this.flatDim = (int) total;
    }

    /** A tuple of the given spaces, in order. */
    public static Tuple of(Space<?>... spaces) {
        return new Tuple(Arrays.asList(Objects.requireNonNull(spaces, "Tuple.of: spaces")));
    }

    /** Number of children. */
    public int size() {
        return spaces.size();
    }

    /** Child {@code i}. */
    public Space<?> space(int i) {
        return spaces.get(i);
    }

    /** The children in order (unmodifiable). */
    public List<Space<?>> spaces() {
        return spaces;
    }

    /** Where child {@code i}'s floats start in the flattened row. */
    public int offset(int i) {
        return offsets[i];
    }

    /** Gymnasium's {@code flatdim}: the sum of the children's. */
    @Override
    public int flatDim() {
        return flatDim;
    }

    /** A {@code List} (Gymnasium also accepts a tuple, list or array) of one element per child, in order. */
    @Override
    public boolean contains(Object value) {
        if (!(value instanceof List<?> x) || x.size() != spaces.size()) {
            return false;
        }
        for (int i = 0; i < x.size(); i++) {
            if (!spaces.get(i).contains(x.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Each child's sample, drawn in order from {@code rng}. */
    @Override
    public List<Object> sample(RandomGenerator rng) {
        List<Object> x = new ArrayList<>(spaces.size());
        for (Space<?> s : spaces) {
            x.add(s.sample(rng));
        }
        return x;
    }

    @Override
    public void flatten(List<Object> value, float[] dst, int offset) {
        if (value == null || value.size() != spaces.size()) {
            throw new IllegalArgumentException(this + ": " + Spaces.show(value) + " is not a list of " + spaces.size()
                    + " elements");
        }
        for (int i = 0; i < offsets.length; i++) {
            Spaces.flattenChild(spaces.get(i), value.get(i), dst, offset + offsets[i], i, this);
        }
    }

    /** A new modifiable list; {@code reuse} is ignored (only observations are flattened in the hot loop). */
    @Override
    public List<Object> unflatten(float[] src, int offset, List<Object> reuse) {
        List<Object> x = new ArrayList<>(spaces.size());
        for (int i = 0; i < offsets.length; i++) {
            x.add(Spaces.unflatten(spaces.get(i), src, offset + offsets[i]));
        }
        return x;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tuple t && spaces.equals(t.spaces);
    }

    @Override
    public int hashCode() {
        return spaces.hashCode();
    }

    /** Gymnasium's form: {@code Tuple(Discrete(2), Box(0.0, 1.0, (3,), float32))}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Tuple(");
        for (int i = 0; i < spaces.size(); i++) {
            s.append(i == 0 ? "" : ", ").append(spaces.get(i));
        }
        return s.append(')').toString();
    }
}
