package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.codegen.Exporter;
import tinyad.datasets.IntFeatures;

/**
 * firmware-c's integer feature kernels against the Java reference, int32 for int32 (a one-off change in any
 * kernel shows here even where it would rarely move an int8 input): stats, spectral bands, centring and the
 * feature fold, on random windows of every amplitude from a few counts to full scale, window lengths 8 to 64,
 * on the host, the Cortex-M4 and Cortex-M3 in QEMU and the ATmega328P in simavr.
 */
class FeatureKernelsTest {
    private static final int[] LENGTHS = {8, 16, 32, 64};

    @Test
    void kernelsEqualTheJavaReferenceOnEveryTarget(@TempDir Path dir) throws Exception {
        Toolchain.require("make", "cc", "arm-none-eabi-gcc", "qemu-system-arm", "avr-gcc", "simavr");
        for (String f : Exporter.RUNTIME_FILES) {
            Path to = dir.resolve(f);
            Files.createDirectories(to.getParent());
            Files.write(to, Exporter.runtimeFile(f));
        }
        Files.writeString(dir.resolve("bench/kernels_twiddles.h"), twiddleHeader());
        SplittableRandom r = new SplittableRandom(2026);
        StringBuilder in = new StringBuilder();
        List<String> want = new ArrayList<>();
        for (int c = 0; c < 240; c++) {
            int n = LENGTHS[c % LENGTHS.length], limit = IntFeatures.sampleLimit(n);
            int amplitude = 1 << r.nextInt(0, 12);                  // 1 .. 2048 counts: rounding matters at every scale
            int[] x = new int[n];
            int base = r.nextInt(-limit / 2, limit / 2 + 1);
            for (int t = 0; t < n; t++) {
                double v = base + amplitude * (Math.sin(2 * Math.PI * t * (1 + c % 5) / n) + 0.5 * r.nextDouble(-1, 1));
                if (c % 17 == 0 && t == n / 3) v += 40 * amplitude;     // a spike
                x[t] = (int) Math.max(-limit, Math.min(limit, Math.round(v)));
            }
            if (c % 23 == 0) Arrays.fill(x, base);                  // constant
            long zero = c % 3 == 0 ? 0 : r.nextLong(-IntFeatures.zeroLimit(n), IntFeatures.zeroLimit(n) + 1);
            int[] stats = new int[7];
            IntFeatures.stats(x, zero, stats, 0);
            in.append("S ").append(n).append(' ').append(IntFeatures.momentBits(n)).append(' ').append(zero).append(join(x)).append('\n');
            want.add(join(stats).strip());
            int bins = 1 + r.nextInt(n / 2);
            int[] bands = new int[bins];
            IntFeatures.spectral(x, bins, IntFeatures.twiddles(n), bands, 0);
            in.append("F ").append(n).append(' ').append(IntFeatures.log2Ceil(n)).append(' ').append(bins).append(join(x)).append('\n');
            want.add(join(bands).strip());
            int center = r.nextInt(-40000, 40001), shift = r.nextInt(0, 6);
            int[] counts = new int[n], centred = new int[n];
            for (int t = 0; t < n; t++) {
                counts[t] = r.nextInt(-32768, 32768);
                centred[t] = IntFeatures.centred(counts[t], center, shift, limit);
            }
            in.append("C ").append(n).append(' ').append(center).append(' ').append(shift).append(' ').append(limit)
                    .append(join(counts)).append('\n');
            want.add(join(centred).strip());
            int feature = r.nextInt(), offset = r.nextInt(-1 << 20, 1 << 20), zp = r.nextInt(-128, 128);
            if (c % 2 == 0) feature >>= r.nextInt(8, 24);
            int[] fold = tinyad.quantizer.DeviceFeatures.fold(Math.pow(2, r.nextDouble(-24, 16)));
            in.append("Q ").append(feature).append(' ').append(offset).append(' ').append(fold[0]).append(' ').append(fold[1]).append(' ')
                    .append(fold[2]).append(' ').append(zp).append('\n');
            want.add(Integer.toString(new tinyad.quantizer.DeviceFeatures(new int[] {offset}, new int[] {fold[0]}, new int[] {fold[1]},
                    new int[] {fold[2]}, zp).input(0, feature)));
        }
        // the fold where f - offset leaves int32 (the device's wide path) and at the saturation edges
        int[][] edges = {{Integer.MIN_VALUE, 1 << 20}, {Integer.MAX_VALUE, -(1 << 20)}, {Integer.MIN_VALUE, -1}, {Integer.MAX_VALUE, 1}};
        for (int[] e : edges)
            for (double real : new double[] {Math.pow(2, -26), Math.pow(2, -20), 1e-3, 0.7, 37.0}) {
                int[] fold = tinyad.quantizer.DeviceFeatures.fold(real);
                in.append("Q ").append(e[0]).append(' ').append(e[1]).append(' ').append(fold[0]).append(' ').append(fold[1]).append(' ')
                        .append(fold[2]).append(" -7\n");
                want.add(Integer.toString(new tinyad.quantizer.DeviceFeatures(new int[] {e[1]}, new int[] {fold[0]}, new int[] {fold[1]},
                        new int[] {fold[2]}, -7).input(0, e[0])));
            }
        // windows where the FFT's rounding ties decide a band: found by computing with the ties rounded down
        int ties = 0;
        for (int tries = 0; tries < 400_000 && ties < 24; tries++) {
            int n = LENGTHS[tries % 2], bins = n / 2;
            int[] x = new int[n];
            int amplitude = 1 << r.nextInt(4, 12);
            for (int t = 0; t < n; t++) x[t] = r.nextInt(-amplitude, amplitude + 1);
            int[] bands = new int[bins], down = new int[bins];
            IntFeatures.spectral(x, bins, IntFeatures.twiddles(n), bands, 0);
            IntFeatures.spectral(x, bins, IntFeatures.twiddles(n), down, 0, (1 << 14) - 1);
            if (Arrays.equals(bands, down)) continue;
            ties++;
            in.append("F ").append(n).append(' ').append(IntFeatures.log2Ceil(n)).append(' ').append(bins).append(join(x)).append('\n');
            want.add(join(bands).strip());
        }
        assertTrue(ties >= 8, "found " + ties + " windows with deciding FFT rounding ties");
        in.append(".\n");
        Path input = dir.resolve("vectors.txt");
        Files.writeString(input, in);
        check("host", run(dir, Target.HOST, "kernels-host", "build/host/kernels", input), want);
        check("Cortex-M4", run(dir, Target.CORTEX_M4, "kernels-m4", "build/kernels-m4/kernels.elf", input), want);
        check("Cortex-M3", run(dir, Target.CORTEX_M3, "kernels-m3", "build/kernels-m3/kernels.elf", input), want);
        check("ATmega328P", run(dir, Target.AVR, "kernels-avr", "build/kernels-avr/kernels.elf", input), want);
    }

    private static String twiddleHeader() {
        StringBuilder h = new StringBuilder("/* Q15 twiddles for bench/kernels_main.c, from tinyad.datasets.IntFeatures.twiddles */\n");
        for (int n : LENGTHS) {
            short[][] tw = IntFeatures.twiddles(n);
            for (int k = 0; k < 2; k++) {
                h.append("static const int16_t kernels_").append(k == 0 ? "cos_" : "sin_").append(n).append('[').append(n / 2)
                        .append("] TINYAD_FLASH = {");
                for (short v : tw[k]) h.append(v).append(',');
                h.append("};\n");
            }
        }
        return h.toString();
    }

    private static String join(int[] v) {
        StringBuilder b = new StringBuilder();
        for (int x : v) b.append(' ').append(x);
        return b.toString();
    }

    private static List<String> run(Path dir, Target t, String makeTarget, String binary, Path input) throws Exception {
        return EmulatedPrograms.run(dir, t, makeTarget, binary, input).stream().filter(l -> l.matches("-?[0-9].*")).toList();
    }

    private static void check(String target, List<String> got, List<String> want) {
        assertEquals(want.size(), got.size(), target + ": one answer per vector");
        for (int i = 0; i < want.size(); i++) assertEquals(want.get(i), got.get(i), target + ": vector " + i);
        System.out.printf(Locale.ROOT, "feature kernels, %s: %d vectors equal to the Java reference%n", target, want.size());
    }
}
