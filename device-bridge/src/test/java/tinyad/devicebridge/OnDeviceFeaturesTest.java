package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tinyad.codegen.Exporter;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.TimeSplit;
import tinyad.quantizer.QuantizedModel;
import tinyad.quantizer.Quantizer;

/**
 * The device's integer feature pipeline (generated C + firmware-c's kernels) against the Java reference
 * (tinyad.datasets.IntFeatures + tinyad.quantizer.DeviceFeatures): every int8 input of every window equal, on
 * the host, the Cortex-M4 and Cortex-M3 in QEMU and the ATmega328P in simavr. Windows: the test part of the
 * built-in data as the sensor's counts, plus edge cases (full-scale, constant, alternating, one spike).
 */
class OnDeviceFeaturesTest {
    /** Windows per emulator run: the UARTs carry ~16 KB/s; the host takes every window. */
    private static final int EMULATED_WINDOWS = 200;

    @ParameterizedTest
    @ValueSource(strings = {"raw", "stats", "spectral:4", "stats+spectral:8"})
    void deviceInputsEqualTheJavaReferenceOnEveryTarget(String features, @TempDir Path dir) throws Exception {
        Toolchain.require("make", "cc", "arm-none-eabi-gcc", "qemu-system-arm", "avr-gcc", "simavr");
        SensorTable t = SyntheticSensor.generate(new SyntheticSensor.Options(5, 12_000, 1000, 0.5, 400)).table();
        TimeSplit s = TimeSplit.of(t, 0.5);
        Pipeline p = Pipeline.fit(s.train(), null, 16, 8, features);
        assertNotNull(p.integer(), "the pipeline has an integer stage");
        QuantizedModel q = Quantizer.quantize(TestDetectors.kmeans(s.train(), p, 8, false), p.normalInputs(s.train()));
        Exporter.export(q, "feat", dir);
        List<int[]> windows = new ArrayList<>(List.of(p.counts(s.test())));
        windows.addAll(edgeCases(p.window() * p.channels().size(), p.channels().size()));
        List<byte[]> java = new ArrayList<>();
        for (int[] w : windows) java.add(q.deviceInput(w));

        Path all = dir.resolve("windows.txt"), few = dir.resolve("few.txt");
        Files.writeString(all, hexLines(windows, windows.size()));
        List<int[]> sample = new ArrayList<>(windows.subList(0, EMULATED_WINDOWS - 6));
        sample.addAll(windows.subList(windows.size() - 6, windows.size()));   // the edge cases too
        Files.writeString(few, hexLines(sample, sample.size()));
        List<byte[]> javaFew = new ArrayList<>(java.subList(0, EMULATED_WINDOWS - 6));
        javaFew.addAll(java.subList(java.size() - 6, java.size()));

        check("host", run(dir, Target.HOST, "features-host", "build/host/features", all), java);
        check("Cortex-M4", run(dir, Target.CORTEX_M4, "features-m4", "build/features-m4/features.elf", few), javaFew);
        check("Cortex-M3", run(dir, Target.CORTEX_M3, "features-m3", "build/features-m3/features.elf", few), javaFew);
        check("ATmega328P", run(dir, Target.AVR, "features-avr", "build/features-avr/features.elf", few), javaFew);
    }

    /** Full scale both ways, constant, alternating extremes, one spike in silence, a ramp. */
    static List<int[]> edgeCases(int values, int channels) {
        int[] max = new int[values], min = new int[values], flat = new int[values], alt = new int[values], spike = new int[values],
                ramp = new int[values];
        for (int i = 0; i < values; i++) {
            max[i] = 32767;
            min[i] = -32768;
            flat[i] = 1234;
            alt[i] = (i / channels) % 2 == 0 ? 32767 : -32768;
            spike[i] = i == values / 2 ? 30000 : 0;
            ramp[i] = (i / channels) * 997 - 8000;
        }
        return List.of(max, min, flat, alt, spike, ramp);
    }

    static String hexLines(List<int[]> windows, int count) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < count; i++) {
            for (int v : windows.get(i)) b.append(String.format(Locale.ROOT, "%04X", v & 0xFFFF));
            b.append('\n');
        }
        return b.append(".\n").toString();
    }

    private static List<String> run(Path dir, Target t, String makeTarget, String binary, Path input) throws Exception {
        return EmulatedPrograms.run(dir, t, makeTarget, binary, input).stream().filter(l -> l.matches("[0-9A-F]+")).toList();
    }

    private static void check(String target, List<String> lines, List<byte[]> java) {
        assertEquals(java.size(), lines.size(), target + ": one line of inputs per window");
        for (int i = 0; i < java.size(); i++) {
            byte[] want = java.get(i);
            String line = lines.get(i);
            assertEquals(2 * want.length, line.length(), target + " window " + i + ": input count");
            for (int j = 0; j < want.length; j++) {
                int device = (byte) Integer.parseInt(line.substring(2 * j, 2 * j + 2), 16);
                if (device != want[j]) fail(target + " window " + i + " input " + j + ": device " + device + ", Java " + want[j]);
            }
        }
        System.out.printf(Locale.ROOT, "on-device integer features, %s: %d windows x %d inputs, all equal%n", target, java.size(),
                java.isEmpty() ? 0 : java.get(0).length);
    }
}
