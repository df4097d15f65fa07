package tinyad.tuner;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

import tinyad.common.DataException;
import tinyad.datasets.SensorTable;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.Windows;
import tinyad.model.Detector;
import tinyad.model.KMeansDetector;
import tinyad.model.Metrics;
import tinyad.trainer.KMeansTrainer;

class TunerTest {
    /** 8,000 rows of the built-in vibration at 1 kHz: the first 60 % clean, then labelled faults. */
    static SensorTable recording(long seed) {
        return SyntheticSensor.generate(new SyntheticSensor.Options(seed, 8_000, 1000, 0.6, 400)).table();
    }

    static SensorTable clean(long seed) {
        SensorTable t = recording(seed).slice(0, 4_800);
        return new SensorTable(t.channels(), t.timestamps(), t.values(), null);
    }

    @Test
    void labelledAnomaliesInTheDataStayOutOfTrainingAndCountAsAnomaliesInTheTail() {
        SensorTable t = recording(1).slice(0, 6_000);   // the first 4,800 rows clean, then labelled faults
        Tuner.Task task = SyntheticFaults.task(t, 3);
        assertEquals(4_800, task.train().rows());
        assertArrayEquals(java.util.Arrays.copyOfRange(t.labels(), 0, 4_800), task.train().labels());
        Tuner.Eval normal = task.evals().get(0);
        assertEquals("normal", normal.name());
        assertArrayEquals(t.labels(), normal.table().labels(), "the tail keeps its labelled faults");
        for (Tuner.Eval e : task.evals().subList(1, task.evals().size()))
            for (int r = 0; r < t.rows(); r++)
                assertEquals(r >= 4_800 && r < 5_400 || t.labels()[r] == 1 ? 1 : 0, e.table().labels()[r], e.name() + " row " + r);
    }

    /** A small space: the test's run takes seconds. */
    static Tuner.Space small() {
        return new Tuner.Space(new int[] {16, 32}, new int[0], List.of("raw", "stats"), new int[] {4, 8}, new boolean[] {false, true},
                List.of(), new double[] {99, 99.5, 100}, RuleShape.defaults());
    }

    static final CostModel M4 = CostModel.of(CostModel.Device.CORTEX_M4, 0, 1000);

    /** Per-window alarm (the rule's event open) F1 of {@code d} on every window of a labelled recording. */
    static double alarmF1(Detector d, SensorTable t) {
        Windows w = d.pipeline().windows(t);
        boolean[] a = d.alarm().run(d.scores(d.pipeline().inputs(t))).alarm();
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < a.length; i++) {
            if (w.labels()[i] == 1) { if (a[i]) tp++; else fn++; } else { if (a[i]) fp++; else tn++; }
        }
        return new Metrics.Confusion(tp, fp, tn, fn).f1();
    }

    @Test
    void theLeaderboardIsTheSameOnOneThreadAndOnTwo() {
        List<Tuner.Task> tasks = List.of(SyntheticFaults.task(clean(1), 7));
        Tuner.Result one = Tuner.run(tasks, small(), M4, 7, 1, (d, n) -> {});
        Tuner.Result two = Tuner.run(tasks, small(), M4, 7, 2, (d, n) -> {});
        assertEquals(one.leaderboard().size(), two.leaderboard().size());
        for (int i = 0; i < one.leaderboard().size(); i++) {
            assertEquals(one.leaderboard().get(i).candidate(), two.leaderboard().get(i).candidate(), "rank " + i);
            assertEquals(one.leaderboard().get(i).f1(), two.leaderboard().get(i).f1(), 0.0, "rank " + i);
        }
    }

    @Test
    void autoencoderCandidatesTrainTheSameOnOneThreadAndOnTwo() {
        // two autoencoders trained side by side (deeplearning4j) give the weights each gives alone
        // hop 16 on 2,000 rows: ~100 windows, a few seconds of training
        Tuner.Space ae = new Tuner.Space(new int[] {16}, new int[] {16}, List.of("raw", "stats"), new int[0], new boolean[] {false}, List.of("auto"),
                new double[] {99.5, 100}, RuleShape.defaults());
        SensorTable train = clean(1).slice(0, 2_000), validation = recording(2);
        Tune.Request one = new Tune.Request(train, List.of(new Tune.Validation("v", validation)), ae, M4, 5, 1, 1000, "");
        Tune.Outcome a = Tune.run(one, (d, n) -> {});
        Tune.Outcome b = Tune.run(new Tune.Request(train, one.validation(), ae, M4, 5, 2, 1000, ""), (d, n) -> {});
        assertEquals(2, a.result().leaderboard().size());
        for (int i = 0; i < 2; i++) {
            assertEquals(a.result().leaderboard().get(i).candidate(), b.result().leaderboard().get(i).candidate());
            assertEquals(a.result().leaderboard().get(i).f1(), b.result().leaderboard().get(i).f1(), 0.0);
            assertEquals(a.result().leaderboard().get(i).auc(), b.result().leaderboard().get(i).auc(), 0.0);
        }
        tinyad.model.DenseNet na = ((tinyad.model.AutoencoderDetector) a.model()).net(), nb = ((tinyad.model.AutoencoderDetector) b.model()).net();
        for (int l = 0; l < na.sizes().length - 1; l++) assertArrayEquals(na.weights()[l], nb.weights()[l], "layer " + l);
        assertEquals(a.result().best().f1(), alarmF1(a.model(), validation), 1e-12, "the written autoencoder scores as judged");
    }

    @Test
    void theWrittenModelScoresTheValidationAsItWasJudgedAndBeatsTheTrainDefaultsOnAnUnseenRecording() {
        SensorTable train = clean(1), validation = recording(2), unseen = recording(3);
        Tune.Outcome o = Tune.run(new Tune.Request(train, List.of(new Tune.Validation("v.csv", validation)), small(), M4, 42, 2, 1000, ""),
                (d, n) -> {});
        // the model trained for the file is the one that was judged: same alarm F1 on the validation recording
        assertEquals(o.result().best().f1(), alarmF1(o.model(), validation), 1e-12);
        assertEquals(o.result().best().candidate().percentile(), ((KMeansDetector) o.model()).thresholdPercentile());
        // and on a recording neither saw, it alarms better than train's defaults (raw 32/16, k=16, p99.5, default rule)
        KMeansDetector defaults = KMeansTrainer.train(train, tinyad.datasets.Pipeline.fit(train, null, 32, 16, "raw"),
                KMeansTrainer.Options.defaults(), "");
        double tuned = alarmF1(o.model(), unseen), plain = alarmF1(defaults, unseen);
        assertTrue(tuned > plain, "tuned " + tuned + " vs defaults " + plain);
    }

    @Test
    void aBudgetNothingFitsIsRefusedWithTheCheapestCandidatesNeeds() {
        CostModel tiny = new CostModel(CostModel.Device.UNO, 1_000, 2_048, 16e6, 0, 1000);
        DataException e = assertThrows(DataException.class,
                () -> Tuner.run(List.of(SyntheticFaults.task(clean(1), 1)), small(), tiny, 1, 1, (d, n) -> {}));
        assertTrue(e.getMessage().startsWith("no candidate fits the ATmega328P (Arduino Uno) (flash 1,000 B"), e.getMessage());
        assertTrue(e.getMessage().contains("the cheapest needs flash"), e.getMessage());
    }

    @Test
    void autoHopIsTheSmallestThatKeepsUpAndAFixedHopThatCannotIsDropped() {
        CostModel uno = CostModel.of(CostModel.Device.UNO, 0, 1000);
        for (Structure s : Tuner.structures(small(), uno, 3)) {
            CostModel.Estimate e = uno.estimate(s, 3);
            assertTrue(e.keepsUp(), s + ": " + e.summary());
            // the next smaller of the hops tried (1, window/4, window/2, window) would not keep up
            int[] tried = {1, s.window() / 4, s.window() / 2, s.window()};
            for (int i = 1; i < tried.length; i++)
                if (tried[i] == s.hop() && tried[i - 1] != s.hop())
                    assertFalse(uno.estimate(new Structure(s.window(), tried[i - 1], s.features(), s.k(), s.radius()), 3).keepsUp(), s.toString());
        }
        // an unknown rate cannot be checked: half a window, as train
        for (Structure s : Tuner.structures(small(), CostModel.of(CostModel.Device.UNO, 0, 0), 3)) assertEquals(s.window() / 2, s.hop());
        Tuner.Space hop1 = new Tuner.Space(new int[] {32}, new int[] {1}, List.of("stats"), new int[] {4}, new boolean[] {false}, List.of(), new double[] {99.5},
                RuleShape.defaults());
        DataException e = assertThrows(DataException.class, () -> Tuner.run(List.of(SyntheticFaults.task(clean(1), 1)), hop1, uno, 1, 1, (d, n) -> {}));
        assertTrue(e.getMessage().contains("hop period"), e.getMessage());
    }

    @Test
    void injectedFaultsChangeOnlyTheirChannelFromTheCut() {
        SensorTable t = clean(4);
        int cut = 3_000, end = 4_000, c = 1;
        SensorTable step = SyntheticFaults.inject(t, cut, end, "step", c, new java.util.SplittableRandom(1));
        double mean = 0, sq = 0;
        for (int r = 0; r < cut; r++) mean += t.values()[r][c] / cut;
        for (int r = 0; r < cut; r++) sq += Math.pow(t.values()[r][c] - mean, 2) / cut;
        for (int r = 0; r < t.rows(); r++) {
            for (int ch = 0; ch < 3; ch++) {
                double d = step.values()[r][ch] - t.values()[r][ch];
                assertEquals(r >= cut && r < end && ch == c ? 3 * Math.sqrt(sq) : 0, d, 1e-9, "row " + r + " channel " + ch);
            }
            assertEquals(r >= cut && r < end ? 1 : 0, step.labels()[r]);
        }
        SensorTable stuck = SyntheticFaults.inject(t, cut, end, "stuck", 0, new java.util.SplittableRandom(1));
        for (int r = cut; r < end; r++) assertEquals(t.values()[cut][0], stuck.values()[r][0]);
        assertEquals(t.values()[end][0], stuck.values()[end][0]);
    }
}
