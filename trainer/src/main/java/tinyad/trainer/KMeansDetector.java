package tinyad.trainer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import tinyad.datasets.DataException;
import tinyad.datasets.ModelArchive;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;

/**
 * k-means detector. Score, in normalised units: the squared distance to the nearest centroid, or with
 * {@code radii} (Edge Impulse's option) the distance to the nearest centroid minus that cluster's radius,
 * the largest distance of a training point assigned to it; negative inside a cluster.
 */
public record KMeansDetector(Pipeline pipeline, double[][] centroids, double threshold, double thresholdPercentile,
                             long seed, String trainingSha256, double[] radii) implements Detector {
    public static final String KIND = "kmeans";

    public KMeansDetector(Pipeline pipeline, double[][] centroids, double threshold, double thresholdPercentile, long seed,
                          String trainingSha256) {
        this(pipeline, centroids, threshold, thresholdPercentile, seed, trainingSha256, null);
    }

    public record Options(int k, long seed, int maxIterations, double thresholdPercentile, boolean radius) {
        public Options(int k, long seed, int maxIterations, double thresholdPercentile) {
            this(k, seed, maxIterations, thresholdPercentile, false);
        }

        public static Options defaults() {
            return new Options(16, 42, 100, 99.5, false);
        }
    }

    public boolean usesRadius() {
        return radii != null;
    }

    /** k = 0 asks for k chosen by silhouette among these. */
    public static final int[] K_CANDIDATES = {2, 3, 4, 6, 8, 12, 16, 24, 32};

    /**
     * Fits on the normal windows of {@code train}: the first (1 - validation fraction) of them in time
     * order; the threshold is a percentile of the scores of the rest (normal data the model has not seen).
     */
    public static KMeansDetector train(SensorTable train, Pipeline pipeline, Options o, String trainingSha256) {
        double[][] all = pipeline.normalInputs(train);
        int nVal = (int) Math.round(all.length * 0.2);
        double[][] x = nVal >= 8 ? java.util.Arrays.copyOf(all, all.length - nVal) : all;
        double[][] val = nVal >= 8 ? java.util.Arrays.copyOfRange(all, all.length - nVal, all.length) : all;
        int k = o.k() > 0 ? o.k() : KMeans.chooseK(x, K_CANDIDATES, o.seed(), 1500).get(0).k();
        if (x.length < k) throw new DataException("too few normal windows (" + x.length + ") for k=" + k);
        double[][] c = KMeans.fit(x, k, o.seed(), o.maxIterations()).centroids();
        // The model file stores float32 centroids; round now so the saved model scores as this one does.
        for (double[] cj : c) for (int q = 0; q < cj.length; q++) cj[q] = (float) cj[q];
        double[] radii = null;
        if (o.radius()) {
            radii = new double[c.length];
            for (double[] p : x) {
                int j = KMeans.nearest(c, p);
                radii[j] = Math.max(radii[j], (float) Math.sqrt(KMeans.sq(c[j], p)));
            }
        }
        KMeansDetector unthresholded = new KMeansDetector(pipeline, c, 0, o.thresholdPercentile(), o.seed(), trainingSha256, radii);
        double[] s = new double[val.length];
        for (int i = 0; i < val.length; i++) s[i] = unthresholded.score(val[i]);
        double thr = Metrics.percentile(s, o.thresholdPercentile());
        return new KMeansDetector(pipeline, c, thr, o.thresholdPercentile(), o.seed(), trainingSha256, radii);
    }

    @Override
    public double score(double[] input) {
        if (radii == null) return KMeans.score(centroids, input);
        int j = KMeans.nearest(centroids, input);
        return Math.sqrt(KMeans.sq(centroids[j], input)) - radii[j];
    }

    @Override
    public ModelArchive toArchive() {
        ObjectNode m = ModelArchive.newMeta(KIND);
        m.set("pipeline", pipeline.toJson());
        m.put("k", centroids.length);
        m.put("threshold", threshold);
        m.put("threshold_percentile", thresholdPercentile);
        m.put("seed", seed);
        m.put("training_sha256", trainingSha256);
        m.put("score", radii == null ? "distance" : "radius");
        ModelArchive a = new ModelArchive(m);
        if (radii != null) {
            float[] r = new float[radii.length];
            for (int j = 0; j < r.length; j++) r[j] = (float) radii[j];
            a.put("radii", r);
        }
        int d = centroids[0].length;
        float[] flat = new float[centroids.length * d];
        for (int j = 0; j < centroids.length; j++)
            for (int q = 0; q < d; q++) flat[j * d + q] = (float) centroids[j][q];
        return a.put("centroids", flat);
    }

    public static KMeansDetector fromArchive(ModelArchive a) {
        ObjectNode m = a.meta();
        Pipeline p = Pipeline.fromJson(m.required("pipeline"));
        int k = m.required("k").asInt();
        float[] flat = a.floats("centroids");
        int d = p.inputSize();
        if (k < 1 || flat.length != k * d) throw new DataException("model file: centroids do not match k=" + k + ", d=" + d);
        double[][] c = new double[k][d];
        for (int j = 0; j < k; j++) for (int q = 0; q < d; q++) c[j][q] = flat[j * d + q];
        double[] radii = null;
        if ("radius".equals(m.path("score").asText("distance"))) {
            float[] r = a.floats("radii");
            if (r.length != k) throw new DataException("model file: " + r.length + " radii for k=" + k);
            radii = new double[k];
            for (int j = 0; j < k; j++) radii[j] = r[j];
        }
        return new KMeansDetector(p, c, m.required("threshold").asDouble(), m.path("threshold_percentile").asDouble(),
                m.path("seed").asLong(), m.path("training_sha256").asText(), radii);
    }
}
