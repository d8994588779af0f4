package dev.proxima.core.space;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Gymnasium's {@code gymnasium/spaces/utils.py} for our spaces: {@link #flatDim}, {@link #flatten},
 * {@link #unflatten} and {@link #flattenSpace}, plus helpers for elements of composite spaces (deep equality, copies
 * and printing, since a {@link Dict} element is a {@code Map} holding arrays).
 *
 * <p>These functions encode a {@link Discrete} one-hot ({@code n} floats, the 1 at {@code x - start}) and a
 * {@link MultiDiscrete} as its components' one-hots concatenated, exactly as Gymnasium's {@code flatten}; a
 * {@link Box} is copied in row-major (C) order, as numpy's {@code flatten()}; a {@link Tuple} or {@link Dict}
 * concatenates its children in order (a {@code Dict}'s order is its sorted keys, unless built with
 * {@link Dict#inOrder}). A space of another type contributes its own {@link Space#flatten} form.
 *
 * <p>They differ from {@link Space#flatten} only at the top level of a discrete space: {@code Discrete.flatten} and
 * {@code MultiDiscrete.flatten} write indices, the form a policy head samples (one float per component). A
 * {@code Dict} or {@code Tuple} uses these functions for its children, so its {@code flatten} is Gymnasium's.
 */
public final class Spaces {

    private Spaces() {}

    /** Gymnasium's {@code flatdim}: {@code n} for a {@link Discrete}, {@code Σ nvec} for a {@link MultiDiscrete}. */
    public static int flatDim(Space<?> space) {
        Objects.requireNonNull(space, "space");
        if (space instanceof Discrete d) {
            return d.n();
        }
        if (space instanceof MultiDiscrete m) {
            return m.oneHotDim();
        }
        return space.flatDim();
    }

    /** Gymnasium's {@code flatten}: writes {@link #flatDim(Space)} floats of {@code value} from {@code offset}. */
    public static <T> void flatten(Space<T> space, T value, float[] dst, int offset) {
        if (space instanceof Discrete d) {
            int k = d.index((Integer) value);
            Arrays.fill(dst, offset, offset + d.n(), 0f);
            dst[offset + k] = 1f;
        } else if (space instanceof MultiDiscrete m) {
            int[] x = (int[]) value;
            if (!m.contains(x)) {
                throw new IllegalArgumentException(m + ": " + show(x) + " is not an element");
            }
            Arrays.fill(dst, offset, offset + m.oneHotDim(), 0f);
            int o = offset;
            for (int i = 0; i < m.size(); i++) {
                dst[o + x[i] - m.start(i)] = 1f;
                o += m.nvec(i);
            }
        } else {
            space.flatten(value, dst, offset);
        }
    }

    /**
     * Gymnasium's {@code unflatten}: the element whose {@link #flatten} is at {@code src[offset..]}. A discrete part
     * takes the first non-zero entry of its one-hot block; a block with none is an error, as in Gymnasium.
     */
    @SuppressWarnings("unchecked")
    public static <T> T unflatten(Space<T> space, float[] src, int offset) {
        if (space instanceof Discrete d) {
            return (T) Integer.valueOf(d.start() + hot(src, offset, d.n(), d.toString()));
        }
        if (space instanceof MultiDiscrete m) {
            int[] x = new int[m.size()];
            int o = offset;
            for (int i = 0; i < x.length; i++) {
                x[i] = m.start(i) + hot(src, o, m.nvec(i), m + " component " + i);
                o += m.nvec(i);
            }
            return (T) x;
        }
        return space.unflatten(src, offset, null);
    }

    private static int hot(float[] src, int offset, int n, String what) {
        for (int k = 0; k < n; k++) {
            if (src[offset + k] != 0f) {
                return k;
            }
        }
        throw new IllegalArgumentException(what + ": the one-hot block " + show(Arrays.copyOfRange(src, offset,
                offset + n)) + " has no non-zero entry, so it encodes no element (Gymnasium raises the same)");
    }

    /**
     * Gymnasium's {@code flatten_space}: the {@link Box} of the flattened elements, one-dimensional. One-hot blocks are
     * bounded by {@code [0, 1]}, a {@link Box} keeps its bounds.
     *
     * @throws IllegalArgumentException for a space of another type, whose bounds are unknown
     */
    public static Box flattenSpace(Space<?> space) {
        int n = flatDim(space);
        float[] low = new float[n];
        float[] high = new float[n];
        bounds(space, low, high, 0);
        return new Box(low, high, n);
    }

    private static void bounds(Space<?> space, float[] low, float[] high, int offset) {
        if (space instanceof Box b) {
            for (int i = 0; i < b.flatDim(); i++) {
                low[offset + i] = b.low(i);
                high[offset + i] = b.high(i);
            }
        } else if (space instanceof Discrete || space instanceof MultiDiscrete) {
            Arrays.fill(high, offset, offset + flatDim(space), 1f);
        } else if (space instanceof Tuple t) {
            for (int i = 0; i < t.size(); i++) {
                bounds(t.space(i), low, high, offset + t.offset(i));
            }
        } else if (space instanceof Dict d) {
            List<String> keys = d.keys();
            for (int i = 0; i < keys.size(); i++) {
                bounds(d.space(keys.get(i)), low, high, offset + d.offset(i));
            }
        } else {
            throw new IllegalArgumentException("Spaces.flattenSpace: the bounds of " + space + " ("
                    + space.getClass().getName() + ") are unknown; only Box, Discrete, MultiDiscrete, Tuple and Dict"
                    + " can be flattened to a Box");
        }
    }

    /**
     * Deep equality of space elements: arrays by content ({@code float[]} bitwise as {@link Arrays#equals}),
     * {@code List}s element-wise in order, {@code Map}s by equal key sets and deeply equal values.
     */
    public static boolean elementsEqual(Object a, Object b) {
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!elementsEqual(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!elementsEqual(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.deepEquals(a, b);
    }

    /** A deep copy of an element: arrays cloned, lists and maps copied (maps keep their order), others shared. */
    public static Object copyOf(Object element) {
        if (element instanceof float[] f) {
            return f.clone();
        }
        if (element instanceof int[] i) {
            return i.clone();
        }
        if (element instanceof double[] d) {
            return d.clone();
        }
        if (element instanceof List<?> l) {
            List<Object> c = new ArrayList<>(l.size());
            for (Object o : l) {
                c.add(copyOf(o));
            }
            return c;
        }
        if (element instanceof Map<?, ?> m) {
            Map<Object, Object> c = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                c.put(e.getKey(), copyOf(e.getValue()));
            }
            return c;
        }
        return element;
    }

    /** An element as text, arrays by content: {@code {'a': [1.0, 2.0], 'b': 3}}, tuples as {@code (x, y)}. */
    public static String show(Object element) {
        if (element instanceof float[] f) {
            return Arrays.toString(f);
        }
        if (element instanceof boolean[] b) {
            return Arrays.toString(b);
        }
        if (element instanceof int[] i) {
            return Arrays.toString(i);
        }
        if (element instanceof double[] d) {
            return Arrays.toString(d);
        }
        if (element instanceof List<?> l) {
            StringBuilder s = new StringBuilder("(");
            for (int i = 0; i < l.size(); i++) {
                s.append(i == 0 ? "" : ", ").append(show(l.get(i)));
            }
            return s.append(l.size() == 1 ? ",)" : ")").toString();
        }
        if (element instanceof Map<?, ?> m) {
            StringBuilder s = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                s.append(first ? "" : ", ").append(quote(String.valueOf(e.getKey()))).append(": ")
                        .append(show(e.getValue()));
                first = false;
            }
            return s.append('}').toString();
        }
        return String.valueOf(element);
    }

    /** A key as Python's {@code repr} writes a str: single quotes, backslash and quote escaped. */
    static String quote(String key) {
        return "'" + key.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** Python's {@code sorted} order of str keys: by Unicode code point (Java's {@code compareTo} is by UTF-16 unit). */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** Flattens one child of a composite space, naming it when its value has the wrong type. */
    @SuppressWarnings("unchecked")
    static void flattenChild(Space<?> child, Object value, float[] dst, int offset, Object where, Space<?> parent) {
        try {
            flatten((Space<Object>) child, value, dst, offset);
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException(parent + ": the value at " + where + " is " + show(value)
                    + ", not an element of " + child, e);
        }
    }
}
