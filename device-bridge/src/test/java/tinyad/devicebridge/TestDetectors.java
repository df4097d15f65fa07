package tinyad.devicebridge;

import java.util.Arrays;
import java.util.SplittableRandom;

import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.model.AutoencoderDetector;
import tinyad.model.Centroids;
import tinyad.model.DenseNet;
import tinyad.model.KMeansDetector;
import tinyad.model.Metrics;

/**
 * Float detectors for the firmware tests, made without the trainer module (and so without DL4J): what these
 * tests check, every device score against the integer reference, does not depend on how the weights were found.
 * k-means: a few Lloyd iterations from evenly spaced normal windows; autoencoder: seeded Xavier-uniform weights.
 * Thresholds as the trainers set them: the 99.5th percentile of held-out normal scores.
 */
final class TestDetectors {
    private TestDetectors() {}

    static KMeansDetector kmeans(SensorTable train, Pipeline p, int k, boolean radius) {
        double[][] all = p.normalInputs(train);
        int nVal = all.length / 5;
        double[][] x = Arrays.copyOf(all, all.length - nVal), val = Arrays.copyOfRange(all, all.length - nVal, all.length);
        int d = x[0].length;
        double[][] c = new double[k][];
        for (int j = 0; j < k; j++) c[j] = x[(int) ((long) j * x.length / k)].clone();
        for (int it = 0; it < 10; it++) {
            double[][] sum = new double[k][d];
            int[] n = new int[k];
            for (double[] q : x) {
                int j = Centroids.nearest(c, q);
                n[j]++;
                for (int i = 0; i < d; i++) sum[j][i] += q[i];
            }
            for (int j = 0; j < k; j++) if (n[j] > 0) for (int i = 0; i < d; i++) c[j][i] = sum[j][i] / n[j];
        }
        for (double[] cj : c) for (int i = 0; i < d; i++) cj[i] = (float) cj[i];
        double[] radii = null;
        if (radius) {
            radii = new double[k];
            for (double[] q : x) {
                int j = Centroids.nearest(c, q);
                radii[j] = Math.max(radii[j], (float) Math.sqrt(Centroids.sq(c[j], q)));
            }
        }
        KMeansDetector raw = new KMeansDetector(p, c, 0, 99.5, 0, "", radii);
        return new KMeansDetector(p, c, Metrics.percentile(scores(raw::score, val), 99.5), 99.5, 0, "", radii);
    }

    /** @param hidden the hidden layer sizes, e.g. {24, 12, 24} */
    static AutoencoderDetector autoencoder(SensorTable train, Pipeline p, int[] hidden, long seed) {
        int[] sizes = new int[hidden.length + 2];
        sizes[0] = sizes[sizes.length - 1] = p.inputSize();
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        SplittableRandom r = new SplittableRandom(seed);
        float[][] w = new float[sizes.length - 1][], b = new float[sizes.length - 1][];
        for (int l = 0; l < w.length; l++) {
            double a = Math.sqrt(6.0 / (sizes[l] + sizes[l + 1]));
            w[l] = new float[sizes[l] * sizes[l + 1]];
            b[l] = new float[sizes[l + 1]];
            for (int i = 0; i < w[l].length; i++) w[l][i] = (float) r.nextDouble(-a, a);
            for (int i = 0; i < b[l].length; i++) b[l][i] = (float) r.nextDouble(-0.1, 0.1);
        }
        DenseNet net = new DenseNet(sizes, w, b);
        double thr = Metrics.percentile(scores(net::reconstructionError, p.normalInputs(train)), 99.5);
        return new AutoencoderDetector(p, net, thr, 99.5, seed, "", new double[0], new double[0]);
    }

    private static double[] scores(java.util.function.ToDoubleFunction<double[]> f, double[][] x) {
        double[] s = new double[x.length];
        for (int i = 0; i < x.length; i++) s[i] = f.applyAsDouble(x[i]);
        return s;
    }
}
