package tinyad.trainer;

import java.util.SplittableRandom;

/**
 * k-means with k-means++ seeding and Lloyd iterations, deterministic under a seed.
 * (DL4J 1.0.0-M2.1's clustering module does not work, so this is written here.)
 *
 * <p>Points are {@code double[n][d]}; the score of a point is its squared Euclidean distance to the
 * nearest centroid.
 */
public final class KMeans {
    private KMeans() {}

    public record Result(double[][] centroids, int iterations, double inertia) {}

    public static Result fit(double[][] x, int k, long seed, int maxIterations) {
        int n = x.length;
        if (n == 0) throw new IllegalArgumentException("no points to cluster");
        if (k < 1) throw new IllegalArgumentException("k must be at least 1");
        k = Math.min(k, n);
        int d = x[0].length;
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] c = seedPlusPlus(x, k, rnd);
        int[] assign = new int[n];
        java.util.Arrays.fill(assign, -1);
        int it = 0;
        for (; it < maxIterations; it++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int a = nearest(c, x[i]);
                if (a != assign[i]) { assign[i] = a; changed = true; }
            }
            if (!changed) break;
            double[][] sum = new double[k][d];
            int[] count = new int[k];
            for (int i = 0; i < n; i++) {
                count[assign[i]]++;
                double[] s = sum[assign[i]];
                for (int j = 0; j < d; j++) s[j] += x[i][j];
            }
            for (int j = 0; j < k; j++) {
                if (count[j] == 0) {
                    // An empty cluster takes the point farthest from its centroid: keeps k clusters useful.
                    int far = farthest(x, c);
                    c[j] = x[far].clone();
                    continue;
                }
                for (int q = 0; q < d; q++) c[j][q] = sum[j][q] / count[j];
            }
        }
        double inertia = 0;
        for (double[] p : x) inertia += score(c, p);
        return new Result(c, it, inertia);
    }

    static double[][] seedPlusPlus(double[][] x, int k, SplittableRandom rnd) {
        int n = x.length;
        double[][] c = new double[k][];
        c[0] = x[rnd.nextInt(n)].clone();
        double[] dist = new double[n];
        for (int i = 0; i < n; i++) dist[i] = sq(x[i], c[0]);
        for (int j = 1; j < k; j++) {
            double total = 0;
            for (double v : dist) total += v;
            int pick;
            if (total <= 0) {
                pick = rnd.nextInt(n);
            } else {
                double r = rnd.nextDouble() * total;
                pick = n - 1;
                for (int i = 0; i < n; i++) { r -= dist[i]; if (r <= 0) { pick = i; break; } }
            }
            c[j] = x[pick].clone();
            for (int i = 0; i < n; i++) dist[i] = Math.min(dist[i], sq(x[i], c[j]));
        }
        return c;
    }

    public static int nearest(double[][] c, double[] p) {
        int best = 0;
        double bd = Double.POSITIVE_INFINITY;
        for (int j = 0; j < c.length; j++) {
            double v = sq(c[j], p);
            if (v < bd) { bd = v; best = j; }
        }
        return best;
    }

    /** Squared distance from {@code p} to its nearest centroid. */
    public static double score(double[][] c, double[] p) {
        double bd = Double.POSITIVE_INFINITY;
        for (double[] cj : c) bd = Math.min(bd, sq(cj, p));
        return bd;
    }

    private static int farthest(double[][] x, double[][] c) {
        int far = 0;
        double fd = -1;
        for (int i = 0; i < x.length; i++) {
            double v = score(c, x[i]);
            if (v > fd) { fd = v; far = i; }
        }
        return far;
    }

    static double sq(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) { double t = a[i] - b[i]; s += t * t; }
        return s;
    }
}
