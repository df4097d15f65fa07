package tinyad.benchmark;

import tinyad.datasets.Normaliser;
import tinyad.datasets.Pipeline;
import tinyad.model.KMeansDetector;
import tinyad.model.Metrics;
import tinyad.quantizer.DeviceLearning;
import tinyad.quantizer.QuantizedModel;

/**
 * The float twin of {@link DeviceLearning} for the benchmarks' int8-vs-float comparison (issue #15): the same windows,
 * the same phases and split, the same rules, in double precision on the float detector's features. The channels phase
 * has nothing to do in float (physical values need no centring into int16): its windows pass unused, so every other
 * phase sees the windows the device's does. Features: a mean and std per channel (raw windows) or per feature; centroids:
 * sequential k-means (refine: the shipped ones count as one window; scratch: the first k windows; the count capped at
 * {@link DeviceLearning#COUNT_CAP}); radii: the farthest chooser; threshold: the percentile by linear interpolation.
 */
final class FloatLearning {
    private FloatLearning() {}

    /** A learned float k-means: its normaliser, centroids, radii (null: distance score) and threshold. */
    record Learned(Normaliser normaliser, double[][] centroids, double[] radii, double threshold) {
        double score(double[] features) {
            double[] x = normaliser.apply(features);
            int j = nearest(centroids, x);
            double d2 = sq(centroids[j], x);
            return radii == null ? d2 : Math.sqrt(d2) - radii[j];
        }
    }

    /** Learns from {@code features[0 .. plan.windows())} (unnormalised float features, one row a window). */
    static Learned learn(KMeansDetector d, QuantizedModel q, DeviceLearning.Plan plan, double[][] features) {
        Pipeline p = d.pipeline();
        Normaliser norm = p.normaliser();
        double[][] c = new double[d.centroids().length][];
        for (int j = 0; j < c.length; j++) c[j] = d.centroids()[j].clone();
        double[] radii = d.radii() == null ? null : d.radii().clone();
        double threshold = d.threshold();
        int at = 0;
        for (int[] ph : DeviceLearning.schedule(plan, q)) {
            DeviceLearning.Phase phase = DeviceLearning.Phase.values()[ph[0]];
            double[][] w = java.util.Arrays.copyOfRange(features, at, at + ph[1]);
            at += ph[1];
            switch (phase) {
                case CHANNELS -> { }
                case FEATURES -> norm = p.featureSet().isRawOnly() ? Normaliser.fitPerChannel(w, p.channels().size()) : Normaliser.fitPerFeature(w);
                case CENTROIDS -> {
                    int[] n = new int[c.length];
                    java.util.Arrays.fill(n, plan.centroids() == DeviceLearning.Centroids.REFINE ? 1 : 0);
                    for (double[] f : w) {
                        double[] x = norm.apply(f);
                        int j = -1;
                        if (plan.centroids() == DeviceLearning.Centroids.SCRATCH)
                            for (int e = 0; e < n.length && j < 0; e++) if (n[e] == 0) j = e;
                        if (j >= 0) {
                            c[j] = x.clone();
                            n[j] = 1;
                            continue;
                        }
                        j = nearest(c, x);
                        if (n[j] < DeviceLearning.COUNT_CAP) n[j]++;
                        for (int i = 0; i < x.length; i++) c[j][i] += (x[i] - c[j][i]) / n[j];
                    }
                }
                case RADII -> {
                    boolean[] chosen = new boolean[c.length];
                    for (double[] f : w) {
                        double[] x = norm.apply(f);
                        int j = nearest(c, x);
                        double r = Math.sqrt(sq(c[j], x));
                        radii[j] = chosen[j] ? Math.max(radii[j], r) : r;
                        chosen[j] = true;
                    }
                }
                case THRESHOLD -> {
                    Learned l = new Learned(norm, c, radii, 0);
                    double[] s = new double[w.length];
                    for (int i = 0; i < w.length; i++) s[i] = l.score(w[i]);
                    threshold = Metrics.percentile(s, plan.percentile() / 100.0);
                }
            }
        }
        return new Learned(norm, c, radii, threshold);
    }

    /** The nearest centroid, the first on ties. */
    static int nearest(double[][] c, double[] x) {
        int best = 0;
        double bestD = sq(c[0], x);
        for (int j = 1; j < c.length; j++) {
            double d = sq(c[j], x);
            if (d < bestD) { bestD = d; best = j; }
        }
        return best;
    }

    static double sq(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return s;
    }
}
