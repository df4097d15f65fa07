package tinyad.codegen;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import tinyad.common.DataException;
import tinyad.quantizer.DeviceLearning;
import tinyad.quantizer.QuantizedAutoencoder;
import tinyad.quantizer.QuantizedKMeans;
import tinyad.quantizer.QuantizedModel;

/**
 * Generates the C source of one int8 model: {@code <name>_model.h/.c} (const arrays in flash, the score
 * function, the model descriptor) and {@code tinyad_app_model.h}, which points the serial app at it.
 */
public final class ModelSource {
    public static final String TINYAD_VERSION = "0.1.0";

    private ModelSource() {}

    /** File name -> content, at the model's own sample rate. */
    public static Map<String, String> generate(QuantizedModel model, String name) {
        return generate(model, name, model.pipeline().sampleRateHz());
    }

    /**
     * File name -> content, the headers stating {@code sampleRateHz} (0: unknown) as the rate the samples come at: the
     * model's own, or the rate a user gave for a model that has none (the model, and so its hash, are unchanged).
     */
    public static Map<String, String> generate(QuantizedModel model, String name, double sampleRateHz) {
        return generate(model, name, sampleRateHz, null);
    }

    /**
     * As {@link #generate(QuantizedModel, String, double)}, and with {@code learn} (null: none) the on-device learning
     * of that plan: {@code <name>_learn_t} and {@code <name>_learn_init} (tinyad_learn.h), and the serial app learns at boot.
     */
    public static Map<String, String> generate(QuantizedModel model, String name, double sampleRateHz, DeviceLearning.Plan learn) {
        if (learn != null) new DeviceLearning(model, learn);   // refuses a plan the model cannot learn, with its reason
        if (sampleRateHz != 0) tinyad.datasets.SampleRate.check("the sample rate", sampleRateHz);
        String id = CNames.identifier(name);
        FirmwareLimits.check(model);   // buffers proven before any C is written
        String up = id.toUpperCase(Locale.ROOT);
        String sha256 = model.toArchive().sha256();   // hashes the whole model: once
        String banner = banner(sha256, id);
        CWriter h = header(model, id, up, banner, sha256.substring(0, 16));
        CWriter c = new CWriter().line(banner).line("#include \"" + id + "_model.h\"").blank();
        String avrProblem = FirmwareLimits.avrProblem(model);
        if (avrProblem != null)
            c.line("#if defined(__AVR__)")
                    .line("#error \"" + id + ": does not fit an AVR: " + avrProblem.replace("\"", "'") + "\"")
                    .line("#endif")
                    .blank();
        if (model instanceof QuantizedKMeans k) kmeans(k, id, up, h, c);
        else if (model instanceof QuantizedAutoencoder a) autoencoder(a, id, up, h, c);
        else throw new DataException("no C generator for " + model.getClass().getSimpleName());
        features(model, id, up, sampleRateHz, h, c);
        if (learn != null) learning(model, id, up, learn, h, c);
        h.line("#ifdef __cplusplus")
                .line("extern \"C\" {")
                .line("#endif")
                .line("int32_t " + id + "_score(const int8_t *input);")
                .line("/* The model's alarm rule on a state the caller owns: then tinyad_alarm_update(&state, score) after each")
                .line("   score returns TINYAD_ALARM_START / _END / _NONE, and state.active is the alarm (tinyad_alarm.h). */")
                .line("void " + id + "_alarm_init(tinyad_alarm_t *state);")
                .line("/* Features of one window of int16 sensor counts, window[t * CHANNELS + c], in integers, normalised and")
                .line("   quantized into the model's int8 inputs (docs/features.md). */")
                .line(model.pipeline().integer() != null ? "void " + id + "_features(const int16_t *window, int8_t *input);" : "")
                .lineIf(learn != null, "/* Starts learning with the exported plan; the shipped model until it ends (tinyad_learn.h). */\n"
                        + "void " + id + "_learn_init(" + id + "_learn_t *learn);")
                .line("extern const tinyad_model_t " + id + "_model;")
                .line("#ifdef __cplusplus")
                .line("}")
                .line("#endif")
                .line("#endif /* " + up + "_MODEL_H */");
        c.blank()
                .line("const tinyad_model_t " + id + "_model = {")
                .line("    \"" + id + "\", " + up + "_MODEL_HASH, " + up + "_INPUT_LEN, " + up + "_THRESHOLD, " + id + "_score,")
                .line("    {" + up + "_THRESHOLD, " + up + "_ALARM_REARM, " + up + "_ALARM_HOLDOFF, " + up + "_ALARM_K, " + up + "_ALARM_N}")
                .line("};")
                .blank()
                .line("void " + id + "_alarm_init(tinyad_alarm_t *state)")
                .line("{")
                .line("    tinyad_alarm_init(state, &" + id + "_model.alarm);")
                .line("}");
        Map<String, String> files = new LinkedHashMap<>();
        files.put(id + "_model.h", h.toString());
        files.put(id + "_model.c", c.toString());
        files.put("tinyad_app_model.h", new CWriter()
                .line(banner)
                .line("#ifndef TINYAD_APP_MODEL_H")
                .line("#define TINYAD_APP_MODEL_H")
                .line("#include \"" + id + "_model.h\"")
                .line("#define TINYAD_APP_MODEL " + id + "_model")
                .line("#define TINYAD_APP_INPUT_LEN " + up + "_INPUT_LEN")
                .line("#define TINYAD_APP_WINDOW " + up + "_WINDOW")
                .line("#define TINYAD_APP_CHANNELS " + up + "_CHANNELS")
                .line("#define TINYAD_APP_HOP " + up + "_HOP")
                .line("#ifndef TINYAD_APP_SAMPLE_RATE_MILLIHZ   /* a build may override it: make avr-live RATE_MILLIHZ=... */")
                .line("#define TINYAD_APP_SAMPLE_RATE_MILLIHZ " + up + "_SAMPLE_RATE_MILLIHZ")
                .line("#endif")
                .line(model.pipeline().integer() != null ? "#define TINYAD_APP_FEATURES " + id + "_features" : "/* no feature function */")
                .lineIf(learn != null, "#define TINYAD_APP_LEARN " + id + "_learn_t\n#define TINYAD_APP_LEARN_INIT " + id + "_learn_init")
                .line("#endif")
                .toString());
        return files;
    }

    /** The rate in mHz, rounded; a known rate below 0.5 mHz gives 1, not the 0 that means unknown. */
    static long milliHz(double hz) {
        return hz > 0 ? Math.max(1, Math.round(hz * 1000)) : 0;
    }

    private static String banner(String sha256, String id) {
        return "/* Generated by tinyad " + TINYAD_VERSION + " for model '" + id + "' (sha256 "
                + sha256 + ").\n   Do not edit: regenerate with `tinyad export`. */";
    }

    private static CWriter header(QuantizedModel m, String id, String up, String banner, String hash) {
        return new CWriter()
                .line(banner)
                .line("#ifndef " + up + "_MODEL_H")
                .line("#define " + up + "_MODEL_H")
                .blank()
                .line("#include \"tinyad.h\"")
                .blank()
                .line("#define " + up + "_MODEL_HASH \"" + hash + "\"")
                .line("#define " + up + "_INPUT_LEN " + m.inputSize() + "u  /* int8 inputs per window (" + CNames.commentText(m.pipeline().features())
                        + " features of " + m.pipeline().window() + " samples x " + m.pipeline().channels().size() + " channels) */")
                .line("#define " + up + "_THRESHOLD " + m.thresholdQ() + "L  /* a window is over the threshold when score > threshold */")
                .line("/* Alarm rule (docs/alarms.md): an event starts when K of the last N windows are over the threshold; it")
                .line("   cannot end for HOLDOFF windows, then ends at the first score <= REARM. */")
                .line("#define " + up + "_ALARM_K " + m.alarm().k() + "u")
                .line("#define " + up + "_ALARM_N " + m.alarm().n() + "u")
                .line("#define " + up + "_ALARM_HOLDOFF " + m.alarm().holdoff() + "u")
                .line("#define " + up + "_ALARM_REARM " + cInt32((long) m.alarm().rearm()))
                .line("/* Input quantization: q = clamp(round(x / scale) + zero_point, -128, 127), x normalised. */")
                .line("#define " + up + "_INPUT_SCALE " + floatLiteral(m.inputQuant().scale()))
                .line("#define " + up + "_INPUT_ZERO_POINT " + m.inputQuant().zeroPoint());
    }

    private static void kmeans(QuantizedKMeans m, String id, String up, CWriter h, CWriter c) {
        int k = m.centroids().length, d = m.inputSize();
        h.line("#define " + up + "_NUM_CENTROIDS " + k + "u")
                .line(m.radiiQ() == null
                        ? "/* Score: squared distance of a quantized window to its nearest centroid, in units of scale^2. */"
                        : "/* Score: distance to the nearest centroid minus its radius, in units of scale (negative inside). */")
                .blank();
        byte[] flat = new byte[k * d];
        for (int j = 0; j < k; j++) System.arraycopy(m.centroids()[j], 0, flat, j * d, d);
        c.line("static const int8_t " + id + "_centroids[" + up + "_NUM_CENTROIDS * " + up + "_INPUT_LEN] TINYAD_FLASH = {")
                .int8Rows(flat, d, "centroid")
                .line("};")
                .blank();
        if (m.radiiQ() != null) {
            c.line("/* cluster radii: the farthest training window of each cluster, in units of scale */")
                    .line("static const int32_t " + id + "_radii[" + up + "_NUM_CENTROIDS] TINYAD_FLASH = {")
                    .int32Values(m.radiiQ())
                    .line("};")
                    .blank();
        }
        c.line("int32_t " + id + "_score(const int8_t *input)")
                .line("{")
                .line(m.radiiQ() == null
                        ? "    return tinyad_kmeans_min_sqdist_s8(input, " + id + "_centroids, " + up + "_NUM_CENTROIDS, " + up + "_INPUT_LEN);"
                        : "    return tinyad_kmeans_radius_s8(input, " + id + "_centroids, " + id + "_radii, " + up + "_NUM_CENTROIDS, "
                        + up + "_INPUT_LEN);")
                .line("}");
    }

    private static void autoencoder(QuantizedAutoencoder m, String id, String up, CWriter h, CWriter c) {
        QuantizedAutoencoder.Layer[] layers = m.layers();
        // ping-pong activation buffers: even layers write ping, odd layers pong
        int ping = 1, pong = 1;
        int chunk = lastLayerChunk(layers);
        for (int l = 0; l < layers.length; l++) {
            int out = l == layers.length - 1 && chunk > 0 ? chunk : layers[l].out();
            if (l % 2 == 0) ping = Math.max(ping, out);
            else pong = Math.max(pong, out);
        }
        h.line("#define " + up + "_NUM_LAYERS " + layers.length + "u")
                .line("#define " + up + "_MACS " + m.macs() + "UL")
                .line("#define " + up + "_PING_LEN " + ping + "u  /* activation buffers on the stack of " + id + "_score */")
                .line("#define " + up + "_PONG_LEN " + pong + "u")
                .line("/* Score: sum of squared differences between the input and its reconstruction, in units of scale^2. */")
                .blank();
        for (int l = 0; l < layers.length; l++) {
            QuantizedAutoencoder.Layer L = layers[l];
            String p = id + "_dense" + l, P = up + "_DENSE" + l;
            // fold the input zero point into the bias: sum_i w*(x - zp) = sum_i w*x - zp * sum_i w
            int[] folded = new int[L.out()];
            for (int o = 0; o < L.out(); o++) {
                long sum = 0;
                for (int i = 0; i < L.in(); i++) {
                    byte wq = L.weights()[o * L.in() + i];
                    // symmetric int8 weights; the AVR kernel sums two products in 16 bits, which -128 could overflow
                    if (wq == Byte.MIN_VALUE) throw new DataException("layer " + l + ": weight -128 outside the symmetric int8 range [-127, 127]");
                    sum += wq;
                }
                long f = L.bias()[o] - (long) L.inputZeroPoint() * sum;
                if (f < Integer.MIN_VALUE || f > Integer.MAX_VALUE) throw new DataException("layer " + l + ": folded bias overflows int32");
                folded[o] = (int) f;
                // the kernels' requantization relies on QuantizeMultiplier's ranges (tinyad.h)
                int mult = L.multiplier()[o], shift = L.shift()[o];
                if ((mult != 0 && mult < (1 << 30)) || shift < -31 || shift > 30)
                    throw new DataException("layer " + l + " output " + o + ": multiplier " + mult + " shift " + shift
                            + " outside QuantizeMultiplier's range");
            }
            c.line("/* dense " + l + ": " + L.in() + " -> " + L.out() + (L.activationMin() > -128 ? ", ReLU" : ", linear")
                            + "; input scale " + floatLiteral(L.inputQuant().scale()) + " zero point " + L.inputZeroPoint()
                            + ", output scale " + floatLiteral(L.outputQuant().scale()) + " zero point " + L.outputZeroPoint() + " */")
                    .line("#define " + P + "_IN " + L.in() + "u")
                    .line("#define " + P + "_OUT " + L.out() + "u")
                    .line("#define " + P + "_OUTPUT_ZERO_POINT " + L.outputZeroPoint())
                    .line("#define " + P + "_ACTIVATION_MIN " + L.activationMin())
                    .line("/* weights in blocks of 4 output rows x 4 inputs (see tinyad_dense_s8), zero-padded */")
                    .line("static const int8_t " + p + "_weights[" + blockedLength(L) + "] TINYAD_FLASH TINYAD_ALIGN4 = {")
                    .int8Rows(blocked(L), ((L.in() + 3) / 4) * 16, "outputs 4b..4b+3, b =")
                    .line("};")
                    .line("/* bias with -input_zero_point * sum(weights) folded in */")
                    .line("static const int32_t " + p + "_bias[" + P + "_OUT] TINYAD_FLASH = {")
                    .int32Values(folded)
                    .line("};");
            boolean perTensor = perTensor(L);
            if (perTensor) c.line("#if defined(__AVR__)   /* the AVR kernels read one multiplier and shift per output */");
            c.line("static const int32_t " + p + "_multiplier[" + P + "_OUT] TINYAD_FLASH = {")
                    .int32Values(L.multiplier())
                    .line("};")
                    .line("static const int32_t " + p + "_shift[" + P + "_OUT] TINYAD_FLASH = {")
                    .int32Values(L.shift())
                    .line("};");
            if (perTensor)
                c.line("#define " + P + "_PER_TENSOR 0u")
                        .line("#define " + P + "_QUANT_AT(row) (row)")
                        .line("#else")
                        .line("/* per-tensor: one multiplier and shift for every output, 4 copies (output c reads entry c % 4) */")
                        .line("static const int32_t " + p + "_multiplier[4] TINYAD_FLASH = {").int32Values(new int[] {L.multiplier()[0], L.multiplier()[0],
                                L.multiplier()[0], L.multiplier()[0]}).line("};")
                        .line("static const int32_t " + p + "_shift[4] TINYAD_FLASH = {").int32Values(new int[] {L.shift()[0], L.shift()[0], L.shift()[0],
                                L.shift()[0]}).line("};")
                        .line("#define " + P + "_PER_TENSOR 1u")
                        .line("#define " + P + "_QUANT_AT(row) 0")
                        .line("#endif");
            byte[] plan = avrPlans(L, folded);
            if (plan != null) {
                c.line("#if defined(TINYAD_ASM_AVR)")
                        .line("/* AVR requantization, one row per output (tinyad.codegen.AvrRequantPlan, little-endian): bytes dropped (1),")
                        .line("   multiplier (4), split (3), offset below and from the split (7 each) -- equal to the multiplier and shift")
                        .line("   above on every reachable sum; or 0 then this output's bias (4), multiplier (4), shift (1), 12 unused */")
                        .line("static const uint8_t " + p + "_avr_plan[" + P + "_OUT * " + AvrRequantPlan.BYTES + "u] TINYAD_FLASH = {");
                for (int o = 0; o < L.out(); o++) {
                    StringBuilder row = new StringBuilder("   ");
                    for (int b = 0; b < AvrRequantPlan.BYTES; b++) row.append(String.format(" 0x%02x,", plan[o * AvrRequantPlan.BYTES + b] & 0xFF));
                    c.line(row.toString());
                }
                c.line("};")
                        .line("#define " + P + "_AVR_PLAN " + p + "_avr_plan");
                if (l == layers.length - 1 && chunk > 0) c.line("#define " + P + "_AVR_PLAN_AT(row) (" + p + "_avr_plan + (row) * " + AvrRequantPlan.BYTES + "u)");
                c.line("#else")
                        .line("#define " + P + "_AVR_PLAN 0");
                if (l == layers.length - 1 && chunk > 0) c.line("#define " + P + "_AVR_PLAN_AT(row) 0");
                c.line("#endif");
            }
            if (l == layers.length - 1 && chunk > 0) {
                // the same arrays, one descriptor per part of `chunk` rows (4-row weight blocks: ((in + 3) / 4) * 16 bytes each)
                int blockBytes = ((L.in() + 3) / 4) * 16, parts = (L.out() + chunk - 1) / chunk;
                c.line("#define " + P + "_PARTS " + parts + "u")
                        .line("#define " + P + "_PART_LEN " + chunk + "u")
                        .line("static const tinyad_dense_t " + p + "_parts[" + P + "_PARTS] TINYAD_FLASH = {");
                for (int r = 0; r < L.out(); r += chunk) {
                    int len = Math.min(chunk, L.out() - r);
                    c.line("    {   /* outputs " + r + ".." + (r + len - 1) + " */")
                            .line("        " + p + "_weights + " + (r / 4) * blockBytes + ", " + p + "_bias + " + r + ", " + p + "_multiplier + "
                                    + (perTensor ? P + "_QUANT_AT(" + r + ")" : r) + ", " + p + "_shift + " + (perTensor ? P + "_QUANT_AT(" + r + ")" : r) + ",")
                            .line("        " + P + "_IN, " + len + "u, " + P + "_OUTPUT_ZERO_POINT, " + P + "_ACTIVATION_MIN, "
                                    + (plan != null ? P + "_AVR_PLAN_AT(" + r + ")" : "0") + ", " + (perTensor ? P + "_PER_TENSOR" : "0u"))
                            .line("    },");
                }
                c.line("};").blank();
            } else {
                c.line("static const tinyad_dense_t " + p + " TINYAD_FLASH = {")
                        .line("    " + p + "_weights, " + p + "_bias, " + p + "_multiplier, " + p + "_shift,")
                        .line("    " + P + "_IN, " + P + "_OUT, " + P + "_OUTPUT_ZERO_POINT, " + P + "_ACTIVATION_MIN, "
                                + (plan != null ? P + "_AVR_PLAN" : "0") + ", " + (perTensor ? P + "_PER_TENSOR" : "0u"))
                        .line("};")
                        .blank();
            }
        }
        QuantizedAutoencoder.Requant rq = m.outputRequant();
        if (rq != null) {
            // an imported model writes its output in a quantization of its own: TFLite's QUANTIZE to the input's, tabulated
            byte[] table = new byte[256];
            for (int v = -128; v < 128; v++) table[v + 128] = m.requantizeOutput(new byte[] {(byte) v})[0];
            c.line("/* output requantization to the input's quantization, TFLite's QUANTIZE int8 -> int8 (tinyad_requantize_s8 with")
                    .line("   input zero point " + layers[layers.length - 1].outputZeroPoint() + ", multiplier " + rq.multiplier() + ", shift "
                            + rq.shift() + ", output zero point " + m.inputQuant().zeroPoint() + ") for every value: table[v + 128] */")
                    .line("#define " + up + "_REQUANT_INPUT_ZERO_POINT " + layers[layers.length - 1].outputZeroPoint())
                    .line("#define " + up + "_REQUANT_MULTIPLIER " + rq.multiplier() + "L")
                    .line("#define " + up + "_REQUANT_SHIFT " + rq.shift())
                    .line("static const int8_t " + id + "_output_requant[256] TINYAD_FLASH = {")
                    .int8Rows(table, 16, "v + 128 =")
                    .line("};")
                    .blank();
        }
        c.line("int32_t " + id + "_score(const int8_t *input)")
                .line("{")
                .line("    int8_t ping[" + up + "_PING_LEN];")
                .line("    int8_t pong[" + up + "_PONG_LEN];");
        String src = "input";
        int whole = chunk > 0 ? layers.length - 1 : layers.length;
        for (int l = 0; l < whole; l++) {
            String dst = l % 2 == 0 ? "ping" : "pong", p = id + "_dense" + l;
            c.line("    tinyad_dense_s8(&" + p + ", " + src + ", " + dst + ");");
            src = dst;
        }
        if (chunk == 0) {
            if (m.outputRequant() != null) c.line("    tinyad_lookup_s8(" + id + "_output_requant, " + src + ", " + up + "_INPUT_LEN);");
            c.line("    return tinyad_sum_sqdiff_s8(input, " + src + ", " + up + "_INPUT_LEN);")
                    .line("}");
            return;
        }
        // the last layer in parts of `chunk` outputs, each compared with its slice of the input at once: its whole output is never held
        int last = layers.length - 1;
        String dst = last % 2 == 0 ? "ping" : "pong";
        String P = up + "_DENSE" + last;
        int tail = layers[last].out() - (layers[last].out() - 1) / chunk * chunk;
        c.line("    int32_t sum = 0;")
                .line("    uint16_t part;")
                .line("    for (part = 0; part < " + P + "_PARTS; part++) {")
                .line("        const uint16_t len = part + 1u < " + P + "_PARTS ? " + P + "_PART_LEN : " + tail + "u;")
                .line("        tinyad_dense_s8(&" + id + "_dense" + last + "_parts[part], " + src + ", " + dst + ");");
        if (m.outputRequant() != null) c.line("        tinyad_lookup_s8(" + id + "_output_requant, " + dst + ", len);");
        c.line("        sum += tinyad_sum_sqdiff_s8(input + part * " + P + "_PART_LEN, " + dst + ", len);")
                .line("    }")
                .line("    return sum;").line("}");
    }

    /**
     * Output rows per part of the last layer, or 0 for one piece. A last layer much wider than every other (MLPerf's
     * 128 -> 640) would set the size of an activation buffer by itself; computed in parts of the widest other layer
     * (a multiple of 4: the kernels' row blocks), the buffers shrink to that (ad01: 768 B of stack to 256 B).
     */
    static int lastLayerChunk(QuantizedAutoencoder.Layer[] layers) {
        int other = 4;
        for (int l = 0; l < layers.length - 1; l++) other = Math.max(other, layers[l].out());
        other = other / 4 * 4;
        return layers[layers.length - 1].out() > 2 * other ? other : 0;
    }

    /**
     * The AVR table of a layer (AvrRequantPlan.BYTES per output): a plan where one exists, else the output's
     * bias, multiplier and shift for the exact route; null when the layer has more than 127 steps of four
     * inputs (the table's route sums in one 24-bit pass) and takes the general route.
     */
    static byte[] avrPlans(QuantizedAutoencoder.Layer L, int[] foldedBias) {
        if (L.in() / 4 > 127) return null;
        byte[] out = new byte[L.out() * AvrRequantPlan.BYTES];
        for (int o = 0; o < L.out(); o++) {
            AvrRequantPlan plan = AvrRequantPlan.of(L.weights(), o * L.in(), L.in(), foldedBias[o], L.multiplier()[o], L.shift()[o],
                    L.outputZeroPoint(), L.activationMin());
            if (plan != null) plan.write(out, o * AvrRequantPlan.BYTES);
            else AvrRequantPlan.writeGeneral(out, o * AvrRequantPlan.BYTES, foldedBias[o], L.multiplier()[o], L.shift()[o]);
        }
        return out;
    }

    /**
     * The on-device feature pipeline in integers (docs/features.md): each channel's int16 counts centred once,
     * then every block of the trained order from them, each feature folded into its int8 input. Models without
     * an integer stage get no feature function (their inputs come from the host).
     */
    private static void features(QuantizedModel m, String id, String up, double sampleRateHz, CWriter h, CWriter c) {
        tinyad.datasets.Pipeline p = m.pipeline();
        int n = m.inputSize(), w = p.window(), ch = p.channels().size();
        h.line("#define " + up + "_WINDOW " + w + "u  /* samples per window */")
                .line("#define " + up + "_CHANNELS " + ch + "u /* " + CNames.commentText(String.join(", ", p.channels())) + " */")
                .line("#define " + up + "_HOP " + p.hop() + "u     /* samples between windows */")
                .line("#define " + up + "_SAMPLE_RATE_MILLIHZ " + milliHz(sampleRateHz) + "ul /* samples per 1000 s; 0: unknown"
                        + (sampleRateHz > 0 && Math.round(sampleRateHz * 1000) < 1 ? " (" + tinyad.datasets.SampleRate.shortNumber(sampleRateHz * 1000)
                        + ", rounded up to 1)" : "") + " */");
        tinyad.datasets.IntStage st = p.integer();
        if (st == null) {
            h.line("/* no " + id + "_features(): " + (tinyad.datasets.IntStage.unsupported(w, p.featureSet()) != null
                    ? tinyad.datasets.IntStage.unsupported(w, p.featureSet()) : "the model has no integer feature stage") + " */").blank();
            return;
        }
        h.line("#define " + up + "_HAS_FEATURES 1").blank();
        tinyad.quantizer.DeviceFeatures fold = tinyad.quantizer.DeviceFeatures.of(m);
        int[] zero = new int[ch];
        for (int i = 0; i < ch; i++) zero[i] = (int) st.zero()[i];
        int limit = tinyad.datasets.IntFeatures.sampleLimit(w);
        boolean spectral = p.featureSet().blocks().stream().anyMatch(b -> b.kind().equals("spectral"));
        boolean stats = p.featureSet().blocks().stream().anyMatch(b -> b.kind().equals("stats"));
        c.blank()
                .line("/* centred samples: clamp((count - center) >> shift, -" + limit + ", " + limit + "); RMS and crest about zero */")
                .line("static const int32_t " + id + "_center[" + up + "_CHANNELS] TINYAD_FLASH = {").int32Values(st.center()).line("};")
                .line("static const uint8_t " + id + "_sample_shift[" + up + "_CHANNELS] TINYAD_FLASH = {").uint8Values(st.shift()).line("};")
                .line(stats ? "static const int32_t " + id + "_zero[" + up + "_CHANNELS] TINYAD_FLASH = {" : "/* (no stats: no zeros) */");
        if (stats) c.int32Values(zero).line("};");
        c.line("/* per input, (f - mean) / std / input scale folded: clamp(((clamp((f - offset) >> pre_shift, +-32767) * multiplier")
                .line("   + 2^(shift-1)) >> shift) + zero point, -128, 127) */")
                .line("static const int32_t " + id + "_feature_offset[" + up + "_INPUT_LEN] TINYAD_FLASH = {").int32Values(fold.offset()).line("};")
                .line("static const uint8_t " + id + "_feature_pre_shift[" + up + "_INPUT_LEN] TINYAD_FLASH = {").uint8Values(fold.preShift()).line("};")
                .line("static const int16_t " + id + "_feature_multiplier[" + up + "_INPUT_LEN] TINYAD_FLASH = {").int16Values(fold.multiplier()).line("};")
                .line("static const uint8_t " + id + "_feature_shift[" + up + "_INPUT_LEN] TINYAD_FLASH = {").uint8Values(fold.shift()).line("};");
        if (spectral) {
            short[][] tw = tinyad.datasets.IntFeatures.twiddles(w);
            int[] cos = new int[w / 2], sin = new int[w / 2];
            for (int i = 0; i < w / 2; i++) { cos[i] = tw[0][i]; sin[i] = tw[1][i]; }
            c.line("/* Q15 cos and sin of 2*pi*m/WINDOW, m < WINDOW/2, for the FFT */")
                    .line("static const int16_t " + id + "_cos[" + up + "_WINDOW / 2u] TINYAD_FLASH = {").int16Values(cos).line("};")
                    .line("static const int16_t " + id + "_sin[" + up + "_WINDOW / 2u] TINYAD_FLASH = {").int16Values(sin).line("};");
        }
        c.blank()
                .line("static int8_t " + id + "_input(uint16_t i, int32_t feature)")
                .line("{")
                .line("    return tinyad_feature_s8(feature, TINYAD_READ_S32(&" + id + "_feature_offset[i]), TINYAD_READ_U8(&" + id
                        + "_feature_pre_shift[i]),")
                .line("                             TINYAD_READ_S16(&" + id + "_feature_multiplier[i]), TINYAD_READ_U8(&" + id
                        + "_feature_shift[i]), " + up + "_INPUT_ZERO_POINT);")
                .line("}")
                .blank()
                .line("void " + id + "_features(const int16_t *window, int8_t *input)")
                .line("{");
        featureLoops(m, id, up, c, "TINYAD_READ_S32(&" + id + "_center[c])", "TINYAD_READ_U8(&" + id + "_sample_shift[c])",
                "TINYAD_READ_S32(&" + id + "_zero[c])", "input[%1$s] = " + id + "_input(%1$s, %2$s);");
        c.line("}");
    }

    /**
     * The body of a feature function: each channel's counts centred (center, shift and zero: C expressions of the
     * channel c), every block of the trained order from them, and each feature handed to {@code emit}
     * (a format of the input index and the value).
     */
    private static void featureLoops(QuantizedModel m, String id, String up, CWriter c, String center, String shift, String zero, String emit) {
        tinyad.datasets.Pipeline p = m.pipeline();
        int w = p.window(), ch = p.channels().size();
        int limit = tinyad.datasets.IntFeatures.sampleLimit(w), momentBits = tinyad.datasets.IntFeatures.momentBits(w);
        boolean spectral = p.featureSet().blocks().stream().anyMatch(b -> b.kind().equals("spectral"));
        boolean stats = p.featureSet().blocks().stream().anyMatch(b -> b.kind().equals("stats"));
        int maxBins = 0;
        for (tinyad.datasets.FeatureSet.Block b : p.featureSet().blocks()) if (b.kind().equals("spectral")) maxBins = Math.max(maxBins, b.bins());
        c.line("    int16_t x[" + up + "_WINDOW];   /* one channel's centred samples */");
        if (stats || spectral) c.line("    int32_t f[" + Math.max(stats ? 7 : 0, maxBins) + "];");
        if (spectral) c.line("    int16_t re[" + up + "_WINDOW], im[" + up + "_WINDOW];");
        c.line("    uint16_t c, i;")
                .line("    for (c = 0; c < " + up + "_CHANNELS; c++) {")
                .line("        tinyad_centre_s16(window, " + up + "_WINDOW, " + up + "_CHANNELS, c, " + center + ",")
                .line("                          " + shift + ", " + limit + ", x);");
        int o = 0;
        for (tinyad.datasets.FeatureSet.Block b : p.featureSet().blocks()) {
            switch (b.kind()) {
                case "raw" -> {
                    c.line("        for (i = 0; i < " + up + "_WINDOW; i++) {   /* raw, inputs " + o + ".. sample-major */")
                            .line("            const uint16_t at = (uint16_t)(" + o + "u + i * " + up + "_CHANNELS + c);")
                            .line("            " + String.format(Locale.ROOT, emit, "at", "x[i]"))
                            .line("        }");
                    o += w * ch;
                }
                case "stats" -> {
                    c.line("        tinyad_stats_s16(x, " + up + "_WINDOW, " + momentBits + "u, " + zero + ", f);   /* stats */")
                            .line("        for (i = 0; i < 7u; i++) " + String.format(Locale.ROOT, emit, "(uint16_t)(" + o + "u + c * 7u + i)", "f[i]"));
                    o += 7 * ch;
                }
                default -> {
                    c.line("        tinyad_spectral_s16(x, " + up + "_WINDOW, " + tinyad.datasets.IntFeatures.log2Ceil(w) + "u, " + b.bins() + "u, "
                                    + id + "_cos, " + id + "_sin, re, im, f);   /* spectral:" + b.bins() + " */")
                            .line("        for (i = 0; i < " + b.bins() + "u; i++) "
                                    + String.format(Locale.ROOT, emit, "(uint16_t)(" + o + "u + c * " + b.bins() + "u + i)", "f[i]"));
                    o += b.bins() * ch;
                }
            }
        }
        c.line("    }");
    }

    /**
     * On-device learning (docs/learning.md): the plan as constants, the state type sized at compile time, the feature
     * function that reads the learned centring from RAM, and the init that points the runtime at the shipped tables.
     */
    private static void learning(QuantizedModel m, String id, String up, DeviceLearning.Plan plan, CWriter h, CWriter c) {
        tinyad.datasets.Pipeline p = m.pipeline();
        tinyad.datasets.IntStage st = p.integer();
        int ch = p.channels().size(), in = m.inputSize(), groups = p.featureSet().isRawOnly() ? ch : in;
        QuantizedKMeans k = m instanceof QuantizedKMeans km ? km : null;
        int top = 0;
        for (int[] ph : DeviceLearning.schedule(plan, m))
            if (ph[0] == DeviceLearning.Phase.THRESHOLD.ordinal()) top = DeviceLearning.topScores(ph[1], plan.percentile());
        boolean stats = p.featureSet().blocks().stream().anyMatch(b -> b.kind().equals("stats"));
        String phases = (plan.channels() ? "TINYAD_LEARN_CHANNELS | " : "") + (plan.features() ? "TINYAD_LEARN_FEATURES | " : "")
                + (plan.threshold() ? "TINYAD_LEARN_THRESHOLD | " : "");
        phases = phases.isEmpty() ? "0u" : phases.substring(0, phases.length() - 3);
        h.line("#include \"tinyad_learn.h\"")
                .line("/* On-device learning (tinyad export --learn; docs/learning.md): the next LEARN_WINDOWS windows are taken as")
                .line("   normal and split evenly over the phases (centroids and radii too when LEARN_CENTROIDS is not KEEP). */")
                .line("#define " + up + "_LEARN_WINDOWS " + plan.windows() + "u")
                .line("#define " + up + "_LEARN_PHASES (" + phases + ")")
                .line("#define " + up + "_LEARN_CENTROIDS TINYAD_LEARN_" + plan.centroids().name())
                .line("#define " + up + "_LEARN_PERCENTILE " + plan.percentile() + "u  /* the threshold, in hundredths of a percent */")
                .line("#define " + up + "_LEARN_TOP " + top + "u  /* scores the threshold phase keeps */")
                .line("#define " + up + "_LEARN_ARENA_BYTES TINYAD_LEARN_ARENA_BYTES(" + ch + "u, " + in + "u, " + groups + "u, "
                        + (k == null ? 0 : k.centroids().length) + "u, " + top + "u)")
                .line("typedef struct {")
                .line("    tinyad_learn_t state;")
                .line("    uint64_t arena[(" + up + "_LEARN_ARENA_BYTES + 7u) / 8u];")
                .line("} " + id + "_learn_t;")
                .blank();
        int[] zeroCount = new int[ch];
        for (int i = 0; i < ch; i++) zeroCount[i] = DeviceLearning.zeroCount(st, i);
        c.blank()
                .line("/* ---- on-device learning ---- */")
                .line("/* per channel, the physical zero in counts: the zeros' reference when the centring is re-learned */")
                .line("static const int32_t " + id + "_zero_count[" + up + "_CHANNELS] TINYAD_FLASH = {").int32Values(zeroCount).line("};")
                .blank()
                .line("static void " + id + "_features_each(const int16_t *window, const int32_t *center, const uint8_t *sample_shift,")
                .line("                                 const int32_t *zero, tinyad_feature_sink_fn sink, void *ctx)")
                .line("{");
        if (!stats) c.line("    (void)zero;");
        featureLoops(m, id, up, c, "center[c]", "sample_shift[c]", "zero[c]", "sink(ctx, %1$s, %2$s);");
        c.line("}")
                .blank()
                .line("void " + id + "_learn_init(" + id + "_learn_t *learn)")
                .line("{")
                .line("    tinyad_learn_t *l = &learn->state;");
        String[][] fields = {
                {"channels", up + "_CHANNELS"}, {"window", up + "_WINDOW"}, {"input_len", up + "_INPUT_LEN"},
                {"groups", groups + "u", groups == ch ? "raw windows: one mean and std per channel" : "one per input"},
                {"num_centroids", k == null ? "0u" : up + "_NUM_CENTROIDS"}, {"radius", (k != null && k.radiiQ() != null ? 1 : 0) + "u"},
                {"input_zero_point", up + "_INPUT_ZERO_POINT"},
                {"inv_scale_q16", DeviceLearning.invScaleQ16(m.inputQuant().scale()) + "L", "round(65536 / input scale)"},
                {"sample_limit", Integer.toString(tinyad.datasets.IntFeatures.sampleLimit(p.window()))},
                {"zero_limit", tinyad.datasets.IntFeatures.zeroLimit(p.window()) + "L"}, {"zero_count", id + "_zero_count"},
                {"shipped_center", id + "_center"}, {"shipped_sample_shift", id + "_sample_shift"}, {"shipped_zero", stats ? id + "_zero" : "0"},
                {"shipped_offset", id + "_feature_offset"}, {"shipped_pre_shift", id + "_feature_pre_shift"},
                {"shipped_multiplier", id + "_feature_multiplier"}, {"shipped_feature_shift", id + "_feature_shift"},
                {"shipped_centroids", k == null ? "0" : id + "_centroids"}, {"shipped_radii", k != null && k.radiiQ() != null ? id + "_radii" : "0"},
                {"shipped_threshold", up + "_THRESHOLD"}, {"shipped_rearm", up + "_ALARM_REARM"}, {"model_score", id + "_score"},
                {"features", id + "_features_each"}, {"windows", up + "_LEARN_WINDOWS"}, {"phases", up + "_LEARN_PHASES"},
                {"centroid_mode", up + "_LEARN_CENTROIDS"}, {"percentile", up + "_LEARN_PERCENTILE"}, {"top_cap", up + "_LEARN_TOP"},
                {"arena", "(uint8_t *)learn->arena"}};
        for (String[] f : fields) c.line("    l->" + f[0] + " = " + f[1] + ";" + (f.length > 2 ? "   /* " + f[2] + " */" : ""));
        c.line("    (void)tinyad_learn_begin(l);   /* the plan fits: tinyad export checked it */")
                .line("}");
    }

    /** What a learning plan costs on the device: the arena (RAM, besides tinyad_learn_t: 108 B on an AVR, 160 B on a Cortex-M) and the store record. */
    public record LearnCost(long arenaBytes, long storeBytes) {}

    /** TINYAD_LEARN_ARENA_BYTES and tinyad_learn_store_bytes of include/tinyad_learn.h for a model and plan. */
    public static LearnCost learnCost(QuantizedModel m, DeviceLearning.Plan plan) {
        int ch = m.pipeline().channels().size(), in = m.inputSize(), g = m.pipeline().featureSet().isRawOnly() ? ch : in;
        int k = m instanceof QuantizedKMeans km ? km.centroids().length : 0, top = 0;
        for (int[] ph : DeviceLearning.schedule(plan, m))
            if (ph[0] == DeviceLearning.Phase.THRESHOLD.ordinal()) top = DeviceLearning.topScores(ph[1], plan.percentile());
        long fold = align8(9L * ch + 8L * in), kept = fold + align8(4L * k + (long) k * in);
        long work = Math.max(Math.max(8L * ch, Math.max(0, 16L * g - (kept - fold))), Math.max((long) k * in + k, k + 4L * top + 4));
        return new LearnCost(kept + align8(work), 12 + kept + 10);
    }

    private static long align8(long n) {
        return (n + 7) & ~7L;
    }

    /** Every output of the layer requantized by one multiplier and shift (TFLite's per-tensor layers). */
    static boolean perTensor(QuantizedAutoencoder.Layer l) {
        for (int o = 1; o < l.out(); o++) if (l.multiplier()[o] != l.multiplier()[0] || l.shift()[o] != l.shift()[0]) return false;
        return true;
    }

    static int blockedLength(QuantizedAutoencoder.Layer l) {
        return ((l.out() + 3) / 4) * 4 * ((l.in() + 3) / 4) * 4;
    }

    /** [out][in] weights in the runtime's blocked layout: ((b * chunks + j) * 4 + r) * 4 + k. */
    static byte[] blocked(QuantizedAutoencoder.Layer l) {
        int chunks = (l.in() + 3) / 4;
        byte[] out = new byte[blockedLength(l)];
        for (int o = 0; o < l.out(); o++)
            for (int i = 0; i < l.in(); i++)
                out[(((o / 4) * chunks + i / 4) * 4 + o % 4) * 4 + i % 4] = l.weights()[o * l.in() + i];
        return out;
    }

    /** An int32 constant as C: INT32_MIN cannot be written as a negated literal that fits. */
    static String cInt32(long v) {
        return v == Integer.MIN_VALUE ? "(-2147483647L - 1)" : v + "L";
    }

    static String floatLiteral(double v) {
        return String.format(Locale.ROOT, "%.9gf", v);
    }
}
