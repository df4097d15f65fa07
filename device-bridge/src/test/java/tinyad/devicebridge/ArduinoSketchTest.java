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
        return compileSketch(libs, libs.resolve(lib).resolve("examples").resolve(lib + example).resolve(lib + example + ".ino"), work);
    }

    static String compileSketch(Path libs, Path sketch, Path work) throws Exception {
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
            assertTrue(Files.readString(dir.resolve("libs/" + lib + "/src/tinyad_prefix.h")).contains("#define tinyad_dense_s8 "));
            String out = compile(dir.resolve("libs"), lib, dir.resolve("work-" + lib));
            Matcher flash = Pattern.compile("Sketch uses (\\d+) bytes").matcher(out);
            Matcher ram = Pattern.compile("Global variables use (\\d+) bytes").matcher(out);
            assertTrue(flash.find() && ram.find(), out);
            assertTrue(Integer.parseInt(flash.group(1)) < 32256, "flash " + flash.group(1));
            assertTrue(Integer.parseInt(ram.group(1)) < 1024, "RAM " + ram.group(1));
        }
    }

    /**
     * Two libraries, each with its copy of the runtime under its own names (tinyad_prefix.h), link into one sketch that
     * scores with both models; and the renaming list covers every global symbol the runtime defines for the AVR and
     * the Cortex-M4 (a symbol missing from it would be defined twice).
     */
    @Test
    void twoLibrariesLinkIntoOneSketchAndEveryRuntimeSymbolIsRenamed(@TempDir Path dir) throws Exception {
        Toolchain.require("arduino-builder", "avr-gcc", "arm-none-eabi-gcc");
        SensorTable t = SyntheticSensor.generate(new SyntheticSensor.Options(9, 12_000, 1000, 0.5, 400)).table();
        TimeSplit s = TimeSplit.of(t, 0.5);
        Pipeline p = Pipeline.fit(s.train(), null, 16, 8, "stats");
        QuantizedModel km = Quantizer.quantize(TestDetectors.kmeans(s.train(), p, 8, false), p.normalInputs(s.train()));
        QuantizedModel ae = Quantizer.quantize(TestDetectors.autoencoder(s.train(), p, new int[] {12, 6, 12}, 1), p.normalInputs(s.train()));
        ArduinoLibrary.export(km, "pump", 1000, dir.resolve("libs/Pump"));
        ArduinoLibrary.export(ae, "valve", 1000, dir.resolve("libs/Valve"));
        Path sketch = dir.resolve("Both/Both.ino");
        Files.createDirectories(sketch.getParent());
        Files.writeString(sketch, String.join("\n", "#include <Pump.h>", "#include <Valve.h>",
                "static int8_t a[PUMP_INPUT_LEN], b[VALVE_INPUT_LEN];", "void setup() { Serial.begin(115200); }",
                "void loop() { Serial.println(pump_score(a) + valve_score(b)); delay(1000); }", ""));
        String out = compileSketch(dir.resolve("libs"), sketch, dir.resolve("work"));
        assertTrue(out.contains("Sketch uses"), out);

        // every global the runtime defines, as the compilers see it
        Path c = dir.resolve("c");
        tinyad.codegen.Exporter.export(km, "pump", c);
        java.util.Set<String> defined = new java.util.TreeSet<>();
        List<String[]> compilers = List.of(
                new String[] {"avr-gcc", "avr-nm", "-mmcu=atmega328p", "-DF_CPU=16000000UL"},
                new String[] {"arm-none-eabi-gcc", "arm-none-eabi-nm", "-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"});
        for (String[] cc : compilers) {
            List<String> sources = new java.util.ArrayList<>(List.of("app/tinyad_app.c"));
            try (var list = Files.list(c.resolve("src"))) {
                list.map(f -> "src/" + f.getFileName()).filter(f -> f.endsWith(".c") || f.endsWith(".S")).forEach(sources::add);
            }
            if (cc[0].startsWith("avr")) sources.addAll(List.of("ports/avr/port_uart.c", "ports/avr/port_adc.c"));
            for (String src : sources) {
                List<String> cmd = new java.util.ArrayList<>(List.of(cc[0]));
                cmd.addAll(List.of(cc).subList(2, cc.length));
                cmd.addAll(List.of("-Os", "-Iinclude", "-Imodel", "-DTINYAD_APP_LIVE", "-DTINYAD_APP_NO_MAIN",
                        "-DTINYAD_APP_SAMPLE_RATE_MILLIHZ=1000000UL", "-c", src, "-o", "obj.o"));
                Tools.Result r = Tools.run(cmd, c, 120);
                assertEquals(0, r.exitCode(), src + ": " + r.stderr());
                Tools.Result nm = Tools.run(List.of(cc[1], "-g", "--defined-only", "obj.o"), c, 60);
                nm.stdout().lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)).filter(n -> n.startsWith("tinyad_")).forEach(defined::add);
            }
        }
        assertTrue(defined.size() > 30, "symbols found: " + defined);
        List<String> missing = defined.stream().filter(n -> !ArduinoLibrary.RUNTIME_SYMBOLS.contains(n)).toList();
        assertEquals(List.of(), missing, "runtime symbols the Arduino library would not rename");
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
