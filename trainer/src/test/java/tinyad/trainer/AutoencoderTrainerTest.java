package tinyad.trainer;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.TimeSplit;
import tinyad.model.AutoencoderDetector;
import tinyad.model.Detector;
import tinyad.model.Metrics;

class AutoencoderTrainerTest {
    static TimeSplit split;
    static Pipeline pipeline;

    @BeforeAll
    static void data() {
        var t = SyntheticSensor.generate(new SyntheticSensor.Options(21, 30_000, 1000, 0.5, 400)).table();
        split = TimeSplit.of(t, 0.5);
        pipeline = Pipeline.fit(split.train(), null, 32, 16, "stats+spectral:4");
    }

    static AutoencoderTrainer.Options opts(long seed) {
        return new AutoencoderTrainer.Options("16-4-16", seed, 40, 5, 32, 3e-3, 0.2, 99.5, false);
    }

    @Test
    void sameSeedGivesBitIdenticalWeightsAndDetectsFaults() {
        AutoencoderDetector a = AutoencoderTrainer.train(split.train(), pipeline, opts(3), "");
        AutoencoderDetector b = AutoencoderTrainer.train(split.train(), pipeline, opts(3), "");
        for (int l = 0; l < a.net().layers(); l++) {
            assertArrayEquals(a.net().weights()[l], b.net().weights()[l]);
            assertArrayEquals(a.net().biases()[l], b.net().biases()[l]);
        }
        assertArrayEquals(new int[] {pipeline.inputSize(), 16, 4, 16, pipeline.inputSize()}, a.net().sizes());
        assertTrue(a.trainLoss().length >= 1 && a.trainLoss().length == a.validationLoss().length);
        assertTrue(a.trainLoss()[a.trainLoss().length - 1] < a.trainLoss()[0], "loss decreases");
        double auc = Metrics.rocAuc(a.scores(split.test()), pipeline.windows(split.test()).labels());
        assertTrue(auc > 0.85, "ROC-AUC " + auc);
    }

    @Test
    void roundTripsThroughTheModelFile(@TempDir Path dir) {
        AutoencoderDetector a = AutoencoderTrainer.train(split.train(), pipeline, opts(4), "sha");
        Path f = dir.resolve("ae.tinyad");
        a.save(f);
        Detector back = Detector.load(f);
        assertInstanceOf(AutoencoderDetector.class, back);
        assertArrayEquals(a.scores(split.test()), back.scores(split.test()));
        assertArrayEquals(a.validationLoss(), ((AutoencoderDetector) back).validationLoss());
    }

    @Test
    void architectureSpecs() {
        assertArrayEquals(new int[] {10, 5, 2, 5, 10}, AutoencoderTrainer.sizes("10-5-2-5-10", 10));
        assertArrayEquals(new int[] {10, 5, 2, 5, 10}, AutoencoderTrainer.sizes("5-2-5", 10));
        assertArrayEquals(new int[] {64, 16, 8, 16, 64}, AutoencoderTrainer.sizes("auto", 64));
        assertThrows(DataException.class, () -> AutoencoderTrainer.sizes("5-x-5", 10));
        assertThrows(DataException.class, () -> AutoencoderTrainer.sizes("5-0-5", 10));
    }
}
