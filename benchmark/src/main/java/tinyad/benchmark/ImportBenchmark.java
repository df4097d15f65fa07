// SPDX-License-Identifier: Apache-2.0
package tinyad.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

import tinyad.codegen.Exporter;
import tinyad.common.DataException;
import tinyad.common.ToolException;
import tinyad.devicebridge.Target;
import tinyad.devicebridge.Tools;
import tinyad.importer.TfliteImporter;
import tinyad.quantizer.QuantizedAutoencoder;

/**
 * MLPerf Tiny's anomaly-detection model (../shared/models/mlperf-tiny-ad) imported from its int8 .tflite and run by
 * tinyad's firmware: instructions per inference on QEMU (Cortex-M4, Cortex-M3), stack, the runtime code one inference
 * uses and the model's flash, from the linked firmware's symbols; and how the int8 import's scores rank against the
 * float original's (ad01_fp32.tflite) on the same inputs.
 */
public final class ImportBenchmark {
    private ImportBenchmark() {}

    /** Functions one inference of an imported autoencoder calls (the score function itself is counted with them). */
    static final List<String> INFERENCE_CODE = List.of("tinyad_dense_s8", "tinyad_sum_sqdiff_s8", "tinyad_sum_sqdiff_m4", "tinyad_lookup_s8");

    public static void run(Path models, Consumer<String> out) throws IOException {
        Path int8 = models.resolve("mlperf-tiny-ad/ad01_int8.tflite"), fp32 = models.resolve("mlperf-tiny-ad/ad01_fp32.tflite");
        if (!Files.exists(int8)) throw new DataException(int8 + " not found: give the shared models folder with --models");
        Tools.require("make", "arm-none-eabi-gcc", "qemu-system-arm");
        QuantizedAutoencoder m = TfliteImporter.read(Files.readAllBytes(int8), 5, "ad01_int8.tflite").model();
        Path dir = Files.createTempDirectory("tinyad-importbench");
        Exporter.export(m, "ad01", dir);
        for (Target t : List.of(Target.CORTEX_M4, Target.CORTEX_M3)) {
            Target.Bench b = t.bench(dir);
            Path elf = t.build(dir);
            long code = 0, data = 0;
            for (String line : Tools.run(List.of(t.sizeTool().replace("size", "nm"), "-S", "--size-sort", elf.toString()), null, 60).stdout().split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length != 4) continue;
                long size = Long.parseLong(f[1], 16);
                if (INFERENCE_CODE.contains(f[3]) || f[3].equals("ad01_score")) code += size;
                else if (f[3].startsWith("ad01_") && (f[2].equals("t") || f[2].equals("r"))) data += size;   // the model's static const arrays
            }
            out.accept(String.format(Locale.ROOT, "%s: %,d instructions per inference (%.2f/MAC), stack %d B, inference code %,d B, model data %,d B "
                            + "(int8 weights %,d B), RAM for one inference %,d B (input %d + stack)", t.makeTarget, b.count(), b.count() / (double) m.macs(),
                    b.stackBytes(), code, data, weightBytes(m), m.inputSize() + b.stackBytes(), m.inputSize()));
        }
        if (!Files.exists(fp32)) {
            out.accept("ad01_fp32.tflite not found: no float comparison");
            return;
        }
        TfliteImporter.FloatChain f = TfliteImporter.readFloat(Files.readAllBytes(fp32), "ad01_fp32.tflite");
        // log-mel-like inputs (ToyADMOS audio is not in ../shared): a falling spectrum at a random level and slope with noise;
        // every fourth vector with a tone (one band raised 20 dB) as an anomaly
        Random r = new Random(42);
        int n = 1000;
        double[] si = new double[n], sf = new double[n];
        double sumErr = 0, maxErr = 0;
        for (int k = 0; k < n; k++) {
            double[] x = logMelVector(r, k, m.inputQuant());
            byte[] q = m.inputQuant().quantize(x);
            si[k] = m.score(q);
            sf[k] = f.score(x);
            double[] yf = f.forward(x);
            byte[] y = m.reconstruct(q);
            for (int i = 0; i < 640; i++) {
                double e = Math.abs(m.inputQuant().dequantize(y[i]) - yf[i]);
                sumErr += e;
                maxErr = Math.max(maxErr, e);
            }
        }
        out.accept(String.format(Locale.ROOT, "int8 import vs fp32 original on %d synthetic log-mel-like inputs (1 in 4 with a tone): score Spearman %.4f, "
                + "|output difference| mean %.3f, max %.3f (input scale %.3f)", n, spearman(si, sf), sumErr / (n * 640.0), maxErr, m.inputQuant().scale()));
        Path h5 = models.resolve("mlperf-tiny-ad/ad01.h5");
        if (!Files.exists(h5)) {
            out.accept("ad01.h5 not found: no Keras import");
            return;
        }
        // ad01.h5 through the Keras import and tinyad's own quantization, calibrated on 2,000 frames of the same kind
        // (not the scored vectors), then scored on the same 1,000 vectors as above
        tinyad.datasets.SensorTable frames = syntheticFrames(2000, new Random(7));
        tinyad.model.AutoencoderDetector d = tinyad.importer.ModelImport.keras(h5, new tinyad.importer.ModelImport.Options(5, 5, 99.5, 0), frames, null);
        tinyad.quantizer.QuantizedModel q = tinyad.quantizer.Quantizer.quantize(d, d.pipeline().normalInputs(frames), 1.0);
        r = new Random(42);
        double[] sk = new double[n], sh = new double[n];
        double hMaxErr = 0;
        for (int k = 0; k < n; k++) {
            double[] x = logMelVector(r, k, m.inputQuant());
            sk[k] = q.score(q.quantizeInput(x));
            sh[k] = d.net().reconstructionError(x);
            double[] yh = d.net().forward(x), yf = f.forward(x);
            for (int i = 0; i < 640; i++) hMaxErr = Math.max(hMaxErr, Math.abs(yh[i] - yf[i]));
        }
        out.accept(String.format(Locale.ROOT, "ad01.h5 (Keras import, BatchNormalization folded) float vs ad01_fp32.tflite: score Spearman %.4f, "
                + "max |output difference| %.3f", spearman(sh, sf), hMaxErr));
        out.accept(String.format(Locale.ROOT, "ad01.h5 quantized by tinyad (input scale %.3f) vs ad01_int8.tflite imported: score Spearman %.4f; "
                + "vs its own float: %.4f", q.inputQuant().scale(), spearman(sk, si), spearman(sk, sh)));
    }

    /** Frames of 128 log-mel-like bands in runs of 50 at one random level and slope. */
    static tinyad.datasets.SensorTable syntheticFrames(int rows, Random r) {
        double[][] v = new double[rows][128];
        double base = 0, slope = 0;
        for (int t = 0; t < rows; t++) {
            if (t % 50 == 0) {
                base = -50 + 40 * r.nextDouble();
                slope = 10 + 30 * r.nextDouble();
            }
            for (int b = 0; b < 128; b++) v[t][b] = base + slope * Math.exp(-b / 30.0) + 3 * r.nextGaussian();
        }
        List<String> names = new java.util.ArrayList<>();
        for (int b = 0; b < 128; b++) names.add("band" + b);
        return new tinyad.datasets.SensorTable(names, null, v, null);
    }

    /** Spearman's rank correlation (average ranks for ties). */
    /**
     * Scored vector k: a falling log-mel-like spectrum (5 frames of 128 bands) at a random level and slope with noise,
     * every fourth with a tone (one band raised 20 dB); rounded to {@code q}'s grid, so the int8 and float models see the
     * same values.
     */
    static double[] logMelVector(Random r, int k, tinyad.quantizer.QuantParams q) {
        double[] x = new double[640];
        double base = -50 + 40 * r.nextDouble(), slope = 10 + 30 * r.nextDouble();
        int tone = k % 4 == 0 ? r.nextInt(128) : -1;
        for (int i = 0; i < 640; i++) {
            int band = i % 128;
            x[i] = q.dequantize(q.quantize(base + slope * Math.exp(-band / 30.0) + 3 * r.nextGaussian() + (band == tone ? 20 : 0)));
        }
        return x;
    }

    static double spearman(double[] a, double[] b) {
        double[] ra = ranks(a), rb = ranks(b);
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) { ma += ra[i]; mb += rb[i]; }
        ma /= a.length;
        mb /= a.length;
        double num = 0, da = 0, db = 0;
        for (int i = 0; i < a.length; i++) {
            num += (ra[i] - ma) * (rb[i] - mb);
            da += (ra[i] - ma) * (ra[i] - ma);
            db += (rb[i] - mb) * (rb[i] - mb);
        }
        return num / Math.sqrt(da * db);
    }

    static double[] ranks(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        java.util.Arrays.sort(idx, (x, y) -> Double.compare(v[x], v[y]));
        double[] r = new double[v.length];
        for (int i = 0; i < idx.length; ) {
            int j = i;
            while (j + 1 < idx.length && v[idx[j + 1]] == v[idx[i]]) j++;
            for (int k = i; k <= j; k++) r[idx[k]] = (i + j) / 2.0;
            i = j + 1;
        }
        return r;
    }

    static long weightBytes(QuantizedAutoencoder m) {
        long b = 0;
        for (QuantizedAutoencoder.Layer l : m.layers()) b += l.weights().length;
        return b;
    }
}
