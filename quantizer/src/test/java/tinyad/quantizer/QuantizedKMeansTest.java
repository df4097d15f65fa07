package tinyad.quantizer;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.TimeSplit;
import tinyad.model.Centroids;
import tinyad.model.KMeansDetector;
import tinyad.model.Metrics;

class QuantizedKMeansTest {
    @Test
    void quantParamsCoverTheRangeAndZeroIsExact() {
        QuantParams q = QuantParams.fromRange(-1.0, 3.0);
        assertEquals(4.0 / 255, q.scale(), 1e-15);
        assertEquals(-128, q.quantize(-1.0));
        assertEquals(127, q.quantize(3.0));
        assertEquals(0.0, q.dequantize(q.quantize(0.0)), 1e-15);
        assertEquals(-128, q.quantize(-100));   // clamps
        // constant calibration data: no division by zero
        QuantParams c = QuantParams.fromRange(0, 0);
        assertEquals(1.0, c.scale());
        assertEquals(0, c.zeroPoint());
        QuantParams positive = QuantParams.fromRange(2, 2);   // widened to include 0
        assertEquals(2.0 / 255, positive.scale(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> QuantParams.fromRange(Double.NaN, 1));
    }

    @Test
    void alarmRuleIsMappedIntoTheIntegerDomainAndStoredInTheModel(@TempDir Path dir) {
        Pipeline p = Pipeline.fit(SyntheticSensor.generate(new SyntheticSensor.Options(1, 2000, 1000, 0.5, 100)).table(), null, 8, 8, Pipeline.RAW);
        double[][] c = new double[1][p.inputSize()];
        // score in scale^2 units (scale 0.5): threshold 25 / 0.25 = 100, re-arm 6.4 / 0.25 = 25.6 -> 25
        KMeansDetector f = new KMeansDetector(p, c, 25.0, 99, 0, "", null, new tinyad.model.AlarmRule(3, 5, 40, 25.0, 6.4));
        QuantizedKMeans q = QuantizedKMeans.quantize(f, new QuantParams(0.5, 0));
        assertEquals(100, q.thresholdQ());
        assertEquals(new tinyad.model.AlarmRule(3, 5, 40, 100, 25), q.alarm());
        q.save(dir.resolve("m.tinyad"));
        assertEquals(q.alarm(), QuantizedModel.load(dir.resolve("m.tinyad")).alarm());
        f.save(dir.resolve("f.tinyad"));
        assertEquals(f.alarm(), tinyad.model.Detector.load(dir.resolve("f.tinyad")).alarm());
        // a model without a stored rule (older tinyad) gets the legacy one: every run of windows over the threshold
        assertEquals(tinyad.model.AlarmRule.legacy(100), new QuantizedKMeans(p, q.inputQuant(), q.centroids(), 100, 1.0).alarm());
        assertThrows(IllegalArgumentException.class,
                () -> new QuantizedKMeans(p, q.inputQuant(), q.centroids(), 100, 1.0, null, new tinyad.model.AlarmRule(1, 1, 0, 99, 10)));
    }

    @Test
    void roundsHalfAwayFromZero() {
        QuantParams q = new QuantParams(1.0, 0);
        assertEquals(3, q.quantize(2.5));
        assertEquals(-3, q.quantize(-2.5));
        assertEquals(2, q.quantize(2.4999));
    }

    @Property(tries = 500)
    void integerThresholdDecidesExactlyAsTheRealOne(@ForAll @IntRange(min = 0, max = 5_000_000) int score,
                                                    @ForAll @DoubleRange(min = 0.001, max = 0.2) @Scale(6) double scale,
                                                    @ForAll @DoubleRange(min = 0, max = 500) double threshold) {
        KMeansDetector f = new KMeansDetector(null, new double[][] {{0}}, threshold, 99, 0, "");
        QuantizedKMeans q = QuantizedKMeans.quantize(f, new QuantParams(scale, 0));
        // exact: score * scale^2 > threshold in the doubles' real values (a double product would round)
        java.math.BigDecimal s2 = new java.math.BigDecimal(scale).pow(2);
        assertEquals(java.math.BigDecimal.valueOf(score).multiply(s2).compareTo(new java.math.BigDecimal(threshold)) > 0,
                score > q.thresholdQ());
    }

    @Test
    void integerScoreIsTheExactSquaredDistanceOfTheQuantizedVectors() {
        SplittableRandom r = new SplittableRandom(1);
        byte[][] c = new byte[5][40];
        for (byte[] row : c) for (int i = 0; i < row.length; i++) row[i] = (byte) r.nextInt(-128, 128);
        QuantizedKMeans q = new QuantizedKMeans(null, new QuantParams(0.1, 3), c, 0, 0);
        for (int t = 0; t < 200; t++) {
            byte[] x = new byte[40];
            for (int i = 0; i < x.length; i++) x[i] = (byte) r.nextInt(-128, 128);
            long best = Long.MAX_VALUE;
            for (byte[] row : c) {
                long s = 0;
                for (int i = 0; i < x.length; i++) s += (long) (x[i] - row[i]) * (x[i] - row[i]);
                best = Math.min(best, s);
            }
            assertEquals(best, q.score(x));
        }
    }

    @Property(tries = 2000)
    void isqrtIsTheExactFloorOfTheSquareRoot(@ForAll @IntRange(min = 0) int v) {
        int r = QuantizedKMeans.isqrt(v);
        assertTrue((long) r * r <= v && (long) (r + 1) * (r + 1) > v);
    }

    @Test
    void radiusScoreIsDistanceMinusTheNearestClustersRadius() {
        byte[][] c = {{0, 0}, {10, 10}};
        QuantizedKMeans q = new QuantizedKMeans(null, new QuantParams(0.5, 0), c, 0, 0, new int[] {3, 1});
        assertEquals(5 - 3, q.score(new byte[] {4, 3}));
        assertEquals(1 - 1, q.score(new byte[] {10, 11}));
        assertEquals(1 - 3, q.score(new byte[] {1, 1}));   // inside: isqrt(2) = 1
        KMeansDetector f = new KMeansDetector(null, new double[][] {{0, 0}}, 1.26, 99, 0, "", new double[] {1.0});
        QuantizedKMeans fq = QuantizedKMeans.quantize(f, new QuantParams(0.5, 0));
        assertEquals(2, fq.radiiQ()[0]);
        assertEquals(2, fq.thresholdQ());   // floor(1.26 / 0.5)
    }

    @Test
    void refusesModelsThatCouldOverflowInt32() {
        byte[][] c = new byte[1][QuantizedKMeans.MAX_FEATURES + 1];
        DataException e = assertThrows(DataException.class, () -> new QuantizedKMeans(null, new QuantParams(1, 0), c, 0, 0));
        assertTrue(e.getMessage().contains("overflow"));
        assertTrue((long) QuantizedKMeans.MAX_FEATURES * 255 * 255 <= Integer.MAX_VALUE);
        assertTrue((long) (QuantizedKMeans.MAX_FEATURES + 1) * 255 * 255 > Integer.MAX_VALUE);
    }

    /**
     * A k-means detector made here, since the trainer module (DL4J) is not a dependency of the quantizer: a few
     * Lloyd iterations from evenly spaced normal windows, threshold at the 99th percentile of their scores.
     */
    static KMeansDetector kmeans(Pipeline p, double[][] x, int k) {
        double[][] c = new double[k][];
        for (int j = 0; j < k; j++) c[j] = x[(int) ((long) j * x.length / k)].clone();
        for (int it = 0; it < 10; it++) {
            double[][] sum = new double[k][x[0].length];
            int[] n = new int[k];
            for (double[] q : x) {
                int j = Centroids.nearest(c, q);
                n[j]++;
                for (int i = 0; i < q.length; i++) sum[j][i] += q[i];
            }
            for (int j = 0; j < k; j++) if (n[j] > 0) for (int i = 0; i < sum[j].length; i++) c[j][i] = (float) (sum[j][i] / n[j]);
        }
        double[] s = new double[x.length];
        for (int i = 0; i < x.length; i++) s[i] = Centroids.score(c, x[i]);
        return new KMeansDetector(p, c, Metrics.percentile(s, 99.0), 99.0, 3, "");
    }

    @Test
    void quantizedModelKeepsDetectionQualityAndRoundTrips(@TempDir Path dir) {
        var table = SyntheticSensor.generate(new SyntheticSensor.Options(5, 30_000, 1000, 0.5, 400)).table();
        TimeSplit s = TimeSplit.of(table, 0.5);
        Pipeline p = Pipeline.fit(s.train(), null, 32, 16, "raw");
        KMeansDetector d = kmeans(p, p.normalInputs(s.train()), 8);
        QuantizedModel q = Quantizer.quantize(d, p.normalInputs(s.train()));
        int[] labels = p.windows(s.test()).labels();
        byte[][] in = q.quantizedInputs(s.test());
        double[] is = new double[in.length];
        for (int i = 0; i < in.length; i++) is[i] = q.score(in[i]);
        assertArrayEquals(is, q.scores(s.test()), "scores(table): the integer reference of every window");
        double fAuc = Metrics.rocAuc(d.scores(s.test()), labels), iAuc = Metrics.rocAuc(is, labels);
        assertTrue(Math.abs(fAuc - iAuc) < 0.02, "float " + fAuc + " int8 " + iAuc);

        Path f = dir.resolve("m.int8.tinyad");
        q.save(f);
        QuantizedModel back = QuantizedModel.load(f);
        assertEquals(q.hash(), back.hash());
        for (int i = 0; i < in.length; i++) assertEquals(q.score(in[i]), back.score(in[i]));
        DataException e = assertThrows(DataException.class, () -> {
            d.save(dir.resolve("float.tinyad"));
            QuantizedModel.load(dir.resolve("float.tinyad"));
        });
        assertTrue(e.getMessage().contains("run tinyad quantize first"));
    }
}
