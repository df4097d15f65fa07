package tinyad.model;

/**
 * Squared Euclidean distances to a set of centroids: how a k-means detector scores, and what k-means
 * training assigns points by. Points and centroids are {@code double[d]}.
 */
public final class Centroids {
    private Centroids() {}

    /** Index of the centroid nearest to {@code p} (the first one on ties). */
    public static int nearest(double[][] c, double[] p) {
        int best = 0;
        double bd = Double.POSITIVE_INFINITY;
        for (int j = 0; j < c.length; j++) {
            double v = sqBounded(c[j], p, bd);
            if (v < bd) { bd = v; best = j; }
        }
        return best;
    }

    /** Squared distance from {@code p} to its nearest centroid. */
    public static double score(double[][] c, double[] p) {
        double bd = Double.POSITIVE_INFINITY;
        for (double[] cj : c) bd = Math.min(bd, sqBounded(cj, p, bd));
        return bd;
    }

    /** Squared distance. */
    public static double sq(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) { double t = a[i] - b[i]; s += t * t; }
        return s;
    }

    /** Squared distance, abandoned once it reaches {@code bound} (the result is then >= bound). */
    static double sqBounded(double[] a, double[] b, double bound) {
        double s = 0;
        int i = 0, n = a.length;
        for (; i + 8 <= n; i += 8) {
            double t0 = a[i] - b[i], t1 = a[i + 1] - b[i + 1], t2 = a[i + 2] - b[i + 2], t3 = a[i + 3] - b[i + 3];
            double t4 = a[i + 4] - b[i + 4], t5 = a[i + 5] - b[i + 5], t6 = a[i + 6] - b[i + 6], t7 = a[i + 7] - b[i + 7];
            s += t0 * t0 + t1 * t1 + t2 * t2 + t3 * t3 + t4 * t4 + t5 * t5 + t6 * t6 + t7 * t7;
            if (s >= bound) return s;
        }
        for (; i < n; i++) { double t = a[i] - b[i]; s += t * t; }
        return s;
    }
}
