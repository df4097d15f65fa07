package tinyad.quantizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;
import tinyad.model.ModelArchive;

/**
 * int8 dense autoencoder and its integer-only reference (spec: docs/quantization.md).
 *
 * <p>Layer l maps int8 activations in quantization (s_in, zp_in) to int8 activations in (s_out, zp_out):
 * {@code acc[c] = bias[c] + sum_i w[c][i] * (x[i] - zp_in)} in int32, then
 * {@code y[c] = clamp(multiply_by_quantized_multiplier(acc[c], mult[c], shift[c]) + zp_out, act_min, 127)}.
 * Weights are int8, symmetric per output channel (or per tensor); biases int32 with scale s_in * s_w[c];
 * hidden layers fuse ReLU as {@code act_min = max(-128, zp_out)}. The last layer's output quantization is
 * the input's, so the score is {@code sum_i (x[i] - y[i])^2} in int32, in units of input scale^2.
 *
 * <p>An imported model (TFLite) may write its output in a quantization of its own; then {@code outputRequant}
 * maps it to the input's as TFLite's QUANTIZE operator does between two int8 tensors,
 * {@code y' = clamp(multiply_by_quantized_multiplier(y - zp_out, mult, shift) + zp_in, -128, 127)}, before the
 * same sum of squared differences. tinyad's own models have none (null).
 */
public record QuantizedAutoencoder(Pipeline pipeline, QuantParams inputQuant, Layer[] layers, int thresholdQ,
                                   double threshold, tinyad.model.AlarmRule alarm, Requant outputRequant) implements QuantizedModel {
    public static final String KIND = "autoencoder-int8";

    /** The output's requantization to the input's quantization (TFLite's int8 to int8 QUANTIZE). */
    public record Requant(int multiplier, int shift) {
        public Requant {
            if ((multiplier != 0 && multiplier < (1 << 30)) || shift < -31 || shift > 30)
                throw new IllegalArgumentException("output requantization " + multiplier + " / " + shift + " outside QuantizeMultiplier's range");
        }
    }

    public QuantizedAutoencoder {
        alarm = QuantizedModel.checkAlarm(alarm, thresholdQ);
        QuantParams last = layers[layers.length - 1].outputQuant();
        if (outputRequant == null && last.zeroPoint() != inputQuant.zeroPoint())
            throw new IllegalArgumentException("the last layer writes zero point " + last.zeroPoint() + ", the input has "
                    + inputQuant.zeroPoint() + ": an output requantization is needed");
    }

    public QuantizedAutoencoder(Pipeline pipeline, QuantParams inputQuant, Layer[] layers, int thresholdQ, double threshold,
                                tinyad.model.AlarmRule alarm) {
        this(pipeline, inputQuant, layers, thresholdQ, threshold, alarm, null);
    }

    public QuantizedAutoencoder(Pipeline pipeline, QuantParams inputQuant, Layer[] layers, int thresholdQ, double threshold) {
        this(pipeline, inputQuant, layers, thresholdQ, threshold, null, null);
    }

    /** This model with another threshold and alarm rule (an imported model calibrated on data). */
    public QuantizedAutoencoder withThreshold(int newThresholdQ, double newThreshold, tinyad.model.AlarmRule newAlarm) {
        return new QuantizedAutoencoder(pipeline, inputQuant, layers, newThresholdQ, newThreshold, newAlarm, outputRequant);
    }

    /**
     * One int8 dense layer. {@code weights} is row-major [out][in] (TFLite's layout).
     */
    public record Layer(int in, int out, byte[] weights, int[] bias, int[] multiplier, int[] shift,
                        int inputZeroPoint, int outputZeroPoint, int activationMin, double[] weightScale,
                        QuantParams inputQuant, QuantParams outputQuant) {

        public Layer {
            if (weights.length != in * out || bias.length != out || multiplier.length != out || shift.length != out)
                throw new IllegalArgumentException("layer tensors do not match " + in + "x" + out);
            checkAccumulator(in, out, bias);
        }

        /** Forward pass of one quantized input vector. */
        public byte[] forward(byte[] x) {
            byte[] y = new byte[out];
            for (int c = 0; c < out; c++) {
                int acc = bias[c];
                int row = c * in;
                for (int i = 0; i < in; i++) acc += weights[row + i] * (x[i] - inputZeroPoint);
                int v = FixedPoint.multiplyByQuantizedMultiplier(acc, multiplier[c], shift[c]) + outputZeroPoint;
                y[c] = (byte) Math.max(activationMin, Math.min(127, v));
            }
            return y;
        }

    }

    /**
     * Refuses a layer whose int32 accumulator could overflow for some int8 input. Both forms are checked:
     * the reference's {@code bias + sum w*(x - zp)} (|x - zp| <= 255) and the device's folded
     * {@code (bias - zp*sum w) + sum w*x} (|x| <= 128).
     */
    static void checkAccumulator(int in, int out, int[] biases) {
        long bias = 0;
        for (int b : biases) bias = Math.max(bias, Math.abs((long) b));
        long direct = bias + 127L * 255L * in;
        long folded = bias + 128L * 127L * in + 127L * 128L * in;
        if (direct > Integer.MAX_VALUE || folded > Integer.MAX_VALUE)
            throw new DataException("dense layer " + in + "x" + out + " could overflow its int32 accumulator "
                    + "(worst case " + Math.max(direct, folded) + "); use smaller layers");
    }

    @Override
    public int score(byte[] x) {
        if (x.length != inputSize()) throw new IllegalArgumentException("expected " + inputSize() + " inputs, got " + x.length);
        byte[] y = reconstruct(x);
        int acc = 0;
        for (int i = 0; i < x.length; i++) {
            int d = x[i] - y[i];
            acc += d * d;
        }
        return acc;
    }

    /** The reconstruction in the input's quantization (after the output requantization, if any). */
    public byte[] reconstruct(byte[] x) {
        byte[] a = x;
        for (Layer l : layers) a = l.forward(a);
        return requantizeOutput(a);
    }

    /** The last layer's output in the input's quantization: itself, or through {@link #outputRequant()}. */
    public byte[] requantizeOutput(byte[] y) {
        if (outputRequant == null) return y;
        int outZp = layers[layers.length - 1].outputZeroPoint(), inZp = inputQuant.zeroPoint();
        byte[] r = new byte[y.length];
        for (int i = 0; i < y.length; i++) {
            int v = FixedPoint.multiplyByQuantizedMultiplier(y[i] - outZp, outputRequant.multiplier(), outputRequant.shift()) + inZp;
            r[i] = (byte) Math.max(-128, Math.min(127, v));
        }
        return r;
    }

    /** Activations of every layer, [0] = the input. */
    public byte[][] activations(byte[] x) {
        byte[][] a = new byte[layers.length + 1][];
        a[0] = x;
        for (int l = 0; l < layers.length; l++) a[l + 1] = layers[l].forward(a[l]);
        return a;
    }

    @Override
    public int inputSize() {
        return layers[0].in();
    }

    public long macs() {
        long m = 0;
        for (Layer l : layers) m += (long) l.in() * l.out();
        return m;
    }

    /** Bytes of weights and biases a device stores. */
    public long int8Bytes() {
        long b = 0;
        for (Layer l : layers) b += l.weights().length + 4L * l.bias().length + 4L * l.out() + l.out();
        return b;
    }

    @Override
    public ModelArchive toArchive() {
        ObjectNode m = QuantizedModel.baseMeta(KIND, this);
        ArrayNode ls = m.putArray("layers");
        ModelArchive a = new ModelArchive(m);
        for (int i = 0; i < layers.length; i++) {
            Layer l = layers[i];
            ObjectNode o = ls.addObject();
            o.put("in", l.in());
            o.put("out", l.out());
            o.put("input_scale", l.inputQuant().scale());
            o.put("input_zero_point", l.inputZeroPoint());
            o.put("output_scale", l.outputQuant().scale());
            o.put("output_zero_point", l.outputZeroPoint());
            o.put("activation_min", l.activationMin());
            for (double s : l.weightScale()) o.withArray("weight_scale").add(s);
            a.put("dense" + i + ".weight", l.weights());
            a.put("dense" + i + ".bias", l.bias());
            a.put("dense" + i + ".multiplier", l.multiplier());
            a.put("dense" + i + ".shift", l.shift());
        }
        if (outputRequant != null) {
            ObjectNode r = m.putObject("output_requant");
            r.put("multiplier", outputRequant.multiplier());
            r.put("shift", outputRequant.shift());
        }
        return a;
    }

    public static QuantizedAutoencoder fromArchive(ModelArchive a) {
        ObjectNode m = a.meta();
        Pipeline p = Pipeline.fromJson(m.required("pipeline"));
        QuantParams q = QuantizedModel.inputQuantOf(m);
        JsonNode ls = m.required("layers");
        Layer[] layers = new Layer[ls.size()];
        for (int i = 0; i < layers.length; i++) {
            JsonNode o = ls.get(i);
            double[] ws = new double[o.required("weight_scale").size()];
            for (int c = 0; c < ws.length; c++) ws[c] = o.required("weight_scale").get(c).asDouble();
            QuantParams iq = new QuantParams(o.required("input_scale").asDouble(), o.required("input_zero_point").asInt());
            QuantParams oq = new QuantParams(o.required("output_scale").asDouble(), o.required("output_zero_point").asInt());
            try {
                layers[i] = new Layer(o.required("in").asInt(), o.required("out").asInt(), a.int8s("dense" + i + ".weight"),
                        a.int32s("dense" + i + ".bias"), a.int32s("dense" + i + ".multiplier"), a.int32s("dense" + i + ".shift"),
                        iq.zeroPoint(), oq.zeroPoint(), o.required("activation_min").asInt(), ws, iq, oq);
            } catch (IllegalArgumentException e) {
                throw new DataException("model file: " + e.getMessage());
            }
        }
        if (layers.length == 0 || layers[0].in() != p.inputSize() || layers[layers.length - 1].out() != p.inputSize())
            throw new DataException("model file: layers do not match the pipeline's " + p.inputSize() + " inputs");
        int tq = m.required("threshold_q").asInt();
        Requant requant = null;
        if (m.has("output_requant")) {
            JsonNode r = m.get("output_requant");
            try {
                requant = new Requant(r.required("multiplier").asInt(), r.required("shift").asInt());
            } catch (IllegalArgumentException e) {
                throw new DataException("model file: " + e.getMessage());
            }
        }
        try {
            return new QuantizedAutoencoder(p, q, layers, tq, m.required("threshold").asDouble(),
                    tinyad.model.AlarmRule.fromJson(m, "rearm_q", tq), requant);
        } catch (IllegalArgumentException e) {
            throw new DataException("model file: " + e.getMessage());
        }
    }
}
