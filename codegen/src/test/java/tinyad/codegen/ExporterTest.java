package tinyad.codegen;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.common.DataException;
import tinyad.datasets.Normaliser;
import tinyad.datasets.Pipeline;
import tinyad.quantizer.QuantParams;
import tinyad.quantizer.QuantizedAutoencoder;
import tinyad.quantizer.QuantizedKMeans;

class ExporterTest {
    static QuantizedKMeans tiny() {
        Pipeline p = new Pipeline(List.of("x", "y"), 2, 1, "raw", new Normaliser(new double[4], new double[] {1, 1, 1, 1}));
        return new QuantizedKMeans(p, new QuantParams(0.05, -3), new byte[][] {{1, 2, 3, 4}, {-128, 127, 0, -1}}, 77, 0.2);
    }

    @Test
    void runtimeFileListIsExactlyWhatFirmwareCShips() throws Exception {
        Path fw = Path.of(System.getProperty("tinyad.root", "..")).resolve("firmware-c");
        try (Stream<Path> s = Files.walk(fw)) {
            var onDisk = s.filter(Files::isRegularFile).map(p -> fw.relativize(p).toString())
                    .filter(p -> !p.startsWith("build/") && !p.startsWith("tests/"))
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(onDisk, new TreeSet<>(Exporter.RUNTIME_FILES));
        }
        for (String f : Exporter.RUNTIME_FILES)
            assertArrayEquals(Files.readAllBytes(fw.resolve(f)), Exporter.runtimeFile(f), f);
    }

    @Test
    void generatedModelCarriesHashConstantsAndEveryWeight(@TempDir Path dir) throws Exception {
        QuantizedKMeans m = tiny();
        Map<String, String> files = Exporter.export(m, "Pump-7", dir);
        assertEquals(List.of("pump_7_model.h", "pump_7_model.c", "tinyad_app_model.h"), List.copyOf(files.keySet()));
        String h = Files.readString(dir.resolve("model/pump_7_model.h"));
        assertTrue(h.contains("#define PUMP_7_MODEL_HASH \"" + m.hash() + "\""));
        assertTrue(h.contains("#define PUMP_7_THRESHOLD 77L"));
        assertTrue(h.contains("#define PUMP_7_INPUT_ZERO_POINT -3"));
        String c = Files.readString(dir.resolve("model/pump_7_model.c"));
        assertTrue(c.contains("TINYAD_FLASH"));
        assertTrue(c.replaceAll("\\s+", "").contains("{/*centroid0*/1,2,3,4,/*centroid1*/-128,127,0,-1,};"), c);
        assertTrue(c.contains(m.toArchive().sha256()));
        assertTrue(Files.exists(dir.resolve("Makefile")));
    }

    @Test
    void reExportingUnderAnotherNameLeavesOnlyTheNewModelAndACMakeProject(@TempDir Path dir) throws Exception {
        Exporter.export(tiny(), "pump", dir);
        Files.writeString(dir.resolve("model/notes_model.txt"), "a user's file");   // not a generated model file: kept
        Exporter.export(tiny(), "valve", dir);
        assertFalse(Files.exists(dir.resolve("model/pump_model.c")), "the old model would be compiled in with the new one");
        assertFalse(Files.exists(dir.resolve("model/pump_model.h")));
        assertTrue(Files.exists(dir.resolve("model/valve_model.c")));
        assertTrue(Files.exists(dir.resolve("model/notes_model.txt")));
        String cmake = Files.readString(dir.resolve("CMakeLists.txt"));
        assertTrue(cmake.contains("add_library(tinyad_valve STATIC") && cmake.contains("model/valve_model.c"), cmake);
        assertTrue(Files.exists(dir.resolve("cmake/arm-none-eabi.cmake")));
    }

    @Test
    void theHeadersStateTheSampleRateInMillihertzAndTheAppSeesHopAndRate() {
        QuantizedKMeans unknown = tiny();
        QuantizedKMeans at = new QuantizedKMeans(unknown.pipeline().withSampleRate(1000), unknown.inputQuant(), unknown.centroids(),
                unknown.thresholdQ(), unknown.threshold());
        assertTrue(ModelSource.generate(unknown, "p").get("p_model.h").contains("#define P_SAMPLE_RATE_MILLIHZ 0ul /* samples per 1000 s; 0: unknown */"));
        assertTrue(ModelSource.generate(at, "p").get("p_model.h").contains("#define P_SAMPLE_RATE_MILLIHZ 1000000ul "));
        // a rate given at export (the model, and its hash, unchanged); rounded, and a known rate never reads as unknown
        assertTrue(ModelSource.generate(unknown, "p", 1 / 300.0).get("p_model.h").contains("#define P_SAMPLE_RATE_MILLIHZ 3ul "));
        assertTrue(ModelSource.generate(unknown, "p", 0.0017).get("p_model.h").contains("#define P_SAMPLE_RATE_MILLIHZ 2ul "));
        assertTrue(ModelSource.generate(unknown, "p", 1 / 3600.0).get("p_model.h")
                .contains("#define P_SAMPLE_RATE_MILLIHZ 1ul /* samples per 1000 s; 0: unknown (0.277778, rounded up to 1) */"));
        assertTrue(ModelSource.generate(unknown, "p", 1e6).get("p_model.h").contains("#define P_SAMPLE_RATE_MILLIHZ 1000000000ul "));
        assertThrows(DataException.class, () -> ModelSource.generate(unknown, "p", -1));
        String app = ModelSource.generate(at, "p").get("tinyad_app_model.h");
        assertTrue(app.contains("#define TINYAD_APP_HOP P_HOP\n"), app);
        assertTrue(app.contains("#define TINYAD_APP_SAMPLE_RATE_MILLIHZ P_SAMPLE_RATE_MILLIHZ"), app);
        assertTrue(ModelSource.generate(at, "p").get("p_model.h").contains("#define P_HOP 1u "));
        assertEquals(unknown.hash(), tiny().hash(), "the rate given at export is not the model's");
    }

    @Test
    void namesBecomeSafeCIdentifiersOrAreRefused() {
        assertEquals("pump_7", CNames.identifier("Pump-7"));
        assertEquals("m_3axis", CNames.identifier("3axis"));
        assertEquals("etc_passwd", CNames.identifier("../../etc/passwd"));
        for (String bad : new String[] {"", "  ", "---", "int", "main", "x".repeat(40)})
            assertThrows(DataException.class, () -> CNames.identifier(bad), bad);
    }

    /** The generated text with its comments removed: what the compiler sees as code. */
    static String code(String c) {
        return c.replaceAll("(?s)/\\*.*?\\*/", " ");
    }

    static QuantizedKMeans withChannels(String... channels) {
        int n = channels.length * 2;
        Pipeline p = new Pipeline(List.of(channels), 2, 1, "raw", new Normaliser(new double[n], java.util.Collections.nCopies(n, 1.0)
                .stream().mapToDouble(Double::doubleValue).toArray()));
        byte[][] c = new byte[2][n];
        c[1][0] = 5;
        return new QuantizedKMeans(p, new QuantParams(0.05, -3), c, 77, 0.2);
    }

    @Test
    void channelNamesCannotCloseTheirCommentInGeneratedC(@TempDir Path dir) throws Exception {
        // issue #20: a CSV header or a model file's channel name went verbatim into "/* <names> */"
        for (String evil : new String[] {"ax */ static const int injected = 1337; /* ", "c*/d", "x\\\ninjected", "??/", "a/*b"}) {
            Map<String, String> files = ModelSource.generate(withChannels(evil, "ay"), "inj");
            for (var f : files.entrySet()) {
                String code = code(f.getValue());
                assertFalse(code.contains("injected"), f.getKey() + ": " + code);
                assertFalse(f.getValue().contains("??"), "no trigraphs: " + f.getKey());
                assertFalse(code.contains("*/"), "every comment is closed where it was opened: " + f.getKey());
            }
        }
        assertEquals("ax __ static const int injected = 1337; __ ", CNames.commentText("ax */ static const int injected = 1337; /* "));
    }

    @Test
    void namesThatCollideWithTheRuntimeAreRefused(@TempDir Path dir) throws Exception {
        // tinyad_app would make the model header tinyad_app_model.h: the app's own header
        for (String bad : new String[] {"tinyad_app", "tinyad-serial", "TINYAD_dense"}) {
            DataException e = assertThrows(DataException.class, () -> Exporter.export(tiny(), bad, dir), bad);
            assertTrue(e.getMessage().contains("reserved"), e.getMessage());
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "nothing written for a refused name");
        }
        assertThrows(DataException.class, () -> ArduinoLibrary.export(tiny(), "arduino", 1000, dir.resolve("lib")));
        assertThrows(DataException.class, () -> ArduinoLibrary.export(tiny(), "ok", Double.NaN, dir.resolve("lib")));
        assertFalse(Files.exists(dir.resolve("lib")));
    }

    static QuantizedAutoencoder.Layer layer(int in, int out) {
        return new QuantizedAutoencoder.Layer(in, out, new byte[in * out], new int[out], new int[out], new int[out], 0, 0, -128,
                new double[out], new QuantParams(0.1, 0), new QuantParams(0.1, 0));
    }

    static QuantizedAutoencoder autoencoder(int inputs, QuantizedAutoencoder.Layer... layers) {
        Pipeline p = new Pipeline(List.of("x"), inputs, 1, "raw", new Normaliser(new double[inputs],
                java.util.stream.DoubleStream.generate(() -> 1).limit(inputs).toArray()));
        return new QuantizedAutoencoder(p, new QuantParams(0.1, 0), layers, 10, 1.0);
    }

    @Test
    void layersThatDoNotChainAreRefused() {
        // 4 -> 8, then a layer that reads 2 of the 8: the firmware's ping-pong buffers would not match the loops
        DataException e = assertThrows(DataException.class, () -> ModelSource.generate(autoencoder(4, layer(4, 8), layer(2, 4)), "ae"));
        assertTrue(e.getMessage().contains("layer 1 takes 2 inputs but layer 0 gives 8"), e.getMessage());
        e = assertThrows(DataException.class, () -> ModelSource.generate(autoencoder(4, layer(4, 8), layer(8, 3)), "ae"));
        assertTrue(e.getMessage().contains("reconstructs 3 values of 4 inputs"), e.getMessage());
        assertEquals(3, ModelSource.generate(autoencoder(4, layer(4, 8), layer(8, 4)), "ae").size());
    }

    @Test
    void sizesThatOverflowAvrTypesStopAvrBuildsAndCountsThatOverflowAreRefused() {
        // 16-bit int and size_t on AVR: an 8192-input layer's blocked weights (32768 bytes) are one more than any object
        // there; 32-bit targets take it, an AVR build stops at an #error naming the object
        Map<String, String> big = ModelSource.generate(autoencoder(8192, layer(8192, 1), layer(1, 8192)), "big");
        String c = big.get("big_model.c");
        assertTrue(c.contains("#if defined(__AVR__)\n#error \"big: does not fit an AVR: ") && c.contains("needs 32768 bytes; the largest C object on AVR"),
                c.substring(0, 600));
        assertNotNull(FirmwareLimits.avrProblem(autoencoder(8192, layer(8192, 1), layer(1, 8192))));
        // 40 x 1000 centroid bytes would also wrap NUM_CENTROIDS * INPUT_LEN in AVR's unsigned int arithmetic
        Pipeline p = new Pipeline(List.of("x"), 1000, 1000, "raw", new Normaliser(new double[1000],
                java.util.stream.DoubleStream.generate(() -> 1).limit(1000).toArray()));
        QuantizedKMeans k = new QuantizedKMeans(p, new QuantParams(0.1, 0), new byte[40][1000], 1, 0.1);
        assertTrue(FirmwareLimits.avrProblem(k).contains("centroid table (40 x 1000)"), FirmwareLimits.avrProblem(k));
        assertNull(FirmwareLimits.avrProblem(new QuantizedKMeans(p, new QuantParams(0.1, 0), new byte[32][1000], 1, 0.1)));
        assertFalse(ModelSource.generate(new QuantizedKMeans(p, new QuantParams(0.1, 0), new byte[32][1000], 1, 0.1), "ok")
                .get("ok_model.c").contains("#error"));
        // counts are uint16_t in the runtime on every target: a 70,000-sample window is refused outright
        Pipeline longWindow = new Pipeline(List.of("x"), 70_000, 70_000, "stats", new Normaliser(new double[7],
                java.util.stream.DoubleStream.generate(() -> 1).limit(7).toArray()));
        DataException e = assertThrows(DataException.class,
                () -> ModelSource.generate(new QuantizedKMeans(longWindow, new QuantParams(0.1, 0), new byte[1][7], 1, 0.1), "wide"));
        assertTrue(e.getMessage().contains("65535"), e.getMessage());
    }
}
