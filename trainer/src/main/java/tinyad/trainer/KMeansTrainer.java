package tinyad.trainer;

import java.util.Arrays;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.model.Centroids;
import tinyad.model.KMeansDetector;
import tinyad.model.AlarmRule;
import tinyad.model.Thresholds;

/** Trains a {@link KMeansDetector}: {@link KMeans} on normal windows, threshold on held-out normal ones. */
public final class KMeansTrainer {
    private KMeansTrainer() {}

    public record Options(int k, long seed, int maxIterations, double thresholdPercentile, boolean radius) {
        public Options(int k, long seed, int maxIterations, double thresholdPercentile) {
            this(k, seed, maxIterations, thresholdPercentile, false);
        }

        public static Options defaults() {
            return new Options(16, 42, 100, 99.5, false);
        }
    }

    /** k = 0 asks for k chosen by silhouette among these. */
    public static final int[] K_CANDIDATES = {2, 3, 4, 6, 8, 12, 16, 24, 32};

    /**
     * A fitted detector before its threshold: the centroids (and radii) and the scores of the held-out and the fitted
     * windows, from which {@link #thresholded} sets the threshold and the default alarm rule. {@code tinyad tune} fits once
     * and tries several percentiles on the same fit.
     */
    public record Fitted(KMeansDetector unthresholded, double[] heldOut, double[] fitted) {
        /** The detector with its threshold at {@code percentile} of the held-out scores (with the floor) and the default rule. */
        public KMeansDetector thresholded(double percentile) {
            KMeansDetector u = unthresholded;
            double thr = Thresholds.fromTraining(heldOut, fitted, percentile);
            return new KMeansDetector(u.pipeline(), u.centroids(), thr, percentile, u.seed(), u.trainingSha256(), u.radii(),
                    AlarmRule.choose(heldOut, thr));
        }
    }

    /**
     * Fits on the normal windows of {@code train}: the first (1 - validation fraction) of them in time
     * order; the threshold is a percentile of the scores of the rest (normal data the model has not seen), with a
     * floor ({@link Thresholds}); the alarm rule is chosen on those held-out scores too ({@link AlarmRule#choose}).
     */
    public static KMeansDetector train(SensorTable train, Pipeline pipeline, Options o, String trainingSha256) {
        return fit(train, pipeline, o, trainingSha256).thresholded(o.thresholdPercentile());
    }

    /** The fit of {@link #train} without the threshold. */
    public static Fitted fit(SensorTable train, Pipeline pipeline, Options o, String trainingSha256) {
        double[][] all = pipeline.normalInputs(train);
        int nVal = (int) Math.round(all.length * 0.2);
        double[][] x = nVal >= 8 ? Arrays.copyOf(all, all.length - nVal) : all;
        double[][] val = nVal >= 8 ? Arrays.copyOfRange(all, all.length - nVal, all.length) : all;
        int k = o.k() > 0 ? o.k() : KMeans.chooseK(x, K_CANDIDATES, o.seed(), 1500).get(0).k();
        if (x.length < k) throw new DataException("too few normal windows (" + x.length + ") for k=" + k);
        double[][] c = KMeans.fit(x, k, o.seed(), o.maxIterations()).centroids();
        // The model file stores float32 centroids; round now so the saved model scores as this one does.
        for (double[] cj : c) for (int q = 0; q < cj.length; q++) cj[q] = (float) cj[q];
        double[] radii = null;
        if (o.radius()) {
            radii = new double[c.length];
            for (double[] p : x) {
                int j = Centroids.nearest(c, p);
                radii[j] = Math.max(radii[j], (float) Math.sqrt(Centroids.sq(c[j], p)));
            }
        }
        KMeansDetector unthresholded = new KMeansDetector(pipeline, c, 0, o.thresholdPercentile(), o.seed(), trainingSha256, radii);
        double[] s = new double[val.length];
        for (int i = 0; i < val.length; i++) s[i] = unthresholded.score(val[i]);
        double[] fitted = new double[x.length];
        for (int i = 0; i < x.length; i++) fitted[i] = unthresholded.score(x[i]);
        return new Fitted(unthresholded, s, fitted);
    }
}
