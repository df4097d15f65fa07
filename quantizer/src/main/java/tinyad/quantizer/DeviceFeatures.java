package tinyad.quantizer;

import tinyad.datasets.IntStage;
import tinyad.datasets.Pipeline;

/**
 * The last step of the device's integer pipeline: each integer feature f to its int8 input,
 * {@code clamp(MBQM(clamp(f - offset, +-lim), multiplier, shift) + input_zero_point, -128, 127)},
 * {@code lim = 2^(30 - max(0, shift))}: the normalisation and the input quantization folded into one
 * QuantizeMultiplier per feature ({@code 1 / (feature_std * input_scale)}, {@code offset = round(feature_mean)}).
 * The clamp before the multiply keeps a left shift from wrapping; any value it moves saturates the output anyway.
 */
public record DeviceFeatures(int[] offset, int[] multiplier, int[] shift, int zeroPoint) {

    /** The fold for a model, from its pipeline's integer stage and its input quantization. */
    public static DeviceFeatures of(Pipeline pipeline, QuantParams input) {
        IntStage s = pipeline.requireInteger();
        int n = s.featureMean().length;
        int[] off = new int[n], mult = new int[n], sh = new int[n];
        for (int i = 0; i < n; i++) {
            off[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, QuantParams.roundHalfAway(s.featureMean()[i])));
            FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(1.0 / (s.featureStd()[i] * input.scale()));
            mult[i] = m.multiplier();
            sh[i] = m.shift();
        }
        return new DeviceFeatures(off, mult, sh, input.zeroPoint());
    }

    public static DeviceFeatures of(QuantizedModel m) {
        return of(m.pipeline(), m.inputQuant());
    }

    /** The int8 input of feature {@code i}. */
    public byte input(int i, int feature) {
        long lim = 1L << (30 - Math.max(0, shift[i]));
        int d = (int) Math.max(-lim, Math.min(lim, (long) feature - offset[i]));
        int v = FixedPoint.multiplyByQuantizedMultiplier(d, multiplier[i], shift[i]) + zeroPoint;
        return (byte) Math.max(-128, Math.min(127, v));
    }

    /** The int8 inputs of one window's integer features. */
    public byte[] inputs(int[] features) {
        byte[] q = new byte[features.length];
        for (int i = 0; i < q.length; i++) q[i] = input(i, features[i]);
        return q;
    }
}
