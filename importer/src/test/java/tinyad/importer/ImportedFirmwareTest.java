// SPDX-License-Identifier: Apache-2.0
package tinyad.importer;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import tinyad.codegen.Exporter;
import tinyad.devicebridge.Emulator;
import tinyad.devicebridge.Target;
import tinyad.devicebridge.Tools;
import tinyad.devicebridge.Verifier;
import tinyad.model.AlarmRule;
import tinyad.quantizer.QuantizedAutoencoder;

/**
 * The contract for imported models: the exported firmware's score of every window equals the Java reference (which
 * {@link TfliteImporterTest} checks against TFLite's arithmetic), with the output requantization table, per-channel
 * weights and, for MLPerf's model, the last layer computed in parts. Host, Cortex-M4, Cortex-M3, ATmega328P.
 */
class ImportedFirmwareTest {

    static void require(Target t) {
        for (String tool : t.tools) {
            if (Tools.onPath(tool)) continue;
            if (System.getenv("CI") != null) fail(tool + " is not installed (scripts/setup installs it)");
            assumeTrue(false, tool + " is not installed (scripts/setup installs it)");
        }
    }

    /** A threshold inside the scores' range, so that alarm states and events are exercised too. */
    static QuantizedAutoencoder withMedianThreshold(QuantizedAutoencoder m, byte[][] w) {
        double[] s = new double[w.length];
        for (int i = 0; i < w.length; i++) s[i] = m.score(w[i]);
        double[] sorted = s.clone();
        java.util.Arrays.sort(sorted);
        int tq = (int) sorted[sorted.length * 3 / 4];
        AlarmRule rule = new AlarmRule(2, 4, 3, tq, (int) sorted[sorted.length / 2]);
        return m.withThreshold(tq, tq * 1.0, rule);
    }

    static void assertBitExact(Target t, QuantizedAutoencoder m, byte[][] w, Path dir) {
        Exporter.export(m, "imported", dir);
        Verifier.Report r = Emulator.verify(t, t.build(dir), m, w);
        assertEquals(0, r.mismatches().size(), () -> "first mismatch: " + r.mismatches().get(0));
        assertEquals(0, r.lost());
        assertEquals(w.length, r.matched());
        for (int i = 0; i < w.length; i++) assertEquals(m.score(w[i]), r.deviceScores()[i], "window " + i);
        assertEquals(0, r.eventMismatches());
        assertEquals(Verifier.expectedEvents(m, w), r.deviceEvents());
        assertFalse(r.deviceEvents().isEmpty(), "the windows raise alarm events");
    }

    @ParameterizedTest(name = "small import on {0}")
    @EnumSource(value = Target.class, names = {"HOST", "CORTEX_M4", "CORTEX_M3", "AVR"})
    void aSmallImportedModelIsBitExact(Target t, @TempDir Path dir) {
        require(t);
        Random r = new Random(31);
        QuantizedAutoencoder m = TfliteImporter.read(TfliteWriter.denseChain(TfliteImporterTest.IN_SCALE, TfliteImporterTest.IN_ZP,
                TfliteImporterTest.smallChain(r), false), 1, "small.tflite").model();
        byte[][] w = new byte[400][12];
        for (byte[] x : w) r.nextBytes(x);
        assertBitExact(t, withMedianThreshold(m, w), w, dir);
    }

    @ParameterizedTest(name = "MLPerf ad01 on {0}")
    @EnumSource(value = Target.class, names = {"HOST", "CORTEX_M4", "CORTEX_M3"})
    void mlperfsModelIsBitExact(Target t, @TempDir Path dir) throws Exception {
        Path p = TfliteImporterTest.SHARED.resolve("ad01_int8.tflite");
        assumeTrue(Files.exists(p), "../shared/models is absent: MLPerf Tiny's model is read from there, never copied");
        require(t);
        QuantizedAutoencoder m = TfliteImporter.read(Files.readAllBytes(p), 5, "ad01_int8.tflite").model();
        Random r = new Random(7);
        // the host takes many windows quickly; the emulators' UARTs carry ~2.6 KB per 640-input window
        byte[][] w = new byte[t == Target.HOST ? 400 : 40][640];
        for (byte[] x : w) for (int i = 0; i < 640; i++) x[i] = (byte) (40 + r.nextInt(70) - (i % 128) / 4);
        assertBitExact(t, withMedianThreshold(m, w), w, dir);
    }
}
