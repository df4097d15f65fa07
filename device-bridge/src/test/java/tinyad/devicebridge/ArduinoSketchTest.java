package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.codegen.ArduinoLibrary;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.TimeSplit;
import tinyad.quantizer.QuantizedModel;
import tinyad.quantizer.Quantizer;

/** The generated Arduino library's example sketch compiles for an Uno with the Debian Arduino core, and fits. */
class ArduinoSketchTest {
    static String compile(Path libs, String lib, Path work) throws Exception {
        return compile(libs, lib, "Monitor", work);
    }

    static String compile(Path libs, String lib, String example, Path work) throws Exception {
        Path sketch = libs.resolve(lib).resolve("examples").resolve(lib + example).resolve(lib + example + ".ino");
        Files.createDirectories(work.resolve("build"));
        Files.createDirectories(work.resolve("cache"));
        Tools.Result r = Tools.run(List.of("arduino-builder", "-compile", "-hardware", "/usr/share/arduino/hardware",
                "-hardware", "/usr/share/arduino-builder", "-tools", "/usr/share/arduino-builder", "-tools", "/usr/bin",
                "-fqbn", "arduino:avr:uno", "-libraries", libs.toString(), "-prefs", "runtime.ide.version=10819",
                "-prefs", "compiler.cpp.extra_flags=-DDECIMAL_DIG=9", "-build-path", work.resolve("build").toString(),
                "-build-cache", work.resolve("cache").toString(), sketch.toString()), null, 300);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        return r.stdout();
    }

    @Test
    void exampleSketchesCompileForTheUnoAndFit(@TempDir Path dir) throws Exception {
        Toolchain.require("arduino-builder", "avr-gcc");
        SensorTable t = SyntheticSensor.generate(new SyntheticSensor.Options(9, 20_000, 1000, 0.5, 400)).table();
        TimeSplit s = TimeSplit.of(t, 0.5);
        Pipeline p = Pipeline.fit(s.train(), null, 32, 16, Pipeline.RAW);
        QuantizedModel km = Quantizer.quantize(TestDetectors.kmeans(s.train(), p, 8, false),
                p.normalInputs(s.train()));
        QuantizedModel ae = Quantizer.quantize(TestDetectors.autoencoder(s.train(), p, new int[] {24, 12, 24}, 1),
                p.normalInputs(s.train()));
        Pipeline stats = Pipeline.fit(s.train(), null, 16, 8, "stats+spectral:4");
        QuantizedModel kms = Quantizer.quantize(TestDetectors.kmeans(s.train(), stats, 8, true),
                stats.normalInputs(s.train()));
        ArduinoLibrary.export(km, "pump_kmeans", 1000, new ArduinoLibrary.Package("2.1.0", "Ada Lovelace", "https://example.org/pump"),
                dir.resolve("libs/PumpKmeans"));
        String props = Files.readString(dir.resolve("libs/PumpKmeans/library.properties"));
        assertTrue(props.contains("version=2.1.0\n") && props.contains("author=Ada Lovelace\n") && props.contains("url=https://example.org/pump\n"), props);
        String json = Files.readString(dir.resolve("libs/PumpKmeans/library.json"));
        assertTrue(json.contains("\"version\": \"2.1.0\"") && json.contains("\"homepage\": \"https://example.org/pump\""), json);
        for (String[] bad : new String[][] {{"1.0", "a", ""}, {"1.0.0", "a\nurl=evil", ""}, {"1.0.0", "a", "x\" y"}, {"1.0.0", " ", ""}})
            assertThrows(tinyad.common.DataException.class, () -> new ArduinoLibrary.Package(bad[0], bad[1], bad[2]), String.join("|", bad));
        ArduinoLibrary.export(ae, "pump_ae", 1000, dir.resolve("libs/PumpAe"));
        ArduinoLibrary.export(kms, "pump_stats", 1000, dir.resolve("libs/PumpStats"));
        for (String lib : new String[] {"PumpKmeans", "PumpAe", "PumpStats"}) {
            assertTrue(Files.readString(dir.resolve("libs/" + lib + "/library.properties")).contains("name=" + lib));
            assertZipHoldsTheLibrary(dir.resolve("libs/" + lib), lib);
            String out = compile(dir.resolve("libs"), lib, dir.resolve("work-" + lib));
            Matcher flash = Pattern.compile("Sketch uses (\\d+) bytes").matcher(out);
            Matcher ram = Pattern.compile("Global variables use (\\d+) bytes").matcher(out);
            assertTrue(flash.find() && ram.find(), out);
            assertTrue(Integer.parseInt(flash.group(1)) < 32256, "flash " + flash.group(1));
            assertTrue(Integer.parseInt(ram.group(1)) < 1024, "RAM " + ram.group(1));
        }
    }

    /** The ZIP beside the folder holds every file of it, byte for byte, under one folder named after the library. */
    static void assertZipHoldsTheLibrary(Path folder, String lib) throws Exception {
        Path zip = folder.resolveSibling(folder.getFileName() + ".zip");
        assertTrue(Files.isRegularFile(zip), "the ZIP for Add .ZIP Library: " + zip);
        java.util.Map<String, byte[]> entries = new java.util.TreeMap<>();
        try (java.util.zip.ZipInputStream z = new java.util.zip.ZipInputStream(Files.newInputStream(zip))) {
            for (java.util.zip.ZipEntry e; (e = z.getNextEntry()) != null; ) entries.put(e.getName(), z.readAllBytes());
        }
        List<Path> files;
        try (var walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertEquals(files.size(), entries.size(), "one entry per file");
        for (Path f : files) {
            String name = lib + "/" + folder.relativize(f);
            assertTrue(entries.containsKey(name), "entry " + name);
            assertArrayEquals(Files.readAllBytes(f), entries.get(name), name);
        }
        assertTrue(entries.containsKey(lib + "/library.properties"));
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(zip)));
    }

    /**
     * A model trained on the board's own 10-bit readings gets the Live example: the sketch hands the Uno to the live
     * serial app. Built by the Arduino toolchain and run in simavr with its ADC pins playing a recording, every score
     * equals the Java reference on the samples it took, with no overrun.
     */
    @Test
    void liveSketchSamplesAndScoresBitExactOnAnEmulatedUno(@TempDir Path dir) throws Exception {
        Toolchain.require("arduino-builder", "avr-gcc", "simavr", "make", "cc");
        SensorTable t = LiveEmulator.adcCounts(SyntheticSensor.generate(new SyntheticSensor.Options(9, 20_000, 1000, 0.5, 400)).table(), 80);
        TimeSplit s = TimeSplit.of(t, 0.5);
        Pipeline p = Pipeline.fit(s.train(), null, 32, 16, "stats");
        QuantizedModel q = Quantizer.quantize(TestDetectors.kmeans(s.train(), p, 8, false), p.normalInputs(s.train()));
        ArduinoLibrary.export(q, "pump_live", 1000, dir.resolve("libs/PumpLive"));
        assertTrue(Files.exists(dir.resolve("libs/PumpLive/examples/PumpLiveLive/PumpLiveLive.ino")), "the Live example");
        compile(dir.resolve("libs"), "PumpLive", "Live", dir.resolve("work"));
        // the emulated sensor runs from a C project's tools; the firmware is the sketch's own ELF
        Path project = dir.resolve("c");
        tinyad.codegen.Exporter.export(q, "pump_live", project);
        LiveEmulator.build(project, Target.AVR, 1_000_000, null);
        Files.copy(dir.resolve("work/build/PumpLiveLive.ino.elf"), project.resolve("build/avr-live/tinyad_app.elf"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        int[][] rec = new int[3000][];
        for (int i = 0; i < rec.length; i++) {
            double[] v = s.test().values()[i];
            rec[i] = new int[] {(int) v[0], (int) v[1], (int) v[2]};
        }
        LiveEmulator.Run r = LiveEmulator.run(project, Target.AVR, rec, 1_000_000, 2500);
        LiveEmulator.Check c = LiveEmulator.check(r, q);
        assertTrue(c.windows() > 100, "windows scored: " + c.windows());
        assertEquals(0, c.mismatches(), c.firstMismatch());
        assertNotNull(r.lastStatus(), "a Q status line");
        assertEquals(0, r.lastStatus().overruns(), "overruns");
    }
}
