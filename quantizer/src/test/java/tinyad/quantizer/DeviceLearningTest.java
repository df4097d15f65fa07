package tinyad.quantizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.TimeSplit;

class DeviceLearningTest {

    /** A stats k-means model of the synthetic machine, and windows of counts of its normal rows. */
    static final class Fixture {
        final QuantizedModel q;
        final int[][] normal;

        Fixture() {
            var table = SyntheticSensor.generate(new SyntheticSensor.Options(7, 24_000, 1000, 1.0, 400)).table();
            TimeSplit s = TimeSplit.of(table, 0.5);
            Pipeline p = Pipeline.fit(s.train(), null, 32, 16, "stats");
            q = Quantizer.quantize(QuantizedKMeansTest.kmeans(p, p.normalInputs(s.train()), 4), p.normalInputs(s.train()));
            normal = p.counts(s.test());
        }
    }

    @Test
    void integerFoldIsTheRealMultiplierRoundedWithTheSmallestPreShift() {
        Random r = new Random(3);
        for (int n = 0; n < 20_000; n++) {
            long std = 1 + (r.nextLong() >>> (28 + r.nextInt(35)));
            int inv = 1 + (r.nextInt() >>> (1 + r.nextInt(30)));
            int[] f = DeviceLearning.foldInteger(std, inv);
            int pre = f[0];
            // smallest pre (<= 30) with std * 2^24 < 32767 * inv * 2^pre
            BigInteger lhs = BigInteger.valueOf(std).shiftLeft(24), y = BigInteger.valueOf(32767L * inv);
            if (pre < 30) assertTrue(lhs.compareTo(y.shiftLeft(pre)) < 0, "pre-shift " + pre + " too small for std " + std + " inv " + inv);
            if (pre > 0) assertTrue(lhs.compareTo(y.shiftLeft(pre - 1)) >= 0, "pre-shift " + pre + " not the smallest");
            // the real multiplier in int8 steps per unit of d: inv * 2^pre / (std * 65536)
            BigDecimal real = new BigDecimal(BigInteger.valueOf(inv).shiftLeft(pre)).divide(new BigDecimal(BigInteger.valueOf(std).shiftLeft(16)), 40, RoundingMode.HALF_EVEN);
            if (f[1] == 0) {
                assertTrue(real.compareTo(BigDecimal.ONE.movePointLeft(0).divide(BigDecimal.valueOf(1L << 17))) < 0, "zero multiplier for " + real);
                continue;
            }
            if (f[1] == 32767 && f[2] == 0 && real.compareTo(BigDecimal.valueOf(32767)) > 0) continue;
            assertTrue(f[1] >= 1 << 14 && f[1] < 1 << 15 && f[2] >= 0 && f[2] <= 31, Arrays.toString(f));
            BigDecimal exact = real.multiply(BigDecimal.valueOf(2).pow(f[2]));
            assertTrue(exact.subtract(BigDecimal.valueOf(f[1])).abs().compareTo(new BigDecimal("0.5")) <= 0,
                    "multiplier " + f[1] + " shift " + f[2] + " for " + exact);
        }
    }

    @Test
    void learnedThresholdIsTheExactPercentileOfTheShippedModelsScores() {
        Fixture fx = new Fixture();
        for (int pct : new int[] {9950, 9000, 10000, 6000}) {
            int m = 150;
            DeviceLearning l = new DeviceLearning(fx.q, new DeviceLearning.Plan(m, false, false, DeviceLearning.Centroids.KEEP, true, pct));
            long[] s = new long[m];
            for (int i = 0; i < m; i++) {
                l.learn(fx.normal[i]);
                s[i] = fx.q.score(fx.q.deviceInput(fx.normal[i]));   // the shipped model through its own feature path
            }
            assertTrue(l.done());
            Arrays.sort(s);
            // oracle: linear interpolation at p (m - 1), exactly, floored
            BigDecimal pos = BigDecimal.valueOf(pct).multiply(BigDecimal.valueOf(m - 1)).divide(BigDecimal.valueOf(10000));
            int lo = pos.intValue();
            BigDecimal frac = pos.subtract(BigDecimal.valueOf(lo));
            long hi = lo + 1 < m ? s[lo + 1] : s[lo];
            long want = BigDecimal.valueOf(s[lo]).add(BigDecimal.valueOf(hi - s[lo]).multiply(frac)).setScale(0, RoundingMode.FLOOR).longValueExact();
            assertEquals(want, l.thresholdQ(), "p" + pct / 100.0);
            assertTrue(l.model().alarm().rearm() <= l.thresholdQ());
        }
    }

    @Test
    void aShiftedMachineLearnsItsOwnNormalAndStopsAlarmingOnIt() {
        Fixture fx = new Fixture();
        // the same machine's signals, offset by 3000 counts and amplified x3: another pump on another front end
        int[][] other = new int[fx.normal.length][];
        for (int i = 0; i < other.length; i++) {
            other[i] = new int[fx.normal[i].length];
            for (int j = 0; j < other[i].length; j++) other[i][j] = Math.max(-32768, Math.min(32767, 3 * fx.normal[i][j] + 3000));
        }
        int learn = 400;
        double before = overRate(fx.q, other, learn, fx.q.thresholdQ(), null);
        DeviceLearning l = new DeviceLearning(fx.q, DeviceLearning.Plan.full(learn, 9950));
        for (int i = 0; i < learn; i++) l.learn(other[i]);
        assertTrue(l.done());
        // the channel phase is the host's fit rule on the learning counts: center the middle of the range
        int ch = fx.q.pipeline().channels().size();
        int lastChannelWindow = learn / 4;
        for (int c = 0; c < ch; c++) {
            int mn = Integer.MAX_VALUE, mx = Integer.MIN_VALUE;
            for (int i = 0; i < lastChannelWindow; i++) for (int t = c; t < other[i].length; t += ch) { mn = Math.min(mn, other[i][t]); mx = Math.max(mx, other[i][t]); }
            assertEquals(Math.floorDiv(mn + mx, 2), l.stage().center()[c], "channel " + c);
        }
        double after = overRate(fx.q, other, learn, l.thresholdQ(), l);
        assertTrue(before > 0.9, "without learning the other machine alarms on most normal windows: " + before);
        assertTrue(after < 0.05, "after learning its own normal it alarms on " + after + " of them");
        // and a window the learned state scores is the learned model on the learned inputs
        assertEquals(l.model().score(l.input(other[learn])), l.score(other[learn]));
    }

    private static double overRate(QuantizedModel q, int[][] w, int from, int thr, DeviceLearning l) {
        int over = 0;
        for (int i = from; i < w.length; i++) if ((l == null ? q.score(q.deviceInput(w[i])) : l.score(w[i])) > thr) over++;
        return over / (double) (w.length - from);
    }

    @Test
    void plansTheDeviceCannotHoldAreRefusedSayingWhy() {
        Fixture fx = new Fixture();
        DataException e = assertThrows(DataException.class,
                () -> new DeviceLearning(fx.q, new DeviceLearning.Plan(10_000, false, false, DeviceLearning.Centroids.KEEP, true, 9000)));
        assertTrue(e.getMessage().contains("top"), e.getMessage());
        assertThrows(DataException.class, () -> new DeviceLearning.Plan(0, true, true, DeviceLearning.Centroids.KEEP, true, 9950));
        assertThrows(DataException.class, () -> new DeviceLearning(fx.q, new DeviceLearning.Plan(10, false, false, DeviceLearning.Centroids.KEEP, false, 9950)));
    }
}
