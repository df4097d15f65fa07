package tinyad.datasets;

import java.util.Arrays;

import tinyad.common.DataException;

/**
 * z-score normalisation, {@code (x - mean[i]) / std[i]} per input feature, fitted on training data only.
 * A feature with zero spread gets std 1 so that a constant channel maps to 0 instead of dividing by zero.
 */
public record Normaliser(double[] mean, double[] std) {

    public Normaliser {
        if (mean.length != std.length) throw new IllegalArgumentException("mean and std differ in length");
        for (double s : std) if (!(s > 0)) throw new IllegalArgumentException("std must be positive");
        // Infinity or NaN here would make every normalised input 0 or NaN and every later number meaningless
        for (int i = 0; i < mean.length; i++)
            if (!Double.isFinite(mean[i]) || !Double.isFinite(std[i]))
                throw new DataException("the normalisation of input " + i + " is not finite (mean " + mean[i] + ", std " + std[i]
                        + "): the data's values are too large");
    }

    /** One mean and std per channel, shared by every time step of the window (raw-window features). */
    public static Normaliser fitPerChannel(double[][] windows, int channels) {
        double[] sum = new double[channels], sq = new double[channels];
        long[] n = new long[channels];
        for (double[] w : windows)
            for (int i = 0; i < w.length; i++) { sum[i % channels] += w[i]; n[i % channels]++; }
        double[] m = new double[channels];
        for (int c = 0; c < channels; c++) m[c] = sum[c] / n[c];
        for (double[] w : windows)
            for (int i = 0; i < w.length; i++) { double d = w[i] - m[i % channels]; sq[i % channels] += d * d; }
        int len = windows[0].length;
        double[] mean = new double[len], std = new double[len];
        for (int i = 0; i < len; i++) {
            mean[i] = m[i % channels];
            std[i] = spread(sq[i % channels], n[i % channels]);
        }
        return new Normaliser(mean, std);
    }

    /** One mean and std per feature (for feature vectors whose entries have different units). */
    public static Normaliser fitPerFeature(double[][] rows) {
        int len = rows[0].length;
        double[] mean = new double[len], std = new double[len];
        for (double[] r : rows) for (int i = 0; i < len; i++) mean[i] += r[i];
        for (int i = 0; i < len; i++) mean[i] /= rows.length;
        double[] sq = new double[len];
        for (double[] r : rows) for (int i = 0; i < len; i++) { double d = r[i] - mean[i]; sq[i] += d * d; }
        for (int i = 0; i < len; i++) std[i] = spread(sq[i], rows.length);
        return new Normaliser(mean, std);
    }

    private static double spread(double sumSquares, long n) {
        double s = Math.sqrt(sumSquares / n);
        return s > 1e-12 ? s : 1.0;
    }

    public int size() {
        return mean.length;
    }

    public double[] apply(double[] x) {
        if (x.length != mean.length)
            throw new DataException("expected " + mean.length + " features, got " + x.length);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (x[i] - mean[i]) / std[i];
        return y;
    }

    public double[][] apply(double[][] rows) {
        return Arrays.stream(rows).map(this::apply).toArray(double[][]::new);
    }
}
