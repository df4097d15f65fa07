package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import tinyad.codegen.Exporter;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.TimeSplit;
import tinyad.model.AutoencoderDetector;
import tinyad.model.KMeansDetector;
import tinyad.quantizer.QuantizedKMeans;
import tinyad.quantizer.QuantizedModel;
import tinyad.quantizer.Quantizer;

/**
 * The contract: generated C, compiled for a target and run there, gives every window the same integer
 * score as the Java reference. Data -> k-means -> int8 -> C -> host (ASan/UBSan) and Cortex-M4 (QEMU).
 */
class BitExactFirmwareTest {
    static QuantizedModel model;
    static byte[][] windows;
    static QuantizedModel autoencoder;
    static byte[][] aeWindows;
    static QuantizedModel radius;
    static QuantizedModel oddAutoencoder;

    @BeforeAll
    static void buildAndQuantize() {
        SensorTable t = SyntheticSensor.generate(new SyntheticSensor.Options(7, 40_000, 1000, 0.5, 400)).table();
        TimeSplit s = TimeSplit.of(t, 0.5);
        Pipeline p = Pipeline.fit(s.train(), null, 32, 16, Pipeline.RAW);
        KMeansDetector d = TestDetectors.kmeans(s.train(), p, 16, false);
        model = Quantizer.quantize(d, p.normalInputs(s.train()));
        windows = model.quantizedInputs(s.test());
        assertTrue(windows.length >= 1000, "at least 1000 windows, got " + windows.length);
        radius = Quantizer.quantize(TestDetectors.kmeans(s.train(), p, 16, true),
                p.normalInputs(s.train()));
        // an autoencoder on raw windows: 96-24-12-24-96, every kernel on the path
        AutoencoderDetector ae = TestDetectors.autoencoder(s.train(), p, new int[] {24, 12, 24}, 7);
        autoencoder = Quantizer.quantize(ae, p.normalInputs(s.train()));
        aeWindows = autoencoder.quantizedInputs(s.test());
        // layer sizes that are not multiples of 4: every tail of the blocked weight layout
        oddAutoencoder = Quantizer.quantize(TestDetectors.autoencoder(s.train(), p, new int[] {10, 5, 10}, 7),
                p.normalInputs(s.train()));
    }

    static Stream<Arguments> targetsAndModels() {
        return Stream.of(Target.HOST, Target.CORTEX_M4, Target.CORTEX_M3, Target.AVR)
                .flatMap(t -> Stream.of(Arguments.of(t, "kmeans"), Arguments.of(t, "kmeans-radius"), Arguments.of(t, "autoencoder"),
                        Arguments.of(t, "autoencoder-odd")));
    }

    private static Verifier.Report run(Target target, Path project, QuantizedModel m, byte[][] w) {
        Path fw = target.build(project);
        return Emulator.verify(target, fw, m, w);
    }

    private static void assertAllMatch(Verifier.Report r, QuantizedModel m, byte[][] w) {
        assertEquals(0, r.mismatches().size(), () -> "first mismatch: " + r.mismatches().get(0));
        assertEquals(0, r.lost());
        assertEquals(w.length, r.matched());
        assertEquals(m.hash(), r.hello().hash());
        for (int i = 0; i < w.length; i++) assertEquals(m.score(w[i]), r.deviceScores()[i]);
        // the alarm rule: every window's alarm state and every event (start, end with peak) as the Java reference has them
        assertTrue(r.alarmsChecked(), "the device speaks protocol 2");
        assertEquals(0, r.eventMismatches());
        assertEquals(Verifier.expectedEvents(m, w), r.deviceEvents());
        assertFalse(r.deviceEvents().isEmpty(), "the test windows raise alarm events");
        tinyad.model.AlarmRule.Result ref = m.alarm().run(java.util.Arrays.stream(w).mapToDouble(m::score).toArray());
        for (int i = 0; i < w.length; i++) assertEquals(ref.alarm()[i] ? 1 : 0, r.deviceStates()[i], "alarm state of window " + i);
    }

    /** A device whose compiled alarm rule differs from the model's is refused before any window is sent. */
    @Test
    void aChangedAlarmRuleIsRefused(@TempDir Path dir) throws Exception {
        Toolchain.require("make", "cc");
        Exporter.export(model, "bitexact", dir);
        Path h = dir.resolve("model/bitexact_model.h");
        String src = Files.readString(h);
        Matcher m = Pattern.compile("#define BITEXACT_ALARM_HOLDOFF (\\d+)u").matcher(src);
        assertTrue(m.find());
        Files.writeString(h, src.substring(0, m.start(1)) + (Integer.parseInt(m.group(1)) + 1) + src.substring(m.end(1)));
        tinyad.common.DataException e = assertThrows(tinyad.common.DataException.class, () -> run(Target.HOST, dir, model, windows));
        assertTrue(e.getMessage().contains("alarm rule"), e.getMessage());
    }

    /** Every score of at least 1000 windows equals the Java integer reference, on every target, for both kinds. */
    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("targetsAndModels")
    void firmwareMatchesTheReferenceBitForBit(Target target, String kind, @TempDir Path dir) {
        Toolchain.require(target.tools.toArray(String[]::new));
        if (target == Target.AVR) Toolchain.require("avr-gcc");
        QuantizedModel m = switch (kind) {
            case "kmeans" -> model;
            case "kmeans-radius" -> radius;
            case "autoencoder" -> autoencoder;
            default -> oddAutoencoder;
        };
        byte[][] w = kind.equals("autoencoder") ? aeWindows : windows;
        Exporter.export(m, "bitexact", dir);
        assertAllMatch(run(target, dir, m, w), m, w);
    }

    /** Changing one generated weight by one must be caught: the check is not vacuous. */
    @Test
    void oneWeightChangedByOneIsDetected(@TempDir Path dir) throws Exception {
        Toolchain.require("make", "cc");
        Exporter.export(model, "bitexact", dir);
        QuantizedKMeans k = (QuantizedKMeans) model;
        // the centroid nearest to window 0: changing its first weight changes window 0's score
        int nearest = 0, best = Integer.MAX_VALUE;
        for (int j = 0; j < k.centroids().length; j++) {
            int s = new QuantizedKMeans(k.pipeline(), k.inputQuant(), new byte[][] {k.centroids()[j]}, 0, 0).score(windows[0]);
            if (s < best) { best = s; nearest = j; }
        }
        Path c = dir.resolve("model/bitexact_model.c");
        String src = Files.readString(c);
        Matcher m = Pattern.compile("/\\* centroid " + nearest + " \\*/\\n\\s+(-?\\d+),").matcher(src);
        assertTrue(m.find());
        int w = Integer.parseInt(m.group(1));
        int changed = w == 127 ? w - 1 : w + 1;
        Files.writeString(c, src.substring(0, m.start(1)) + changed + src.substring(m.end(1)));

        Verifier.Report r = run(Target.HOST, dir, model, windows);
        assertFalse(r.ok());
        assertFalse(r.mismatches().isEmpty());
        assertEquals(0, r.mismatches().get(0).window());
    }
}
