package tinyad.quantizer;

import tinyad.datasets.IntStage;
import tinyad.datasets.Pipeline;

/**
 * The last step of the device's integer pipeline: each integer feature f to its int8 input, the normalisation
 * {@code (f - mean) / std} and the input quantization folded into one 16-bit multiplier per feature
 * (docs/features.md, "Inputs"):
 * <pre>
 *   d = clamp((f - offset) >> pre_shift, -32767, 32767)            (int16)
 *   q = clamp(((d * multiplier + 2^(shift-1)) >> shift) + zero_point, -128, 127)   (no rounding term for shift 0)
 * </pre>
 * with {@code offset = round(mean)}, {@code multiplier} in [2^14, 2^15) (or 0) and {@code shift} in [0, 31] such that
 * {@code multiplier * 2^-shift = 2^pre_shift / (std * input_scale)}, and {@code pre_shift} the smallest that keeps
 * every deviation short of saturating the output within int16. One 16x16-bit product per input: an 8-bit CPU
 * does it with its MUL instruction, where TFLite's 32-bit MultiplyByQuantizedMultiplier costs ~800 cycles there.
 */
public record DeviceFeatures(int[] offset, int[] preShift, int[] multiplier, int[] shift, int zeroPoint) {

    /** The fold for a model, from its pipeline's integer stage and its input quantization. */
    public static DeviceFeatures of(Pipeline pipeline, QuantParams input) {
        IntStage s = pipeline.requireInteger();
        int n = s.featureMean().length;
        int[] off = new int[n], pre = new int[n], mult = new int[n], sh = new int[n];
        for (int i = 0; i < n; i++) {
            off[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, QuantParams.roundHalfAway(s.featureMean()[i])));
            double real = 1.0 / (s.featureStd()[i] * input.scale());
            int[] m = fold(real);
            pre[i] = m[0];
            mult[i] = m[1];
            sh[i] = m[2];
        }
        return new DeviceFeatures(off, pre, mult, sh, input.zeroPoint());
    }

    /** {pre_shift, multiplier, shift} for a real multiplier (int8 steps per feature unit). */
    public static int[] fold(double real) {
        if (!(real > 0) || !Double.isFinite(real)) throw new IllegalArgumentException("feature multiplier must be positive: " + real);
        // beyond 256 / real feature units from the offset the output saturates: that span must fit int16 after the pre-shift
        int pre = 0;
        while (pre < 30 && 256.0 / real / Math.pow(2, pre) >= 32767) pre++;
        double scaled = real * Math.pow(2, pre);          // int8 steps per unit of d
        int shift = 14 - Math.getExponent(scaled);         // multiplier = scaled * 2^shift in [2^14, 2^15)
        if (shift > 31) return new int[] {pre, 0, 0};     // less than 2^-17 steps per unit: always the zero point
        if (shift < 0) return new int[] {pre, 32767, 0};  // more than 2^15 steps per unit: saturates at one unit anyway
        long m = Math.round(scaled * Math.pow(2, shift));
        if (m >= 32768) { m /= 2; shift--; }
        if (shift < 0) return new int[] {pre, 32767, 0};
        return new int[] {pre, (int) m, shift};
    }

    public static DeviceFeatures of(QuantizedModel m) {
        return of(m.pipeline(), m.inputQuant());
    }

    /** The int8 input of feature {@code i}. */
    public byte input(int i, int feature) {
        long shifted = ((long) feature - offset[i]) >> preShift[i];
        int d = (int) Math.max(-32767, Math.min(32767, shifted));
        int product = d * multiplier[i];                  // |d * m| < 2^30
        int v = (shift[i] == 0 ? product : (product + (1 << (shift[i] - 1))) >> shift[i]) + zeroPoint;
        return (byte) Math.max(-128, Math.min(127, v));
    }

    /** The int8 inputs of one window's integer features. */
    public byte[] inputs(int[] features) {
        byte[] q = new byte[features.length];
        for (int i = 0; i < q.length; i++) q[i] = input(i, features[i]);
        return q;
    }
}
