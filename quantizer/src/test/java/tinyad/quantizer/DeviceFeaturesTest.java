package tinyad.quantizer;

import static org.junit.jupiter.api.Assertions.*;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import org.junit.jupiter.api.Test;

/**
 * The feature fold against what it stands for: {@code clamp(round((f - offset) * real) + zero_point)} in real
 * arithmetic, within one int8 step (the 16-bit multiplier and the pre-shift round), exact where the arithmetic is
 * exact, saturating at both ends.
 */
class DeviceFeaturesTest {
    @Property(tries = 2000)
    void foldIsTheRealMultiplierWithinOneStep(@ForAll @DoubleRange(min = -22, max = 12) double log2Real,
                                              @ForAll int feature, @ForAll @IntRange(min = -1 << 24, max = 1 << 24) int offset,
                                              @ForAll @IntRange(min = -128, max = 127) int zeroPoint) {
        double real = Math.pow(2, log2Real);
        int[] fold = DeviceFeatures.fold(real);
        assertTrue(fold[1] == 0 || (fold[1] >= 1 << 14 && fold[1] < 1 << 15) || fold[1] == 32767, "multiplier " + fold[1]);
        assertTrue(fold[2] >= 0 && fold[2] <= 31, "shift " + fold[2]);
        DeviceFeatures d = new DeviceFeatures(new int[] {offset}, new int[] {fold[0]}, new int[] {fold[1]}, new int[] {fold[2]}, zeroPoint);
        double want = Math.max(-128, Math.min(127, Math.rint(((double) feature - offset) * real) + zeroPoint));
        assertEquals(want, d.input(0, feature), 1.0, "feature " + feature + " offset " + offset + " real " + real);
    }

    @Test
    void handComputedFolds() {
        // real 1: pre-shift 0, multiplier 2^14, shift 14: (d * 2^14 + 2^13) >> 14 = d
        assertArrayEquals(new int[] {0, 16384, 14}, DeviceFeatures.fold(1.0));
        DeviceFeatures one = new DeviceFeatures(new int[] {10}, new int[] {0}, new int[] {16384}, new int[] {14}, 3);
        assertEquals(3 + 5, one.input(0, 15));
        assertEquals(3 - 7, one.input(0, 3));
        assertEquals(127, one.input(0, 1_000_000));      // saturates high
        assertEquals(-128, one.input(0, -1_000_000));    // and low
        assertEquals(127, one.input(0, Integer.MAX_VALUE));
        assertEquals(-128, one.input(0, Integer.MIN_VALUE));
        // real 0.75: multiplier 0.75 * 2^15 = 24576, shift 15; 5 * 0.75 = 3.75 -> 4; -5 * 0.75 = -3.75 -> -4; 2 * 0.75 = 1.5 -> 2 (half up)
        assertArrayEquals(new int[] {0, 24576, 15}, DeviceFeatures.fold(0.75));
        DeviceFeatures q = new DeviceFeatures(new int[] {0}, new int[] {0}, new int[] {24576}, new int[] {15}, 0);
        assertEquals(4, q.input(0, 5));
        assertEquals(-4, q.input(0, -5));
        assertEquals(2, q.input(0, 2));
        assertEquals(-1, q.input(0, -2));                // -1.5 -> -1: ties round up, as (x + half) >> s
        // a tiny multiplier needs a pre-shift: 2^-20 steps per unit saturates only past 2^27 units
        int[] tiny = DeviceFeatures.fold(Math.pow(2, -20));
        assertTrue(tiny[0] > 0, "pre-shift " + tiny[0]);
        DeviceFeatures t = new DeviceFeatures(new int[] {0}, new int[] {tiny[0]}, new int[] {tiny[1]}, new int[] {tiny[2]}, 0);
        assertEquals(64, t.input(0, 64 << 20));
        assertEquals(-64, t.input(0, -(64 << 20)));
        assertThrows(IllegalArgumentException.class, () -> DeviceFeatures.fold(0));
        assertThrows(IllegalArgumentException.class, () -> DeviceFeatures.fold(Double.NaN));
    }

    @Test
    void inputsFoldEveryFeatureWithItsOwnConstants() {
        DeviceFeatures d = new DeviceFeatures(new int[] {0, 100}, new int[] {0, 0}, new int[] {16384, 16384}, new int[] {14, 13}, -1);
        assertArrayEquals(new byte[] {9, 19}, d.inputs(new int[] {10, 110}));   // 10 - 1; (110 - 100) * 2 - 1
    }
}
