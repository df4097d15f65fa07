package tinyad.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;

/**
 * k-means detector. Score, in normalised units: the squared distance to the nearest centroid, or with
 * {@code radii} (Edge Impulse's option) the distance to the nearest centroid minus that cluster's radius,
 * the largest distance of a training point assigned to it; negative inside a cluster. Training (k-means) lives in
 * the trainer module ({@code tinyad.trainer.KMeansTrainer}).
 */
public record KMeansDetector(Pipeline pipeline, double[][] centroids, double threshold, double thresholdPercentile,
                             long seed, String trainingSha256, double[] radii, AlarmRule alarm) implements Detector {
    public static final String KIND = "kmeans";

    /** A null {@code alarm} is {@link AlarmRule#legacy}; a rule must use this detector's threshold. */
    public KMeansDetector {
        alarm = Detector.checkAlarm(alarm, threshold);
    }

    public KMeansDetector(Pipeline pipeline, double[][] centroids, double threshold, double thresholdPercentile, long seed,
                          String trainingSha256, double[] radii) {
        this(pipeline, centroids, threshold, thresholdPercentile, seed, trainingSha256, radii, null);
    }

    public KMeansDetector(Pipeline pipeline, double[][] centroids, double threshold, double thresholdPercentile, long seed,
                          String trainingSha256) {
        this(pipeline, centroids, threshold, thresholdPercentile, seed, trainingSha256, null, null);
    }

    public boolean usesRadius() {
        return radii != null;
    }

    @Override
    public double score(double[] input) {
        if (radii == null) return Centroids.score(centroids, input);
        int j = Centroids.nearest(centroids, input);
        return Math.sqrt(Centroids.sq(centroids[j], input)) - radii[j];
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
        alarm.toJson(m, "rearm", false);
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
        double thr = m.required("threshold").asDouble();
        return new KMeansDetector(p, c, thr, m.path("threshold_percentile").asDouble(),
                m.path("seed").asLong(), m.path("training_sha256").asText(), radii, AlarmRule.fromJson(m, "rearm", thr));
    }
}
