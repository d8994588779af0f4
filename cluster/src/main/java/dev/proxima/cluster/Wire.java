package dev.proxima.cluster;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The compact binary form of the cluster's messages: little-endian primitives and length-prefixed arrays, nothing
 * else. Every message starts with {@link #MAGIC} and {@link #VERSION}; a reader refuses anything else (a foreign or
 * damaged message, or a peer of another protocol version) with a {@link ProtocolException}, and checks every length
 * against the bytes left before allocating, so a hostile message cannot make it allocate more than it sent.
 */
final class Wire {
    /** "PXC" and a format byte. */
    static final int MAGIC = 0x50584331;
    /** Bumped whenever a message's layout changes; learner and workers must run the same Proxima. */
    static final int VERSION = 1;

    private Wire() {}

    /** A growable little-endian buffer. */
    static final class Writer {
        private ByteBuffer buf;

        Writer(int type, int capacity) {
            buf = ByteBuffer.allocate(Math.max(64, capacity)).order(ByteOrder.LITTLE_ENDIAN);
            buf.putInt(MAGIC).putInt(VERSION).put((byte) type);
        }

        private void ensure(long more) {
            if (buf.remaining() < more) {
                long need = buf.position() + more;
                if (need > Integer.MAX_VALUE - 16) {
                    throw new IllegalArgumentException("a cluster message would exceed 2 GB (" + need + " bytes);"
                            + " use fewer env copies per worker or fewer steps per rollout");
                }
                int cap = (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, 2L * buf.capacity()));
                ByteBuffer b = ByteBuffer.allocate(cap).order(ByteOrder.LITTLE_ENDIAN);
                buf.flip();
                b.put(buf);
                buf = b;
            }
        }

        Writer i32(int v) {
            ensure(4);
            buf.putInt(v);
            return this;
        }

        Writer i64(long v) {
            ensure(8);
            buf.putLong(v);
            return this;
        }

        Writer f64(double v) {
            ensure(8);
            buf.putDouble(v);
            return this;
        }

        Writer bool(boolean v) {
            ensure(1);
            buf.put((byte) (v ? 1 : 0));
            return this;
        }

        Writer str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i32(b.length);
            ensure(b.length);
            buf.put(b);
            return this;
        }

        Writer strs(List<String> list) {
            i32(list.size());
            for (String s : list) {
                str(s);
            }
            return this;
        }

        Writer floats(float[] a, int off, int n) {
            i32(n);
            ensure(4L * n);
            buf.asFloatBuffer().put(a, off, n);
            buf.position(buf.position() + 4 * n);
            return this;
        }

        Writer floats(float[] a) {
            return floats(a, 0, a.length);
        }

        Writer doubles(double[] a, int off, int n) {
            i32(n);
            ensure(8L * n);
            buf.asDoubleBuffer().put(a, off, n);
            buf.position(buf.position() + 8 * n);
            return this;
        }

        Writer doubles(double[] a) {
            return doubles(a, 0, a.length);
        }

        Writer longs(long[] a) {
            i32(a.length);
            ensure(8L * a.length);
            buf.asLongBuffer().put(a);
            buf.position(buf.position() + 8 * a.length);
            return this;
        }

        Writer ints(int[] a) {
            i32(a.length);
            ensure(4L * a.length);
            buf.asIntBuffer().put(a);
            buf.position(buf.position() + 4 * a.length);
            return this;
        }

        Writer bools(boolean[] a, int off, int n) {
            i32(n);
            ensure(n);
            for (int i = 0; i < n; i++) {
                buf.put((byte) (a[off + i] ? 1 : 0));
            }
            return this;
        }

        /** {@code long[copy][layer][]}, each level length-prefixed; {@code null} as length -1. */
        Writer longs3(long[][][] a) {
            if (a == null) {
                return i32(-1);
            }
            i32(a.length);
            for (long[][] layers : a) {
                if (layers == null) {
                    i32(-1);
                    continue;
                }
                i32(layers.length);
                for (long[] l : layers) {
                    longs(l);
                }
            }
            return this;
        }

        byte[] bytes() {
            return Arrays.copyOf(buf.array(), buf.position());
        }
    }

    /** Reads what a {@link Writer} wrote; every read is bounds-checked. */
    static final class Reader {
        private final ByteBuffer buf;
        final int type;

        /** @throws ProtocolException if the bytes are not a message of this protocol version */
        Reader(byte[] bytes) {
            if (bytes == null || bytes.length < 9) {
                throw new ProtocolException("not a Proxima cluster message (" + (bytes == null ? "null"
                        : bytes.length + " bytes") + ")");
            }
            buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            int magic = buf.getInt();
            if (magic != MAGIC) {
                throw new ProtocolException("not a Proxima cluster message (magic 0x" + Integer.toHexString(magic)
                        + ")");
            }
            int version = buf.getInt();
            if (version != VERSION) {
                throw new ProtocolException("cluster protocol version " + version + ", but this Proxima speaks "
                        + VERSION + ": run the same Proxima version on the learner and every worker");
            }
            type = buf.get();
        }

        private int length(int elementSize) {
            int n = i32();
            if (n < 0 || (long) n * elementSize > buf.remaining()) {
                throw new ProtocolException("damaged cluster message: a length of " + n + " with "
                        + buf.remaining() + " bytes left");
            }
            return n;
        }

        int i32() {
            try {
                return buf.getInt();
            } catch (BufferUnderflowException e) {
                throw truncated();
            }
        }

        long i64() {
            try {
                return buf.getLong();
            } catch (BufferUnderflowException e) {
                throw truncated();
            }
        }

        double f64() {
            try {
                return buf.getDouble();
            } catch (BufferUnderflowException e) {
                throw truncated();
            }
        }

        boolean bool() {
            try {
                return buf.get() != 0;
            } catch (BufferUnderflowException e) {
                throw truncated();
            }
        }

        String str() {
            int n = length(1);
            String s = new String(buf.array(), buf.arrayOffset() + buf.position(), n, StandardCharsets.UTF_8);
            buf.position(buf.position() + n);
            return s;
        }

        List<String> strs() {
            int n = length(4);
            List<String> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(str());
            }
            return list;
        }

        float[] floats() {
            float[] a = new float[length(4)];
            buf.asFloatBuffer().get(a);
            buf.position(buf.position() + 4 * a.length);
            return a;
        }

        double[] doubles() {
            double[] a = new double[length(8)];
            buf.asDoubleBuffer().get(a);
            buf.position(buf.position() + 8 * a.length);
            return a;
        }

        long[] longs() {
            long[] a = new long[length(8)];
            buf.asLongBuffer().get(a);
            buf.position(buf.position() + 8 * a.length);
            return a;
        }

        int[] ints() {
            int[] a = new int[length(4)];
            buf.asIntBuffer().get(a);
            buf.position(buf.position() + 4 * a.length);
            return a;
        }

        boolean[] bools() {
            boolean[] a = new boolean[length(1)];
            for (int i = 0; i < a.length; i++) {
                a[i] = buf.get() != 0;
            }
            return a;
        }

        long[][][] longs3() {
            int n = i32();
            if (n == -1) {
                return null;
            }
            if (n < 0 || n > buf.remaining()) {
                throw new ProtocolException("damaged cluster message: " + n + " env states");
            }
            long[][][] a = new long[n][][];
            for (int i = 0; i < n; i++) {
                int layers = i32();
                if (layers == -1) {
                    continue;
                }
                if (layers < 0 || layers > buf.remaining()) {
                    throw new ProtocolException("damaged cluster message: " + layers + " env layers");
                }
                a[i] = new long[layers][];
                for (int l = 0; l < layers; l++) {
                    a[i][l] = longs();
                }
            }
            return a;
        }

        /** @throws ProtocolException if bytes are left over (a message of another layout) */
        void end() {
            if (buf.hasRemaining()) {
                throw new ProtocolException("damaged cluster message: " + buf.remaining() + " bytes left over");
            }
        }

        private ProtocolException truncated() {
            return new ProtocolException("damaged cluster message: it ends early");
        }
    }

    /** A message that is not ours, damaged, or of another protocol version. */
    static final class ProtocolException extends RuntimeException {
        ProtocolException(String message) {
            super(message);
        }
    }
}
