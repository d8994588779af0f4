package dev.proxima.core.export;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX graph being built, serialised as a {@code ModelProto} by {@link #toModel}. Field numbers are those of
 * {@code onnx/onnx.proto} (onnx/onnx on GitHub); only what a feed-forward policy needs is covered: dense tensors with
 * {@code raw_data}, nodes with int, float and ints attributes, tensor-typed inputs and outputs with a symbolic batch
 * dimension, and model metadata.
 */
final class OnnxGraph {
    /** {@code TensorProto.DataType}. */
    static final int FLOAT = 1;
    static final int INT64 = 7;
    static final int BOOL = 9;
    static final int DOUBLE = 11;

    // AttributeProto.AttributeType
    private static final int ATTR_FLOAT = 1;
    private static final int ATTR_INT = 2;
    private static final int ATTR_INTS = 7;

    private final List<Protobuf> nodes = new ArrayList<>();
    private final List<Protobuf> initializers = new ArrayList<>();
    private final List<Protobuf> inputs = new ArrayList<>();
    private final List<Protobuf> outputs = new ArrayList<>();
    private final Map<String, Boolean> names = new LinkedHashMap<>();

    /** A node attribute. */
    record Attr(String name, Protobuf proto) {
        static Attr i(String name, long value) {
            return new Attr(name, new Protobuf().string(1, name).int64(20, ATTR_INT).int64(3, value));
        }

        static Attr f(String name, float value) {
            return new Attr(name, new Protobuf().string(1, name).int64(20, ATTR_FLOAT).float32(2, value));
        }

        static Attr ints(String name, long... values) {
            return new Attr(name, new Protobuf().string(1, name).int64(20, ATTR_INTS).int64s(8, values));
        }
    }

    /** A float32 initializer; {@code dims} must multiply to {@code values.length}. */
    String floats(String name, float[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(values);
        return initializer(name, FLOAT, raw.array(), values.length, dims);
    }

    /** A float64 initializer. */
    String doubles(String name, double[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asDoubleBuffer().put(values);
        return initializer(name, DOUBLE, raw.array(), values.length, dims);
    }

    /** An int64 initializer. */
    String longs(String name, long[] values, long... dims) {
        ByteBuffer raw = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        raw.asLongBuffer().put(values);
        return initializer(name, INT64, raw.array(), values.length, dims);
    }

    // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9 (little-endian, as the format requires).
    private String initializer(String name, int type, byte[] raw, int count, long[] dims) {
        long size = 1;
        for (long d : dims) {
            size *= d;
        }
        if (size != count) {
            throw new IllegalStateException("initializer " + name + ": dims multiply to " + size + " but there are "
                    + count + " values");
        }
        claim(name);
        initializers.add(new Protobuf().int64s(1, dims).int64(2, type).string(8, name).bytes(9, raw));
        return name;
    }

    /** Adds a node (NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5) and returns its output. */
    String node(String opType, String output, List<String> in, Attr... attrs) {
        claim(output);
        Protobuf n = new Protobuf();
        for (String i : in) {
            n.string(1, i);
        }
        n.string(2, output).string(3, output).string(4, opType);
        for (Attr a : attrs) {
            n.message(5, a.proto());
        }
        nodes.add(n);
        return output;
    }

    /**
     * A graph input of the given element type and shape; a {@link String} dimension is symbolic (e.g. the batch size),
     * a {@link Number} fixed.
     */
    void input(String name, int elemType, Object... dims) {
        claim(name);
        inputs.add(valueInfo(name, elemType, dims));
    }

    /** A graph output: the tensor called {@code name} must be produced by a node. */
    void output(String name, int elemType, Object... dims) {
        if (!names.containsKey(name)) {
            throw new IllegalStateException("output " + name + " is not produced by any node");
        }
        outputs.add(valueInfo(name, elemType, dims));
    }

    // ValueInfoProto { name = 1, type = 2 } / TypeProto { tensor_type = 1 } / TypeProto.Tensor { elem_type = 1,
    // shape = 2 } / TensorShapeProto { dim = 1 } / Dimension { dim_value = 1 | dim_param = 2 }.
    private static Protobuf valueInfo(String name, int elemType, Object[] dims) {
        Protobuf shape = new Protobuf();
        for (Object d : dims) {
            Protobuf dim = d instanceof String s ? new Protobuf().string(2, s)
                    : new Protobuf().int64(1, ((Number) d).longValue());
            shape.message(1, dim);
        }
        Protobuf tensor = new Protobuf().int64(1, elemType).message(2, shape);
        return new Protobuf().string(1, name).message(2, new Protobuf().message(1, tensor));
    }

    private void claim(String name) {
        if (names.put(name, Boolean.TRUE) != null) {
            throw new IllegalStateException("tensor name " + name + " used twice");
        }
    }

    /**
     * The serialised {@code ModelProto}: ir_version = 1, producer_name = 2, producer_version = 3, doc_string = 6,
     * graph = 7, opset_import = 8 (OperatorSetIdProto { domain = 1, version = 2 }), metadata_props = 14
     * (StringStringEntryProto { key = 1, value = 2 }). GraphProto: node = 1, name = 2, initializer = 5,
     * doc_string = 10, input = 11, output = 12.
     */
    byte[] toModel(long irVersion, long opset, String graphName, String producerVersion, String doc,
            Map<String, String> metadata) {
        Protobuf graph = new Protobuf();
        for (Protobuf n : nodes) {
            graph.message(1, n);
        }
        graph.string(2, graphName);
        for (Protobuf t : initializers) {
            graph.message(5, t);
        }
        graph.string(10, doc);
        for (Protobuf i : inputs) {
            graph.message(11, i);
        }
        for (Protobuf o : outputs) {
            graph.message(12, o);
        }
        Protobuf model = new Protobuf().int64(1, irVersion).string(2, "proxima").string(3, producerVersion)
                .string(6, doc).message(7, graph).message(8, new Protobuf().string(1, "").int64(2, opset));
        metadata.forEach((k, v) -> model.message(14, new Protobuf().string(1, k).string(2, v)));
        return model.toByteArray();
    }
}
