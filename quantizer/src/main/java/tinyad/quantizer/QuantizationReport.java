package tinyad.quantizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import tinyad.model.AutoencoderDetector;
import tinyad.model.Detector;
import tinyad.model.KMeansDetector;
import tinyad.model.Metrics;

/**
 * How much int8 costs: float vs int8 detection quality, agreement of the scores, per-layer error in real
 * units, the ranges used, and the model's int8 size.
 */
public final class QuantizationReport {
    private QuantizationReport() {}

    public record Layer(String name, double weightMin, double weightMax, double activationMin, double activationMax,
                        double maxAbsError) {}

    public record Result(double floatAuc, double intAuc, double floatF1, double intF1, double pearson, double spearman,
                         List<Layer> layers, long int8Bytes, int inputs) {}

    /**
     * @param inputs      normalised evaluation inputs; labels may be null
     * @param calibration the calibration inputs, over which per-layer errors are measured (evaluation data
     *                    holds anomalies beyond the input range, which are clipped by design)
     */
    public static Result of(Detector f, QuantizedModel q, double[][] inputs, int[] labels, double[][] calibration) {
        double[] fs = f.scores(inputs), qs = q.scores(inputs);
        double fa = Double.NaN, ia = Double.NaN, ff = Double.NaN, iff = Double.NaN;
        if (labels != null) {
            fa = Metrics.rocAuc(fs, labels);
            ia = Metrics.rocAuc(qs, labels);
            ff = Metrics.confusion(fs, labels, f.threshold()).f1();
            iff = Metrics.confusion(qs, labels, q.thresholdQ()).f1();
        }
        List<Layer> layers = new ArrayList<>();
        QuantParams in = q.inputQuant();
        double inErr = 0;
        byte[][] qcal = new byte[calibration.length][];
        for (int i = 0; i < calibration.length; i++) {
            qcal[i] = q.quantizeInput(calibration[i]);
            for (int j = 0; j < calibration[i].length; j++)
                inErr = Math.max(inErr, Math.abs(in.dequantize(qcal[i][j]) - calibration[i][j]));
        }
        layers.add(new Layer("input", Double.NaN, Double.NaN, in.dequantize(-128), in.dequantize(127), inErr));
        long bytes;
        if (q instanceof QuantizedAutoencoder a && f instanceof AutoencoderDetector fa2) {
            double[] err = new double[a.layers().length];
            for (int i = 0; i < calibration.length; i++) {
                double[][] fAct = fa2.net().activations(calibration[i]);
                byte[][] qAct = a.activations(qcal[i]);
                for (int l = 0; l < err.length; l++) {
                    QuantParams op = a.layers()[l].outputQuant();
                    for (int c = 0; c < fAct[l + 1].length; c++)
                        err[l] = Math.max(err[l], Math.abs(op.dequantize(qAct[l + 1][c]) - fAct[l + 1][c]));
                }
            }
            for (int l = 0; l < err.length; l++) {
                float[] w = fa2.net().weights()[l];
                double wMin = Double.POSITIVE_INFINITY, wMax = Double.NEGATIVE_INFINITY;
                for (float v : w) { wMin = Math.min(wMin, v); wMax = Math.max(wMax, v); }
                QuantParams op = a.layers()[l].outputQuant();
                QuantizedAutoencoder.Layer L = a.layers()[l];
                layers.add(new Layer("dense" + l + " " + L.in() + "->" + L.out(), wMin, wMax, op.dequantize(L.activationMin()),
                        op.dequantize(127), err[l]));
            }
            bytes = a.int8Bytes();
        } else if (q instanceof QuantizedKMeans k && f instanceof KMeansDetector fk) {
            double err = 0, wMin = Double.POSITIVE_INFINITY, wMax = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < fk.centroids().length; j++)
                for (int d = 0; d < fk.centroids()[j].length; d++) {
                    double c = fk.centroids()[j][d];
                    err = Math.max(err, Math.abs(in.dequantize(k.centroids()[j][d]) - c));
                    wMin = Math.min(wMin, c);
                    wMax = Math.max(wMax, c);
                }
            layers.add(new Layer("centroids", wMin, wMax, in.dequantize(-128), in.dequantize(127), err));
            bytes = (long) k.centroids().length * k.inputSize();
        } else {
            throw new IllegalArgumentException("float and int8 models are of different kinds");
        }
        return new Result(fa, ia, ff, iff, pearson(fs, qs), pearson(ranks(fs), ranks(qs)), layers, bytes, inputs.length);
    }

    public static String format(Result r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "scores of %d windows: Pearson %.5f, Spearman %.5f (float vs int8)%n", r.inputs(), r.pearson(), r.spearman()));
        if (!Double.isNaN(r.floatAuc()))
            b.append(String.format(Locale.ROOT, "ROC-AUC float %.4f, int8 %.4f (loss %+.4f); F1 float %.4f, int8 %.4f%n",
                    r.floatAuc(), r.intAuc(), r.floatAuc() - r.intAuc(), r.floatF1(), r.intF1()));
        b.append(String.format(Locale.ROOT, "%-18s %22s %26s %16s%n", "tensor", "weights (float range)", "int8 activation range", "max |error| *"));
        for (Layer l : r.layers())
            b.append(String.format(Locale.ROOT, "%-18s %22s %26s %16.6g%n", l.name(),
                    Double.isNaN(l.weightMin()) ? "-" : String.format(Locale.ROOT, "[%.4g, %.4g]", l.weightMin(), l.weightMax()),
                    String.format(Locale.ROOT, "[%.4g, %.4g]", l.activationMin(), l.activationMax()), l.maxAbsError()));
        b.append("* largest difference between the dequantized int8 and the float activation, over the calibration windows\n");
        b.append(String.format(Locale.ROOT, "int8 model size: %d bytes of constants%n", r.int8Bytes()));
        return b.toString();
    }

    static double pearson(double[] a, double[] b) {
        int n = a.length;
        double ma = Arrays.stream(a).average().orElse(0), mb = Arrays.stream(b).average().orElse(0);
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < n; i++) {
            double da = a[i] - ma, db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
        return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
    }

    /** Average ranks (ties share their mean rank), for Spearman's correlation. */
    static double[] ranks(double[] v) {
        int n = v.length;
        Integer[] o = Metrics.orderByScore(v, false);
        double[] r = new double[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && v[o[j + 1]] == v[o[i]]) j++;
            for (int k = i; k <= j; k++) r[o[k]] = (i + j) / 2.0;
            i = j + 1;
        }
        return r;
    }
}
