package tinyad.model;

import static org.junit.jupiter.api.Assertions.*;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class MetricsTest {
    /** ROC-AUC by its definition: P(score of a positive > score of a negative), ties count 1/2. */
    static double bruteAuc(double[] s, int[] l) {
        double wins = 0;
        long pairs = 0;
        for (int i = 0; i < s.length; i++)
            for (int j = 0; j < s.length; j++)
                if (l[i] == 1 && l[j] == 0) {
                    pairs++;
                    wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                }
        return wins / pairs;
    }

    @Test
    void rocAucMatchesPairwiseDefinitionWithTies() {
        SplittableRandom r = new SplittableRandom(5);
        for (int trial = 0; trial < 20; trial++) {
            int n = 50 + r.nextInt(100);
            double[] s = new double[n];
            int[] l = new int[n];
            for (int i = 0; i < n; i++) {
                l[i] = r.nextInt(4) == 0 ? 1 : 0;
                s[i] = r.nextInt(10) + l[i] * r.nextInt(5);   // many ties
            }
            assertEquals(bruteAuc(s, l), Metrics.rocAuc(s, l), 1e-12);
        }
        assertEquals(1.0, Metrics.rocAuc(new double[] {1, 2, 3}, new int[] {0, 0, 1}));
        assertTrue(Double.isNaN(Metrics.rocAuc(new double[] {1, 2}, new int[] {0, 0})));
    }

    @Test
    void averagePrecisionAndBestF1() {
        // ranks: 9(+) 6(-) 5(+) 2(+) 1(-) 0(-): AP = (1/1 + 2/3 + 3/4) / 3
        double[] s = {1, 5, 6, 2, 9, 0};
        int[] l = {0, 1, 0, 1, 1, 0};
        assertEquals((1 + 2.0 / 3 + 3.0 / 4) / 3, Metrics.prAuc(s, l), 1e-12);
        Metrics.BestF1 b = Metrics.bestF1(s, l);
        // best: alarm on {9, 6, 5, 2}: tp 3 fp 1 -> F1 = 6/7
        assertEquals(6.0 / 7, b.f1(), 1e-12);
        assertEquals(b.f1(), Metrics.confusion(s, l, b.threshold()).f1(), 1e-12);
        SplittableRandom r = new SplittableRandom(9);
        for (int t = 0; t < 20; t++) {
            double[] x = new double[80];
            int[] y = new int[80];
            for (int i = 0; i < 80; i++) { y[i] = r.nextInt(3) == 0 ? 1 : 0; x[i] = r.nextInt(20) + 5 * y[i]; }
            Metrics.BestF1 bf = Metrics.bestF1(x, y);
            assertEquals(bf.f1(), Metrics.confusion(x, y, bf.threshold()).f1(), 1e-12);
            for (double thr = -1; thr < 30; thr += 0.5) assertTrue(Metrics.confusion(x, y, thr).f1() <= bf.f1() + 1e-12);
        }
    }

    @Test
    void confusionAndDerivedRates() {
        double[] s = {1, 5, 6, 2, 9, 0};
        int[] l = {0, 1, 0, 1, 1, 0};
        Metrics.Confusion c = Metrics.confusion(s, l, 4);   // alarms: 5, 6, 9
        assertEquals(new Metrics.Confusion(2, 1, 2, 1), c);
        assertEquals(2.0 / 3, c.precision(), 1e-12);
        assertEquals(2.0 / 3, c.recall(), 1e-12);
        assertEquals(2.0 / 3, c.f1(), 1e-12);
        assertEquals(1.0 / 3, c.falseAlarmRate(), 1e-12);
        assertEquals(1.0 / 3, c.missedAlarmRate(), 1e-12);
    }

    @Test
    void percentileInterpolates() {
        double[] v = {4, 1, 3, 2};
        assertEquals(1, Metrics.percentile(v, 0));
        assertEquals(4, Metrics.percentile(v, 100));
        assertEquals(2.5, Metrics.percentile(v, 50));
        assertThrows(IllegalArgumentException.class, () -> Metrics.percentile(v, 101));
    }
}
