package tinyad.quantizer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import tinyad.datasets.DataException;
import tinyad.datasets.ModelArchive;
import tinyad.datasets.Pipeline;
import tinyad.trainer.KMeansDetector;

/**
 * int8 k-means: centroids quantized with the input's parameters, so the zero point cancels and the
 * score {@code min_k sum_i (x[i] - c[k][i])^2} is an int32 in units of scale^2.
 * The float threshold T becomes {@code floor(T / scale^2)}: for an integer score s,
 * {@code s > T / scale^2} exactly when {@code s > floor(T / scale^2)}.
 */
public record QuantizedKMeans(Pipeline pipeline, QuantParams inputQuant, byte[][] centroids, int thresholdQ,
                              double threshold) implements QuantizedModel {
    public static final String KIND = "kmeans-int8";
    /** 255^2 per feature: more features than this could overflow the int32 accumulator. */
    public static final int MAX_FEATURES = Integer.MAX_VALUE / (255 * 255);

    public QuantizedKMeans {
        if (centroids.length == 0) throw new IllegalArgumentException("no centroids");
        checkSize(centroids[0].length);
    }

    static void checkSize(int d) {
        if (d > MAX_FEATURES)
            throw new DataException("k-means over " + d + " features could overflow the int32 distance (limit "
                    + MAX_FEATURES + ")");
    }

    public static QuantizedKMeans quantize(KMeansDetector f, QuantParams q) {
        double[][] c = f.centroids();
        byte[][] cq = new byte[c.length][];
        for (int j = 0; j < c.length; j++) cq[j] = q.quantize(c[j]);
        double t = Math.floor(f.threshold() / (q.scale() * q.scale()));
        int tq = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, t));
        return new QuantizedKMeans(f.pipeline(), q, cq, tq, f.threshold());
    }

    @Override
    public int score(byte[] x) {
        if (x.length != inputSize()) throw new IllegalArgumentException("expected " + inputSize() + " inputs, got " + x.length);
        int best = Integer.MAX_VALUE;
        for (byte[] c : centroids) {
            int acc = 0;
            for (int i = 0; i < x.length; i++) {
                int diff = x[i] - c[i];
                acc += diff * diff;
            }
            if (acc < best) best = acc;
        }
        return best;
    }

    @Override
    public int inputSize() {
        return centroids[0].length;
    }

    @Override
    public ModelArchive toArchive() {
        ObjectNode m = ModelArchive.newMeta(KIND);
        m.set("pipeline", pipeline.toJson());
        ObjectNode in = m.putObject("input_quant");
        in.put("scale", inputQuant.scale());
        in.put("zero_point", inputQuant.zeroPoint());
        m.put("k", centroids.length);
        m.put("threshold", threshold);
        m.put("threshold_q", thresholdQ);
        int d = inputSize();
        byte[] flat = new byte[centroids.length * d];
        for (int j = 0; j < centroids.length; j++) System.arraycopy(centroids[j], 0, flat, j * d, d);
        return new ModelArchive(m).put("centroids", flat);
    }

    public static QuantizedKMeans fromArchive(ModelArchive a) {
        ObjectNode m = a.meta();
        Pipeline p = Pipeline.fromJson(m.required("pipeline"));
        QuantParams q = new QuantParams(m.required("input_quant").required("scale").asDouble(),
                m.required("input_quant").required("zero_point").asInt());
        int k = m.required("k").asInt(), d = p.inputSize();
        byte[] flat = a.int8s("centroids");
        if (k < 1 || flat.length != k * d) throw new DataException("model file: centroids do not match k=" + k + ", d=" + d);
        byte[][] c = new byte[k][d];
        for (int j = 0; j < k; j++) System.arraycopy(flat, j * d, c[j], 0, d);
        return new QuantizedKMeans(p, q, c, m.required("threshold_q").asInt(), m.required("threshold").asDouble());
    }
}
