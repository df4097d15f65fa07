package tinyad.quantizer;

import tinyad.model.AutoencoderDetector;
import tinyad.model.DenseNet;

/**
 * Post-training int8 quantization of a dense autoencoder: weights per output channel (or per tensor),
 * activation ranges from the calibration inputs (min/max, or a percentile against outliers).
 */
public final class AutoencoderQuantizer {
    private AutoencoderQuantizer() {}

    public record Options(boolean perChannel, double activationPercentile) {
        public static Options defaults() {
            return new Options(true, 100.0);
        }
    }

    public static QuantizedAutoencoder quantize(AutoencoderDetector d, QuantParams inputQuant, double[][] calibration, Options o) {
        DenseNet net = d.net();
        int layers = net.layers();
        // activation ranges of every hidden layer over the calibration set
        double[][][] acts = new double[layers][calibration.length][];
        for (int n = 0; n < calibration.length; n++) {
            double[][] a = net.activations(calibration[n]);
            for (int l = 0; l < layers; l++) acts[l][n] = a[l + 1];
        }
        QuantParams[] act = new QuantParams[layers + 1];
        act[0] = inputQuant;
        for (int l = 0; l < layers - 1; l++) act[l + 1] = range(acts[l], o.activationPercentile());
        act[layers] = inputQuant;   // the output lives in the input's quantization, so the score needs no rescale
        QuantizedAutoencoder.Layer[] q = new QuantizedAutoencoder.Layer[layers];
        for (int l = 0; l < layers; l++) q[l] = layer(net, l, act[l], act[l + 1], l < layers - 1, o.perChannel());
        // float score = mean of squared differences (normalised units); integer score = their sum in scale^2 units
        double t = Math.floor(d.threshold() * net.sizes()[0] / (inputQuant.scale() * inputQuant.scale()));
        int tq = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, t));
        double toInt = net.sizes()[0] / (inputQuant.scale() * inputQuant.scale());
        return new QuantizedAutoencoder(d.pipeline(), inputQuant, q, tq, d.threshold(),
                QuantizedModel.alarmQ(d.alarm(), tq, v -> v * toInt));
    }

    static QuantParams range(double[][] values, double percentile) {
        if (percentile >= 100) {   // min/max: no need to sort every activation
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (double[] row : values) for (double v : row) { min = Math.min(min, v); max = Math.max(max, v); }
            return QuantParams.fromRange(min, max);
        }
        int n = values.length, m = values[0].length;
        double[] all = new double[n * m];
        for (int i = 0; i < n; i++) System.arraycopy(values[i], 0, all, i * m, m);
        java.util.Arrays.sort(all);
        int k = (int) Math.floor((all.length - 1) * (1 - percentile / 100));
        return QuantParams.fromRange(all[k], all[all.length - 1 - k]);
    }

    static QuantizedAutoencoder.Layer layer(DenseNet net, int l, QuantParams in, QuantParams out, boolean relu, boolean perChannel) {
        int nIn = net.sizes()[l], nOut = net.sizes()[l + 1];
        float[] w = net.weights()[l];   // [in][out]
        float[] b = net.biases()[l];
        double[] ws = new double[nOut];
        double tensorMax = 0;
        for (int c = 0; c < nOut; c++) {
            double m = 0;
            for (int i = 0; i < nIn; i++) m = Math.max(m, Math.abs(w[i * nOut + c]));
            ws[c] = m;
            tensorMax = Math.max(tensorMax, m);
        }
        for (int c = 0; c < nOut; c++) {
            double m = perChannel ? ws[c] : tensorMax;
            ws[c] = m > 0 ? m / 127.0 : 1.0;
        }
        byte[] wq = new byte[nIn * nOut];   // [out][in]
        int[] bq = new int[nOut], mult = new int[nOut], shift = new int[nOut];
        for (int c = 0; c < nOut; c++) {
            for (int i = 0; i < nIn; i++) {
                long v = QuantParams.roundHalfAway(w[i * nOut + c] / ws[c]);
                wq[c * nIn + i] = (byte) Math.max(-127, Math.min(127, v));
            }
            double biasScale = in.scale() * ws[c];
            long bv = QuantParams.roundHalfAway(b[c] / biasScale);
            if (Math.abs(bv) > Integer.MAX_VALUE)
                throw new tinyad.common.DataException("dense layer " + l + ": bias " + b[c] + " does not fit int32 at scale " + biasScale);
            bq[c] = (int) bv;
            FixedPoint.Multiplier mq = FixedPoint.quantizeMultiplier(biasScale / out.scale());
            mult[c] = mq.multiplier();
            shift[c] = mq.shift();
        }
        int actMin = relu ? Math.max(-128, out.zeroPoint()) : -128;
        return new QuantizedAutoencoder.Layer(nIn, nOut, wq, bq, mult, shift, in.zeroPoint(), out.zeroPoint(), actMin, ws, in, out);
    }
}
