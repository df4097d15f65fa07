package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import tinyad.datasets.Windows;
import tinyad.quantizer.QuantizedModel;
import tinyad.quantizer.Quantizer;

/**
 * The generated feature pipeline (float32 C) against the Java pipeline (double): the int8 inputs a device
 * computes from raw samples equal Java's, except values within float rounding of a rounding boundary, which
 * may differ by one step. The test measures how many and bounds both.
 */
class OnDeviceFeaturesTest {
    @ParameterizedTest
    @ValueSource(strings = {"raw", "stats", "stats+spectral:4"})
    void deviceFeaturesMatchTheJavaPipeline(String features, @TempDir Path dir) throws Exception {
        Toolchain.require("make", "cc");
        SensorTable t = SyntheticSensor.generate(new SyntheticSensor.Options(5, 30_000, 1000, 0.5, 400)).table();
        TimeSplit s = TimeSplit.of(t, 0.5);
        Pipeline p = Pipeline.fit(s.train(), null, 16, 8, features);
        QuantizedModel q = Quantizer.quantize(TestDetectors.kmeans(s.train(), p, 8, false),
                p.normalInputs(s.train()));
        Exporter.export(q, "feat", dir);
        Tools.Result b = Tools.run(List.of("make", "-s", "-C", dir.toString(), "features-host"), null, 300);
        assertEquals(0, b.exitCode(), b.stderr());
        Windows w = p.windows(s.test());
        StringBuilder in = new StringBuilder();
        for (double[] win : w.data()) {
            for (double v : win) in.append(String.format(Locale.ROOT, "%.9g ", (float) v));
            in.append('\n');
        }
        Path input = dir.resolve("windows.txt");
        Files.writeString(input, in);
        Process proc = new ProcessBuilder(dir.resolve("build/host/features").toString())
                .redirectInput(input.toFile()).redirectErrorStream(true).start();
        List<String> lines = new String(proc.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
        assertEquals(0, proc.waitFor());
        // Java from the same float32 samples the device sees
        double[][] asFloat = new double[w.count()][];
        for (int i = 0; i < asFloat.length; i++) {
            asFloat[i] = new double[w.data()[i].length];
            for (int j = 0; j < asFloat[i].length; j++) asFloat[i][j] = (float) w.data()[i][j];
        }
        double[][] javaInputs = p.normaliser().apply(p.features(asFloat));
        assertEquals(w.count(), lines.size());
        long values = 0, differ = 0;
        int worst = 0;
        for (int i = 0; i < lines.size(); i++) {
            byte[] java = q.quantizeInput(javaInputs[i]);
            for (int j = 0; j < java.length; j++) {
                int device = (byte) Integer.parseInt(lines.get(i).substring(2 * j, 2 * j + 2), 16);
                values++;
                if (device != java[j]) {
                    differ++;
                    worst = Math.max(worst, Math.abs(device - java[j]));
                }
            }
        }
        System.out.printf(Locale.ROOT, "on-device features %s: %d of %d int8 inputs differ from Java (%.4f%%), by at most %d%n",
                features, differ, values, 100.0 * differ / values, worst);
        assertTrue(worst <= 1, "a device input differs from Java's by " + worst);
        assertTrue(differ <= values / 200, differ + " of " + values + " differ");
        if (features.equals("raw")) assertEquals(0, differ, "raw windows are exact");
    }
}
