package tinyad.quantizer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;
import tinyad.model.KMeansDetector;
import tinyad.model.ModelArchive;

/**
 * int8 k-means: centroids quantized with the input's parameters, so the zero point cancels and the
 * squared distance {@code d2 = min_k sum_i (x[i] - c[k][i])^2} is an int32 in units of scale^2; the
 * nearest centroid is the first with the smallest d2.
 * <ul>
 *   <li>distance score: {@code d2}; the float threshold T becomes {@code floor(T / scale^2)}, so that
 *       {@code s > T / scale^2} exactly when {@code s > floor(T / scale^2)}</li>
 *   <li>radius score: {@code isqrt(d2) - radius_q[nearest]} (isqrt = exact floor of the square root,
 *       {@code radius_q = round(radius / scale)}), in units of scale; threshold {@code floor(T / scale)}</li>
 * </ul>
 */
public record QuantizedKMeans(Pipeline pipeline, QuantParams inputQuant, byte[][] centroids, int thresholdQ,
                              double threshold, int[] radiiQ, tinyad.model.AlarmRule alarm) implements QuantizedModel {
    public static final String KIND = "kmeans-int8";
    /** 255^2 per feature: more features than this could overflow the int32 accumulator. */
    public static final int MAX_FEATURES = Integer.MAX_VALUE / (255 * 255);

    public QuantizedKMeans {
        if (centroids.length == 0) throw new IllegalArgumentException("no centroids");
        checkSize(centroids[0].length);
        if (radiiQ != null && radiiQ.length != centroids.length) throw new IllegalArgumentException("one radius per centroid");
        alarm = QuantizedModel.checkAlarm(alarm, thresholdQ);
    }

    public QuantizedKMeans(Pipeline pipeline, QuantParams inputQuant, byte[][] centroids, int thresholdQ, double threshold,
                           int[] radiiQ) {
        this(pipeline, inputQuant, centroids, thresholdQ, threshold, radiiQ, null);
    }

    public QuantizedKMeans(Pipeline pipeline, QuantParams inputQuant, byte[][] centroids, int thresholdQ, double threshold) {
        this(pipeline, inputQuant, centroids, thresholdQ, threshold, null, null);
    }

    /** Exact floor of the square root of a non-negative int. */
    public static int isqrt(int v) {
        int r = (int) Math.sqrt(v);
        while ((long) r * r > v) r--;
        while ((long) (r + 1) * (r + 1) <= v) r++;
        return r;
    }

    /**
     * floor(t / scale^power) of the doubles' exact values (binary fractions), not of a rounded quotient: a score
     * is above the integer threshold exactly when it is above the real one.
     */
    static double exactFloor(double t, double scale, int power) {
        if (!Double.isFinite(t)) return t;
        java.math.BigDecimal d = new java.math.BigDecimal(scale).pow(power);
        java.math.BigDecimal[] qr = new java.math.BigDecimal(t).divideAndRemainder(d);
        java.math.BigInteger q = qr[0].toBigInteger();
        if (qr[1].signum() < 0) q = q.subtract(java.math.BigInteger.ONE);   // toward minus infinity
        return q.doubleValue();
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
        if (f.usesRadius()) {
            int[] rq = new int[c.length];
            for (int j = 0; j < c.length; j++) rq[j] = (int) QuantParams.roundHalfAway(f.radii()[j] / q.scale());
            double t = exactFloor(f.threshold(), q.scale(), 1);
            int tq = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, t));
            return new QuantizedKMeans(f.pipeline(), q, cq, tq, f.threshold(), rq,
                    QuantizedModel.alarmQ(f.alarm(), tq, v -> v / q.scale()));
        }
        double t = exactFloor(f.threshold(), q.scale(), 2);
        int tq = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, t));
        return new QuantizedKMeans(f.pipeline(), q, cq, tq, f.threshold(), null,
                QuantizedModel.alarmQ(f.alarm(), tq, v -> v / (q.scale() * q.scale())));
    }

    @Override
    public int score(byte[] x) {
        if (x.length != inputSize()) throw new IllegalArgumentException("expected " + inputSize() + " inputs, got " + x.length);
        int best = Integer.MAX_VALUE, nearest = 0;
        for (int j = 0; j < centroids.length; j++) {
            byte[] c = centroids[j];
            int acc = 0;
            for (int i = 0; i < x.length; i++) {
                int diff = x[i] - c[i];
                acc += diff * diff;
            }
            if (acc < best) {
                best = acc;
                nearest = j;
            }
        }
        return radiiQ == null ? best : isqrt(best) - radiiQ[nearest];
    }

    @Override
    public int inputSize() {
        return centroids[0].length;
    }

    @Override
    public ModelArchive toArchive() {
        ObjectNode m = QuantizedModel.baseMeta(KIND, this);
        m.put("k", centroids.length);
        m.put("score", radiiQ == null ? "distance" : "radius");
        int d = inputSize();
        byte[] flat = new byte[centroids.length * d];
        for (int j = 0; j < centroids.length; j++) System.arraycopy(centroids[j], 0, flat, j * d, d);
        ModelArchive a = new ModelArchive(m).put("centroids", flat);
        return radiiQ == null ? a : a.put("radii", radiiQ);
    }

    public static QuantizedKMeans fromArchive(ModelArchive a) {
        ObjectNode m = a.meta();
        Pipeline p = Pipeline.fromJson(m.required("pipeline"));
        QuantParams q = QuantizedModel.inputQuantOf(m);
        int k = m.required("k").asInt(), d = p.inputSize();
        byte[] flat = a.int8s("centroids");
        if (k < 1 || flat.length != k * d) throw new DataException("model file: centroids do not match k=" + k + ", d=" + d);
        byte[][] c = new byte[k][d];
        for (int j = 0; j < k; j++) System.arraycopy(flat, j * d, c[j], 0, d);
        int[] radii = "radius".equals(m.path("score").asText("distance")) ? a.int32s("radii") : null;
        if (radii != null && radii.length != k) throw new DataException("model file: " + radii.length + " radii for k=" + k);
        int tq = m.required("threshold_q").asInt();
        return new QuantizedKMeans(p, q, c, tq, m.required("threshold").asDouble(), radii,
                tinyad.model.AlarmRule.fromJson(m, "rearm_q", tq));
    }
}
