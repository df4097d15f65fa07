package tinyad.quantizer;

/**
 * Affine int8 quantization of one tensor: {@code real = scale * (q - zeroPoint)}, q in [-128, 127].
 * Rounding is half away from zero, as on the device.
 */
public record QuantParams(double scale, int zeroPoint) {

    public QuantParams {
        if (!(scale > 0) || !Double.isFinite(scale)) throw new IllegalArgumentException("scale must be positive, got " + scale);
        if (zeroPoint < -128 || zeroPoint > 127) throw new IllegalArgumentException("zero point out of int8 range: " + zeroPoint);
    }

    /**
     * Asymmetric parameters covering [min, max] widened to include 0 (so that 0 is exact, as padding and
     * ReLU need). A zero range (constant calibration data) gets scale 1 instead of a division by zero.
     */
    public static QuantParams fromRange(double min, double max) {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max)
            throw new IllegalArgumentException("bad calibration range [" + min + ", " + max + "]");
        double lo = Math.min(min, 0), hi = Math.max(max, 0);
        if (hi - lo < 1e-12) return new QuantParams(1.0, 0);
        double scale = (hi - lo) / 255.0;
        long zp = Math.round(-128 - lo / scale);
        return new QuantParams(scale, (int) Math.max(-128, Math.min(127, zp)));
    }

    public byte quantize(double real) {
        long q = roundHalfAway(real / scale) + zeroPoint;
        return (byte) Math.max(-128, Math.min(127, q));
    }

    public double dequantize(int q) {
        return scale * (q - zeroPoint);
    }

    public byte[] quantize(double[] real) {
        byte[] q = new byte[real.length];
        for (int i = 0; i < q.length; i++) q[i] = quantize(real[i]);
        return q;
    }

    static long roundHalfAway(double v) {
        return (long) (v < 0 ? -Math.floor(-v + 0.5) : Math.floor(v + 0.5));
    }
}
