package tinyad.quantizer;

import java.util.Arrays;
import java.util.SplittableRandom;

import tinyad.model.AutoencoderDetector;
import tinyad.model.DenseNet;
import tinyad.model.Metrics;

/**
 * Quantization-aware fine-tuning of a trained autoencoder: the forward pass fake-quantizes the input,
 * every layer's weights (per output channel, symmetric int8) and every activation (the ranges post-training
 * quantization chose, held fixed), and the backward pass lets gradients straight through the rounding
 * (zero where a value was clipped). Adam on the float weights; the result is quantized as usual.
 */
public final class QatFineTuner {
    private QatFineTuner() {}

    public record Options(int epochs, double learningRate, int batchSize, long seed) {}

    public static AutoencoderDetector fineTune(AutoencoderDetector d, double[][] normalInputs, QuantParams inputQuant,
                                               AutoencoderQuantizer.Options qo, Options o) {
        QuantizedAutoencoder ptq = AutoencoderQuantizer.quantize(d, inputQuant, normalInputs, qo);
        DenseNet net = d.net();
        int layers = net.layers();
        int[] sizes = net.sizes();
        double[][] w = new double[layers][], b = new double[layers][];
        for (int l = 0; l < layers; l++) {
            w[l] = toDouble(net.weights()[l]);
            b[l] = toDouble(net.biases()[l]);
        }
        QuantParams[] act = new QuantParams[layers + 1];
        act[0] = inputQuant;
        for (int l = 0; l < layers; l++) act[l + 1] = ptq.layers()[l].outputQuant();
        Adam adam = new Adam(w, b, o.learningRate());
        int nVal = (int) Math.round(normalInputs.length * 0.2);
        double[][] fit = nVal >= 8 ? Arrays.copyOf(normalInputs, normalInputs.length - nVal) : normalInputs;
        double[][] val = nVal >= 8 ? Arrays.copyOfRange(normalInputs, normalInputs.length - nVal, normalInputs.length) : normalInputs;
        SplittableRandom rnd = new SplittableRandom(o.seed());
        int[] order = new int[fit.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        for (int epoch = 0; epoch < o.epochs(); epoch++) {
            for (int i = order.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1), t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int start = 0; start < order.length; start += o.batchSize()) {
                double[][] gw = new double[layers][], gb = new double[layers][];
                for (int l = 0; l < layers; l++) {
                    gw[l] = new double[w[l].length];
                    gb[l] = new double[b[l].length];
                }
                double[][] wq = fakeQuantWeights(w, sizes);
                int n = Math.min(o.batchSize(), order.length - start);
                for (int k = 0; k < n; k++) backprop(fit[order[start + k]], wq, b, sizes, act, gw, gb, 1.0 / n);
                adam.step(gw, gb);
            }
        }
        float[][] fw = new float[layers][], fb = new float[layers][];
        for (int l = 0; l < layers; l++) {
            fw[l] = toFloat(w[l]);
            fb[l] = toFloat(b[l]);
        }
        DenseNet tuned = new DenseNet(sizes, fw, fb);
        double[] s = new double[val.length];
        for (int i = 0; i < val.length; i++) s[i] = tuned.reconstructionError(val[i]);
        // threshold and alarm rule re-chosen on the tuned network's held-out scores
        double thr = Metrics.percentile(s, d.thresholdPercentile());
        return new AutoencoderDetector(d.pipeline(), tuned, thr, d.thresholdPercentile(), d.seed(), d.trainingSha256(),
                d.trainLoss(), d.validationLoss(), tinyad.model.AlarmRule.choose(s, thr));
    }

    /** Per-output-channel symmetric int8 fake quantization of [in][out] weights. */
    static double[][] fakeQuantWeights(double[][] w, int[] sizes) {
        double[][] q = new double[w.length][];
        for (int l = 0; l < w.length; l++) {
            int in = sizes[l], out = sizes[l + 1];
            q[l] = new double[w[l].length];
            for (int c = 0; c < out; c++) {
                double m = 0;
                for (int i = 0; i < in; i++) m = Math.max(m, Math.abs(w[l][i * out + c]));
                double s = m > 0 ? m / 127 : 1;
                for (int i = 0; i < in; i++) q[l][i * out + c] = Math.max(-127, Math.min(127, Math.rint(w[l][i * out + c] / s))) * s;
            }
        }
        return q;
    }

    /** Fake quantization of an activation; {@code pass[i]} says whether the gradient passes (not clipped). */
    static double fq(double v, QuantParams q, boolean[] pass, int i) {
        double lo = q.dequantize(-128), hi = q.dequantize(127);
        pass[i] = v >= lo && v <= hi;
        return q.dequantize(q.quantize(v));
    }

    static void backprop(double[] x, double[][] wq, double[][] b, int[] sizes, QuantParams[] act, double[][] gw,
                         double[][] gb, double weight) {
        int layers = sizes.length - 1;
        double[][] a = new double[layers + 1][];
        boolean[][] pass = new boolean[layers + 1][];
        boolean[][] relu = new boolean[layers][];
        pass[0] = new boolean[x.length];
        a[0] = new double[x.length];
        for (int i = 0; i < x.length; i++) a[0][i] = fq(x[i], act[0], pass[0], i);
        for (int l = 0; l < layers; l++) {
            int in = sizes[l], out = sizes[l + 1];
            double[] z = b[l].clone();
            for (int i = 0; i < in; i++) {
                double ai = a[l][i];
                if (ai == 0) continue;
                for (int c = 0; c < out; c++) z[c] += ai * wq[l][i * out + c];
            }
            relu[l] = new boolean[out];
            pass[l + 1] = new boolean[out];
            a[l + 1] = new double[out];
            for (int c = 0; c < out; c++) {
                double v = z[c];
                if (l < layers - 1) {
                    relu[l][c] = v > 0;
                    v = Math.max(0, v);
                } else {
                    relu[l][c] = true;
                }
                a[l + 1][c] = fq(v, act[l + 1], pass[l + 1], c);
            }
        }
        double[] y = a[layers];
        double[] grad = new double[y.length];
        for (int i = 0; i < y.length; i++) grad[i] = 2 * (y[i] - a[0][i]) / y.length * weight;
        for (int l = layers - 1; l >= 0; l--) {
            int in = sizes[l], out = sizes[l + 1];
            double[] dz = new double[out];
            for (int c = 0; c < out; c++) dz[c] = pass[l + 1][c] && relu[l][c] ? grad[c] : 0;
            double[] prev = new double[in];
            for (int i = 0; i < in; i++) {
                double ai = a[l][i], g = 0;
                int row = i * out;
                for (int c = 0; c < out; c++) {
                    gw[l][row + c] += ai * dz[c];
                    g += wq[l][row + c] * dz[c];
                }
                prev[i] = g;
            }
            for (int c = 0; c < out; c++) gb[l][c] += dz[c];
            grad = prev;
        }
    }

    /** Adam over all weights and biases. */
    static final class Adam {
        final double[][] w, b, mw, vw, mb, vb;
        final double lr;
        int t;

        Adam(double[][] w, double[][] b, double lr) {
            this.w = w;
            this.b = b;
            this.lr = lr;
            mw = zeros(w);
            vw = zeros(w);
            mb = zeros(b);
            vb = zeros(b);
        }

        void step(double[][] gw, double[][] gb) {
            t++;
            update(w, gw, mw, vw);
            update(b, gb, mb, vb);
        }

        private void update(double[][] p, double[][] g, double[][] m, double[][] v) {
            double c1 = 1 - Math.pow(0.9, t), c2 = 1 - Math.pow(0.999, t);
            for (int l = 0; l < p.length; l++)
                for (int i = 0; i < p[l].length; i++) {
                    m[l][i] = 0.9 * m[l][i] + 0.1 * g[l][i];
                    v[l][i] = 0.999 * v[l][i] + 0.001 * g[l][i] * g[l][i];
                    p[l][i] -= lr * (m[l][i] / c1) / (Math.sqrt(v[l][i] / c2) + 1e-8);
                }
        }

        static double[][] zeros(double[][] like) {
            double[][] z = new double[like.length][];
            for (int i = 0; i < like.length; i++) z[i] = new double[like[i].length];
            return z;
        }
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
