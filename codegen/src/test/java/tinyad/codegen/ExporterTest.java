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
    void namesBecomeSafeCIdentifiersOrAreRefused() {
        assertEquals("pump_7", CNames.identifier("Pump-7"));
        assertEquals("m_3axis", CNames.identifier("3axis"));
        assertEquals("etc_passwd", CNames.identifier("../../etc/passwd"));
        for (String bad : new String[] {"", "  ", "---", "int", "main", "x".repeat(40)})
            assertThrows(DataException.class, () -> CNames.identifier(bad), bad);
    }
}
