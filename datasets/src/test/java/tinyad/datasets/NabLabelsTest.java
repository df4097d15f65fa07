package tinyad.datasets;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.common.DataException;

class NabLabelsTest {
    @Test
    void labelsRowsInsideWindowsOfASmallCheckout(@TempDir Path root) throws Exception {
        Path data = Files.createDirectories(root.resolve("data/realKnownCause"));
        Path csv = data.resolve("m.csv");
        Files.writeString(csv, "timestamp,value\n2014-01-01 00:00:00,1\n2014-01-01 00:05:00,2\n2014-01-01 00:10:00,3\n2014-01-01 00:15:00,4\n");
        Path labels = Files.createDirectories(root.resolve("labels")).resolve("combined_windows.json");
        Files.writeString(labels, "{\"realKnownCause/m.csv\": [[\"2014-01-01 00:05:00.000000\", \"2014-01-01 00:10:00.000000\"]],"
                + " \"other/x.csv\": []}");
        assertEquals(labels.toAbsolutePath(), NabLabels.findWindowsFile(csv));
        SensorTable t = NabLabels.load(csv, labels);
        assertArrayEquals(new int[] {0, 1, 1, 0}, t.labels());
        Files.writeString(labels, "{}");
        assertTrue(assertThrows(DataException.class, () -> NabLabels.load(csv, labels)).getMessage().contains("no windows for 'realKnownCause/m.csv'"));
        Files.writeString(labels, "{broken");
        assertThrows(DataException.class, () -> NabLabels.load(csv, labels));
    }

    @Test
    void realMachineTemperatureHasFourLabelledWindows() {
        Path csv = Path.of(System.getProperty("tinyad.root", ".."), "..", "shared", "datasets", "nab", "data",
                "realKnownCause", "machine_temperature_system_failure.csv");
        assumeTrue(Files.exists(csv), "../shared/datasets is absent (a user's clone): skipping the real-data check");
        SensorTable t = NabLabels.load(csv, NabLabels.findWindowsFile(csv));
        assertEquals(22695, t.rows());
        int runs = 0, labelled = 0;
        for (int i = 0; i < t.rows(); i++) {
            labelled += t.labels()[i];
            if (t.labels()[i] == 1 && (i == 0 || t.labels()[i - 1] == 0)) runs++;
        }
        assertEquals(4, runs);
        assertTrue(labelled > 1000 && labelled < 5000, "labelled rows " + labelled);
    }
}
