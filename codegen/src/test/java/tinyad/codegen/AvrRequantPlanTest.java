package tinyad.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import tinyad.quantizer.FixedPoint;
import tinyad.quantizer.QuantParams;
import tinyad.quantizer.QuantizedAutoencoder;

class AvrRequantPlanTest {
    private static byte[] weights(SplittableRandom r, int n) {
        byte[] w = new byte[n];
        for (int i = 0; i < n; i++) w[i] = (byte) r.nextInt(-127, 128);
        return w;
    }

    /**
     * The oracle: the integer reference's requantization written out with {@link FixedPoint} (quantizer), not
     * AvrRequantPlan's own reference, so a wrong formula there cannot agree with itself here.
     */
    private static int oracle(int bias, int multiplier, int shift, int zeroPoint, int activationMin, long sum) {
        int v = FixedPoint.multiplyByQuantizedMultiplier(Math.toIntExact(bias + sum), multiplier, shift) + zeroPoint;
        return Math.max(activationMin, Math.min(127, v));
    }

    /**
     * The plan against the quantizer's own layer ({@link QuantizedAutoencoder.Layer#forward}) on real int8 input vectors,
     * including the two that reach the ends of the sum range: what the device's output must be, from the class that
     * defines it. Input zero point 0, so the layer's bias is the plan's (folded) bias.
     */
    @Test
    void planEqualsTheLayerForwardPassOnInputVectors() {
        SplittableRandom r = new SplittableRandom(23);
        int planned = 0;
        for (int row = 0; row < 100; row++) {
            int n = 4 + r.nextInt(40);
            byte[] w = weights(r, n);
            int bias = r.nextInt(-30_000, 30_000);
            FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(r.nextDouble(0.0002, 0.05));
            int zp = r.nextInt(-128, 128), actMin = row % 2 == 0 ? Math.max(-128, zp) : -128;
            AvrRequantPlan plan = AvrRequantPlan.of(w, 0, n, bias, m.multiplier(), m.shift(), zp, actMin);
            if (plan == null) continue;
            planned++;
            QuantParams q = new QuantParams(0.1, 0);
            QuantizedAutoencoder.Layer layer = new QuantizedAutoencoder.Layer(n, 1, w, new int[] {bias}, new int[] {m.multiplier()},
                    new int[] {m.shift()}, 0, zp, actMin, new double[] {1}, q, new QuantParams(0.1, zp));
            for (int t = 0; t < 500; t++) {
                byte[] x = new byte[n];
                for (int i = 0; i < n; i++)
                    x[i] = (byte) (t == 0 ? (w[i] < 0 ? 127 : -128) : t == 1 ? (w[i] < 0 ? -128 : 127) : r.nextInt(-128, 128));
                long sum = 0;
                for (int i = 0; i < n; i++) sum += w[i] * x[i];
                assertEquals(layer.forward(x)[0], plan.apply(sum, actMin), "row " + row + " input " + t + " sum " + sum);
            }
        }
        assertTrue(planned >= 80, planned + " of 100 rows planned");
    }

    /** Every sum a short row can produce, plan against reference, for rows over many scales, zero points, ReLU and linear. */
    @Test
    void planEqualsTheReferenceOnEveryReachableSum() {
        SplittableRandom r = new SplittableRandom(7);
        int planned = 0, rows = 0;
        long sums = 0;
        for (int row = 0; row < 60; row++) {
            int n = 1 + r.nextInt(10);
            byte[] w = weights(r, n);
            int bias = row % 7 == 0 ? r.nextInt(-3_000_000, 3_000_000) : r.nextInt(-20_000, 20_000);
            FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(Math.pow(2, -r.nextDouble(2, 20)));
            int zp = r.nextInt(-128, 128), actMin = row % 2 == 0 ? zp : -128;
            AvrRequantPlan plan = AvrRequantPlan.of(w, 0, n, bias, m.multiplier(), m.shift(), zp, actMin);
            rows++;
            if (plan == null) continue;
            planned++;
            long[] range = AvrRequantPlan.sumRange(w, 0, n);
            for (long s = range[0]; s <= range[1]; s++, sums++) {
                int want = oracle(bias, m.multiplier(), m.shift(), zp, actMin, s);
                if (plan.apply(s, actMin) != want)
                    assertEquals(want, plan.apply(s, actMin), "row " + row + " sum " + s + " plan " + plan);
            }
        }
        assertTrue(planned >= rows * 8 / 10, planned + " of " + rows + " rows planned");
        assertTrue(sums > 1_000_000, "sums checked: " + sums);
    }

    /** Autoencoder-sized rows: most get a plan; each is checked at its range's ends and on random sums. */
    @Test
    void typicalRowsHavePlansThatHoldAcrossTheirRange() {
        SplittableRandom r = new SplittableRandom(11);
        int planned = 0;
        for (int row = 0; row < 200; row++) {
            byte[] w = weights(r, 32);
            int bias = r.nextInt(-40_000, 40_000);
            FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(r.nextDouble(0.0003, 0.01));
            AvrRequantPlan plan = AvrRequantPlan.of(w, 0, 32, bias, m.multiplier(), m.shift(), -7, -7);
            if (plan == null) continue;
            planned++;
            long[] range = AvrRequantPlan.sumRange(w, 0, 32);
            for (int i = 0; i < 2000; i++) {
                long s = i == 0 ? range[0] : i == 1 ? range[1] : r.nextLong(range[0], range[1] + 1);
                assertEquals(oracle(bias, m.multiplier(), m.shift(), -7, -7, s), plan.apply(s, -7), "sum " + s);
            }
        }
        assertTrue(planned >= 180, planned + " of 200 rows planned");
    }

    @Test
    void noPlanPastTwentyFourBitSums() {
        byte[] w = new byte[600];
        java.util.Arrays.fill(w, (byte) 127);
        assertNull(AvrRequantPlan.of(w, 0, 600, 0, 1 << 30, -10, 0, -128));
        assertNotNull(AvrRequantPlan.of(w, 0, 8, 0, 1 << 30, -10, 0, -128));
    }

    @Test
    void tableRowsAreLittleEndianWithTheirKind() {
        byte[] out = new byte[2 * AvrRequantPlan.BYTES];
        new AvrRequantPlan(0x89123456L, -3, -2L, 5L, 4).write(out, 0);
        assertEquals(4, out[0]);
        assertEquals(0x56, out[1] & 0xFF);
        assertEquals(0x89, out[4] & 0xFF);
        assertEquals(0xFD, out[5] & 0xFF);
        assertEquals(0xFF, out[7] & 0xFF);
        assertEquals(0xFE, out[8] & 0xFF);
        for (int i = 9; i < 15; i++) assertEquals(0xFF, out[i] & 0xFF, "offset byte " + i);
        assertEquals(5, out[15]);
        assertEquals(0, out[21]);
        int g = AvrRequantPlan.BYTES;
        AvrRequantPlan.writeGeneral(out, g, -1, 0x40000001, -9);
        assertEquals(0, out[g]);
        assertEquals(0xFF, out[g + 4] & 0xFF);
        assertEquals(0x01, out[g + 5] & 0xFF);
        assertEquals(0x40, out[g + 8] & 0xFF);
        assertEquals(-9, out[g + 9]);
    }
}
