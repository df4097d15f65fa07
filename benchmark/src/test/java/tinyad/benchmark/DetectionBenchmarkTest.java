package tinyad.benchmark;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import tinyad.datasets.SensorTable;
import tinyad.model.AlarmRule;
import tinyad.model.Metrics;

class DetectionBenchmarkTest {
    /** Rows one hour apart from 2020-01-01 00:00:00. */
    static SensorTable hourly(int rows) {
        String[] ts = new String[rows];
        for (int i = 0; i < rows; i++) ts[i] = String.format("2020-01-%02d %02d:00:00", 1 + i / 24, i % 24);
        return new SensorTable(List.of("x"), ts, new double[rows][1], null);
    }

    @Test
    void nabEventsCountAlarmEventStartsInsideAndOutsideWindows() {
        //                 window 1 (hit)   window 2 (missed)    two false-alarm runs outside windows
        int[] labels =    {0, 1, 1, 0, 0,   1, 1, 0, 0, 0, 0, 0, 0};
        double[] scores = {0, 0, 5, 0, 0,   0, 0, 5, 5, 0, 5, 0, 0};
        SensorTable t = hourly(13 + 24);
        // the legacy rule: each run over the threshold is one event, starting at rows 2 (in window 1), 7 and 10
        DetectionBenchmark.Events e = DetectionBenchmark.events(AlarmRule.legacy(1.0).run(scores), labels, t, 24);   // rows 24..36: half a day
        assertEquals(2, e.windows());
        assertEquals(1, e.detected());
        assertEquals(2, e.falseEvents());
        assertEquals(0.5, e.days(), 1e-12);
        assertEquals(4.0, e.falseAlarmsPerDay(), 1e-12);
        assertEquals("windows detected 1/2, false alarm events 4.00/day", e.toString());
        // a hold-off of 10 windows keeps the first event open through both false runs: one event, no false alarm
        DetectionBenchmark.Events held = DetectionBenchmark.events(new AlarmRule(1, 1, 10, 1.0, 1.0).run(scores), labels, t, 24);
        assertEquals(1, held.detected());
        assertEquals(0, held.falseEvents());
        // an event that starts before a window and is still open in it does not detect it
        DetectionBenchmark.Events early = DetectionBenchmark.events(new AlarmRule(1, 1, 10, 1.0, 1.0).run(
                new double[] {5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}), labels, t, 24);
        assertEquals(0, early.detected());
        assertEquals(1, early.falseEvents());
    }

    @Test
    void csvFilesAreNumberedOnesInNumberOrderThenAnyOtherName(@TempDir Path dir) throws Exception {
        for (String n : new String[] {"10.csv", "2.csv", "valve-a.csv", "1.csv", "notes.txt", "b.csv"}) Files.writeString(dir.resolve(n), "");
        assertEquals(List.of("1.csv", "2.csv", "10.csv", "b.csv", "valve-a.csv"),
                DetectionBenchmark.csvFiles(dir).stream().map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void changepointWindowsAreCentredOnEachOnset() {
        int[] labels = new int[200];
        for (int i = 100; i < 150; i++) labels[i] = 1;
        labels[10] = 1;
        assertEquals(List.of(new NabScore.Window(0, 39), new NabScore.Window(70, 129)), DetectionBenchmark.changepointWindows(labels, 60));
    }

    @Test
    void totalsAddConfusionsAcrossFilesFloatAndInt8Apart() {
        DetectionBenchmark.Totals t = new DetectionBenchmark.Totals();
        t.add(new DetectionBenchmark.Scored(new double[] {0, 2, 3}, new double[] {0, 20, 1}, new int[] {0, 1, 1}, 1.0, 10));
        t.add(new DetectionBenchmark.Scored(new double[] {2, 0}, new double[] {0, 0}, new int[] {0, 1}, 1.0, 10));
        assertEquals(new Metrics.Confusion(2, 1, 1, 1), t.floatConfusion());
        assertEquals(new Metrics.Confusion(1, 0, 2, 2), t.intConfusion());
        assertEquals((1.0 + 0.0) / 2, t.floatMeanAuc(), 1e-12, "mean of the per-file ROC-AUCs");
        assertEquals((1.0 + 0.5) / 2, t.intMeanAuc(), 1e-12, "tied int8 scores count half");
        assertEquals(2, t.rows().size());
        assertTrue(t.rows().get(1).startsWith("  int8   F1 0.500  FAR 0.000  MAR 0.667"), t.rows().get(1));
    }
}
