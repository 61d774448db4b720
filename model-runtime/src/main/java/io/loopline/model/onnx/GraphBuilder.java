package io.loopline.model.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import shade.com.google.protobuf.ByteString;

/**
 * Builds ONNX graphs in Java with the ONNX protobuf classes: inputs and outputs with symbolic or
 * fixed dimensions, constant initializers and operator nodes. Output is deterministic: the same
 * calls give the same bytes.
 */
public final class GraphBuilder {

    /** ONNX element types used here. */
    public enum ElementType {
        FLOAT(TensorProto.DataType.FLOAT_VALUE),
        FLOAT16(TensorProto.DataType.FLOAT16_VALUE),
        INT64(TensorProto.DataType.INT64_VALUE);

        final int code;

        ElementType(int code) {
            this.code = code;
        }
    }

    /** The opset the graphs target (DeformConv needs 19+). */
    public static final int OPSET = 19;

    private static final long IR_VERSION = 9;

    private final GraphProto.Builder graph = GraphProto.newBuilder();
    private int unique;

    public GraphBuilder(String name) {
        graph.setName(name);
    }

    /** A dimension: an Integer for a fixed size, a String for a symbolic one. */
    private static TensorShapeProto shape(Object... dims) {
        TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof Number n) {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(n.longValue()));
            } else {
                shape.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(String.valueOf(d)));
            }
        }
        return shape.build();
    }

    private static ValueInfoProto valueInfo(String name, ElementType type, Object... dims) {
        return ValueInfoProto.newBuilder()
                .setName(name)
                .setType(TypeProto.newBuilder()
                        .setTensorType(TypeProto.Tensor.newBuilder()
                                .setElemType(type.code)
                                .setShape(shape(dims))))
                .build();
    }

    public GraphBuilder input(String name, ElementType type, Object... dims) {
        graph.addInput(valueInfo(name, type, dims));
        return this;
    }

    public GraphBuilder output(String name, ElementType type, Object... dims) {
        graph.addOutput(valueInfo(name, type, dims));
        return this;
    }

    /** A float constant with the given shape. */
    public String constant(String name, float[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return initializer(name, ElementType.FLOAT, bytes.array(), dims);
    }

    /** An int64 constant with the given shape. */
    public String constantLong(String name, long[] values, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        return initializer(name, ElementType.INT64, bytes.array(), dims);
    }

    private String initializer(String name, ElementType type, byte[] littleEndian, long... dims) {
        TensorProto.Builder t = TensorProto.newBuilder()
                .setName(name)
                .setDataType(type.code)
                .setRawData(ByteString.copyFrom(littleEndian));
        for (long d : dims) {
            t.addDims(d);
        }
        graph.addInitializer(t);
        return name;
    }

    /** A node with one output, named automatically unless {@code output} is given; returns the output name. */
    public String op(String opType, List<String> inputs, String output, Attribute... attributes) {
        String out = output != null ? output : opType.toLowerCase() + "_" + (unique++);
        NodeProto.Builder node =
                NodeProto.newBuilder().setOpType(opType).setName(out + "_node").addOutput(out);
        inputs.forEach(node::addInput);
        for (Attribute a : attributes) {
            node.addAttribute(a.proto);
        }
        graph.addNode(node);
        return out;
    }

    public String op(String opType, String... inputs) {
        return op(opType, List.of(inputs), null);
    }

    // --- Shorthands for common operators (opset 19 forms: the axes of Unsqueeze, Squeeze and Reduce* are inputs). ---

    private int constants;

    /** A float scalar constant (shape []). */
    public String scalar(float value) {
        return constant("c" + (constants++), new float[] {value});
    }

    /** An int64 scalar constant (shape []), e.g. a Gather index that drops its axis. */
    public String longScalar(long value) {
        return constantLong("s" + (constants++), new long[] {value});
    }

    /** An int64 vector constant. */
    public String longs(long... values) {
        return constantLong("l" + (constants++), values, values.length);
    }

    /** A float constant of any shape. */
    public String tensor(float[] values, long... dims) {
        return constant("t" + (constants++), values, dims);
    }

    public String add(String a, String b) {
        return op("Add", a, b);
    }

    public String sub(String a, String b) {
        return op("Sub", a, b);
    }

    public String mul(String a, String b) {
        return op("Mul", a, b);
    }

    public String div(String a, String b) {
        return op("Div", a, b);
    }

    /** {@code x} clamped to [lo, hi]. */
    public String clip(String x, float lo, float hi) {
        return op("Clip", List.of(x, scalar(lo), scalar(hi)), null);
    }

    public String unsqueeze(String x, long... axes) {
        return op("Unsqueeze", x, longs(axes));
    }

    public String squeeze(String x, long... axes) {
        return op("Squeeze", x, longs(axes));
    }

    public String reshape(String x, String shape) {
        return op("Reshape", x, shape);
    }

    public String transpose(String x, long... perm) {
        return op("Transpose", List.of(x), null, Attribute.ints("perm", perm));
    }

    /** Elements {@code indices} of {@code x} along {@code axis}. */
    public String gather(String x, String indices, long axis) {
        return op("Gather", List.of(x, indices), null, Attribute.of("axis", axis));
    }

    public String reduceSum(String x, boolean keepDims, long... axes) {
        return reduce("ReduceSum", x, keepDims, axes);
    }

    /** A Reduce* operator ({@code ReduceMean}, {@code ReduceMax}, …) in its opset-18 form: the axes are an input. */
    public String reduce(String opType, String x, boolean keepDims, long... axes) {
        return op(opType, List.of(x, longs(axes)), null, Attribute.of("keepdims", keepDims ? 1L : 0L));
    }

    public String concat(long axis, String... inputs) {
        return op("Concat", List.of(inputs), null, Attribute.of("axis", axis));
    }

    /** A node attribute. */
    public static final class Attribute {
        final AttributeProto proto;

        private Attribute(AttributeProto proto) {
            this.proto = proto;
        }

        public static Attribute of(String name, long value) {
            return new Attribute(AttributeProto.newBuilder()
                    .setName(name)
                    .setType(AttributeProto.AttributeType.INT)
                    .setI(value)
                    .build());
        }

        public static Attribute of(String name, float value) {
            return new Attribute(AttributeProto.newBuilder()
                    .setName(name)
                    .setType(AttributeProto.AttributeType.FLOAT)
                    .setF(value)
                    .build());
        }

        public static Attribute of(String name, String value) {
            return new Attribute(AttributeProto.newBuilder()
                    .setName(name)
                    .setType(AttributeProto.AttributeType.STRING)
                    .setS(ByteString.copyFromUtf8(value))
                    .build());
        }

        public static Attribute ints(String name, long... values) {
            AttributeProto.Builder b =
                    AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
            for (long v : values) {
                b.addInts(v);
            }
            return new Attribute(b.build());
        }
    }

    public ModelProto build(String producer) {
        return ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName(producer)
                .setProducerVersion("1")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build();
    }

    public byte[] toBytes(String producer) {
        return build(producer).toByteArray();
    }

    /** Names of the graph's inputs, in order (for tests and diagnostics). */
    public List<String> inputNames() {
        List<String> names = new ArrayList<>();
        graph.getInputList().forEach(i -> names.add(i.getName()));
        return names;
    }
}
