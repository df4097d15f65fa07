package tinyad.trainer;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class KMeansTest {
    static double[][] blobs(long seed, double[][] centres, int perBlob, double spread) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[centres.length * perBlob][];
        for (int b = 0; b < centres.length; b++)
            for (int i = 0; i < perBlob; i++) {
                double[] p = centres[b].clone();
                for (int j = 0; j < p.length; j++) p[j] += spread * r.nextDouble(-1, 1);
                x[b * perBlob + i] = p;
            }
        return x;
    }

    @Test
    void findsWellSeparatedClusters() {
        double[][] centres = {{0, 0}, {0, 10}, {10, 0}, {10, 10}};   // in the order the centroids are sorted
        KMeans.Result r = KMeans.fit(blobs(1, centres, 200, 1.0), 4, 42, 100);
        double[][] c = r.centroids().clone();
        Arrays.sort(c, Comparator.<double[]>comparingLong(p -> Math.round(p[0])).thenComparingLong(p -> Math.round(p[1])));
        for (int i = 0; i < 4; i++) {
            assertEquals(centres[i][0], c[i][0], 0.2);
            assertEquals(centres[i][1], c[i][1], 0.2);
        }
        assertTrue(r.iterations() < 100, "converged");
    }

    @Test
    void sameSeedSameCentroids() {
        double[][] x = blobs(2, new double[][] {{0, 0, 0}, {3, 3, 3}, {-3, 1, 2}}, 300, 2.0);
        double[][] a = KMeans.fit(x, 5, 9, 50).centroids(), b = KMeans.fit(x, 5, 9, 50).centroids();
        for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i]);
    }

    @Test
    void silhouettePicksTheNumberOfSeparatedBlobs() {
        double[][] x = blobs(4, new double[][] {{0, 0}, {20, 0}, {0, 20}}, 150, 1.0);
        java.util.List<KMeans.KChoice> ranked = KMeans.chooseK(x, new int[] {2, 3, 4, 6}, 1, 300);
        assertEquals(3, ranked.get(0).k());
        assertTrue(ranked.get(0).silhouette() > 0.8, "silhouette " + ranked.get(0).silhouette());
        assertTrue(ranked.get(0).silhouette() > ranked.get(1).silhouette());
    }

    @Test
    void moreClustersThanPointsIsCapped() {
        double[][] x = {{1}, {2}};
        assertEquals(2, KMeans.fit(x, 5, 1, 10).centroids().length);
    }
}
