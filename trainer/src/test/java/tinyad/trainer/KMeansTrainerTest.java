package tinyad.trainer;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.datasets.Pipeline;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.TimeSplit;
import tinyad.model.Detector;
import tinyad.model.KMeansDetector;
import tinyad.model.Metrics;

class KMeansTrainerTest {
    @Test
    void detectsSyntheticFaultsAndRoundTripsThroughTheModelFile(@TempDir Path dir) {
        var table = SyntheticSensor.generate(new SyntheticSensor.Options(11, 30_000, 1000, 0.5, 400)).table();
        TimeSplit s = TimeSplit.of(table, 0.5);
        Pipeline p = Pipeline.fit(s.train(), null, 32, 16, "raw");
        KMeansDetector d = KMeansTrainer.train(s.train(), p, new KMeansTrainer.Options(8, 3, 50, 99.0), "abc");
        double auc = Metrics.rocAuc(d.scores(s.test()), p.windows(s.test()).labels());
        assertTrue(auc > 0.85, "ROC-AUC " + auc);

        Path f = dir.resolve("m.tinyad");
        d.save(f);
        Detector back = Detector.load(f);
        assertArrayEquals(d.scores(s.test()), back.scores(s.test()));
        assertEquals(d.threshold(), back.threshold());
        assertEquals("abc", ((KMeansDetector) back).trainingSha256());

        KMeansDetector r = KMeansTrainer.train(s.train(), p, new KMeansTrainer.Options(8, 3, 50, 99.0, true), "");
        assertTrue(r.usesRadius());
        double[] scores = r.scores(s.test());
        assertTrue(java.util.Arrays.stream(scores).anyMatch(v -> v < 0), "windows inside a cluster score below 0");
        assertTrue(Metrics.rocAuc(scores, p.windows(s.test()).labels()) > 0.85);
        Path rf = dir.resolve("r.tinyad");
        r.save(rf);
        assertArrayEquals(scores, Detector.load(rf).scores(s.test()));
    }
}
