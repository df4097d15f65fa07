package tinyad.datasets;

import static org.junit.jupiter.api.Assertions.*;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticSensorTest {
    static SyntheticSensor.Options small(long seed) {
        return new SyntheticSensor.Options(seed, 12_000, 1000, 0.5, 300);
    }

    static String csv(SensorTable t) throws Exception {
        StringWriter w = new StringWriter();
        SyntheticSensor.write(t, w);
        return w.toString();
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherData() throws Exception {
        String a = csv(SyntheticSensor.generate(small(7)).table());
        assertEquals(a, csv(SyntheticSensor.generate(small(7)).table()));
        assertNotEquals(a, csv(SyntheticSensor.generate(small(8)).table()));
    }

    @Test
    void faultsAreLabelledAfterTheCleanPartAndEveryKindOccurs() {
        SyntheticSensor.Recording r = SyntheticSensor.generate(SyntheticSensor.Options.defaults());
        int[] l = r.table().labels();
        for (int i = 0; i < 36_000; i++) assertEquals(0, l[i], "row " + i);
        int labelled = 0;
        for (int x : l) labelled += x;
        int expected = 0;
        for (SyntheticSensor.Fault f : r.faults()) expected += f.end() - f.start();
        assertEquals(expected, labelled);
        for (String kind : SyntheticSensor.FAULTS)
            assertTrue(r.faults().stream().anyMatch(f -> f.kind().equals(kind)), kind);
    }

    @Test
    void stuckFaultHoldsOneValue() {
        SyntheticSensor.Recording r = SyntheticSensor.generate(SyntheticSensor.Options.defaults());
        SyntheticSensor.Fault f = r.faults().stream().filter(x -> x.kind().equals("stuck")).findFirst().orElseThrow();
        double[][] v = r.table().values();
        for (int i = f.start(); i < f.end(); i++) assertEquals(v[f.start()][f.axis()], v[i][f.axis()]);
    }

    @Test
    void writtenCsvLoadsBack(@TempDir Path dir) throws Exception {
        SensorTable t = SyntheticSensor.generate(small(3)).table();
        Path p = dir.resolve("s.csv");
        SyntheticSensor.writeCsv(t, p);
        SensorTable back = CsvLoader.load(p);
        assertEquals(t.channels(), back.channels());
        assertArrayEquals(t.labels(), back.labels());
        assertEquals(t.values()[500][1], back.values()[500][1], 5e-6);
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temp file left behind");
        }
    }
}
