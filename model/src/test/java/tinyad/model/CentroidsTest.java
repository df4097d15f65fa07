package tinyad.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class CentroidsTest {
    @Test
    void scoreIsSquaredDistanceToNearest() {
        double[][] c = {{0, 0}, {4, 0}};
        assertEquals(1.0 + 4.0, Centroids.score(c, new double[] {3, 2}));
        assertEquals(1, Centroids.nearest(c, new double[] {3, 2}));
        assertEquals(9.0 + 4.0, Centroids.sq(c[0], new double[] {3, 2}));
    }

    @Test
    void earlyAbandonedDistancesGiveTheExactNearestAndScore() {
        SplittableRandom r = new SplittableRandom(5);
        double[][] c = new double[7][19];   // 19: the unrolled loop and its tail
        for (double[] row : c) for (int i = 0; i < row.length; i++) row[i] = r.nextGaussian();
        for (int t = 0; t < 200; t++) {
            double[] p = new double[19];
            for (int i = 0; i < p.length; i++) p[i] = r.nextGaussian();
            int best = 0;
            for (int j = 1; j < c.length; j++) if (Centroids.sq(c[j], p) < Centroids.sq(c[best], p)) best = j;
            assertEquals(best, Centroids.nearest(c, p));
            assertEquals(Centroids.sq(c[best], p), Centroids.score(c, p), 1e-12);
        }
    }
}
