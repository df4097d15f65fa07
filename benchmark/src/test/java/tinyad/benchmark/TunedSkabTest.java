package tinyad.benchmark;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

import tinyad.datasets.SensorTable;

class TunedSkabTest {
    @Test
    void theZScoreBaselineAveragesTheLargestAbsoluteZOverSixteenRows() {
        // two channels: x alternates 0/2 (mean 1, sd 1 over the first 400 rows), y is constant (no spread: not scored);
        // from row 500 x steps to 11 (z = 10)
        int rows = 600;
        double[][] v = new double[rows][2];
        int[] labels = new int[rows];
        for (int r = 0; r < rows; r++) {
            v[r][0] = r >= 500 ? 11 : (r % 2 == 0 ? 0 : 2);
            v[r][1] = 5;
            labels[r] = r >= 500 ? 1 : 0;
        }
        DetectionBenchmark.Scored s = TunedSkab.zScore(new SensorTable(List.of("x", "y"), null, v, labels));
        assertEquals(rows - 400, s.f().length);
        assertEquals(1.0, s.thr(), 1e-12, "every |z| is 1 before the step");
        assertEquals(1.0, s.f()[99], 1e-12);                      // row 499
        assertEquals((15 * 1 + 10) / 16.0, s.f()[100], 1e-12);    // row 500: one row of z = 10 in the 16
        assertEquals(10.0, s.f()[115], 1e-12);                    // row 515: sixteen
        assertArrayEquals(java.util.Arrays.copyOfRange(labels, 400, rows), s.labels());
    }
}
