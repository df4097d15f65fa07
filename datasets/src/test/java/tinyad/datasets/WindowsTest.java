package tinyad.datasets;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

import tinyad.common.DataException;

class WindowsTest {
    static SensorTable table(int rows) {
        double[][] v = new double[rows][2];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) { v[r][0] = r; v[r][1] = 100 + r; labels[r] = r >= 7 ? 1 : 0; }
        return new SensorTable(List.of("a", "b"), null, v, labels);
    }

    @Test
    void cutsSampleMajorWindowsWithHopAndLastRowLabel() {
        Windows w = Windows.cut(table(10), 4, 3);
        assertEquals(3, w.count());   // starts 0, 3, 6
        assertArrayEquals(new double[] {3, 103, 4, 104, 5, 105, 6, 106}, w.data()[1]);
        assertArrayEquals(new int[] {3, 6, 9}, w.endRow());
        assertArrayEquals(new int[] {0, 0, 1}, w.labels());
        assertEquals(2, w.normalOnly().count());
    }

    @Test
    void windowsThatWouldFillTheHeapAreRefusedBeforeTheyAreCut() {
        // table(n) has 2 channels: 20,000 rows in windows of 1024 every row are 18,977 x 2048 values, 38.9 M > 32 Mi
        DataException e = assertThrows(DataException.class, () -> Windows.cut(table(20_000), 1024, 1));
        assertEquals("18977 windows of 1024 x 2 values are more than the 33554432 values tinyad holds at once; "
                + "use a larger hop, a shorter window or less data", e.getMessage());
        assertEquals(2, Windows.cut(table(20_000), 1024, 10_000).count());
    }

    @Test
    void tooFewRowsForOneWindow() {
        DataException e = assertThrows(DataException.class, () -> Windows.cut(table(3), 4, 1));
        assertEquals("too few rows for one window: 3 rows, window length 4", e.getMessage());
    }

    @Test
    void perChannelNormalisationFitsTrainingOnly() {
        Windows w = Windows.cut(table(10), 2, 2);
        Normaliser n = Normaliser.fitPerChannel(w.data(), 2);
        assertEquals(4.5, n.mean()[0], 1e-12);
        assertEquals(104.5, n.mean()[1], 1e-12);
        assertEquals(n.mean()[0], n.mean()[2]);
        double[] z = n.apply(w.data()[0]);
        assertEquals((0 - 4.5) / n.std()[0], z[0], 1e-12);
        // a constant channel maps to 0, not NaN
        Normaliser c = Normaliser.fitPerChannel(new double[][] {{5, 1}, {5, 2}}, 2);
        assertEquals(0.0, c.apply(new double[] {5, 1})[0]);
    }

    @Test
    void timeSplitKeepsOrder() {
        TimeSplit s = TimeSplit.of(table(10), 0.6);
        assertEquals(6, s.train().rows());
        assertEquals(6.0, s.test().values()[0][0]);
        assertThrows(DataException.class, () -> TimeSplit.of(table(10), 1.0));
    }

    @Test
    void pipelineRoundTripsThroughJson() {
        Pipeline p = Pipeline.fit(table(20), List.of("b"), 4, 2, "raw");
        Pipeline q = Pipeline.fromJson(p.toJson());
        assertEquals(p.channels(), q.channels());
        assertArrayEquals(p.normaliser().mean(), q.normaliser().mean());
        assertArrayEquals(p.normaliser().std(), q.normaliser().std());
        assertEquals(4, q.inputSize());
        DataException e = assertThrows(DataException.class, () -> Pipeline.fit(table(20), null, 4, 2, "fft"));
        assertTrue(e.getMessage().contains("unknown feature set 'fft'"));
    }
}
