package dev.proxima.core.space;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Named spaces, as Gymnasium's {@code Dict({"position": Box(...), "color": Discrete(3)})}. An element is a
 * {@code Map<String, Object>} with exactly the space's keys, each value an element of its space.
 *
 * <p><b>Key order.</b> {@link #Dict(Map)} sorts the keys as Gymnasium does for a plain {@code dict} ("for legacy
 * reasons ... as this could matter for projects flatten the dictionary", {@code gymnasium/spaces/dict.py}): by
 * Unicode code point, which is Python's {@code str} order (Java's {@code String.compareTo} differs above U+FFFF).
 * {@link #inOrder} keeps the given order, as Gymnasium does for an {@code OrderedDict} or a list of pairs. The order
 * is the flattening order, so it decides the network's input layout.
 *
 * <p>{@link #flatten} is Gymnasium's: the children's {@link Spaces#flatten} forms concatenated in key order, a
 * {@link Discrete} or {@link MultiDiscrete} child one-hot encoded, a nested {@code Dict} flattened recursively.
 * {@link FlatLayout#of} describes the row. Flattening allocates nothing.
 */
public final class Dict implements Space<Map<String, Object>> {
    private final List<String> keys;
    private final Map<String, Space<?>> spaces;
    private final Space<?>[] children;
    private final int[] offsets;
    private final int flatDim;

    /** The spaces under their keys, sorted by key (Gymnasium's order for a {@code dict}). At least one. */
    public Dict(Map<String, ? extends Space<?>> spaces) {
        this(sortedKeys(spaces), spaces);
    }

    /**
     * The spaces in the map's iteration order (pass a {@code LinkedHashMap}), as Gymnasium keeps the order of an
     * {@code OrderedDict} or a list of pairs.
     */
    public static Dict inOrder(Map<String, ? extends Space<?>> spaces) {
        return new Dict(new ArrayList<>(check(spaces).keySet()), spaces);
    }

    private Dict(List<String> keys, Map<String, ? extends Space<?>> spaces) {
        this.keys = List.copyOf(keys);
        Map<String, Space<?>> m = new LinkedHashMap<>();
        this.children = new Space<?>[keys.size()];
        this.offsets = new int[keys.size()];
        long total = 0;
        for (int i = 0; i < keys.size(); i++) {
            Space<?> s = spaces.get(keys.get(i));
            m.put(keys.get(i), s);
            children[i] = s;
            offsets[i] = (int) total;
            total += Spaces.flatDim(s);
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Dict: the flattened children hold more than Integer.MAX_VALUE floats");
            }
        }
        this.spaces = Collections.unmodifiableMap(m);
        this.flatDim = (int) total;
    }

    private static List<String> sortedKeys(Map<String, ? extends Space<?>> spaces) {
        List<String> keys = new ArrayList<>(check(spaces).keySet());
        keys.sort(Spaces::compareCodePoints);
        return keys;
    }

    private static Map<String, ? extends Space<?>> check(Map<String, ? extends Space<?>> spaces) {
        Objects.requireNonNull(spaces, "Dict: spaces");
        if (spaces.isEmpty()) {
            throw new IllegalArgumentException("Dict: no spaces given; a Dict needs at least one key");
        }
        for (Map.Entry<String, ? extends Space<?>> e : spaces.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("Dict: key " + e.getKey() + " maps to " + e.getValue()
                        + "; every key must be a non-null String mapped to a Space");
            }
        }
        return spaces;
    }

    /** The keys in flattening order. */
    public List<String> keys() {
        return keys;
    }

    /** The space under {@code key}. */
    public Space<?> space(String key) {
        Space<?> s = spaces.get(key);
        if (s == null) {
            throw new IllegalArgumentException(this + " has no key '" + key + "'; keys: " + keys);
        }
        return s;
    }

    /** The spaces under their keys, in flattening order (unmodifiable). */
    public Map<String, Space<?>> spaces() {
        return spaces;
    }

    /** Where the {@code i}-th key's floats start in the flattened row. */
    public int offset(int i) {
        return offsets[i];
    }

    /** Gymnasium's {@code flatdim}: the sum of the children's. */
    @Override
    public int flatDim() {
        return flatDim;
    }

    /** A {@code Map} with exactly this space's keys, each value in its space (Gymnasium's {@code Dict.contains}). */
    @Override
    public boolean contains(Object value) {
        if (!(value instanceof Map<?, ?> x) || x.size() != keys.size()) {
            return false;
        }
        for (int i = 0; i < children.length; i++) {
            String k = keys.get(i);
            if (!x.containsKey(k) || !children[i].contains(x.get(k))) {
                return false;
            }
        }
        return true;
    }

    /** Each child's sample, drawn in key order from {@code rng}; the map iterates in key order. */
    @Override
    public Map<String, Object> sample(RandomGenerator rng) {
        Map<String, Object> x = new LinkedHashMap<>();
        for (int i = 0; i < children.length; i++) {
            x.put(keys.get(i), children[i].sample(rng));
        }
        return x;
    }

    @Override
    public void flatten(Map<String, Object> value, float[] dst, int offset) {
        if (value == null) {
            throw new IllegalArgumentException(this + ": the value is null, not a Map with keys " + keys);
        }
        for (int i = 0; i < children.length; i++) {
            Object v = value.get(keys.get(i));
            if (v == null && !value.containsKey(keys.get(i))) {
                throw new IllegalArgumentException(this + ": " + Spaces.show(value) + " has no key "
                        + Spaces.quote(keys.get(i)));
            }
            Spaces.flattenChild(children[i], v, dst, offset + offsets[i], Spaces.quote(keys.get(i)), this);
        }
    }

    /** A new map in key order; {@code reuse} is ignored (only observations are flattened in the hot loop). */
    @Override
    public Map<String, Object> unflatten(float[] src, int offset, Map<String, Object> reuse) {
        Map<String, Object> x = new LinkedHashMap<>();
        for (int i = 0; i < children.length; i++) {
            x.put(keys.get(i), Spaces.unflatten(children[i], src, offset + offsets[i]));
        }
        return x;
    }

    /** Equal keys in the same order with equal spaces (the order is the layout, as for Gymnasium's OrderedDict). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Dict d && keys.equals(d.keys) && spaces.equals(d.spaces);
    }

    @Override
    public int hashCode() {
        return spaces.hashCode();
    }

    /** Gymnasium's form: {@code Dict('color': Discrete(3), 'position': Box(-1.0, 1.0, (2,), float32))}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Dict(");
        for (int i = 0; i < children.length; i++) {
            s.append(i == 0 ? "" : ", ").append(Spaces.quote(keys.get(i))).append(": ").append(children[i]);
        }
        return s.append(')').toString();
    }
}
