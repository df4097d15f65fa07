package tinyad.benchmark;

import java.util.Locale;
import java.util.function.Consumer;

import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.TimeSplit;
import tinyad.model.Metrics;
import tinyad.quantizer.DeviceLearning;
import tinyad.quantizer.QuantizedModel;
import tinyad.quantizer.Quantizer;
import tinyad.trainer.KMeansTrainer;

/**
 * The demo's data with one model for another machine (issue #15): the demo's Uno model (k-means k=16 on raw 32-sample
 * windows of the built-in vibration data as 10-bit counts, 80 counts per unit) trained on seed 42's machine, deployed to
 * seed 7's machine (the same kind of machine: other noise, other faults) as the same front end reads it and as one
 * mounted otherwise reads it (1.5x the gain, 60 counts of offset). The device (its bit-exact Java reference,
 * {@link DeviceLearning}) learns from the first {@code windows} windows of the other machine's recording, which are
 * fault-free; every later window is scored. Int8 throughout.
 */
public final class LearnedDemo {
    private LearnedDemo() {}

    static final int ROWS = 24_000, RATE_HZ = 1000, LEARN_WINDOWS = 400;

    /** The built-in data of a seed as the Uno's ADC reads it through a front end of {@code gain} counts per unit plus {@code offset}. */
    static SensorTable machine(long seed, double gain, int offset) {
        SensorTable t = SyntheticSensor.generate(new SyntheticSensor.Options(seed, ROWS, RATE_HZ, 0.5, 400)).table();
        double[][] v = new double[t.rows()][];
        for (int i = 0; i < v.length; i++) {
            v[i] = new double[t.values()[i].length];
            for (int c = 0; c < v[i].length; c++) v[i][c] = Math.max(0, Math.min(1023, Math.rint(512 + gain * t.values()[i][c]) + offset));
        }
        return new SensorTable(t.channels(), t.timestamps(), v, t.labels());
    }

    public static void run(int percentile, Consumer<String> out) {
        long t0 = System.nanoTime();
        TimeSplit home = TimeSplit.of(machine(42, 80, 0), 0.5);
        Pipeline p = Pipeline.fit(home.train(), null, 32, 16, Pipeline.RAW).withSampleRate(RATE_HZ);
        QuantizedModel q = Quantizer.quantize(KMeansTrainer.train(home.train(), p, new KMeansTrainer.Options(16, 42, 100, 99.5), ""),
                p.normalInputs(home.train()));
        out.accept("The demo's Uno model (k-means k=16, raw 32-sample windows, hop 16) trained on seed 42's machine; learning from the first "
                + LEARN_WINDOWS + " windows (fault-free) of the other recording, threshold p" + percentile / 100.0 + "; every later window scored:");
        out.accept(String.format(Locale.ROOT, "  %-40s %s", "seed 42 itself, its test part (no learning)",
                result(q, null, home.test(), 0)));
        for (boolean mounted : new boolean[] {false, true}) {
            SensorTable other = machine(7, mounted ? 120 : 80, mounted ? 60 : 0);
            out.accept(mounted ? " seed 7's machine mounted otherwise (1.5x the gain, +60 counts):" : " seed 7's machine, the same front end:");
            String[] names = {"no learning", "normalisation + threshold", "full (centroids refined)", "from scratch"};
            for (int mode = 0; mode < names.length; mode++)
                out.accept(String.format(Locale.ROOT, "  %-40s %s", names[mode],
                        result(q, mode == 0 ? null : LearnedSkab.plan(mode, LEARN_WINDOWS, percentile), other, LEARN_WINDOWS)));
        }
        out.accept(String.format(Locale.ROOT, "(%.1f s)", (System.nanoTime() - t0) / 1e9));
    }

    /** F1, FAR, MAR, ROC-AUC of the windows from {@code first} on, after learning on the ones before it (plan null: none). */
    static String result(QuantizedModel q, DeviceLearning.Plan plan, SensorTable t, int first) {
        Pipeline p = q.pipeline();
        int[][] w = p.counts(t);
        int[] labels = p.windows(t).labels();
        DeviceLearning l = plan == null ? null : new DeviceLearning(q, plan);
        if (l != null) for (int i = 0; i < first; i++) l.learn(w[i]);
        int thr = l == null ? q.thresholdQ() : l.thresholdQ();
        int n = w.length - first;
        boolean[] alarm = new boolean[n];
        int[] lab = new int[n];
        double[] sc = new double[n];
        for (int i = first; i < w.length; i++) {
            int v = l == null ? q.score(q.deviceInput(w[i])) : l.score(w[i]);
            sc[i - first] = v;
            alarm[i - first] = v > thr;
            lab[i - first] = labels[i];
        }
        Metrics.Confusion c = DetectionBenchmark.confusion(alarm, lab);
        return String.format(Locale.ROOT, "F1 %.3f  FAR %.3f  MAR %.3f  ROC-AUC %.4f  (threshold %d)", c.f1(), c.falseAlarmRate(),
                c.missedAlarmRate(), Metrics.rocAuc(sc, lab), thr);
    }
}
