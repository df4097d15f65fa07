package tinyad.quantizer;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class FixedPointTest {
    /** Exact round-half-away-from-zero of num / 2^k. */
    static BigInteger roundHalfAway(BigInteger num, int k) {
        return new BigDecimal(num).divide(new BigDecimal(BigInteger.ONE.shiftLeft(k)))
                .setScale(0, RoundingMode.HALF_UP).toBigIntegerExact();   // HALF_UP on BigDecimal is away from zero
    }

    /** The doubling high multiply's exact rule: floor((a*b + 2^30) / 2^31), i.e. ties toward +infinity. */
    static long highMulExact(int a, int b) {
        BigInteger ab = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b)).add(BigInteger.ONE.shiftLeft(30));
        BigInteger[] qr = ab.divideAndRemainder(BigInteger.ONE.shiftLeft(31));
        BigInteger floor = qr[1].signum() < 0 ? qr[0].subtract(BigInteger.ONE) : qr[0];
        return Math.min(Integer.MAX_VALUE, floor.longValueExact());
    }

    @Test
    void highMulHandVectors() {
        assertEquals(Integer.MAX_VALUE, FixedPoint.saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MIN_VALUE));
        assertEquals(0, FixedPoint.saturatingRoundingDoublingHighMul(0, 12345));
        // 2^30 * 2^30 * 2 / 2^32 = 2^29
        assertEquals(1 << 29, FixedPoint.saturatingRoundingDoublingHighMul(1 << 30, 1 << 30));
        // Ties: gemmlowp's nudge (2^30, or 1 - 2^30 for a negative product) with a truncating division
        // rounds a positive tie up and a negative tie toward zero, as TFLite Micro and CMSIS-NN do.
        assertEquals(2, FixedPoint.saturatingRoundingDoublingHighMul(3, 1 << 30));    // 1.5 -> 2
        assertEquals(-1, FixedPoint.saturatingRoundingDoublingHighMul(-3, 1 << 30));  // -1.5 -> -1
        assertEquals(1, FixedPoint.saturatingRoundingDoublingHighMul(1, 1 << 30));    // 0.5 -> 1
        assertEquals(0, FixedPoint.saturatingRoundingDoublingHighMul(-1, 1 << 30));   // -0.5 -> 0
        assertEquals(-2, FixedPoint.saturatingRoundingDoublingHighMul(-7, 1 << 29));  // -1.75 -> -2
        assertEquals(-1, FixedPoint.saturatingRoundingDoublingHighMul(-5, 1 << 29));  // -1.25 -> -1
        assertEquals(-Integer.MAX_VALUE, FixedPoint.saturatingRoundingDoublingHighMul(Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void roundingDivideHandVectors() {
        assertEquals(3, FixedPoint.roundingDivideByPOT(5, 1));    // 2.5 -> 3
        assertEquals(3, FixedPoint.roundingDivideByPOT(6, 1));
        assertEquals(-3, FixedPoint.roundingDivideByPOT(-5, 1));  // -2.5 -> -3
        assertEquals(-2, FixedPoint.roundingDivideByPOT(-7, 2));  // -1.75 -> -2
        assertEquals(-2, FixedPoint.roundingDivideByPOT(-6, 2));  // -1.5 -> -2
        assertEquals(-1, FixedPoint.roundingDivideByPOT(-5, 2));  // -1.25 -> -1
        assertEquals(7, FixedPoint.roundingDivideByPOT(7, 0));
        assertEquals(-1, FixedPoint.roundingDivideByPOT(Integer.MIN_VALUE, 31));
        assertEquals(1, FixedPoint.roundingDivideByPOT(Integer.MAX_VALUE, 31));
    }

    @Property(tries = 3000)
    void roundingDivideIsExactHalfAwayFromZero(@ForAll int x, @ForAll @IntRange(min = 0, max = 31) int exponent) {
        assertEquals(roundHalfAway(BigInteger.valueOf(x), exponent).intValueExact(), FixedPoint.roundingDivideByPOT(x, exponent));
    }

    @Property(tries = 3000)
    void highMulIsExactlyItsRoundingRule(@ForAll int a, @ForAll int b) {
        assertEquals(highMulExact(a, b), FixedPoint.saturatingRoundingDoublingHighMul(a, b));
    }

    @Property(tries = 3000)
    void requantizationMatchesItsTwoStepDefinition(@ForAll int x, @ForAll @IntRange(min = 1 << 30) int multiplier,
                                                   @ForAll @IntRange(min = -31, max = 0) int shift) {
        // right shifts only (multipliers < 1, as every layer has): the high multiply, then a rounding shift
        int expected = roundHalfAway(BigInteger.valueOf(highMulExact(x, multiplier)), -shift).intValueExact();
        assertEquals(expected, FixedPoint.multiplyByQuantizedMultiplier(x, multiplier, shift));
    }

    @Property(tries = 2000)
    void quantizeMultiplierRepresentsTheRealValue(@ForAll @IntRange(min = 1, max = 1 << 20) int mantissa,
                                                  @ForAll @IntRange(min = -30, max = -11) int exponent) {
        double m = Math.scalb((double) mantissa, exponent);
        FixedPoint.Multiplier q = FixedPoint.quantizeMultiplier(m);
        assertTrue(q.multiplier() >= (1 << 30), "normalised mantissa");
        assertEquals(m, q.value(), m * Math.pow(2, -30));
    }

    @Test
    void requantizationHandVectorsSharedWithTheCRuntime() {
        assertEquals(500, FixedPoint.multiplyByQuantizedMultiplier(1000, 1 << 30, 0));
        // 1001 * 0.25 = 250.25, but TFLite rounds twice: 500.5 -> 501, then 250.5 -> 251
        assertEquals(251, FixedPoint.multiplyByQuantizedMultiplier(1001, 1 << 30, -1));
        assertEquals(-251, FixedPoint.multiplyByQuantizedMultiplier(-1002, 1 << 30, -1));
        assertEquals(6, FixedPoint.multiplyByQuantizedMultiplier(3, 1 << 30, 2));
    }

    @Test
    void quantizeMultiplierHandVectors() {
        assertEquals(new FixedPoint.Multiplier(1 << 30, 0), FixedPoint.quantizeMultiplier(0.5));
        assertEquals(new FixedPoint.Multiplier(1 << 30, 1), FixedPoint.quantizeMultiplier(1.0));
        assertEquals(new FixedPoint.Multiplier(1 << 30, -1), FixedPoint.quantizeMultiplier(0.25));
        // just below 1: the Q31 mantissa rounds up to 2^31 and is renormalised
        assertEquals(new FixedPoint.Multiplier(1 << 30, 1), FixedPoint.quantizeMultiplier(1.0 - 1e-12));
        assertEquals(new FixedPoint.Multiplier(0, 0), FixedPoint.quantizeMultiplier(0));
        assertEquals(new FixedPoint.Multiplier(0, 0), FixedPoint.quantizeMultiplier(Math.scalb(1.0, -40)));   // underflows to 0
    }
}
