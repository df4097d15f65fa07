package tinyad.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import tinyad.codegen.Exporter;
import tinyad.common.ToolException;
import tinyad.datasets.Normaliser;
import tinyad.datasets.Pipeline;
import tinyad.devicebridge.Footprint;
import tinyad.devicebridge.Tools;
import tinyad.quantizer.FixedPoint;
import tinyad.quantizer.QuantParams;
import tinyad.quantizer.QuantizedAutoencoder;
import tinyad.quantizer.QuantizedKMeans;
import tinyad.quantizer.QuantizedModel;

@Command(name = "firmware", mixinStandardHelpOptions = true,
        description = {"Cost of one inference of generated firmware: instructions on QEMU (Cortex-M4 mps2-an386,",
                "Cortex-M3 mps2-an385, -icount) and exact cycles on simavr (ATmega328P), for the MLPerf Tiny",
                "anomaly-detection autoencoder shape, a 32-16-8-16-32 autoencoder and k-means k=8 over 16 inputs",
                "(random int8 weights: cost and size do not depend on training). Also the runtime's code size."})
final class FirmwareBenchmark implements Callable<Integer> {
    @Option(names = "--skip-avr-mlperf", defaultValue = "true", description = "The MLPerf shape does not fit an Uno (default: ${DEFAULT-VALUE}).")
    boolean skipAvrMlperf;

    record Shape(String name, QuantizedModel model, long macs) {}

    @Override
    public Integer call() throws IOException {
        Tools.require("make", "arm-none-eabi-gcc", "qemu-system-arm", "avr-gcc");
        List<Shape> shapes = List.of(
                new Shape("mlperf_ad", autoencoder(new int[] {640, 128, 128, 128, 128, 8, 128, 128, 128, 128, 640}, 1), 0),
                new Shape("ae_32_16_8", autoencoder(new int[] {32, 16, 8, 16, 32}, 2), 0),
                new Shape("kmeans_8x16", kmeans(8, 16, 3), 8 * 16));
        Path dir = Files.createTempDirectory("tinyad-fwbench");
        System.out.printf(Locale.ROOT, "%-12s %8s | %-40s | %-40s | %-40s%n", "model", "MACs", "Cortex-M4 -O2 (QEMU instr.)",
                "Cortex-M3 -O2 (QEMU instr.)", "ATmega328P -O2 (simavr cycles)");
        for (Shape s : shapes) {
            long macs = s.model() instanceof QuantizedAutoencoder a ? a.macs() : s.macs();
            Path p = dir.resolve(s.name());
            Exporter.export(s.model(), s.name(), p);
            String m4 = run(p, "bench-m4", macs), m3 = run(p, "bench-m3", macs);
            String avr = s.name().equals("mlperf_ad") && skipAvrMlperf ? "does not fit (270 KB of weights)" : run(p, "bench-avr", macs);
            System.out.printf(Locale.ROOT, "%-12s %8d | %-40s | %-40s | %-40s%n", s.name(), macs, m4, m3, avr);
        }
        runtimeSize(dir.resolve("ae_32_16_8"));
        return 0;
    }

    private static String run(Path project, String target, long macs) {
        Tools.Result r = Tools.run(List.of("make", "-s", "-C", project.toString(), target), null, 600);
        String out = r.stdout().lines().filter(l -> l.startsWith("B ")).findFirst()
                .orElseThrow(() -> new ToolException(target + " printed no result: " + r.stderr().strip()));
        String[] f = out.split(" ");
        long count = Long.parseLong(f[3]);
        return String.format(Locale.ROOT, "%,d (%.2f/MAC), stack %s B", count, count / (double) macs, f[4]);
    }

    /** Code of the runtime beyond the weights: the kernels object, -Os and -O2, for the Cortex-M4. */
    private static void runtimeSize(Path project) {
        for (String opt : new String[] {"-Os", "-O2"}) {
            Path o = project.resolve("build/kernels" + opt + ".o");
            Tools.Result r = Tools.run(List.of("arm-none-eabi-gcc", "-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16",
                    opt, "-ffunction-sections", "-std=c99", "-I" + project.resolve("include"), "-c",
                    project.resolve("src/tinyad_kernels.c").toString(), "-o", o.toString()), null, 60);
            if (r.exitCode() != 0) throw new ToolException("compile failed: " + r.stderr());
            Footprint f = Footprint.of("arm-none-eabi-size", o);
            System.out.printf(Locale.ROOT, "runtime kernels (tinyad_kernels.c, every kernel) on Cortex-M4 %s: %d bytes of code%n", opt, f.text());
        }
    }

    static QuantizedModel autoencoder(int[] sizes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        QuantParams act = new QuantParams(0.05, -10);
        QuantizedAutoencoder.Layer[] layers = new QuantizedAutoencoder.Layer[sizes.length - 1];
        for (int l = 0; l < layers.length; l++) {
            int in = sizes[l], out = sizes[l + 1];
            byte[] w = new byte[in * out];
            for (int i = 0; i < w.length; i++) w[i] = (byte) r.nextInt(-127, 128);
            int[] bias = new int[out], mult = new int[out], shift = new int[out];
            double[] ws = new double[out];
            for (int c = 0; c < out; c++) {
                bias[c] = r.nextInt(-5000, 5000);
                FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(r.nextDouble(0.0005, 0.004));
                mult[c] = m.multiplier();
                shift[c] = m.shift();
                ws[c] = 0.01;
            }
            boolean relu = l < layers.length - 1;
            layers[l] = new QuantizedAutoencoder.Layer(in, out, w, bias, mult, shift, act.zeroPoint(), act.zeroPoint(),
                    relu ? act.zeroPoint() : -128, ws, act, act);
        }
        double[] ones = new double[sizes[0]];
        Arrays.fill(ones, 1);
        Pipeline p = new Pipeline(List.of("x"), sizes[0], sizes[0], "raw", new Normaliser(new double[sizes[0]], ones));
        return new QuantizedAutoencoder(p, act, layers, 100000, 1.0);
    }

    static QuantizedModel kmeans(int k, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[][] c = new byte[k][d];
        for (byte[] row : c) for (int i = 0; i < d; i++) row[i] = (byte) r.nextInt(-128, 128);
        double[] ones = new double[d];
        Arrays.fill(ones, 1);
        Pipeline p = new Pipeline(List.of("x"), d, d, "raw", new Normaliser(new double[d], ones));
        return new QuantizedKMeans(p, new QuantParams(0.05, 0), c, 100000, 1.0);
    }
}
