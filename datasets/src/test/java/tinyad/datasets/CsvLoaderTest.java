package tinyad.datasets;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.common.DataException;

class CsvLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void readsCommaSeparatedWithTimestampAndLabels() throws Exception {
        SensorTable t = CsvLoader.load(write("a.csv", "timestamp,x,y,label\n0.000,1.5,-2,0\n0.001,2.5,3e-1,1\n"));
        assertEquals(List.of("x", "y"), t.channels());
        assertArrayEquals(new double[] {1.5, -2}, t.values()[0]);
        assertArrayEquals(new double[] {2.5, 0.3}, t.values()[1]);
        assertArrayEquals(new int[] {0, 1}, t.labels());
        assertEquals("0.001", t.timestampOf(1));
    }

    @Test
    void readsSemicolonSeparatedSkabStyle() throws Exception {
        SensorTable t = CsvLoader.load(write("s.csv",
                "datetime;Accel;Volume Flow RateRMS;anomaly;changepoint\n2020-03-09 10:14:33;0.02;32.0;0.0;0.0\n"
                        + "2020-03-09 10:14:34;0.03;31.0;1.0;1.0\n"));
        assertEquals(List.of("Accel", "Volume Flow RateRMS"), t.channels());
        assertArrayEquals(new int[] {0, 1}, t.labels());
        assertEquals("2020-03-09 10:14:34", t.timestampOf(1));
    }

    @Test
    void unlabelledWithoutTimestampUsesRowIndex() throws Exception {
        SensorTable t = CsvLoader.load(write("u.csv", "value\n1\n2\n3\n"));
        assertFalse(t.hasLabels());
        assertEquals("2", t.timestampOf(2));
        assertEquals(3, t.rows());
    }

    private String error(String text) throws Exception {
        Path p = write("bad.csv", text);
        DataException e = assertThrows(DataException.class, () -> CsvLoader.load(p));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void badInputsGiveOneLineErrorsThatSayWhere() throws Exception {
        assertTrue(error("").contains("empty file"));
        assertTrue(error("x,y\n").contains("no data rows"));
        assertTrue(error("x,y\n1,NaN\n").contains("bad.csv:2: column 'y' is NaN"));
        assertTrue(error("x,y\n1,2\n1,Infinity\n").contains(":3: column 'y' is Infinity"));
        assertTrue(error("x,y\n1,2\n1,abc\n").contains(":3: column 'y' is not a number: 'abc'"));
        assertTrue(error("x,y\n1,2,3\n").contains("expected 2 columns, found 3"));
        assertTrue(error("x,label\n1,2\n").contains("label must be 0 or 1"));
        assertTrue(error("timestamp,label\n1,0\n").contains("no sensor columns"));
        assertTrue(error("x,x\n1,2\n").contains("duplicate column"));
        assertTrue(error("x,\"y\n1,2\n").contains("malformed CSV"));
    }

    @Test
    void missingFileIsAnError() {
        DataException e = assertThrows(DataException.class, () -> CsvLoader.load(dir.resolve("nope.csv")));
        assertTrue(e.getMessage().endsWith("no such file"));
    }

    @Test
    void selectsChannelsByNameAndRejectsUnknownOnes() throws Exception {
        SensorTable t = CsvLoader.load(write("a.csv", "a,b,c\n1,2,3\n"));
        assertArrayEquals(new double[] {3, 1}, t.select(List.of("c", "a")).values()[0]);
        DataException e = assertThrows(DataException.class, () -> t.select(List.of("d")));
        assertTrue(e.getMessage().contains("no channel named 'd'"));
    }
}
