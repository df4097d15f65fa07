package tinyad.datasets;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import tinyad.common.DataException;

/**
 * The integer side of a {@link Pipeline}: how the device turns its int16 sensor counts into feature values
 * (docs/features.md, "Integer features"), fitted on the training windows next to the float pipeline.
 * <ul>
 *   <li>{@code sampleOffset}, {@code sampleLsb}: per channel, how a value in the data maps to a count,
 *       {@code count = round((value - offset) / lsb)}, clamped to int16. Data that already holds integer
 *       counts (a device's raw stream) gets offset 0 and lsb 1; other data gets a scale that puts the training
 *       range within +-4096 counts. The device never computes this: its sensor gives counts.</li>
 *   <li>{@code center}, {@code shift}: per channel, the centred sample {@code clamp((count - center) >> shift, +-A)},
 *       the shift chosen so that four times the training spread fits A.</li>
 *   <li>{@code zero}: per channel, the physical zero in centred-sample units (RMS and crest factor are taken about it).</li>
 *   <li>{@code featureMean}, {@code featureStd}: the normalisation of the integer features, fitted on the training
 *       windows the same way as the float one (per channel for raw windows, per feature otherwise), so that the
 *       normalised integer features match the float ones the detector was trained on.</li>
 * </ul>
 */
public record IntStage(double[] sampleOffset, double[] sampleLsb, int[] center, int[] shift, long[] zero,
                       double[] featureMean, double[] featureStd) {

    /** Headroom of the centred samples over the training spread: anomalies are not clipped at once. */
    public static final int HEADROOM = 4;
    /** The training range of non-integer data maps to +-this many counts. */
    public static final int COUNT_RANGE = 4096;

    public IntStage {
        int ch = sampleOffset.length;
        if (sampleLsb.length != ch || center.length != ch || shift.length != ch || zero.length != ch)
            throw new IllegalArgumentException("integer stage: per-channel arrays differ in length");
        if (featureMean.length != featureStd.length) throw new IllegalArgumentException("integer stage: feature arrays differ in length");
        for (int c = 0; c < ch; c++) {
            if (!(sampleLsb[c] > 0) || !Double.isFinite(sampleLsb[c]) || !Double.isFinite(sampleOffset[c]))
                throw new IllegalArgumentException("integer stage: bad sample scale of channel " + c);
            if (shift[c] < 0 || shift[c] > 16) throw new IllegalArgumentException("integer stage: shift out of range");
            if (center[c] < -65536 || center[c] > 65536) throw new IllegalArgumentException("integer stage: center out of range");
        }
        for (double s : featureStd) if (!(s > 0) || !Double.isFinite(s)) throw new IllegalArgumentException("integer stage: bad feature spread");
        for (double m : featureMean) if (!Double.isFinite(m)) throw new IllegalArgumentException("integer stage: bad feature mean");
    }

    /** Why a pipeline has no integer stage, or null when it can have one. */
    public static String unsupported(int window, FeatureSet features) {
        if (window > IntFeatures.MAX_WINDOW) return "integer features take windows of at most " + IntFeatures.MAX_WINDOW + " samples";
        boolean spectral = features.blocks().stream().anyMatch(b -> b.kind().equals("spectral"));
        if (spectral && Integer.bitCount(window) != 1) return "integer spectral features need a power-of-two window (got " + window + ")";
        return null;
    }

    /** The int16 count of one value of channel {@code c}. */
    public int count(double value, int c) {
        return count(value, sampleOffset[c], sampleLsb[c]);
    }

    static int count(double value, double offset, double lsb) {
        double q = Math.rint((value - offset) / lsb);
        if (Double.isNaN(q)) return 0;
        return (int) Math.max(-32768, Math.min(32767, q));
    }

    /** A window of values (sample-major) as counts. */
    public int[] counts(double[] window, int channels) {
        int[] out = new int[window.length];
        for (int i = 0; i < window.length; i++) out[i] = count(window[i], i % channels);
        return out;
    }

    /** The integer features of one window of counts (sample-major), in the feature set's order. */
    public int[] features(int[] counts, int channels, FeatureSet set) {
        int n = counts.length / channels, limit = IntFeatures.sampleLimit(n);
        int[][] x = new int[channels][n];
        for (int c = 0; c < channels; c++)
            for (int t = 0; t < n; t++) x[c][t] = IntFeatures.centred(counts[t * channels + c], center[c], shift[c], limit);
        int[] out = new int[set.size(n, channels)];
        int o = 0;
        for (FeatureSet.Block b : set.blocks()) {
            switch (b.kind()) {
                case "raw" -> {
                    for (int t = 0; t < n; t++) for (int c = 0; c < channels; c++) out[o++] = x[c][t];
                }
                case "stats" -> {
                    for (int c = 0; c < channels; c++, o += FeatureSet.STATS_PER_CHANNEL) IntFeatures.stats(x[c], zero[c], out, o);
                }
                default -> {
                    short[][] tw = IntFeatures.twiddles(n);
                    for (int c = 0; c < channels; c++, o += b.bins()) IntFeatures.spectral(x[c], b.bins(), tw, out, o);
                }
            }
        }
        return out;
    }

    /** Normalised integer features: {@code (f - mean) / std}, the float detector's input domain. */
    public double[] normalise(int[] features) {
        double[] y = new double[features.length];
        for (int i = 0; i < y.length; i++) y[i] = (features[i] - featureMean[i]) / featureStd[i];
        return y;
    }

    /**
     * {center, shift} of a channel whose counts span [cmin, cmax]: the middle, and the smallest shift (at most 16) that
     * fits HEADROOM times the spread into the centred samples' limit. The host's fit and a device learning on site use it.
     */
    public static int[] centring(int cmin, int cmax, int limit) {
        int center = (int) Math.floorDiv((long) cmin + cmax, 2);
        long spread = Math.max((long) cmax - center, (long) center - cmin) * HEADROOM;
        int s = 0;
        while ((spread >> s) > limit && s < 16) s++;
        return new int[] {center, s};
    }

    /** Fits the integer stage on the training windows (normal ones) of a float pipeline's data, or returns null. */
    public static IntStage fit(Windows train, FeatureSet set) {
        int ch = train.channels(), n = train.length();
        if (unsupported(n, set) != null || train.count() == 0) return null;
        double[] offset = new double[ch], lsb = new double[ch];
        int[] center = new int[ch], shift = new int[ch];
        long[] zero = new long[ch];
        int limit = IntFeatures.sampleLimit(n);
        for (int c = 0; c < ch; c++) {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            boolean integers = true;
            for (double[] w : train.data())
                for (int t = 0; t < n; t++) {
                    double v = w[t * ch + c];
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                    integers &= v == Math.rint(v) && Math.abs(v) <= 32767;
                }
            if (!Double.isFinite(lo) || !Double.isFinite(hi)) throw new DataException("channel " + c + " has values that are not finite");
            if (integers) {                 // a device's raw counts: keep them as they are
                offset[c] = 0;
                lsb[c] = 1;
            } else {
                offset[c] = (lo + hi) / 2;
                lsb[c] = hi > lo ? (hi - lo) / 2 / COUNT_RANGE : Math.max(Math.abs(hi), 1e-6) / COUNT_RANGE;
            }
            int[] cs = centring(count(lo, offset[c], lsb[c]), count(hi, offset[c], lsb[c]), limit);
            center[c] = cs[0];
            shift[c] = cs[1];
            int s = cs[1];
            double zeroCount = -offset[c] / lsb[c];
            double z = Math.rint((zeroCount - center[c]) / (1 << s));
            long zl = IntFeatures.zeroLimit(n);
            zero[c] = (long) Math.max(-zl, Math.min(zl, z));
        }
        IntStage stage = new IntStage(offset, lsb, center, shift, zero, new double[0], new double[0]);
        int[][] f = new int[train.count()][];
        for (int i = 0; i < f.length; i++) f[i] = stage.features(stage.counts(train.data()[i], ch), ch, set);
        double[][] asDouble = new double[f.length][];
        for (int i = 0; i < f.length; i++) {
            asDouble[i] = new double[f[i].length];
            for (int j = 0; j < f[i].length; j++) asDouble[i][j] = f[i][j];
        }
        Normaliser norm = set.isRawOnly() ? Normaliser.fitPerChannel(asDouble, ch) : Normaliser.fitPerFeature(asDouble);
        // a spread below one unit of an integer feature is rounding, not signal
        double[] std = norm.std().clone();
        for (int i = 0; i < std.length; i++) std[i] = Math.max(1.0, std[i]);
        return new IntStage(offset, lsb, center, shift, zero, norm.mean(), std);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (double v : sampleOffset) o.withArray("sample_offset").add(v);
        for (double v : sampleLsb) o.withArray("sample_lsb").add(v);
        for (int v : center) o.withArray("center").add(v);
        for (int v : shift) o.withArray("shift").add(v);
        for (long v : zero) o.withArray("zero").add(v);
        for (double v : featureMean) o.withArray("feature_mean").add(v);
        for (double v : featureStd) o.withArray("feature_std").add(v);
        return o;
    }

    public static IntStage fromJson(JsonNode o) {
        List<String> keys = List.of("sample_offset", "sample_lsb", "center", "shift", "zero", "feature_mean", "feature_std");
        for (String k : keys) if (!o.path(k).isArray()) throw new IllegalArgumentException("integer stage: missing " + k);
        JsonNode c = o.get("center"), s = o.get("shift"), z = o.get("zero");
        int[] center = new int[c.size()], shift = new int[s.size()];
        long[] zero = new long[z.size()];
        for (int i = 0; i < center.length; i++) center[i] = c.get(i).asInt();
        for (int i = 0; i < shift.length; i++) shift[i] = s.get(i).asInt();
        for (int i = 0; i < zero.length; i++) zero[i] = z.get(i).asLong();
        return new IntStage(Pipeline.doubles(o.get("sample_offset")), Pipeline.doubles(o.get("sample_lsb")), center, shift, zero,
                Pipeline.doubles(o.get("feature_mean")), Pipeline.doubles(o.get("feature_std")));
    }
}
