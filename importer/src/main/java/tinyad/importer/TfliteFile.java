// SPDX-License-Identifier: Apache-2.0
package tinyad.importer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of a TFLite flatbuffer that tinyad reads (TensorFlow's {@code tensorflow/lite/schema/schema.fbs}):
 * the first subgraph's tensors (shape, type, data, quantization) and operators (builtin code, inputs, outputs,
 * fused activation). Field numbers are the schema's field order. Parsing checks structure only; what the
 * operators mean is {@link TfliteImporter}'s business.
 */
record TfliteFile(int version, List<Tensor> tensors, List<Operator> operators, int[] inputs, int[] outputs, String description) {

    // BuiltinOperator values (schema.fbs)
    static final int FULLY_CONNECTED = 9, QUANTIZE = 114, DEQUANTIZE = 6;
    // TensorType values
    static final int FLOAT32 = 0, INT32 = 2, INT8 = 9;
    // ActivationFunctionType values
    static final int ACT_NONE = 0, ACT_RELU = 1;

    /** Operator names for refusals (the common ones; others are named by number). */
    private static final Map<Integer, String> OPERATOR_NAMES = Map.ofEntries(
            Map.entry(0, "ADD"), Map.entry(1, "AVERAGE_POOL_2D"), Map.entry(2, "CONCATENATION"), Map.entry(3, "CONV_2D"),
            Map.entry(4, "DEPTHWISE_CONV_2D"), Map.entry(6, "DEQUANTIZE"), Map.entry(9, "FULLY_CONNECTED"),
            Map.entry(14, "LOGISTIC"), Map.entry(17, "MAX_POOL_2D"), Map.entry(18, "MUL"), Map.entry(19, "RELU"),
            Map.entry(21, "RELU6"), Map.entry(22, "RESHAPE"), Map.entry(25, "SOFTMAX"), Map.entry(28, "TANH"),
            Map.entry(32, "CUSTOM"), Map.entry(34, "PAD"), Map.entry(39, "TRANSPOSE"), Map.entry(40, "MEAN"),
            Map.entry(41, "SUB"), Map.entry(114, "QUANTIZE"), Map.entry(126, "BATCH_MATMUL"));
    private static final Map<Integer, String> TYPE_NAMES = Map.of(0, "float32", 1, "float16", 2, "int32", 3, "uint8",
            4, "int64", 7, "int16", 9, "int8");
    private static final Map<Integer, String> ACTIVATION_NAMES = Map.of(0, "none", 1, "ReLU", 2, "ReLU_N1_TO_1",
            3, "ReLU6", 4, "tanh", 5, "sign bit");

    static String operatorName(int code) {
        return OPERATOR_NAMES.getOrDefault(code, "builtin operator " + code);
    }

    static String typeName(int type) {
        return TYPE_NAMES.getOrDefault(type, "type " + type);
    }

    static String activationName(int a) {
        return ACTIVATION_NAMES.getOrDefault(a, "activation " + a);
    }

    /**
     * @param data the tensor's constant bytes (empty for activations)
     * @param scale per-tensor (one) or per-channel scales, empty when not quantized
     * @param zeroPoint as many as scales
     */
    record Tensor(String name, int[] shape, int type, byte[] data, float[] scale, long[] zeroPoint, int quantizedDimension) {
        int elements() {
            long n = 1;
            for (int d : shape) n *= Math.max(d, 0);
            return (int) Math.min(n, Integer.MAX_VALUE);
        }

        String describe() {
            StringBuilder s = new StringBuilder(typeName(type)).append(" [");
            for (int i = 0; i < shape.length; i++) s.append(i > 0 ? ", " : "").append(shape[i]);
            return s.append("] '").append(name).append("'").toString();
        }
    }

    /** One operator: its builtin code, tensor indices (-1: optional input absent) and, for FULLY_CONNECTED, its options. */
    record Operator(int code, int[] inputs, int[] outputs, int activation, int weightsFormat, boolean asymmetricInputs) {}

    static TfliteFile parse(byte[] bytes, String what) {
        FlatBuffer fb = new FlatBuffer(bytes, what);
        if (bytes.length < 8) throw fb.bad("not a TFLite file (" + bytes.length + " bytes)");
        // the file identifier "TFL3" follows the root offset
        if (bytes[4] != 'T' || bytes[5] != 'F' || bytes[6] != 'L' || bytes[7] != '3')
            throw fb.bad("not a TFLite file (no TFL3 identifier)");
        FlatBuffer.Table model = fb.root();
        int version = (int) model.uint32(0, "version", 0);
        FlatBuffer.Vector codes = model.vector(1, "operator_codes", 4);
        FlatBuffer.Vector subgraphs = model.vector(2, "subgraphs", 4);
        FlatBuffer.Vector buffers = model.vector(4, "buffers", 4);
        String description = model.string(3, "description");
        if (subgraphs == null || subgraphs.length == 0) throw fb.bad("the model has no subgraph");
        if (subgraphs.length > 1) throw fb.bad("the model has " + subgraphs.length + " subgraphs; tinyad imports one");
        int[] builtin = new int[codes == null ? 0 : codes.length];
        for (int i = 0; i < builtin.length; i++) {
            FlatBuffer.Table c = codes.table(i);
            // TFLite's GetBuiltinCode: the larger of the deprecated int8 field and the int32 one
            builtin[i] = Math.max(c.int8(0, "deprecated_builtin_code", 0), c.int32(3, "builtin_code", 0));
        }
        FlatBuffer.Table sg = subgraphs.table(0);
        FlatBuffer.Vector ts = sg.vector(0, "tensors", 4);
        List<Tensor> tensors = new ArrayList<>();
        for (int i = 0; ts != null && i < ts.length; i++) tensors.add(tensor(fb, ts.table(i), buffers, bytes, i));
        FlatBuffer.Vector ops = sg.vector(3, "operators", 4);
        List<Operator> operators = new ArrayList<>();
        for (int i = 0; ops != null && i < ops.length; i++) {
            FlatBuffer.Table o = ops.table(i);
            long opcode = o.uint32(0, "opcode_index", 0);
            if (opcode >= builtin.length) throw fb.bad("operator " + i + " names operator code " + opcode + " of " + builtin.length);
            int code = builtin[(int) opcode];
            int[] in = indices(fb, o.vector(1, "inputs", 4), tensors.size(), "operator " + i + " input", true);
            int[] out = indices(fb, o.vector(2, "outputs", 4), tensors.size(), "operator " + i + " output", false);
            int activation = ACT_NONE, format = 0;
            boolean asymmetric = false;
            if (code == FULLY_CONNECTED && o.uint8(3, "builtin_options_type", 0) != 0) {
                FlatBuffer.Table opt = o.table(4, "builtin_options");
                if (opt != null) {
                    activation = opt.int8(0, "fused_activation_function", ACT_NONE);
                    format = opt.int8(1, "weights_format", 0);
                    asymmetric = opt.bool(3, "asymmetric_quantize_inputs");
                }
            }
            operators.add(new Operator(code, in, out, activation, format, asymmetric));
        }
        int[] inputs = indices(fb, sg.vector(1, "inputs", 4), tensors.size(), "subgraph input", false);
        int[] outputs = indices(fb, sg.vector(2, "outputs", 4), tensors.size(), "subgraph output", false);
        return new TfliteFile(version, tensors, operators, inputs, outputs, description);
    }

    /** A name from the file as it may appear in a one-line message: printable ASCII, at most 80 characters. */
    static String printable(String s) {
        if (s == null) return null;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return s.length() > 80 ? b + "..." : b.toString();
    }

    private static int[] indices(FlatBuffer fb, FlatBuffer.Vector v, int tensors, String what, boolean optional) {
        if (v == null) return new int[0];
        int[] a = v.int32s();
        for (int x : a)
            if ((x < 0 && !(optional && x == -1)) || x >= tensors) throw fb.bad(what + " names tensor " + x + " of " + tensors);
        return a;
    }

    private static Tensor tensor(FlatBuffer fb, FlatBuffer.Table t, FlatBuffer.Vector buffers, byte[] file, int index) {
        FlatBuffer.Vector shapeV = t.vector(0, "shape", 4);
        int[] shape = shapeV == null ? new int[0] : shapeV.int32s();
        int type = t.int8(1, "type", FLOAT32);
        long buffer = t.uint32(2, "buffer", 0);
        String name = printable(t.string(3, "name"));
        if (name == null) name = "tensor " + index;
        byte[] data = new byte[0];
        if (buffer != 0) {
            if (buffers == null || buffer >= buffers.length) throw fb.bad("tensor '" + name + "' names buffer " + buffer + " that does not exist");
            FlatBuffer.Table b = buffers.table((int) buffer);
            FlatBuffer.Vector d = b.vector(0, "data", 1);
            if (d != null) data = d.bytes();
            else if (b.has(1)) {
                // large models keep buffers after the flatbuffer: offset and size from the file's start
                long off = b.int64(1, "offset", 0), size = b.int64(2, "size", 0);
                if (off > 1) {
                    if (off < 0 || size < 0 || off + size > file.length) throw fb.bad("tensor '" + name + "' data lies outside the file");
                    data = java.util.Arrays.copyOfRange(file, (int) off, (int) (off + size));
                }
            }
        }
        float[] scale = new float[0];
        long[] zero = new long[0];
        int qdim = 0;
        FlatBuffer.Table q = t.table(4, "quantization");
        if (q != null) {
            FlatBuffer.Vector s = q.vector(2, "scale", 4), z = q.vector(3, "zero_point", 8);
            if (s != null) {
                scale = new float[s.length];
                for (int i = 0; i < scale.length; i++) scale[i] = s.float32(i);
            }
            if (z != null) {
                zero = new long[z.length];
                for (int i = 0; i < zero.length; i++) zero[i] = z.int64(i);
            }
            qdim = q.int32(6, "quantized_dimension", 0);
        }
        return new Tensor(name, shape, type, data, scale, zero, qdim);
    }
}
