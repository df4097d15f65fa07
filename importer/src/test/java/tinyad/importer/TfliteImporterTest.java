// SPDX-License-Identifier: Apache-2.0
package tinyad.importer;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import tinyad.common.DataException;
import tinyad.quantizer.FixedPoint;
import tinyad.quantizer.QuantizedAutoencoder;

/**
 * Imports of int8 TFLite dense chains the test writes itself ({@link TfliteWriter}) and of MLPerf Tiny's AD model.
 * The oracle is TFLite's documented arithmetic applied to the test's own layer descriptions (not to what the import
 * produced): acc = bias + sum w[o][i] * (x[i] - zp_in); y = clamp(MultiplyByQuantizedMultiplier(acc,
 * QuantizeMultiplier(s_in * s_w / s_out)) + zp_out, relu ? max(-128, zp_out) : -128, 127); the MLPerf score in integers.
 */
class TfliteImporterTest {
    static final Path SHARED = Path.of("../../shared/models/mlperf-tiny-ad");

    /** A 12-6-3-6-12 chain: per-channel weights in layer 1, ReLU inside, linear output in a quantization of its own. */
    static List<TfliteWriter.Dense> smallChain(Random r) {
        int[] sizes = {12, 6, 3, 6, 12};
        float[] outScale = {0.05f, 0.031f, 0.12f, 0.07f};
        int[] outZp = {-128, -128, -128, 17};
        List<TfliteWriter.Dense> layers = new ArrayList<>();
        for (int l = 0; l < 4; l++) {
            int in = sizes[l], out = sizes[l + 1];
            byte[] w = new byte[in * out];
            for (int i = 0; i < w.length; i++) w[i] = (byte) (r.nextInt(255) - 127);
            int[] b = new int[out];
            for (int i = 0; i < out; i++) b[i] = r.nextInt(4001) - 2000;
            float[] ws;
            if (l == 1) {
                ws = new float[out];
                for (int i = 0; i < out; i++) ws[i] = 0.002f + 0.001f * i;
            } else {
                ws = new float[] {0.004f + 0.001f * l};
            }
            layers.add(new TfliteWriter.Dense(in, out, w, b, ws, outScale[l], outZp[l], l < 3 ? 1 : 0));
        }
        return layers;
    }

    static final float IN_SCALE = 0.1f;
    static final int IN_ZP = 5;

    /** TFLite's arithmetic on the test's own description of the model. */
    static int oracleScore(List<TfliteWriter.Dense> layers, byte[] x) {
        int[] a = new int[x.length];
        for (int i = 0; i < x.length; i++) a[i] = x[i];
        float inScale = IN_SCALE;
        int inZp = IN_ZP;
        for (TfliteWriter.Dense d : layers) {
            int[] y = new int[d.out()];
            for (int o = 0; o < d.out(); o++) {
                long acc = d.bias()[o];
                for (int i = 0; i < d.in(); i++) acc += (long) d.weights()[o * d.in() + i] * (a[i] - inZp);
                float ws = d.weightScale().length == 1 ? d.weightScale()[0] : d.weightScale()[o];
                FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier((double) inScale * (double) ws / (double) d.outputScale());
                int v = FixedPoint.multiplyByQuantizedMultiplier((int) acc, m.multiplier(), m.shift()) + d.outputZeroPoint();
                int lo = d.activation() == 1 ? Math.max(-128, d.outputZeroPoint()) : -128;
                y[o] = Math.max(lo, Math.min(127, v));
            }
            a = y;
            inScale = d.outputScale();
            inZp = d.outputZeroPoint();
        }
        // the output to the input's quantization (TFLite QUANTIZE int8 -> int8), then the sum of squared differences
        FixedPoint.Multiplier rq = FixedPoint.quantizeMultiplier((double) inScale / (double) IN_SCALE);
        int score = 0;
        for (int i = 0; i < x.length; i++) {
            int v = Math.max(-128, Math.min(127, FixedPoint.multiplyByQuantizedMultiplier(a[i] - inZp, rq.multiplier(), rq.shift()) + IN_ZP));
            score += (x[i] - v) * (x[i] - v);
        }
        return score;
    }

    @Test
    void importsAnInt8ChainWithTflitesArithmetic() {
        Random r = new Random(11);
        List<TfliteWriter.Dense> layers = smallChain(r);
        byte[] file = TfliteWriter.denseChain(IN_SCALE, IN_ZP, layers, false);
        TfliteImporter.Result res = TfliteImporter.read(file, 1, "small.tflite");
        QuantizedAutoencoder m = res.model();
        assertEquals(4, m.layers().length);
        assertTrue(res.perChannel());
        assertNotNull(m.outputRequant(), "the output's quantization (0.07, 17) is not the input's (0.1, 5)");
        assertEquals(12, m.inputSize());
        int differentScores = 0, last = -1;
        for (int n = 0; n < 2000; n++) {
            byte[] x = new byte[12];
            r.nextBytes(x);
            int want = oracleScore(layers, x);
            assertEquals(want, m.score(x), "input " + n);
            if (want != last) differentScores++;
            last = want;
        }
        assertTrue(differentScores > 1000, "the scores vary with the input: " + differentScores);
    }

    @Test
    void quantizeAndDequantizeAtTheEndsGiveTheSameModel() {
        List<TfliteWriter.Dense> layers = smallChain(new Random(3));
        QuantizedAutoencoder a = TfliteImporter.read(TfliteWriter.denseChain(IN_SCALE, IN_ZP, layers, false), 1, "a").model();
        TfliteImporter.Result b = TfliteImporter.read(TfliteWriter.denseChain(IN_SCALE, IN_ZP, layers, true), 1, "b");
        assertTrue(b.floatInput() && b.floatOutput());
        assertEquals(a.hash(), b.model().hash());
    }

    @Test
    void theWindowSplitsInputsIntoFramesOfChannels() {
        QuantizedAutoencoder m = TfliteImporter.read(TfliteWriter.denseChain(IN_SCALE, IN_ZP, smallChain(new Random(3)), false), 3, "w").model();
        assertEquals(3, m.pipeline().window());
        assertEquals(4, m.pipeline().channels().size());
        // the device's fold of the integer stage is TFLite's quantization: count = round(x / s_in), int8 = count + zp
        tinyad.quantizer.DeviceFeatures fold = tinyad.quantizer.DeviceFeatures.of(m);
        for (int count = -300; count <= 300; count++)
            assertEquals((byte) Math.max(-128, Math.min(127, count + IN_ZP)), fold.input(7, count), "count " + count);
        DataException e = assertThrows(DataException.class,
                () -> TfliteImporter.read(TfliteWriter.denseChain(IN_SCALE, IN_ZP, smallChain(new Random(3)), false), 5, "w"));
        assertTrue(e.getMessage().contains("does not divide"), e.getMessage());
    }

    static String refusal(byte[] file) {
        return assertThrows(DataException.class, () -> TfliteImporter.read(file, 1, "bad.tflite")).getMessage();
    }

    @Test
    void unsupportedModelsAreRefusedNamingWhat() {
        Random r = new Random(5);
        List<TfliteWriter.Dense> layers = smallChain(r);
        // ReLU6 fused into a layer
        List<TfliteWriter.Dense> relu6 = new ArrayList<>(layers);
        TfliteWriter.Dense d = relu6.get(0);
        relu6.set(0, new TfliteWriter.Dense(d.in(), d.out(), d.weights(), d.bias(), d.weightScale(), d.outputScale(), d.outputZeroPoint(), 3));
        assertTrue(refusal(TfliteWriter.denseChain(IN_SCALE, IN_ZP, relu6, false)).contains("ReLU6"));
        // a weight of -128
        byte[] w = layers.get(2).weights().clone();
        w[0] = -128;
        List<TfliteWriter.Dense> m128 = new ArrayList<>(layers);
        d = layers.get(2);
        m128.set(2, new TfliteWriter.Dense(d.in(), d.out(), w, d.bias(), d.weightScale(), d.outputScale(), d.outputZeroPoint(), 1));
        assertTrue(refusal(TfliteWriter.denseChain(IN_SCALE, IN_ZP, m128, false)).contains("-128"));
        // not an autoencoder
        assertTrue(refusal(TfliteWriter.denseChain(IN_SCALE, IN_ZP, layers.subList(0, 2), false)).contains("not an autoencoder"));
        // another operator: patch the FULLY_CONNECTED code to CONV_2D (3) in both fields of the first operator code
        byte[] conv = TfliteWriter.denseChain(IN_SCALE, IN_ZP, layers, false);
        int patched = 0;
        for (int i = 0; i + 4 <= conv.length && patched < 2; i++)
            if (conv[i] == 9 && conv[i + 1] == 0 && conv[i + 2] == 0 && conv[i + 3] == 0 && i > 8) {
                conv[i] = 3;
                patched++;
            }
        String msg = refusal(conv);
        assertTrue(msg.contains("CONV_2D") || msg.contains("operator"), msg);
        // not a TFLite file; a truncated one
        assertTrue(refusal("hello, world, not a model".getBytes()).contains("TFL3"));
        byte[] full = TfliteWriter.denseChain(IN_SCALE, IN_ZP, layers, false);
        assertTrue(refusal(java.util.Arrays.copyOf(full, full.length / 2)).contains("outside the file"));
    }

    /**
     * Random mutations of valid files (bytes flipped, set to extremes, the file cut): every outcome is a model or a
     * one-line DataException, never another exception.
     */
    @Test
    void mutatedFilesFailWithOneLineErrorsOnly() throws Exception {
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(TfliteWriter.denseChain(IN_SCALE, IN_ZP, smallChain(new Random(9)), true));
        seeds.add(TfliteWriter.denseChain(IN_SCALE, IN_ZP, smallChain(new Random(10)), false));
        Path ad01 = SHARED.resolve("ad01_int8.tflite");
        if (Files.exists(ad01)) seeds.add(Files.readAllBytes(ad01));
        Random r = new Random(2026);
        int imported = 0, refused = 0;
        for (int n = 0; n < 6000; n++) {
            byte[] seed = seeds.get(n % seeds.size());
            byte[] b = seed.clone();
            // mutate the structure, not only the weights: ad01's first 2 KB and last 4 KB hold its tables
            int k = 1 + r.nextInt(4);
            for (int j = 0; j < k; j++) {
                int pos = b.length > 8192 && r.nextBoolean() ? (r.nextBoolean() ? r.nextInt(2048) : b.length - 1 - r.nextInt(4096)) : r.nextInt(b.length);
                b[pos] = switch (r.nextInt(4)) {
                    case 0 -> (byte) r.nextInt(256);
                    case 1 -> (byte) 0xFF;
                    case 2 -> 0;
                    default -> (byte) (b[pos] ^ (1 << r.nextInt(8)));
                };
            }
            if (r.nextInt(10) == 0) b = java.util.Arrays.copyOf(b, r.nextInt(b.length));
            try {
                TfliteImporter.read(b, 1, "mutant.tflite");
                imported++;
            } catch (DataException e) {
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
                refused++;
            }
        }
        assertTrue(refused > 1000 && imported > 100, "both outcomes occur: refused " + refused + ", imported " + imported);
    }

    @Test
    void importsMlperfTinysAnomalyDetectionModel() throws Exception {
        Path p = SHARED.resolve("ad01_int8.tflite");
        assumeTrue(Files.exists(p), "../shared/models is absent: MLPerf Tiny's model is read from there, never copied");
        TfliteImporter.Result r = TfliteImporter.read(Files.readAllBytes(p), 5, "ad01_int8.tflite");
        QuantizedAutoencoder m = r.model();
        assertEquals(10, m.layers().length);
        assertEquals(264_192, m.macs());
        assertEquals(128, m.pipeline().channels().size());
        assertEquals(0.39101523f, (float) m.inputQuant().scale());
        assertEquals(89, m.inputQuant().zeroPoint());
        assertEquals(96, m.layers()[9].outputZeroPoint());
        assertEquals(-128, m.layers()[9].activationMin(), "the output layer is linear");
        assertEquals(-128, m.layers()[0].activationMin(), "ReLU at the hidden layers' zero point -128");
        // against the float original: the int8 reconstruction, dequantized, follows the fp32 model's
        TfliteImporter.FloatChain f = TfliteImporter.readFloat(Files.readAllBytes(SHARED.resolve("ad01_fp32.tflite")), "ad01_fp32.tflite");
        Random rnd = new Random(1);
        double err = 0, range = 0;
        int n = 50;
        for (int k = 0; k < n; k++) {
            byte[] x = new byte[640];
            double[] xf = new double[640];
            for (int i = 0; i < 640; i++) {
                x[i] = (byte) (60 + rnd.nextInt(40));      // values a log-mel spectrogram gives: -11.3 .. 4.3
                xf[i] = m.inputQuant().dequantize(x[i]);
            }
            byte[] y = m.reconstruct(x);
            double[] yf = f.forward(xf);
            for (int i = 0; i < 640; i++) {
                err += Math.abs(m.inputQuant().dequantize(y[i]) - yf[i]);
                range = Math.max(range, Math.abs(yf[i]));
            }
        }
        double meanErr = err / (n * 640.0);
        assertTrue(meanErr < 0.05 * range, "mean |int8 - fp32| " + meanErr + " against outputs up to " + range);
    }
}
