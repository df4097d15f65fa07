// SPDX-License-Identifier: Apache-2.0
package tinyad.report;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationReportTest {
    /** The signal panel's reduction keeps every bucket's extremes: a one-row spike in a million rows is still drawn. */
    @Test
    void reductionKeepsSpikes() {
        int n = 1_000_000;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) { x[i] = i; y[i] = Math.sin(i / 5000.0); }
        y[123_457] = 50;
        y[876_543] = -40;
        double[][] r = EvaluationReport.reduce(x, y);
        assertTrue(r[0].length <= EvaluationReport.SIGNAL_POINTS);
        double max = Double.NEGATIVE_INFINITY, min = Double.POSITIVE_INFINITY;
        for (int i = 0; i < r[1].length; i++) { max = Math.max(max, r[1][i]); min = Math.min(min, r[1][i]); }
        assertEquals(50, max);
        assertEquals(-40, min);
        for (int i = 1; i < r[0].length; i++) assertTrue(r[0][i] > r[0][i - 1], "x in order at " + i);
        assertNotSame(x, r[0], "a million rows are reduced");
        // short signals are drawn as they are
        double[] sx = {0, 1, 2}, sy = {3, 4, 5};
        assertSame(sx, EvaluationReport.reduce(sx, sy)[0]);
    }

    @Test
    void theSignalPanelIsWrittenWhenTheRowsAreGiven(@TempDir Path dir) throws Exception {
        int rows = 5000, w = 50;
        double[][] v = new double[rows][2];
        int[] rowLabels = new int[rows];
        for (int i = 0; i < rows; i++) { v[i][0] = Math.sin(i / 30.0); v[i][1] = i >= 3000 && i < 3400 ? 3 : 0; rowLabels[i] = v[i][1] > 0 ? 1 : 0; }
        int windows = rows / w;
        double[] scores = new double[windows];
        int[] labels = new int[windows], ends = new int[windows];
        for (int k = 0; k < windows; k++) { ends[k] = k * w + w - 1; labels[k] = rowLabels[ends[k]]; scores[k] = labels[k] * 10 + (k % 7) * 0.1; }
        String[] ts = new String[windows];
        for (int k = 0; k < windows; k++) ts[k] = String.valueOf(ends[k]);
        EvaluationReport r = new EvaluationReport("t", scores, labels, ts, 5, null, null, Map.of(),
                new EvaluationReport.Signal(List.of("a", "b"), v, null, rowLabels, ends));
        r.write(dir.resolve("rep"));
        assertTrue(Files.size(dir.resolve("rep/signal.png")) > 5000);
        assertTrue(Files.readString(dir.resolve("rep/report.md")).contains("![signal](signal.png)"));
    }
}
