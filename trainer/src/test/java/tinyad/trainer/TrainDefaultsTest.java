package tinyad.trainer;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.datasets.SyntheticSensor;

class TrainDefaultsTest {
    static SensorTable rows(int n) {
        SensorTable t = SyntheticSensor.generate(new SyntheticSensor.Options(9, 10_000, 1000, 1.0, 400)).table().slice(0, n);
        return new SensorTable(t.channels(), t.timestamps(), t.values(), null);
    }

    static KMeansTrainer.Options k(int k) {
        return new KMeansTrainer.Options(k, 42, 100, 99.5);
    }

    @Test
    void onTheTrainingHalfOfFourHundredRowsTheDefaultsTrainWhereTheFixedOnesAreRefused() {
        SensorTable t = rows(200);   // train's default split of a 400-row file
        // the fixed defaults before: window 32, hop 16, k 16 -> 11 windows: refused (issue #16)
        DataException e = assertThrows(DataException.class, () -> KMeansTrainer.train(t, Pipeline.fit(t, null, 32, 16, "raw"), k(16), ""));
        assertTrue(e.getMessage().startsWith("too few normal windows"), e.getMessage());
        TrainDefaults d = TrainDefaults.choose(t.rows(), "raw", null, null, null);
        var m = KMeansTrainer.train(t, Pipeline.fit(t, null, d.window(), d.hop(), "raw"), k(d.k()), "");
        int windows = Pipeline.fit(t, null, d.window(), d.hop(), "raw").windows(t).count();
        assertTrue(windows >= TrainDefaults.MIN_WINDOWS, windows + " windows");
        assertTrue(0.8 * windows >= TrainDefaults.WINDOWS_PER_CLUSTER * m.centroids().length, windows + " windows for k=" + m.centroids().length);
    }

    @Test
    void aLongRecordingKeepsTheUsualDefaultsAndTheUsersChoicesAreKept() {
        assertEquals(new TrainDefaults(32, 16, 16), TrainDefaults.choose(30_000, "raw", null, null, null));
        assertEquals(new TrainDefaults(64, 3, 5), TrainDefaults.choose(400, "raw", 64, 3, 5));
        // spectral:8 needs 16 samples: the window stops halving there
        assertEquals(16, TrainDefaults.choose(100, "stats+spectral:8", null, null, null).window());
    }

    @Test
    void slowDataGetsStatisticsAndAWaveformOrAnUnknownRateKeepsTheSamples() {
        assertEquals("stats", TrainDefaults.features(1));       // SKAB, NAB: levels once a second or slower
        assertEquals("raw", TrainDefaults.features(1000));      // vibration
        assertEquals("raw", TrainDefaults.features(0));         // no timestamps: unknown
    }
}
