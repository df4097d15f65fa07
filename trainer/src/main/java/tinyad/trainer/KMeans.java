package tinyad.trainer;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import tinyad.model.Centroids;

/**
 * k-means with k-means++ seeding and Lloyd iterations, deterministic under a seed whatever the number
 * of threads: points are processed in fixed chunks whose partial sums are combined in chunk order.
 * (DL4J 1.0.0-M2.1's clustering module does not work, so this is written here.)
 *
 * <p>Points are {@code double[n][d]}; the score of a point is its squared Euclidean distance to the
 * nearest centroid ({@link Centroids}).
 */
public final class KMeans {
    private static final int CHUNK = 4096;

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
        Arrays.fill(assign, -1);
        int chunks = (n + CHUNK - 1) / CHUNK;
        int it = 0;
        for (; it < maxIterations; it++) {
            final double[][] cc = c;
            final int kk = k;
            double[][][] sums = new double[chunks][][];
            int[][] counts = new int[chunks][];
            boolean[] changed = new boolean[chunks];
            IntStream.range(0, chunks).parallel().forEach(ch -> {
                double[][] s = new double[kk][d];
                int[] cnt = new int[kk];
                boolean chg = false;
                for (int i = ch * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                    int a = Centroids.nearest(cc, x[i]);
                    if (a != assign[i]) { assign[i] = a; chg = true; }
                    cnt[a]++;
                    double[] sa = s[a], xi = x[i];
                    for (int j = 0; j < d; j++) sa[j] += xi[j];
                }
                sums[ch] = s;
                counts[ch] = cnt;
                changed[ch] = chg;
            });
            boolean any = false;
            for (boolean b : changed) any |= b;
            if (!any) break;
            double[][] sum = new double[k][d];
            int[] count = new int[k];
            for (int ch = 0; ch < chunks; ch++)
                for (int j = 0; j < k; j++) {
                    count[j] += counts[ch][j];
                    for (int q = 0; q < d; q++) sum[j][q] += sums[ch][j][q];
                }
            double[][] next = new double[k][];
            for (int j = 0; j < k; j++) {
                if (count[j] == 0) {
                    // An empty cluster takes the point farthest from its centroid: keeps k clusters useful.
                    next[j] = x[farthest(x, c)].clone();
                    continue;
                }
                next[j] = new double[d];
                for (int q = 0; q < d; q++) next[j][q] = sum[j][q] / count[j];
            }
            c = next;
        }
        return new Result(c, it, sumInOrder(c, x, chunks));
    }

    private static double sumInOrder(double[][] c, double[][] x, int chunks) {
        double[] part = new double[chunks];
        IntStream.range(0, chunks).parallel().forEach(ch -> {
            double s = 0;
            for (int i = ch * CHUNK, end = Math.min(x.length, i + CHUNK); i < end; i++) s += Centroids.score(c, x[i]);
            part[ch] = s;
        });
        double t = 0;
        for (double p : part) t += p;
        return t;
    }

    static double[][] seedPlusPlus(double[][] x, int k, SplittableRandom rnd) {
        int n = x.length;
        double[][] c = new double[k][];
        c[0] = x[rnd.nextInt(n)].clone();
        double[] dist = new double[n];
        IntStream.range(0, n).parallel().forEach(i -> dist[i] = Centroids.sq(x[i], c[0]));
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
            double[] cj = x[pick].clone();
            c[j] = cj;
            IntStream.range(0, n).parallel().forEach(i -> dist[i] = Math.min(dist[i], Centroids.sq(x[i], cj)));
        }
        return c;
    }

    /**
     * Mean silhouette coefficient of a clustering (O(n^2): call it on a sample). 1 is tight, well-separated
     * clusters; values near 0 mean overlapping ones.
     */
    public static double silhouette(double[][] x, double[][] c) {
        int n = x.length, k = c.length;
        if (k < 2) return 0;
        int[] a = new int[n];
        int[] size = new int[k];
        for (int i = 0; i < n; i++) size[a[i] = Centroids.nearest(c, x[i])]++;
        double[] s = new double[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] sum = new double[k];
            for (int j = 0; j < n; j++) if (j != i) sum[a[j]] += Math.sqrt(Centroids.sq(x[i], x[j]));
            if (size[a[i]] <= 1) { s[i] = 0; return; }
            double own = sum[a[i]] / (size[a[i]] - 1), other = Double.POSITIVE_INFINITY;
            for (int q = 0; q < k; q++) if (q != a[i] && size[q] > 0) other = Math.min(other, sum[q] / size[q]);
            s[i] = Double.isInfinite(other) ? 0 : (other - own) / Math.max(own, other);
        });
        double t = 0;
        for (double v : s) t += v;
        return t / n;
    }

    public record KChoice(int k, double silhouette, double inertia) {}

    /**
     * Picks k by the best mean silhouette on a seeded sample of at most {@code sampleSize} points,
     * fitting each candidate on the sample. Returns every candidate's numbers, the chosen one first.
     */
    public static java.util.List<KChoice> chooseK(double[][] x, int[] candidates, long seed, int sampleSize) {
        double[][] sample = x;
        if (x.length > sampleSize) {
            SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
            int[] idx = IntStream.range(0, x.length).toArray();
            for (int i = 0; i < sampleSize; i++) {
                int j = i + r.nextInt(x.length - i), t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
            sample = new double[sampleSize][];
            for (int i = 0; i < sampleSize; i++) sample[i] = x[idx[i]];
        }
        java.util.List<KChoice> out = new java.util.ArrayList<>();
        for (int k : candidates) {
            if (k < 2 || k >= sample.length) continue;
            Result res = fit(sample, k, seed, 100);
            out.add(new KChoice(k, silhouette(sample, res.centroids()), res.inertia()));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("too few points to choose k");
        out.sort((a, b) -> Double.compare(b.silhouette(), a.silhouette()));
        return out;
    }

    private static int farthest(double[][] x, double[][] c) {
        int far = 0;
        double fd = -1;
        for (int i = 0; i < x.length; i++) {
            double v = Centroids.score(c, x[i]);
            if (v > fd) { fd = v; far = i; }
        }
        return far;
    }
}
