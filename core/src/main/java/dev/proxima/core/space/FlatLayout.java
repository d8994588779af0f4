package dev.proxima.core.space;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where each part of an element lands in the float row that {@link Space#flatten} writes: the network's input layout.
 * Save {@link #describe()} with a trained policy and compare it with the layout of the env it is evaluated on or
 * exported for; equal strings mean the same floats in the same places.
 *
 * <p>Example: {@code FlatLayout.of(new Dict(Map.of("position", Box.of(-1f, 1f, 2), "color", new Discrete(3))))}
 * describes itself as
 * <pre>{@code obs['color'] Discrete(3) one-hot [0, 3); obs['position'] Box(2,) flat [3, 5)}</pre>
 *
 * <p>Each {@link Segment} is one leaf space: its path from the observation ({@code obs}, {@code obs['key']},
 * {@code obs[0]}, nested as {@code obs['a'][1]}), the leaf ({@code Box(shape)} without its bounds, which do not change
 * the layout; a discrete space with its {@code start}), its encoding and its half-open float range. Encodings:
 * <ul>
 * <li>{@code flat}: a {@link Box}'s entries in row-major (C) order, as numpy's {@code flatten()};</li>
 * <li>{@code one-hot}: a {@link Discrete} ({@code n} floats, 1 at {@code x - start}) or {@link MultiDiscrete} (the
 * components' one-hots concatenated) inside a {@link Dict} or {@link Tuple}, as Gymnasium's {@code flatten};</li>
 * <li>{@code index}: a top-level {@link Discrete} or {@link MultiDiscrete}, one float {@code x - start} per component
 * (its {@link Space#flatten});</li>
 * <li>{@code custom}: a space of another type, whatever its own {@code flatten} writes.</li>
 * </ul>
 * The format of {@link #describe()} is stable: it changes only when the flattening does.
 *
 * @param segments the leaves in flattening order
 * @param flatDim  floats per row ({@link Space#flatDim()})
 */
public record FlatLayout(List<Segment> segments, int flatDim) {

    /**
     * One leaf of the layout.
     *
     * @param path     the leaf's place in an element, e.g. {@code obs['position']} or {@code obs[1]}
     * @param space    the leaf, e.g. {@code Box(2, 3)} or {@code Discrete(3, start=1)}
     * @param encoding {@code flat}, {@code one-hot}, {@code index} or {@code custom}
     * @param offset   first float of the leaf in the row
     * @param size     floats the leaf occupies
     */
    public record Segment(String path, String space, String encoding, int offset, int size) {
        public Segment {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(space, "space");
            Objects.requireNonNull(encoding, "encoding");
        }

        @Override
        public String toString() {
            return path + " " + space + " " + encoding + " [" + offset + ", " + (offset + size) + ")";
        }
    }

    public FlatLayout {
        segments = List.copyOf(segments);
    }

    /** The layout of the row {@code space.flatten} writes. */
    public static FlatLayout of(Space<?> space) {
        Objects.requireNonNull(space, "space");
        List<Segment> out = new ArrayList<>();
        if (space instanceof Discrete || space instanceof MultiDiscrete) {
            out.add(new Segment("obs", space.toString(), "index", 0, space.flatDim()));
        } else {
            walk(space, "obs", 0, out);
        }
        return new FlatLayout(out, space.flatDim());
    }

    private static void walk(Space<?> space, String path, int offset, List<Segment> out) {
        if (space instanceof Box b) {
            out.add(new Segment(path, "Box" + shape(b.shape()), "flat", offset, b.flatDim()));
        } else if (space instanceof Discrete || space instanceof MultiDiscrete) {
            out.add(new Segment(path, space.toString(), "one-hot", offset, Spaces.flatDim(space)));
        } else if (space instanceof Tuple t) {
            for (int i = 0; i < t.size(); i++) {
                walk(t.space(i), path + "[" + i + "]", offset + t.offset(i), out);
            }
        } else if (space instanceof Dict d) {
            List<String> keys = d.keys();
            for (int i = 0; i < keys.size(); i++) {
                walk(d.space(keys.get(i)), path + "[" + Spaces.quote(keys.get(i)) + "]", offset + d.offset(i), out);
            }
        } else {
            out.add(new Segment(path, space.toString(), "custom", offset, space.flatDim()));
        }
    }

    /** Python's tuple form of a shape: {@code (4,)}, {@code (2, 3)}. */
    private static String shape(int[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }

    /** The segments joined by {@code "; "}: the stable one-line form to save with a policy. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        for (Segment seg : segments) {
            s.append(s.length() == 0 ? "" : "; ").append(seg);
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
