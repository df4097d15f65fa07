package tinyad.model;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import tinyad.common.DataException;
import tinyad.datasets.FeatureSet;
import tinyad.datasets.IntFeatures;
import tinyad.datasets.IntStage;

/**
 * The one check of what a model file means, run by {@link ModelArchive#read} before any command uses it: every
 * field of docs/model-format.md has the JSON type, range and size its readers and the generated C assume, sizes
 * connect (pipeline to inputs, layer to layer, tensors to the sizes in the metadata) and every number is finite.
 * The CRC only proves the bytes are the ones written; this proves they describe a model tinyad can run, so no
 * later stage meets a hop of 0, a NaN threshold or a layer chain that does not connect. Each failure names the
 * field. Unknown kinds are left to the loaders, which refuse them by name.
 */
final class ModelCheck {
    /** Bounds far above any model tinyad trains, low enough that no product of them overflows an int. */
    static final int MAX_CHANNELS = 1024, MAX_WINDOW = 65_536, MAX_INPUTS = 1 << 20, MAX_K = 4096, MAX_LAYERS = 32;
    /** Largest tensor, in elements (64 MiB of float32). */
    static final long MAX_TENSOR = 16L << 20;
    /** A threshold beyond this is no score any model reaches (scores are squared distances of normalised inputs). */
    static final double MAX_THRESHOLD = 1e30;

    private ModelCheck() {}

    static final Set<String> KINDS = Set.of("kmeans", "autoencoder", "kmeans-int8", "autoencoder-int8");

    static void check(ObjectNode m, Map<String, Object> tensors) {
        String kind = m.path("kind").asText();
        if (!m.path("kind").isTextual()) throw bad("kind", "missing or not a string");
        if (!KINDS.contains(kind)) return;
        int inputs = pipeline(m.path("pipeline"));
        number(m, "threshold", -MAX_THRESHOLD, MAX_THRESHOLD);
        if (m.has("threshold_percentile")) number(m, "threshold_percentile", Double.MIN_VALUE, 100);
        if (m.has("seed") && !m.get("seed").canConvertToLong()) throw bad("seed", "not an integer");
        if (m.has("training_sha256") && !m.get("training_sha256").isTextual()) throw bad("training_sha256", "not a string");
        if (m.has("alarm")) {   // the alarm rule (docs/alarms.md): bounds as AlarmRule and the firmware's state hold them
            JsonNode a = m.get("alarm");
            if (!a.isObject()) throw bad("alarm", "not an object");
            int n = integer(a, "n", "alarm.n", 1, AlarmRule.MAX_N);
            integer(a, "k", "alarm.k", 1, n);
            integer(a, "holdoff", "alarm.holdoff", 0, AlarmRule.MAX_HOLDOFF);
            String rearm = kind.endsWith("-int8") ? "rearm_q" : "rearm";
            number(a, rearm, "alarm." + rearm, -MAX_THRESHOLD, MAX_THRESHOLD);
        }
        switch (kind) {
            case "kmeans" -> {
                int k = integer(m, "k", 1, MAX_K);
                tensorSize("centroids", (long) k * inputs);
                float[] c = floats(tensors, "centroids", (long) k * inputs);
                finite("centroids", c);
                if (radius(m)) nonNegative("radii", floats(tensors, "radii", k));
            }
            case "autoencoder" -> {
                JsonNode ls = array(m, "layers", 2, MAX_LAYERS + 1);
                int[] sizes = new int[ls.size()];
                for (int i = 0; i < sizes.length; i++) sizes[i] = integer(ls, i, "layers[" + i + "]", 1, MAX_INPUTS);
                if (sizes[0] != inputs || sizes[sizes.length - 1] != inputs)
                    throw bad("layers", "the first and last size must be the pipeline's " + inputs + " inputs, got "
                            + sizes[0] + " and " + sizes[sizes.length - 1]);
                for (int l = 0; l + 1 < sizes.length; l++) {
                    tensorSize("dense" + l + ".weight", (long) sizes[l] * sizes[l + 1]);
                    finite("dense" + l + ".weight", floats(tensors, "dense" + l + ".weight", (long) sizes[l] * sizes[l + 1]));
                    finite("dense" + l + ".bias", floats(tensors, "dense" + l + ".bias", sizes[l + 1]));
                }
                JsonNode h = m.path("history");
                for (String f : new String[] {"train_loss", "validation_loss"})
                    if (h.has(f)) {
                        JsonNode a = h.get(f);
                        if (!a.isArray()) throw bad("history." + f, "not an array");
                        for (int i = 0; i < a.size(); i++)
                            if (!a.get(i).isNumber() || !Double.isFinite(a.get(i).asDouble()))
                                throw bad("history." + f + "[" + i + "]", "not a finite number");
                    }
            }
            case "kmeans-int8" -> {
                inputQuant(m);
                int k = integer(m, "k", 1, MAX_K);
                // 255^2 per input must fit the int32 squared distance (QuantizedKMeans.MAX_FEATURES)
                if (inputs > Integer.MAX_VALUE / (255 * 255))
                    throw bad("pipeline", inputs + " inputs could overflow the int32 distance (limit " + Integer.MAX_VALUE / (255 * 255) + ")");
                integer(m, "threshold_q", Integer.MIN_VALUE, Integer.MAX_VALUE);
                tensorSize("centroids", (long) k * inputs);
                int8s(tensors, "centroids", (long) k * inputs);
                if (radius(m)) {
                    int[] r = int32s(tensors, "radii", k);
                    for (int j = 0; j < r.length; j++) if (r[j] < 0) throw bad("radii[" + j + "]", "is negative (" + r[j] + ")");
                }
                integerStage(m.path("pipeline"), m.path("input_quant").path("scale").asDouble());
            }
            case "autoencoder-int8" -> {
                int zp = inputQuant(m);
                double scale = m.path("input_quant").path("scale").asDouble();
                integer(m, "threshold_q", Integer.MIN_VALUE, Integer.MAX_VALUE);
                JsonNode ls = array(m, "layers", 1, MAX_LAYERS);
                boolean requant = m.has("output_requant");
                if (requant) {
                    JsonNode r = m.get("output_requant");
                    if (!r.isObject()) throw bad("output_requant", "not an object");
                    int rm = integer(r, "multiplier", "output_requant.multiplier", 0, Integer.MAX_VALUE);
                    integer(r, "shift", "output_requant.shift", -31, 30);
                    if (rm != 0 && rm < (1 << 30)) throw bad("output_requant.multiplier", rm + " is not 0 or in [2^30, 2^31)");
                }
                int expected = inputs;
                int prevZp = zp;
                double prevScale = scale;
                for (int l = 0; l < ls.size(); l++) {
                    JsonNode o = ls.get(l);
                    String f = "layers[" + l + "]";
                    if (!o.isObject()) throw bad(f, "not an object");
                    int in = integer(o, "in", f + ".in", 1, MAX_INPUTS), out = integer(o, "out", f + ".out", 1, MAX_INPUTS);
                    if (in != expected)
                        throw bad(f + ".in", "is " + in + " but " + (l == 0 ? "the pipeline gives " : "layers[" + (l - 1) + "].out is ") + expected);
                    double is = number(o, "input_scale", f + ".input_scale", Double.MIN_VALUE, Double.MAX_VALUE);
                    int izp = integer(o, "input_zero_point", f + ".input_zero_point", -128, 127);
                    double os = number(o, "output_scale", f + ".output_scale", Double.MIN_VALUE, Double.MAX_VALUE);
                    int ozp = integer(o, "output_zero_point", f + ".output_zero_point", -128, 127);
                    // each layer reads the quantization the previous one wrote; the last writes the input's
                    if (izp != prevZp) throw bad(f + ".input_zero_point", "is " + izp + " but the values it reads have zero point " + prevZp);
                    if (is != prevScale) throw bad(f + ".input_scale", "is " + is + " but the values it reads have scale " + prevScale);
                    boolean last = l == ls.size() - 1;
                    // the last layer writes the input's quantization, or (an imported model) its own and a requantization maps it
                    if (last && !requant && (ozp != zp || os != scale))
                        throw bad(f + ".output_zero_point", "the last layer must write the input's quantization (scale " + scale + ", zero point " + zp + ")");
                    int actMin = integer(o, "activation_min", f + ".activation_min", -128, 127);
                    // a linear layer, or ReLU fused at the output zero point (tinyad's hidden layers; any layer of an import)
                    int reluMin = Math.max(-128, ozp);
                    boolean ok = requant ? actMin == -128 || actMin == reluMin : actMin == (last ? -128 : reluMin);
                    if (!ok) throw bad(f + ".activation_min", "is " + actMin + ", must be " + (last ? -128 : reluMin));
                    JsonNode ws = o.path("weight_scale");
                    if (!ws.isArray() || (ws.size() != out && ws.size() != 1))
                        throw bad(f + ".weight_scale", "must list 1 or " + out + " scales, has " + (ws.isArray() ? ws.size() : "none"));
                    for (int c = 0; c < ws.size(); c++) number(ws, c, f + ".weight_scale[" + c + "]", Double.MIN_VALUE, Double.MAX_VALUE);
                    String t = "dense" + l;
                    tensorSize(t + ".weight", (long) in * out);
                    int8s(tensors, t + ".weight", (long) in * out);
                    int[] bias = int32s(tensors, t + ".bias", out);
                    int[] mult = int32s(tensors, t + ".multiplier", out), shift = int32s(tensors, t + ".shift", out);
                    for (int c = 0; c < out; c++) {
                        // QuantizeMultiplier's range, which the C requantization and the AVR plan assume
                        if (mult[c] != 0 && mult[c] < (1 << 30)) throw bad(t + ".multiplier[" + c + "]", mult[c] + " is not 0 or in [2^30, 2^31)");
                        if (shift[c] < -31 || shift[c] > 30) throw bad(t + ".shift[" + c + "]", shift[c] + " is outside -31..30");
                    }
                    long maxBias = 0;
                    for (int b : bias) maxBias = Math.max(maxBias, Math.abs((long) b));
                    // both the reference's bias + sum w*(x - zp) and the device's folded form must fit int32
                    if (maxBias + 2 * 128L * 127L * in > Integer.MAX_VALUE)
                        throw bad(t + ".bias", "with " + in + " inputs the int32 accumulator could overflow");
                    expected = out;
                    prevZp = ozp;
                    prevScale = os;
                }
                if (expected != inputs) throw bad("layers", "the last layer gives " + expected + " values, the pipeline has " + inputs + " inputs");
                integerStage(m.path("pipeline"), scale);
            }
            default -> throw new IllegalStateException(kind);
        }
    }

    /** Checks the pipeline and returns its input count. */
    private static int pipeline(JsonNode p) {
        if (!p.isObject()) throw bad("pipeline", "missing or not an object");
        JsonNode ch = array(p, "channels", "pipeline.channels", 1, MAX_CHANNELS);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ch.size(); i++) {
            if (!ch.get(i).isTextual() || ch.get(i).asText().isEmpty()) throw bad("pipeline.channels[" + i + "]", "not a non-empty string");
            if (!names.add(ch.get(i).asText())) throw bad("pipeline.channels[" + i + "]", "'" + ch.get(i).asText() + "' appears twice");
        }
        int window = integer(p, "window", "pipeline.window", 1, MAX_WINDOW);
        integer(p, "hop", "pipeline.hop", 1, window);
        // optional (older files have none: an unknown rate, 0)
        if (p.has("sample_rate_hz")) number(p, "sample_rate_hz", "pipeline.sample_rate_hz", 0, tinyad.datasets.SampleRate.MAX_HZ);
        if (!p.path("features").isTextual()) throw bad("pipeline.features", "missing or not a string");
        FeatureSet f;
        try {
            f = FeatureSet.parse(p.get("features").asText());
            f.check(window);
        } catch (DataException e) {
            throw bad("pipeline.features", e.getMessage());
        }
        long size = 0;
        for (FeatureSet.Block b : f.blocks())
            size += b.kind().equals("raw") ? (long) window * ch.size() : b.kind().equals("stats") ? 7L * ch.size() : (long) b.bins() * ch.size();
        if (size < 1 || size > MAX_INPUTS) throw bad("pipeline.features", "give " + size + " inputs; at most " + MAX_INPUTS);
        JsonNode n = p.path("normaliser");
        if (!n.isObject()) throw bad("pipeline.normaliser", "missing or not an object");
        doubles(n, "mean", "pipeline.normaliser.mean", (int) size, -Double.MAX_VALUE, Double.MAX_VALUE);
        doubles(n, "std", "pipeline.normaliser.std", (int) size, Double.MIN_VALUE, Double.MAX_VALUE);
        if (p.has("integer")) {
            JsonNode s = p.get("integer");
            String why = IntStage.unsupported(window, f);
            if (why != null) throw bad("pipeline.integer", "present, but " + why);
            if (!s.isObject()) throw bad("pipeline.integer", "not an object");
            int c = ch.size();
            doubles(s, "sample_offset", "pipeline.integer.sample_offset", c, -Double.MAX_VALUE, Double.MAX_VALUE);
            doubles(s, "sample_lsb", "pipeline.integer.sample_lsb", c, Double.MIN_VALUE, Double.MAX_VALUE);
            longs(s, "center", "pipeline.integer.center", c, -65536, 65536);
            longs(s, "shift", "pipeline.integer.shift", c, 0, 16);
            long zl = IntFeatures.zeroLimit(window);
            longs(s, "zero", "pipeline.integer.zero", c, -zl, zl);
            // offset = round(mean) is an int32 on the device; a spread below one unit is rounding (IntStage.fit)
            doubles(s, "feature_mean", "pipeline.integer.feature_mean", (int) size, Integer.MIN_VALUE, Integer.MAX_VALUE);
            doubles(s, "feature_std", "pipeline.integer.feature_std", (int) size, 1, Integer.MAX_VALUE);
        }
        return (int) size;
    }

    /** The integer stage against the int8 input scale: 1 / (std * scale) must be a QuantizeMultiplier (below 2^30). */
    private static void integerStage(JsonNode p, double scale) {
        JsonNode std = p.path("integer").path("feature_std");
        for (int i = 0; i < std.size(); i++)
            if (1.0 / (std.get(i).asDouble() * scale) >= (double) (1 << 30))
                throw bad("pipeline.integer.feature_std[" + i + "]", "with input scale " + scale + " the device's multiplier would overflow");
    }

    private static int inputQuant(JsonNode m) {
        JsonNode q = m.path("input_quant");
        if (!q.isObject()) throw bad("input_quant", "missing or not an object");
        number(q, "scale", "input_quant.scale", Double.MIN_VALUE, 1e30);
        return integer(q, "zero_point", "input_quant.zero_point", -128, 127);
    }

    private static boolean radius(JsonNode m) {
        if (!m.has("score")) return false;
        String s = m.get("score").asText();
        if (!m.get("score").isTextual() || !(s.equals("distance") || s.equals("radius")))
            throw bad("score", "must be \"distance\" or \"radius\"");
        return s.equals("radius");
    }

    private static void tensorSize(String name, long elements) {
        if (elements > MAX_TENSOR) throw bad("tensors." + name, elements + " elements; at most " + MAX_TENSOR);
    }

    private static float[] floats(Map<String, Object> t, String name, long length) {
        return (float[]) tensor(t, name, float[].class, "float32", length);
    }

    private static byte[] int8s(Map<String, Object> t, String name, long length) {
        return (byte[]) tensor(t, name, byte[].class, "int8", length);
    }

    private static int[] int32s(Map<String, Object> t, String name, long length) {
        return (int[]) tensor(t, name, int[].class, "int32", length);
    }

    private static Object tensor(Map<String, Object> t, String name, Class<?> type, String dtype, long length) {
        Object v = t.get(name);
        if (v == null) throw bad("tensors." + name, "missing");
        if (!type.isInstance(v)) throw bad("tensors." + name, "must be " + dtype);
        int n = java.lang.reflect.Array.getLength(v);
        if (n != length) throw bad("tensors." + name, "has " + n + " values, the metadata needs " + length);
        return v;
    }

    private static void finite(String name, float[] v) {
        for (int i = 0; i < v.length; i++) if (!Float.isFinite(v[i])) throw bad("tensors." + name + "[" + i + "]", "is " + v[i]);
    }

    private static void nonNegative(String name, float[] v) {
        finite(name, v);
        for (int i = 0; i < v.length; i++) if (v[i] < 0) throw bad("tensors." + name + "[" + i + "]", "is negative (" + v[i] + ")");
    }

    private static JsonNode array(JsonNode o, String field, int min, int max) {
        return array(o, field, field, min, max);
    }

    private static JsonNode array(JsonNode o, String key, String field, int min, int max) {
        JsonNode a = o.path(key);
        if (!a.isArray()) throw bad(field, "missing or not an array");
        if (a.size() < min || a.size() > max) throw bad(field, "has " + a.size() + " entries; allowed " + min + ".." + max);
        return a;
    }

    private static void doubles(JsonNode o, String key, String field, int length, double min, double max) {
        JsonNode a = array(o, key, field, length, length);
        for (int i = 0; i < length; i++) number(a, i, field + "[" + i + "]", min, max);
    }

    private static void longs(JsonNode o, String key, String field, int length, long min, long max) {
        JsonNode a = array(o, key, field, length, length);
        for (int i = 0; i < length; i++) integer(a, i, field + "[" + i + "]", min, max);
    }

    private static double number(JsonNode o, String key, double min, double max) {
        return number(o, key, key, min, max);
    }

    private static double number(JsonNode o, String key, String field, double min, double max) {
        return numberValue(o.path(key), field, min, max);
    }

    private static double number(JsonNode a, int i, String field, double min, double max) {
        return numberValue(a.path(i), field, min, max);
    }

    private static double numberValue(JsonNode v, String field, double min, double max) {
        // a string such as "NaN" or "1e3" would pass asDouble(): only JSON numbers are numbers here
        if (!v.isNumber()) throw bad(field, v.isMissingNode() ? "missing" : "not a number (" + v + ")");
        double d = v.asDouble();
        if (!Double.isFinite(d) || d < min || d > max) throw bad(field, d + " is outside " + min + ".." + max);
        return d;
    }

    private static int integer(JsonNode o, String key, long min, long max) {
        return integer(o, key, key, min, max);
    }

    private static int integer(JsonNode o, String key, String field, long min, long max) {
        return (int) integerValue(o.path(key), field, min, max);
    }

    private static int integer(JsonNode a, int i, String field, long min, long max) {
        return (int) integerValue(a.path(i), field, min, max);
    }

    private static long integerValue(JsonNode v, String field, long min, long max) {
        if (!v.isIntegralNumber() && !(v.isNumber() && v.asDouble() == Math.rint(v.asDouble())))
            throw bad(field, v.isMissingNode() ? "missing" : "not an integer (" + v + ")");
        if (!v.canConvertToLong()) throw bad(field, v + " is outside " + min + ".." + max);
        long x = v.asLong();
        if (x < min || x > max) throw bad(field, x + " is outside " + min + ".." + max);
        return x;
    }

    private static DataException bad(String field, String why) {
        return new DataException("bad model: " + field + ": " + why);
    }
}
