// SPDX-License-Identifier: Apache-2.0
package tinyad.importer;

import java.util.ArrayList;
import java.util.List;

import tinyad.common.DataException;
import tinyad.datasets.IntStage;
import tinyad.datasets.Normaliser;
import tinyad.datasets.Pipeline;
import tinyad.quantizer.FixedPoint;
import tinyad.quantizer.QuantParams;
import tinyad.quantizer.QuantizedAutoencoder;

/**
 * Turns an int8 TFLite dense autoencoder into a tinyad int8 model whose integer arithmetic is TFLite's
 * (docs/import.md): a chain of FULLY_CONNECTED operators (fused ReLU or none; int8 input, output and weights,
 * per-tensor or per-channel weight scales, int32 bias), optionally led by QUANTIZE (float input) and ended by
 * DEQUANTIZE (float output). Anything else is refused with one line naming the operator or tensor.
 *
 * <p>Each layer's multiplier is TFLite's: {@code QuantizeMultiplier((double) s_in * (double) s_w[c] / (double) s_out)}
 * (kernel_util's GetQuantizedConvolutionMultipler, per channel for per-channel weights), the activation range
 * TFLite's CalculateActivationRangeQuantized ({@code [max(-128, zp_out), 127]} for ReLU). The score is MLPerf's
 * mean squared error in integers: the output requantized to the input's quantization as TFLite's QUANTIZE does
 * ({@code QuantizeMultiplier(s_out / s_in)}), then the sum of squared differences, in units of s_in^2.
 */
public final class TfliteImporter {
    private TfliteImporter() {}

    /** What was read besides the model, for the command's summary. */
    public record Result(QuantizedAutoencoder model, int operators, boolean floatInput, boolean floatOutput, boolean perChannel) {}

    /**
     * Imports {@code bytes} (a .tflite file).
     *
     * @param window samples per window: the model's inputs are {@code window} frames of {@code inputs / window}
     *               channels, frame-major (MLPerf's AD model: 5 frames of 128 log-mel bands); 1 = each row one input vector
     * @param what the file's name, for messages
     */
    public static Result read(byte[] bytes, int window, String what) {
        TfliteFile f = TfliteFile.parse(bytes, what);
        return convert(f, window, what);
    }

    static Result convert(TfliteFile f, int window, String what) {
        List<TfliteFile.Operator> ops = f.operators();
        if (ops.isEmpty()) throw new DataException(what + ": the model has no operators");
        if (f.inputs().length != 1 || f.outputs().length != 1)
            throw new DataException(what + ": the model has " + f.inputs().length + " inputs and " + f.outputs().length + " outputs; tinyad imports one of each");
        int first = 0, last = ops.size();
        boolean floatIn = false, floatOut = false;
        int current = f.inputs()[0];
        if (ops.get(0).code() == TfliteFile.QUANTIZE) {
            TfliteFile.Operator q = ops.get(0);
            requireArity(q, 1, 1, what, 0);
            if (q.inputs()[0] != current) throw new DataException(what + ": operator 0 (QUANTIZE) does not read the model's input");
            if (f.tensors().get(current).type() != TfliteFile.FLOAT32)
                throw new DataException(what + ": QUANTIZE reads " + f.tensors().get(current).describe() + "; tinyad imports float32 -> int8 only");
            current = q.outputs()[0];
            floatIn = true;
            first = 1;
        }
        if (last - 1 >= first && ops.get(last - 1).code() == TfliteFile.DEQUANTIZE) {
            floatOut = true;
            last--;
        }
        for (int i = first; i < last; i++)
            if (ops.get(i).code() != TfliteFile.FULLY_CONNECTED)
                throw new DataException(what + ": operator " + i + " is " + TfliteFile.operatorName(ops.get(i).code())
                        + "; tinyad imports int8 FULLY_CONNECTED chains (with QUANTIZE/DEQUANTIZE at the ends) only");
        if (first >= last) throw new DataException(what + ": the model has no FULLY_CONNECTED operator");
        TfliteFile.Tensor input = int8Activation(f, current, what, "the input of operator " + first);
        QuantParams inputQuant = quant(input, what);
        List<QuantizedAutoencoder.Layer> layers = new ArrayList<>();
        boolean perChannel = false;
        for (int i = first; i < last; i++) {
            TfliteFile.Operator op = ops.get(i);
            if (op.inputs().length < 2 || op.inputs().length > 3 || op.outputs().length != 1)
                throw new DataException(what + ": operator " + i + " (FULLY_CONNECTED) has " + op.inputs().length + " inputs and "
                        + op.outputs().length + " outputs");
            if (op.inputs()[0] != current) throw new DataException(what + ": operator " + i + " does not read operator " + (i - 1) + "'s output");
            if (op.weightsFormat() != 0) throw new DataException(what + ": operator " + i + " uses a shuffled weights format");
            if (op.asymmetricInputs()) throw new DataException(what + ": operator " + i + " quantizes its inputs on the fly (hybrid model)");
            if (op.activation() != TfliteFile.ACT_NONE && op.activation() != TfliteFile.ACT_RELU)
                throw new DataException(what + ": operator " + i + " fuses " + TfliteFile.activationName(op.activation())
                        + "; tinyad imports none or ReLU");
            TfliteFile.Tensor in = int8Activation(f, op.inputs()[0], what, "the input of operator " + i);
            TfliteFile.Tensor out = int8Activation(f, op.outputs()[0], what, "the output of operator " + i);
            QuantParams qin = quant(in, what), qout = quant(out, what);
            int nIn = in.elements() / batch(in), nOut = out.elements() / batch(out);
            TfliteFile.Tensor w = f.tensors().get(op.inputs()[1]);
            if (w.type() != TfliteFile.INT8 || w.shape().length != 2 || w.shape()[0] != nOut || w.shape()[1] != nIn)
                throw new DataException(what + ": operator " + i + "'s weights are " + w.describe() + ", expected int8 [" + nOut + ", " + nIn + "]");
            if (w.data().length != nIn * nOut) throw new DataException(what + ": weights '" + w.name() + "' hold " + w.data().length + " bytes, need " + nIn * nOut);
            double[] ws = weightScales(w, nOut, what);
            perChannel |= ws.length > 1;
            int[] bias = new int[nOut];
            if (op.inputs().length == 3 && op.inputs()[2] >= 0) {
                TfliteFile.Tensor b = f.tensors().get(op.inputs()[2]);
                if (b.type() != TfliteFile.INT32 || b.elements() != nOut || b.data().length != 4 * nOut)
                    throw new DataException(what + ": operator " + i + "'s bias is " + b.describe() + ", expected int32 [" + nOut + "] with data");
                java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b.data()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (int c = 0; c < nOut; c++) bias[c] = bb.getInt();
            }
            int[] mult = new int[nOut], shift = new int[nOut];
            for (int c = 0; c < nOut; c++) {
                double s = ws.length == 1 ? ws[0] : ws[c];
                // kernel_util.cc: input scale times filter scale, divided by the output scale, in double
                double real = (double) in.scale()[0] * s / (double) out.scale()[0];
                FixedPoint.Multiplier m;
                try {
                    m = FixedPoint.quantizeMultiplier(real);
                } catch (IllegalArgumentException e) {
                    throw new DataException(what + ": operator " + i + " output " + c + ": " + e.getMessage());
                }
                mult[c] = m.multiplier();
                shift[c] = m.shift();
            }
            int actMin = op.activation() == TfliteFile.ACT_RELU ? Math.max(-128, qout.zeroPoint()) : -128;
            double[] wsFull = new double[ws.length];
            System.arraycopy(ws, 0, wsFull, 0, ws.length);
            try {
                layers.add(new QuantizedAutoencoder.Layer(nIn, nOut, w.data(), bias, mult, shift, qin.zeroPoint(), qout.zeroPoint(),
                        actMin, wsFull, qin, qout));
            } catch (IllegalArgumentException | DataException e) {
                throw new DataException(what + ": operator " + i + ": " + e.getMessage());
            }
            current = op.outputs()[0];
        }
        int expectedOut = floatOut ? ops.get(last).outputs()[0] : current;
        if (floatOut) {
            TfliteFile.Operator dq = ops.get(last);
            if (dq.inputs().length != 1 || dq.inputs()[0] != current) throw new DataException(what + ": DEQUANTIZE does not read the last layer's output");
        }
        if (f.outputs()[0] != expectedOut) throw new DataException(what + ": the model's output is not the last layer's");
        QuantizedAutoencoder.Layer lastLayer = layers.get(layers.size() - 1);
        int n = layers.get(0).in();
        if (lastLayer.out() != n)
            throw new DataException(what + ": not an autoencoder: " + n + " inputs but " + lastLayer.out() + " outputs");
        if (window < 1 || n % window != 0) throw new DataException(what + ": --window " + window + " does not divide the model's " + n + " inputs");
        for (QuantizedAutoencoder.Layer l : layers)
            for (byte b : l.weights())
                if (b == Byte.MIN_VALUE)
                    throw new DataException(what + ": a weight is -128, outside TFLite's symmetric int8 range [-127, 127]");
        QuantParams outQuant = lastLayer.outputQuant();
        QuantizedAutoencoder.Requant requant = null;
        if (outQuant.scale() != inputQuant.scale() || outQuant.zeroPoint() != inputQuant.zeroPoint()) {
            // TFLite's Requantize (QUANTIZE int8 -> int8): effective scale = input scale / output scale, here s_out / s_in
            FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(outQuant.scale() / inputQuant.scale());
            requant = new QuantizedAutoencoder.Requant(m.multiplier(), m.shift());
        }
        Pipeline pipeline = pipeline(n, window, inputQuant);
        QuantizedAutoencoder model = new QuantizedAutoencoder(pipeline, inputQuant, layers.toArray(QuantizedAutoencoder.Layer[]::new),
                Integer.MAX_VALUE, Integer.MAX_VALUE * inputQuant.scale() * inputQuant.scale() / n, null, requant);
        return new Result(model, ops.size(), floatIn, floatOut, perChannel);
    }

    /** A float32 FULLY_CONNECTED chain (a .tflite before quantization): to compare an int8 model with its float original. */
    public record FloatChain(List<float[]> weights, List<float[]> biases, int[] sizes, boolean[] relu) {
        /** The float output of one input vector (weights [out][in], as TFLite stores them). */
        public double[] forward(double[] x) {
            double[] a = x;
            for (int l = 0; l < weights.size(); l++) {
                int in = sizes[l], out = sizes[l + 1];
                double[] y = new double[out];
                for (int o = 0; o < out; o++) {
                    double acc = biases.get(l)[o];
                    for (int i = 0; i < in; i++) acc += weights.get(l)[o * in + i] * a[i];
                    y[o] = relu[l] ? Math.max(0, acc) : acc;
                }
                a = y;
            }
            return a;
        }

        /** MLPerf's anomaly score: the mean squared error between the input and its reconstruction. */
        public double score(double[] x) {
            double[] y = forward(x);
            double s = 0;
            for (int i = 0; i < x.length; i++) s += (x[i] - y[i]) * (x[i] - y[i]);
            return s / x.length;
        }
    }

    /** Reads a float32 TFLite dense chain (FULLY_CONNECTED, ReLU or none). */
    public static FloatChain readFloat(byte[] bytes, String what) {
        TfliteFile f = TfliteFile.parse(bytes, what);
        List<float[]> ws = new ArrayList<>(), bs = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        List<Boolean> relu = new ArrayList<>();
        for (int i = 0; i < f.operators().size(); i++) {
            TfliteFile.Operator op = f.operators().get(i);
            if (op.code() != TfliteFile.FULLY_CONNECTED || op.inputs().length < 2)
                throw new DataException(what + ": operator " + i + " is " + TfliteFile.operatorName(op.code()) + "; a float dense chain was expected");
            TfliteFile.Tensor w = f.tensors().get(op.inputs()[1]);
            if (w.type() != TfliteFile.FLOAT32 || w.shape().length != 2 || w.data().length != 4L * w.shape()[0] * w.shape()[1])
                throw new DataException(what + ": operator " + i + "'s weights are " + w.describe() + ", not float32 [out, in] with data");
            int out = w.shape()[0], in = w.shape()[1];
            if (!sizes.isEmpty() && sizes.get(sizes.size() - 1) != in) throw new DataException(what + ": layer sizes do not connect at operator " + i);
            if (sizes.isEmpty()) sizes.add(in);
            sizes.add(out);
            ws.add(floats(w.data()));
            float[] b = new float[out];
            if (op.inputs().length == 3 && op.inputs()[2] >= 0) {
                TfliteFile.Tensor bt = f.tensors().get(op.inputs()[2]);
                if (bt.type() != TfliteFile.FLOAT32 || bt.data().length != 4 * out) throw new DataException(what + ": operator " + i + "'s bias is " + bt.describe());
                b = floats(bt.data());
            }
            bs.add(b);
            if (op.activation() != TfliteFile.ACT_NONE && op.activation() != TfliteFile.ACT_RELU)
                throw new DataException(what + ": operator " + i + " fuses " + TfliteFile.activationName(op.activation()));
            relu.add(op.activation() == TfliteFile.ACT_RELU);
        }
        if (ws.isEmpty()) throw new DataException(what + ": no FULLY_CONNECTED operator");
        boolean[] r = new boolean[relu.size()];
        for (int i = 0; i < r.length; i++) r[i] = relu.get(i);
        return new FloatChain(ws, bs, sizes.stream().mapToInt(Integer::intValue).toArray(), r);
    }

    private static float[] floats(byte[] b) {
        java.nio.FloatBuffer fb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] a = new float[fb.remaining()];
        fb.get(a);
        return a;
    }

    /**
     * The pipeline of an imported model: {@code window} frames of {@code n / window} channels, raw, no normalisation
     * (the values are the model's own float inputs). Its integer stage makes a value's count its quantized value
     * less the zero point ({@code count = round(x / s_in)}, lsb = s_in), so the device's fold is the identity plus
     * the zero point: what TFLite's QUANTIZE gives, for every |count| <= 2047.
     */
    static Pipeline pipeline(int n, int window, QuantParams inputQuant) {
        int channels = n / window;
        List<String> names = new ArrayList<>();
        for (int c = 0; c < channels; c++) names.add("x" + c);
        // per channel: how a value becomes a count; per input (raw windows normalise each input): the identity
        double[] lsb = new double[channels];
        java.util.Arrays.fill(lsb, inputQuant.scale());
        double[] ones = new double[n], featureStd = new double[n];
        java.util.Arrays.fill(ones, 1.0);
        java.util.Arrays.fill(featureStd, 1.0 / inputQuant.scale());
        IntStage stage = new IntStage(new double[channels], lsb, new int[channels], new int[channels], new long[channels], new double[n], featureStd);
        return new Pipeline(names, window, window, Pipeline.RAW, new Normaliser(new double[n], ones), stage);
    }

    private static void requireArity(TfliteFile.Operator op, int in, int out, String what, int index) {
        if (op.inputs().length != in || op.outputs().length != out)
            throw new DataException(what + ": operator " + index + " (" + TfliteFile.operatorName(op.code()) + ") has "
                    + op.inputs().length + " inputs and " + op.outputs().length + " outputs");
    }

    private static int batch(TfliteFile.Tensor t) {
        return t.shape().length >= 2 && t.shape()[0] > 0 ? t.shape()[0] : 1;
    }

    private static TfliteFile.Tensor int8Activation(TfliteFile f, int index, String what, String role) {
        TfliteFile.Tensor t = f.tensors().get(index);
        if (t.type() != TfliteFile.INT8) throw new DataException(what + ": " + role + " is " + t.describe() + "; tinyad imports int8 models");
        if (t.shape().length == 0 || t.shape().length > 2 || batch(t) != 1 || t.elements() < 1)
            throw new DataException(what + ": " + role + " has shape " + t.describe() + "; tinyad imports [1, n] vectors");
        return t;
    }

    private static QuantParams quant(TfliteFile.Tensor t, String what) {
        if (t.scale().length != 1 || t.zeroPoint().length != 1)
            throw new DataException(what + ": tensor '" + t.name() + "' is not quantized per tensor");
        float s = t.scale()[0];
        long zp = t.zeroPoint()[0];
        if (!(s > 0) || !Float.isFinite(s)) throw new DataException(what + ": tensor '" + t.name() + "' has scale " + s);
        if (zp < -128 || zp > 127) throw new DataException(what + ": tensor '" + t.name() + "' has zero point " + zp + " outside int8");
        return new QuantParams(s, (int) zp);
    }

    private static double[] weightScales(TfliteFile.Tensor w, int nOut, String what) {
        int k = w.scale().length;
        if (k != 1 && !(k == nOut && w.quantizedDimension() == 0))
            throw new DataException(what + ": weights '" + w.name() + "' have " + k + " scales along dimension " + w.quantizedDimension()
                    + "; tinyad imports per-tensor or per-output-channel weights");
        if (w.zeroPoint().length != k) throw new DataException(what + ": weights '" + w.name() + "' have " + w.zeroPoint().length + " zero points for " + k + " scales");
        double[] s = new double[k];
        for (int c = 0; c < k; c++) {
            if (w.zeroPoint()[c] != 0) throw new DataException(what + ": weights '" + w.name() + "' are not symmetric (zero point " + w.zeroPoint()[c] + ")");
            float v = w.scale()[c];
            if (!(v > 0) || !Float.isFinite(v)) throw new DataException(what + ": weights '" + w.name() + "' have scale " + v);
            s[c] = v;
        }
        return s;
    }
}
