package tinyad.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import tinyad.codegen.Exporter;
import tinyad.common.ToolException;
import tinyad.devicebridge.FirmwareReport;
import tinyad.devicebridge.Footprint;
import tinyad.devicebridge.Target;
import tinyad.devicebridge.Tools;
import tinyad.quantizer.QuantizedModel;

/**
 * Cost of one inference of generated firmware: instructions on QEMU (Cortex-M4 mps2-an386, Cortex-M3 mps2-an385,
 * -icount) and exact cycles on simavr (ATmega328P), for the MLPerf Tiny anomaly-detection autoencoder shape, a
 * 32-16-8-16-32 autoencoder and k-means k=8 over 16 inputs (random int8 weights), and the runtime's code size.
 * Every build goes through the exported project's Makefile, so the compiler flags are the firmware's own.
 */
public final class FirmwareBenchmark {
    private FirmwareBenchmark() {}

    record Shape(String name, QuantizedModel model) {}

    /** @param skipAvrMlperf the MLPerf shape does not fit an Uno */
    public static void run(boolean skipAvrMlperf, Consumer<String> out) throws IOException {
        Tools.require("make", "arm-none-eabi-gcc", "qemu-system-arm", "avr-gcc");
        List<Shape> shapes = List.of(
                new Shape("mlperf_ad", RandomModels.autoencoder(new int[] {640, 128, 128, 128, 128, 8, 128, 128, 128, 128, 640}, 1)),
                new Shape("ae_32_16_8", RandomModels.autoencoder(new int[] {32, 16, 8, 16, 32}, 2)),
                new Shape("kmeans_8x16", RandomModels.kmeans(8, 16, 3)));
        Path dir = Files.createTempDirectory("tinyad-fwbench");
        out.accept(String.format(Locale.ROOT, "%-12s %8s | %-40s | %-40s | %-40s", "model", "MACs", "Cortex-M4 -O2 (QEMU instr.)",
                "Cortex-M3 -O2 (QEMU instr.)", "ATmega328P -O2 (simavr cycles)"));
        for (Shape s : shapes) {
            long macs = FirmwareReport.macs(s.model());
            Path p = dir.resolve(s.name());
            Exporter.export(s.model(), s.name(), p);
            String m4 = cost(p, Target.CORTEX_M4, macs), m3 = cost(p, Target.CORTEX_M3, macs);
            String avr = s.name().equals("mlperf_ad") && skipAvrMlperf ? "does not fit (270 KB of weights)" : cost(p, Target.AVR, macs);
            out.accept(String.format(Locale.ROOT, "%-12s %8d | %-40s | %-40s | %-40s", s.name(), macs, m4, m3, avr));
        }
        // features + score per window, from int16 counts: the demo's pipeline and SKAB's best configuration
        out.accept(String.format(Locale.ROOT, "%-34s | %-30s | %-30s | %-30s", "features + k-means k=8 per window",
                "Cortex-M4 -O2 (QEMU instr.)", "Cortex-M3 -O2 (QEMU instr.)", "ATmega328P -O2 (simavr cycles)"));
        record Feat(String name, int channels, int window, String features) {}
        for (Feat f : List.of(new Feat("stats+spectral:8, 3 ch x 32", 3, 32, "stats+spectral:8"),
                new Feat("stats, 8 ch x 16 (SKAB best)", 8, 16, "stats"),
                new Feat("stats+spectral:4, 3 ch x 16", 3, 16, "stats+spectral:4"))) {
            QuantizedModel m = RandomModels.kmeans(8, RandomModels.syntheticPipeline(f.channels(), f.window(), f.features()), 4);
            String name = "feat_" + f.channels() + "x" + f.window();
            Path p = dir.resolve(name + f.features().replace('+', '_').replace(':', '_'));
            Exporter.export(m, name, p);
            out.accept(String.format(Locale.ROOT, "%-34s | %-30s | %-30s | %-30s", f.name(), featureCost(p, Target.CORTEX_M4),
                    featureCost(p, Target.CORTEX_M3), featureCost(p, Target.AVR)));
        }
        for (String opt : new String[] {"-Os", "-O2"})
            out.accept(String.format(Locale.ROOT, "runtime kernels (every kernel, C and assembly) on Cortex-M4 %s: %d bytes of code",
                    opt, kernelsCode(dir.resolve("ae_32_16_8"), opt)));
    }

    /** "features + score (features alone), stack" of one window. */
    private static String featureCost(Path project, Target t) {
        Target.Bench b = t.bench(project);
        return String.format(Locale.ROOT, "%,d (%,d), stack %d B", b.featureCount() + b.count(), b.featureCount(),
                Math.max(b.featureStack(), b.stackBytes()));
    }

    private static String cost(Path project, Target t, long macs) {
        Target.Bench b = t.bench(project);
        return String.format(Locale.ROOT, "%,d (%.2f/MAC), stack %d B", b.count(), b.count() / (double) macs, b.stackBytes());
    }

    /**
     * Code of the runtime beyond the weights: the kernel objects (Exporter.KERNEL_FILES) of the Cortex-M4 build at {@code opt}, built
     * by the project's Makefile ({@code make m4 ARM_OPT=opt}) into a build directory of its own.
     */
    static long kernelsCode(Path project, String opt) {
        String build = "build/size" + opt;
        Tools.Result r = Tools.run(List.of("make", "-s", "-C", project.toString(), "BUILD=" + build, "ARM_OPT=" + opt,
                Target.CORTEX_M4.makeTarget), null, 300);
        if (r.exitCode() != 0) throw new ToolException("Cortex-M4 build at " + opt + " failed: " + r.stderr().strip());
        long text = 0;
        for (String src : Exporter.KERNEL_FILES)
            if (src.endsWith(".c") || src.endsWith(".S"))
                text += Footprint.of(Target.CORTEX_M4.sizeTool(), project.resolve(build).resolve("m4/" + Path.of(src).getFileName() + ".o")).text();
        return text;
    }
}
