package dev.proxima.core.io;

import dev.proxima.core.internal.Json;
import dev.proxima.core.internal.JsonException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Named tensors in Hugging Face's <a href="https://github.com/huggingface/safetensors">safetensors</a> format: an
 * 8-byte little-endian unsigned header length {@code N}, {@code N} bytes of UTF-8 JSON
 * {@code {"__metadata__": {string: string}, name: {"dtype", "shape", "data_offsets": [begin, end]}, ...}} (padded with
 * spaces), then the raw little-endian, row-major data, whose offsets are relative to the end of the header.
 *
 * <p>Loading is safe by construction, unlike pickle-based checkpoints: the file is data only and nothing is executed.
 * The reader checks everything before it allocates tensor memory: the header length is at most 100,000,000 bytes (the
 * reference limit) and inside the file, the header is UTF-8 JSON starting with an object, every tensor entry has a
 * supported dtype, a shape of non-negative integers and offsets whose length equals dtype size &times; element count,
 * the tensors tile the data buffer from 0 without holes or overlaps, and the file ends exactly where the last tensor
 * does. A truncated, padded, foreign or lying file is refused with a {@link SafeTensorsException} naming the file and
 * the problem.
 *
 * <p>The writer lays tensors out as the reference implementation ({@code safetensors/src/tensor.rs}, {@code prepare})
 * does: by decreasing dtype (so 8-byte values come first and stay aligned), then by name; the header is compact JSON
 * with {@code __metadata__} first, padded with spaces to a multiple of 8. {@link #write(Path)} replaces the file
 * atomically (temporary file, fsync, rename).
 *
 * <p>A {@link Tensor} wraps its Java array without copying; do not modify the array while the tensor is in use.
 */
public final class SafeTensors {
    /** The reference implementation's limit on the header length. */
    public static final long MAX_HEADER_LENGTH = 100_000_000L;
    private static final String METADATA_KEY = "__metadata__";
    // Java arrays are int-indexed; leave the usual VM headroom.
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    /**
     * Element types supported here, a subset of the format's. Declared in the order of the reference {@code Dtype}
     * enum, which the writer's layout follows.
     */
    public enum Dtype {
        U8(1), I32(4), F32(4), F64(8), I64(8);

        private final int size;

        Dtype(int size) {
            this.size = size;
        }

        /** Bytes per element. */
        public int size() {
            return size;
        }
    }

    /** A dtype, a row-major shape and the values, held in a Java array of the matching type. */
    public static final class Tensor {
        private final Dtype dtype;
        private final int[] shape;
        private final Object data;
        private final int numel;

        private Tensor(Dtype dtype, Object data, int length, int[] shape) {
            Objects.requireNonNull(shape, "shape");
            long n = 1;
            for (int d : shape) {
                if (d < 0) {
                    throw new IllegalArgumentException("Tensor: shape " + Arrays.toString(shape)
                            + " has a negative dimension");
                }
                n *= d;
                if (n > MAX_ELEMENTS) {
                    throw new IllegalArgumentException("Tensor: shape " + Arrays.toString(shape)
                            + " has more elements than a Java array can hold");
                }
            }
            if (n != length) {
                throw new IllegalArgumentException("Tensor: shape " + Arrays.toString(shape) + " holds " + n
                        + " elements but the " + dtype + " data has " + length + ". Give a shape whose product is "
                        + length + " (e.g. [" + length + "]).");
            }
            this.dtype = dtype;
            this.shape = shape.clone();
            this.data = data;
            this.numel = length;
        }

        /** An F64 tensor; an empty shape makes a scalar (one element). */
        public static Tensor of(double[] data, int... shape) {
            return new Tensor(Dtype.F64, data, data.length, shape);
        }

        /** An F32 tensor. */
        public static Tensor of(float[] data, int... shape) {
            return new Tensor(Dtype.F32, data, data.length, shape);
        }

        /** An I64 tensor. */
        public static Tensor of(long[] data, int... shape) {
            return new Tensor(Dtype.I64, data, data.length, shape);
        }

        /** An I32 tensor. */
        public static Tensor of(int[] data, int... shape) {
            return new Tensor(Dtype.I32, data, data.length, shape);
        }

        /** A U8 tensor (bytes as unsigned 0..255). */
        public static Tensor of(byte[] data, int... shape) {
            return new Tensor(Dtype.U8, data, data.length, shape);
        }

        /** A one-dimensional F64 tensor. */
        public static Tensor vector(double... data) {
            return of(data, data.length);
        }

        public Dtype dtype() {
            return dtype;
        }

        public int[] shape() {
            return shape.clone();
        }

        /** Number of elements, the product of the shape. */
        public int numel() {
            return numel;
        }

        public long byteLength() {
            return (long) numel * dtype.size;
        }

        /** The F64 values (the wrapped array). */
        public double[] doubles() {
            return (double[]) as(Dtype.F64);
        }

        /** The F32 values (the wrapped array). */
        public float[] floats() {
            return (float[]) as(Dtype.F32);
        }

        /** The I64 values (the wrapped array). */
        public long[] longs() {
            return (long[]) as(Dtype.I64);
        }

        /** The I32 values (the wrapped array). */
        public int[] ints() {
            return (int[]) as(Dtype.I32);
        }

        /** The U8 values (the wrapped array). */
        public byte[] bytes() {
            return (byte[]) as(Dtype.U8);
        }

        private Object as(Dtype wanted) {
            if (dtype != wanted) {
                throw new IllegalStateException("tensor is " + dtype + " " + Arrays.toString(shape) + ", not "
                        + wanted + "; use the accessor for " + dtype);
            }
            return data;
        }

        private void put(ByteBuffer buf, int i) {
            switch (dtype) {
                case F64 -> buf.putDouble(((double[]) data)[i]);
                case F32 -> buf.putFloat(((float[]) data)[i]);
                case I64 -> buf.putLong(((long[]) data)[i]);
                case I32 -> buf.putInt(((int[]) data)[i]);
                case U8 -> buf.put(((byte[]) data)[i]);
                default -> throw new AssertionError(dtype);
            }
        }

        /**
         * CRC-32C (Castagnoli, as {@link java.util.zip.CRC32C}) of the tensor's bytes as stored in the file
         * (little-endian, row-major): checkpoints record it per tensor to detect flipped bits in the data.
         */
        public int crc32c() {
            java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
            ByteBuffer buf = ByteBuffer.allocate(1 << 13).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < numel; i++) {
                if (buf.remaining() < 8) {
                    crc.update(buf.flip());
                    buf.clear();
                }
                put(buf, i);
            }
            crc.update(buf.flip());
            return (int) crc.getValue();
        }

        /** Equal dtype, shape and bit-identical values (NaNs with the same bits are equal). */
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Tensor t) || t.dtype != dtype || !Arrays.equals(t.shape, shape)) {
                return false;
            }
            return switch (dtype) {
                case F64 -> Arrays.equals((double[]) data, (double[]) t.data);
                case F32 -> Arrays.equals((float[]) data, (float[]) t.data);
                case I64 -> Arrays.equals((long[]) data, (long[]) t.data);
                case I32 -> Arrays.equals((int[]) data, (int[]) t.data);
                case U8 -> Arrays.equals((byte[]) data, (byte[]) t.data);
            };
        }

        @Override
        public int hashCode() {
            int h = 31 * dtype.hashCode() + Arrays.hashCode(shape);
            return 31 * h + switch (dtype) {
                case F64 -> Arrays.hashCode((double[]) data);
                case F32 -> Arrays.hashCode((float[]) data);
                case I64 -> Arrays.hashCode((long[]) data);
                case I32 -> Arrays.hashCode((int[]) data);
                case U8 -> Arrays.hashCode((byte[]) data);
            };
        }

        @Override
        public String toString() {
            return "Tensor(" + dtype + ", " + Arrays.toString(shape) + ")";
        }
    }

    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    /**
     * @param tensors  the tensors by name; {@code "__metadata__"} is reserved
     * @param metadata free-form string metadata (e.g. format version, config), possibly empty
     */
    public SafeTensors(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey() == null || e.getKey().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("SafeTensors: tensor name " + e.getKey()
                        + " is not allowed (names must be non-null and not \"" + METADATA_KEY + "\")");
            }
            t.put(e.getKey(), Objects.requireNonNull(e.getValue(), () -> "tensor " + e.getKey() + " is null"));
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("SafeTensors: metadata entry " + e.getKey() + " = " + e.getValue()
                        + " has a null; keys and values must be strings");
            }
            m.put(e.getKey(), e.getValue());
        }
        this.tensors = Collections.unmodifiableMap(t);
        this.metadata = Collections.unmodifiableMap(m);
    }

    /** Tensors without metadata. */
    public SafeTensors(Map<String, Tensor> tensors) {
        this(tensors, Map.of());
    }

    /** The tensors by name; after {@link #read}, in the order of their data in the file. */
    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor called {@code name}; a missing name is an error that lists the names present. */
    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no tensor \"" + name + "\"; present: " + tensors.keySet());
        }
        return t;
    }

    // ------------------------------------------------------------------------------------------------------ writing

    /** Writes the file atomically: a temporary file in the same directory, fsync, then a rename over {@code file}. */
    public void write(Path file) throws IOException {
        AtomicFiles.write(file, this::writeTo);
    }

    /** The file's bytes. */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(Channels.newChannel(out));
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
        return out.toByteArray();
    }

    private void writeTo(WritableByteChannel ch) throws IOException {
        List<Map.Entry<String, Tensor>> order = layout();
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put(METADATA_KEY, metadata);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : order) {
            Tensor t = e.getValue();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", t.dtype.name());
            info.put("shape", t.shape);
            info.put("data_offsets", new long[] {offset, offset + t.byteLength()});
            header.put(e.getKey(), info);
            offset += t.byteLength();
        }
        byte[] json = Json.writeCompact(header, Json.NonFinite.REJECT).getBytes(StandardCharsets.UTF_8);
        // Pad with spaces to a multiple of 8 so the data buffer starts 8-byte aligned, as the reference writer does.
        int padded = (json.length + 7) & ~7;
        if (padded > MAX_HEADER_LENGTH) {
            throw new IOException("safetensors header would be " + padded + " bytes, above the format's limit of "
                    + MAX_HEADER_LENGTH + "; store fewer tensors or less metadata");
        }
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        writeFully(ch, head.flip());
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, Tensor> e : order) {
            Tensor t = e.getValue();
            for (int i = 0; i < t.numel; i++) {
                if (buf.remaining() < 8) {
                    writeFully(ch, buf.flip());
                    buf.clear();
                }
                t.put(buf, i);
            }
        }
        writeFully(ch, buf.flip());
    }

    /** Decreasing dtype (reference enum order), then name by UTF-8 bytes, as {@code prepare} in tensor.rs. */
    private List<Map.Entry<String, Tensor>> layout() {
        List<Map.Entry<String, Tensor>> order = new ArrayList<>(tensors.entrySet());
        order.sort(Comparator.<Map.Entry<String, Tensor>>comparingInt(e -> -e.getValue().dtype.ordinal())
                .thenComparing((a, b) -> Arrays.compareUnsigned(a.getKey().getBytes(StandardCharsets.UTF_8),
                        b.getKey().getBytes(StandardCharsets.UTF_8))));
        return order;
    }

    private static void writeFully(WritableByteChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    // ------------------------------------------------------------------------------------------------------ reading

    /** Reads and validates a safetensors file. */
    public static SafeTensors read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            return parse(file.toString(), size, (pos, dst) -> {
                while (dst.hasRemaining()) {
                    int n = ch.read(dst, pos);
                    if (n < 0) {
                        throw new SafeTensorsException(file + ": the file shrank while being read");
                    }
                    pos += n;
                }
            });
        }
    }

    /**
     * Parses and validates the bytes of a safetensors file.
     *
     * @param source names the bytes in error messages
     */
    public static SafeTensors fromBytes(byte[] bytes, String source) throws SafeTensorsException {
        try {
            return parse(source, bytes.length, (pos, dst) -> dst.put(bytes, (int) pos, dst.remaining()));
        } catch (SafeTensorsException e) {
            throw e;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @FunctionalInterface
    private interface Source {
        /** Fills {@code dst} from absolute position {@code pos}. */
        void read(long pos, ByteBuffer dst) throws IOException;
    }

    private record Entry(String name, Dtype dtype, int[] shape, long begin, long end) {}

    private static SafeTensors parse(String src, long size, Source in) throws IOException {
        if (size < 8) {
            throw bad(src, "the file has " + size + " bytes, fewer than the 8-byte header length that starts a"
                    + " safetensors file (truncated or not a safetensors file)");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        in.read(0, lenBuf);
        long n = lenBuf.flip().getLong(); // unsigned in the format: a negative long is a value above 2^63
        if (n < 2 || n > MAX_HEADER_LENGTH) {
            throw bad(src, "the header length " + Long.toUnsignedString(n) + " in the first 8 bytes is not between 2"
                    + " and " + MAX_HEADER_LENGTH + " (not a safetensors file, or corrupted)");
        }
        if (8 + n > size) {
            throw bad(src, "the header length " + n + " runs past the end of the file (" + size
                    + " bytes); the file is truncated or not a safetensors file");
        }
        ByteBuffer headBuf = ByteBuffer.allocate((int) n);
        in.read(8, headBuf);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(headBuf.flip()).toString();
        } catch (CharacterCodingException e) {
            throw bad(src, "the " + n + "-byte header is not UTF-8 text (not a safetensors file, or corrupted)");
        }
        int first = 0;
        while (first < text.length() && text.charAt(first) == ' ') {
            first++;
        }
        if (first >= text.length() || text.charAt(first) != '{') {
            throw bad(src, "the header does not start with '{' (not a safetensors file, or corrupted)");
        }
        Map<String, Object> header;
        try {
            header = Json.parseObject(text, "header");
        } catch (JsonException e) {
            throw bad(src, "the header is not valid JSON: " + e.getMessage());
        }

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            String name = e.getKey();
            if (name.equals(METADATA_KEY)) {
                if (!(e.getValue() instanceof Map<?, ?> m)) {
                    throw bad(src, "\"" + METADATA_KEY + "\" must be an object of strings, not " + kind(e.getValue()));
                }
                for (Map.Entry<?, ?> me : m.entrySet()) {
                    if (!(me.getValue() instanceof String v)) {
                        throw bad(src, "metadata \"" + me.getKey() + "\" is " + kind(me.getValue())
                                + "; the format allows only string values");
                    }
                    metadata.put((String) me.getKey(), v);
                }
                continue;
            }
            entries.add(entry(src, name, e.getValue()));
        }

        // The tensors must tile the data buffer from 0: no holes (a polyglot file could hide content there) and no
        // overlaps (two tensors aliasing the same bytes).
        entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        String previous = null;
        for (Entry en : entries) {
            if (en.begin < expected) {
                throw bad(src, "tensor \"" + en.name + "\" data_offsets [" + en.begin + ", " + en.end
                        + "] overlap tensor \"" + previous + "\", which ends at " + expected);
            }
            if (en.begin > expected) {
                throw bad(src, "tensor \"" + en.name + "\" starts at " + en.begin + " but the previous data ends at "
                        + expected + ": " + (en.begin - expected) + " bytes are not covered by any tensor");
            }
            expected = en.end;
            previous = en.name;
        }
        long total = 8 + n + expected;
        if (total > size) {
            throw bad(src, "the header describes " + expected + " data bytes (file size " + total + ") but the file"
                    + " has " + size + " bytes: it is truncated by " + (total - size) + " bytes");
        }
        if (total < size) {
            throw bad(src, "the file has " + (size - total) + " bytes after the last tensor (ends at " + total
                    + " of " + size + "); the format forbids unindexed data");
        }

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        long dataStart = 8 + n;
        for (Entry en : entries) {
            tensors.put(en.name, readTensor(en, dataStart, in, buf));
        }
        return new SafeTensors(tensors, metadata);
    }

    private static Entry entry(String src, String name, Object value) throws SafeTensorsException {
        String what = "tensor \"" + name + "\"";
        if (!(value instanceof Map<?, ?> m)) {
            throw bad(src, what + " must be an object {dtype, shape, data_offsets}, not " + kind(value));
        }
        for (Object k : m.keySet()) {
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw bad(src, what + " has the unknown field \"" + k + "\" (expected dtype, shape, data_offsets)");
            }
        }
        if (!(m.get("dtype") instanceof String dt)) {
            throw bad(src, what + " needs a string \"dtype\", found " + kind(m.get("dtype")));
        }
        Dtype dtype;
        try {
            dtype = Dtype.valueOf(dt);
        } catch (IllegalArgumentException e) {
            throw bad(src, what + " has dtype \"" + dt + "\", which this reader does not support (supported: "
                    + Arrays.toString(Dtype.values()) + ")");
        }
        if (!(m.get("shape") instanceof List<?> shapeList)) {
            throw bad(src, what + " needs a \"shape\" array, found " + kind(m.get("shape")));
        }
        int[] shape = new int[shapeList.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            Object d = shapeList.get(i);
            if (!(d instanceof Long l) || l < 0) {
                throw bad(src, what + " shape " + shapeList + " has entry " + d
                        + "; dimensions are non-negative integers");
            }
            if (l > MAX_ELEMENTS) {
                throw bad(src, what + " shape " + shapeList + " is too large to load into a Java array");
            }
            shape[i] = (int) (long) l;
            numel *= l;
            if (numel > MAX_ELEMENTS) {
                throw bad(src, what + " shape " + shapeList + " has more elements than a Java array can hold");
            }
        }
        if (!(m.get("data_offsets") instanceof List<?> off) || off.size() != 2
                || !(off.get(0) instanceof Long begin) || !(off.get(1) instanceof Long end)) {
            throw bad(src, what + " needs \"data_offsets\": [begin, end] with two integers, found "
                    + kind(m.get("data_offsets")));
        }
        if (begin < 0 || end < begin) {
            throw bad(src, what + " has data_offsets [" + begin + ", " + end + "]; need 0 <= begin <= end");
        }
        long bytes = numel * dtype.size;
        if (end - begin != bytes) {
            throw bad(src, what + " is " + dtype + " " + shapeList + " = " + numel + " x " + dtype.size + " = "
                    + bytes + " bytes, but its data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static Tensor readTensor(Entry en, long dataStart, Source in, ByteBuffer buf) throws IOException {
        int numel = (int) ((en.end - en.begin) / en.dtype.size);
        Object data = switch (en.dtype) {
            case F64 -> new double[numel];
            case F32 -> new float[numel];
            case I64 -> new long[numel];
            case I32 -> new int[numel];
            case U8 -> new byte[numel];
        };
        int perChunk = buf.capacity() / en.dtype.size;
        long pos = dataStart + en.begin;
        for (int i = 0; i < numel; i += perChunk) {
            int k = Math.min(perChunk, numel - i);
            buf.clear().limit(k * en.dtype.size);
            in.read(pos, buf);
            buf.flip();
            pos += (long) k * en.dtype.size;
            switch (en.dtype) {
                case F64 -> buf.asDoubleBuffer().get((double[]) data, i, k);
                case F32 -> buf.asFloatBuffer().get((float[]) data, i, k);
                case I64 -> buf.asLongBuffer().get((long[]) data, i, k);
                case I32 -> buf.asIntBuffer().get((int[]) data, i, k);
                case U8 -> buf.get((byte[]) data, i, k);
                default -> throw new AssertionError(en.dtype);
            }
        }
        return new Tensor(en.dtype, data, numel, en.shape);
    }

    private static String kind(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List<?> l) {
            return "the array " + l;
        }
        if (v instanceof String s) {
            return "the string \"" + s + "\"";
        }
        return v.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " " + v;
    }

    private static SafeTensorsException bad(String src, String message) {
        return new SafeTensorsException(src + ": not a valid safetensors file: " + message);
    }

    @Override
    public String toString() {
        return "SafeTensors" + tensors + (metadata.isEmpty() ? "" : " metadata=" + metadata);
    }
}
