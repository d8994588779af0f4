package dev.proxima.core.export;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A protocol-buffers message being written: the wire format of <a
 * href="https://protobuf.dev/programming-guides/encoding/">protobuf.dev, "Encoding"</a>, the few field kinds ONNX's
 * messages need, and nothing else (no reader, no unknown fields, no groups). Fields are appended in call order;
 * protobuf readers accept any order.
 *
 * <p>A field's key is {@code (number << 3) | wireType}, written as a varint. Wire types used: 0 (varint: int32, int64,
 * enums), 2 (length-delimited: strings, bytes, nested messages), 5 (32-bit:
 * float). Negative {@code int32}/{@code int64} values are written as ten-byte two's-complement varints, as protobuf
 * does for these (non-zigzag) types.
 */
final class Protobuf {
    private static final int VARINT = 0;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** An {@code int32}, {@code int64} or enum field. */
    Protobuf int64(int field, long value) {
        key(field, VARINT);
        varint(value);
        return this;
    }

    /** A {@code float} field. */
    Protobuf float32(int field, float value) {
        key(field, FIXED32);
        int bits = Float.floatToRawIntBits(value);
        for (int k = 0; k < 4; k++) {
            out.write(bits >>> (8 * k));
        }
        return this;
    }

    /** A {@code string} field, UTF-8. */
    Protobuf string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A {@code bytes} field. */
    Protobuf bytes(int field, byte[] value) {
        key(field, LENGTH_DELIMITED);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    /** A nested message field. */
    Protobuf message(int field, Protobuf message) {
        return bytes(field, message.toByteArray());
    }

    /**
     * A {@code repeated int64} field, one key per value: the unpacked encoding proto2 files such as {@code onnx.proto}
     * declare by default (readers accept packed and unpacked alike).
     */
    Protobuf int64s(int field, long[] values) {
        for (long v : values) {
            int64(field, v);
        }
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void key(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    /** Base-128, least significant group first, high bit set on every byte but the last. */
    private void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
