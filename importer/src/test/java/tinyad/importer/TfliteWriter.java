// SPDX-License-Identifier: Apache-2.0
package tinyad.importer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes small TFLite flatbuffers for tests, from the FlatBuffers format's description (not from the reader): each
 * table is preceded by its vtable, children follow their parent (every uoffset points forward), little-endian.
 * Models are built from layer descriptions in {@link #denseChain}.
 */
final class TfliteWriter {
    sealed interface Value permits I8, I32, U32, Ref {}
    record I8(int v) implements Value {}
    record I32(int v) implements Value {}
    record U32(long v) implements Value {}
    record Ref(Node node) implements Value {}

    sealed interface Node permits Table, Ints, Longs, Floats, Bytes, Str, Tables {}
    static final class Table implements Node {
        final Map<Integer, Value> fields = new TreeMap<>();

        Table put(int index, Value v) {
            fields.put(index, v);
            return this;
        }

        Table ref(int index, Node n) {
            return put(index, new Ref(n));
        }
    }
    record Ints(int[] v) implements Node {}
    record Longs(long[] v) implements Node {}
    record Floats(float[] v) implements Node {}
    record Bytes(byte[] v) implements Node {}
    record Str(String v) implements Node {}
    record Tables(List<Table> v) implements Node {}

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<int[]> patches = new ArrayList<>();   // {field position, target position}

    static byte[] write(Table root) {
        TfliteWriter w = new TfliteWriter();
        w.int32(0);                                      // root uoffset, patched below
        w.out.writeBytes("TFL3".getBytes(StandardCharsets.US_ASCII));
        int rootPos = w.table(root);
        byte[] b = w.out.toByteArray();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(0, rootPos);
        for (int[] p : w.patches) bb.putInt(p[0], p[1] - p[0]);
        return b;
    }

    private void int32(int v) {
        out.write(v);
        out.write(v >> 8);
        out.write(v >> 16);
        out.write(v >> 24);
    }

    private void align(int n, int extra) {
        while ((out.size() + extra) % n != 0) out.write(0);
    }

    /** Writes a table and its children; returns the table's position. */
    private int table(Table t) {
        int maxIndex = t.fields.isEmpty() ? -1 : ((TreeMap<Integer, Value>) t.fields).lastKey();
        int vtSize = 4 + 2 * (maxIndex + 1);
        // inline layout: soffset, then one 4-byte slot per present field (a byte field still takes a 4-byte slot)
        int tableSize = 4 + 4 * t.fields.size();
        align(4, vtSize);                               // the table after the vtable is 4-aligned
        int vt = out.size();
        short[] slots = new short[maxIndex + 1];
        int o = 4;
        for (int k : t.fields.keySet()) {
            slots[k] = (short) o;
            o += 4;
        }
        out.write(vtSize);
        out.write(vtSize >> 8);
        out.write(tableSize);
        out.write(tableSize >> 8);
        for (short s : slots) {
            out.write(s);
            out.write(s >> 8);
        }
        int pos = out.size();
        int32(pos - vt);                                // soffset: table - vtable
        List<int[]> refs = new ArrayList<>();
        List<Node> children = new ArrayList<>();
        for (Value v : t.fields.values()) {
            int fieldPos = out.size();
            if (v instanceof I8 b) int32(b.v() & 0xFF);
            else if (v instanceof I32 i) int32(i.v());
            else if (v instanceof U32 u) int32((int) u.v());
            else {
                int32(0);
                refs.add(new int[] {fieldPos});
                children.add(((Ref) v).node());
            }
        }
        for (int i = 0; i < children.size(); i++) patches.add(new int[] {refs.get(i)[0], node(children.get(i))});
        return pos;
    }

    private int node(Node n) {
        if (n instanceof Table t) return table(t);
        if (n instanceof Longs v) {
            align(8, 4);
            int pos = out.size();
            int32(v.v().length);
            for (long x : v.v()) {
                int32((int) x);
                int32((int) (x >> 32));
            }
            return pos;
        }
        align(4, 0);
        int pos = out.size();
        if (n instanceof Ints v) {
            int32(v.v().length);
            for (int x : v.v()) int32(x);
        } else if (n instanceof Floats v) {
            int32(v.v().length);
            for (float x : v.v()) int32(Float.floatToIntBits(x));
        } else if (n instanceof Bytes v) {
            int32(v.v().length);
            out.writeBytes(v.v());
        } else if (n instanceof Str s) {
            byte[] b = s.v().getBytes(StandardCharsets.UTF_8);
            int32(b.length);
            out.writeBytes(b);
            out.write(0);
        } else {
            List<Table> ts = ((Tables) n).v();
            int32(ts.size());
            int[] fields = new int[ts.size()];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = out.size();
                int32(0);
            }
            for (int i = 0; i < fields.length; i++) patches.add(new int[] {fields[i], table(ts.get(i))});
        }
        return pos;
    }

    /** One dense layer of a test model: weights [out][in], per-tensor (one scale) or per-channel scales. */
    record Dense(int in, int out, byte[] weights, int[] bias, float[] weightScale, float outputScale, int outputZeroPoint, int activation) {}

    /**
     * An int8 FULLY_CONNECTED chain as TensorFlow's converter lays it out: tensors (input, then per layer weights,
     * bias, output), buffers (0 empty), operator code 0 = FULLY_CONNECTED; optionally QUANTIZE in front (float input)
     * and DEQUANTIZE behind (float output).
     */
    static byte[] denseChain(float inputScale, int inputZeroPoint, List<Dense> layers, boolean floatEnds) {
        List<Table> tensors = new ArrayList<>(), buffers = new ArrayList<>(), ops = new ArrayList<>();
        List<Table> codes = new ArrayList<>();
        codes.add(new Table().put(0, new I8(9)).put(3, new I32(9)).put(2, new I32(1)));                // FULLY_CONNECTED
        codes.add(new Table().put(0, new I8(114)).put(3, new I32(114)).put(2, new I32(1)));            // QUANTIZE
        codes.add(new Table().put(0, new I8(6)).put(3, new I32(6)).put(2, new I32(1)));                // DEQUANTIZE
        buffers.add(new Table());
        int n0 = layers.get(0).in();
        int modelInput;
        int current;
        if (floatEnds) {
            modelInput = tensor(tensors, buffers, "input_f", new int[] {1, n0}, 0, null, null, null);
            current = tensor(tensors, buffers, "input_q", new int[] {1, n0}, 9, null, new float[] {inputScale}, new long[] {inputZeroPoint});
            ops.add(op(1, new int[] {modelInput}, new int[] {current}, null));
        } else {
            modelInput = current = tensor(tensors, buffers, "input", new int[] {1, n0}, 9, null, new float[] {inputScale}, new long[] {inputZeroPoint});
        }
        for (int l = 0; l < layers.size(); l++) {
            Dense d = layers.get(l);
            int w = tensor(tensors, buffers, "dense" + l + "/weights", new int[] {d.out(), d.in()}, 9, d.weights(), d.weightScale(),
                    new long[d.weightScale().length]);
            ByteBuffer bb = ByteBuffer.allocate(4 * d.out()).order(ByteOrder.LITTLE_ENDIAN);
            for (int b : d.bias()) bb.putInt(b);
            int b = tensor(tensors, buffers, "dense" + l + "/bias", new int[] {d.out()}, 2, bb.array(), new float[] {inputScale * d.weightScale()[0]},
                    new long[] {0});
            int o = tensor(tensors, buffers, "dense" + l + "/out", new int[] {1, d.out()}, 9, null, new float[] {d.outputScale()},
                    new long[] {d.outputZeroPoint()});
            ops.add(op(0, new int[] {current, w, b}, new int[] {o}, new Table().put(0, new I8(d.activation()))));
            current = o;
        }
        int modelOutput = current;
        if (floatEnds) {
            modelOutput = tensor(tensors, buffers, "output_f", new int[] {1, layers.get(layers.size() - 1).out()}, 0, null, null, null);
            ops.add(op(2, new int[] {current}, new int[] {modelOutput}, null));
        }
        Table subgraph = new Table().ref(0, new Tables(tensors)).ref(1, new Ints(new int[] {modelInput}))
                .ref(2, new Ints(new int[] {modelOutput})).ref(3, new Tables(ops)).ref(4, new Str("main"));
        Table model = new Table().put(0, new U32(3)).ref(1, new Tables(codes)).ref(2, new Tables(List.of(subgraph)))
                .ref(3, new Str("tinyad test model")).ref(4, new Tables(buffers));
        return write(model);
    }

    private static int tensor(List<Table> tensors, List<Table> buffers, String name, int[] shape, int type, byte[] data,
                              float[] scale, long[] zero) {
        int buffer = 0;
        if (data != null) {
            buffers.add(new Table().ref(0, new Bytes(data)));
            buffer = buffers.size() - 1;
        }
        Table t = new Table().ref(0, new Ints(shape)).put(1, new I8(type)).put(2, new U32(buffer)).ref(3, new Str(name));
        if (scale != null) t.ref(4, new Table().ref(2, new Floats(scale)).ref(3, new Longs(zero)));
        tensors.add(t);
        return tensors.size() - 1;
    }

    private static Table op(int opcode, int[] in, int[] out, Table fcOptions) {
        Table o = new Table().put(0, new U32(opcode)).ref(1, new Ints(in)).ref(2, new Ints(out));
        if (fcOptions != null) o.put(3, new I8(8)).ref(4, fcOptions);   // BuiltinOptions_FullyConnectedOptions = 8
        return o;
    }
}
