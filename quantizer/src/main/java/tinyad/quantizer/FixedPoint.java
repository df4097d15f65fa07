package tinyad.quantizer;

/**
 * The fixed-point primitives of int8 requantization, bit-exact with gemmlowp/TFLite Micro/CMSIS-NN
 * and with firmware-c's tinyad_requant.c. Spec: docs/quantization.md.
 */
public final class FixedPoint {
    private FixedPoint() {}

    /** A real multiplier {@code m} as {@code multiplier * 2^(shift - 31)}, multiplier in [2^30, 2^31). */
    public record Multiplier(int multiplier, int shift) {
        public double value() {
            return multiplier * Math.pow(2, shift - 31);
        }
    }

    /** TFLite's QuantizeMultiplier: frexp, round the Q31 mantissa half away from zero, fix 2^31 overflow. */
    public static Multiplier quantizeMultiplier(double m) {
        if (m == 0) return new Multiplier(0, 0);
        if (!(m > 0) || !Double.isFinite(m)) throw new IllegalArgumentException("multiplier must be positive: " + m);
        int shift = Math.getExponent(m) + 1;            // m = q * 2^shift, q in [0.5, 1)
        double q = m / Math.pow(2, shift);
        long qFixed = Math.round(q * (1L << 31));       // q > 0: Math.round is half away from zero here
        if (qFixed == (1L << 31)) { qFixed /= 2; shift++; }
        if (shift < -31) return new Multiplier(0, 0);
        if (shift > 30) throw new IllegalArgumentException("multiplier too large: " + m);
        return new Multiplier((int) qFixed, shift);
    }

    /** gemmlowp SaturatingRoundingDoublingHighMul: (a*b*2 + 2^31 rounding, half away from zero) >> 32. */
    public static int saturatingRoundingDoublingHighMul(int a, int b) {
        if (a == Integer.MIN_VALUE && b == Integer.MIN_VALUE) return Integer.MAX_VALUE;
        long ab = (long) a * (long) b;
        long nudge = ab >= 0 ? (1L << 30) : (1 - (1L << 30));
        return (int) ((ab + nudge) / (1L << 31));
    }

    /** gemmlowp RoundingDivideByPOT: x / 2^exponent rounded half away from zero, exponent in [0, 31]. */
    public static int roundingDivideByPOT(int x, int exponent) {
        if (exponent < 0 || exponent > 31) throw new IllegalArgumentException("exponent out of range: " + exponent);
        int mask = (int) ((1L << exponent) - 1);
        int remainder = x & mask;
        int threshold = (mask >> 1) + ((x < 0) ? 1 : 0);
        return (x >> exponent) + ((remainder > threshold) ? 1 : 0);
    }

    /** TFLite MultiplyByQuantizedMultiplier: x * multiplier * 2^(shift - 31), rounded as above. */
    public static int multiplyByQuantizedMultiplier(int x, int multiplier, int shift) {
        int left = shift > 0 ? shift : 0;
        int right = shift > 0 ? 0 : -shift;
        return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x * (1 << left), multiplier), right);
    }
}
