package tinyad.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import tinyad.common.DataException;
import tinyad.datasets.CsvLoader;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.model.Detector;
import tinyad.model.Metrics;
import tinyad.quantizer.DeviceLearning;
import tinyad.quantizer.QuantizedModel;
import tinyad.quantizer.Quantizer;

/**
 * SKAB valve1 with one model for every file (issue #15): trained once on the host on anomaly-free.csv, deployed to every
 * file, and learning on the device (its bit-exact Java reference, {@link DeviceLearning}) from the windows that end in
 * the file's first 400 rows; every later row scored by the window ending at it (hop 1). F1, FAR, MAR over all test rows,
 * mean per-file ROC-AUC, for each learning plan.
 */
public final class LearnedSkab {
    private LearnedSkab() {}

    public static void run(Path dir, DetectorConfig config, int percentile, Consumer<String> out) throws IOException {
        Path valve = DetectionBenchmark.datasets(dir).resolve("skab/data/valve1");
        List<Path> files = DetectionBenchmark.csvFiles(valve);
        if (files.isEmpty()) throw new DataException(valve + ": no .csv files");
        long t0 = System.nanoTime();
        SensorTable free = CsvLoader.load(DetectionBenchmark.datasets(dir).resolve("skab/data/anomaly-free/anomaly-free.csv"));
        Pipeline p = Pipeline.fit(free, null, config.window(), config.window(), config.features());
        Detector d = config.train(free, p);
        QuantizedModel q = Quantizer.quantize(d, p.normalInputs(free), config.headroom());
        if (!q.hasIntegerFeatures()) throw new DataException("learning needs integer features: " + config.describe());
        out.accept("SKAB valve1, one model trained on anomaly-free.csv for every file, learning on the device from the windows in each file's first "
                + DetectionBenchmark.SKAB_TRAIN_ROWS + " rows (threshold p" + percentile / 100.0 + "): " + config.describe());
        List<SensorTable> tables = new ArrayList<>();
        for (Path f : files) tables.add(CsvLoader.load(f));
        for (boolean site : new boolean[] {false, true}) {
            out.accept(site ? " counts from a front end whose gain was set on the file's first " + DetectionBenchmark.SKAB_TRAIN_ROWS
                    + " rows (the anomaly-free range's mapping saturates int16 on 4 of valve1's 8 channels):"
                    : " counts as anomaly-free.csv's front end gives them (values outside its range saturate at the int16 limits):");
            plans(tables, q, site && d instanceof tinyad.model.KMeansDetector k ? k : null, config, percentile, site, out);
        }
        out.accept(String.format(Locale.ROOT, "(%d files, %.1f s)", files.size(), (System.nanoTime() - t0) / 1e9));
    }

    /** The shipped model with the counts of a front end fitted on {@code rows} (IntStage.fit's mapping for non-integer data). */
    static QuantizedModel onFrontEnd(QuantizedModel q, SensorTable rows) {
        Pipeline p = q.pipeline();
        tinyad.datasets.IntStage s = p.integer(), fitted = Pipeline.fit(rows, p.channels(), p.window(), p.window(), p.features()).integer();
        tinyad.datasets.IntStage moved = new tinyad.datasets.IntStage(fitted.sampleOffset(), fitted.sampleLsb(), s.center(), s.shift(), s.zero(),
                s.featureMean(), s.featureStd());
        Pipeline p2 = new Pipeline(p.channels(), p.window(), p.hop(), p.features(), p.normaliser(), moved, p.sampleRateHz());
        if (q instanceof tinyad.quantizer.QuantizedKMeans k)
            return new tinyad.quantizer.QuantizedKMeans(p2, k.inputQuant(), k.centroids(), k.thresholdQ(), k.threshold(), k.radiiQ(), k.alarm());
        tinyad.quantizer.QuantizedAutoencoder a = (tinyad.quantizer.QuantizedAutoencoder) q;
        return new tinyad.quantizer.QuantizedAutoencoder(p2, a.inputQuant(), a.layers(), a.thresholdQ(), a.threshold(), a.alarm(), a.outputRequant());
    }

    /** Each learning plan on every file: int8 (the device), and with {@code floatModel} the float twin of the same learning. */
    static void plans(List<SensorTable> tables, QuantizedModel shipped, tinyad.model.KMeansDetector floatModel, DetectorConfig config, int percentile,
                      boolean site, Consumer<String> out) {
        String[] names = {"no learning", "normalisation + threshold", "full (centroids refined)", "from scratch"};
        // the float twin's features of every window (physical values: no front end), once a file for every plan
        List<double[][]> floatFeatures = new ArrayList<>();
        if (floatModel != null)
            for (SensorTable t : tables) floatFeatures.add(floatModel.pipeline().features(floatModel.pipeline().withHop(1).windows(t).data()));
        for (int mode = 0; mode < names.length; mode++) {
            if (mode >= 2 && !(shipped instanceof tinyad.quantizer.QuantizedKMeans)) break;
            long tp = 0, fp = 0, tn = 0, fn = 0, ftp = 0, ffp = 0, ftn = 0, ffn = 0;
            List<Double> auc = new ArrayList<>(), floatAuc = new ArrayList<>();
            double worst = 0;
            for (int file = 0; file < tables.size(); file++) {
                SensorTable t = tables.get(file);
                QuantizedModel q = site ? onFrontEnd(shipped, t.slice(0, DetectionBenchmark.SKAB_TRAIN_ROWS)) : shipped;
                Pipeline p = q.pipeline();
                int[][] w = p.withHop(1).counts(t);      // window i: rows i .. i + window - 1
                int firstScored = DetectionBenchmark.SKAB_TRAIN_ROWS - config.window() + 1;   // the window ending at row 400
                DeviceLearning l = mode == 0 ? null : new DeviceLearning(q, plan(mode, firstScored, percentile));
                if (l != null) for (int i = 0; i < firstScored; i++) l.learn(w[i]);
                int thr = l == null ? q.thresholdQ() : l.thresholdQ();
                QuantizedModel m = l == null ? q : l.model();
                double[] s = new double[w.length - firstScored];
                int[] labels = new int[s.length];
                boolean[] alarm = new boolean[s.length];
                for (int i = firstScored; i < w.length; i++) {
                    s[i - firstScored] = l == null ? q.score(q.deviceInput(w[i])) : m.score(l.input(w[i]));
                    labels[i - firstScored] = t.labels()[i + config.window() - 1];
                    alarm[i - firstScored] = s[i - firstScored] > thr;
                }
                Metrics.Confusion c = DetectionBenchmark.confusion(alarm, labels);
                tp += c.tp(); fp += c.fp(); tn += c.tn(); fn += c.fn();
                auc.add(Metrics.rocAuc(s, labels));
                if (floatModel != null) {
                    // the float twin: the same windows, the same phases and rules
                    double[][] f = floatFeatures.get(file);
                    FloatLearning.Learned fl = mode == 0 ? null : FloatLearning.learn(floatModel, q, plan(mode, firstScored, percentile), f);
                    double[] fs = new double[s.length];
                    boolean[] falarm = new boolean[s.length];
                    for (int i = firstScored; i < f.length; i++) {
                        fs[i - firstScored] = fl == null ? floatModel.score(floatModel.pipeline().normaliser().apply(f[i])) : fl.score(f[i]);
                        falarm[i - firstScored] = fs[i - firstScored] > (fl == null ? floatModel.threshold() : fl.threshold());
                    }
                    Metrics.Confusion fc = DetectionBenchmark.confusion(falarm, labels);
                    ftp += fc.tp(); ffp += fc.fp(); ftn += fc.tn(); ffn += fc.fn();
                    floatAuc.add(Metrics.rocAuc(fs, labels));
                    worst = Math.max(worst, Math.abs(auc.get(auc.size() - 1) - floatAuc.get(floatAuc.size() - 1)));
                }
            }
            out.accept(String.format(Locale.ROOT, "  %-28s %s", names[mode],
                    DetectionBenchmark.row("int8", new Metrics.Confusion(tp, fp, tn, fn), DetectionBenchmark.mean(auc)).strip()));
            if (floatModel != null)
                out.accept(String.format(Locale.ROOT, "  %-28s %s; int8 - float mean per-file ROC-AUC %+.4f, largest per-file |difference| %.4f", "",
                        DetectionBenchmark.row("float", new Metrics.Confusion(ftp, ffp, ftn, ffn), DetectionBenchmark.mean(floatAuc)).strip(),
                        DetectionBenchmark.mean(auc) - DetectionBenchmark.mean(floatAuc), worst));
        }
    }

    static DeviceLearning.Plan plan(int mode, int windows, int percentile) {
        return switch (mode) {
            case 1 -> new DeviceLearning.Plan(windows, true, true, DeviceLearning.Centroids.KEEP, true, percentile);
            case 2 -> DeviceLearning.Plan.full(windows, percentile);
            default -> new DeviceLearning.Plan(windows, true, true, DeviceLearning.Centroids.SCRATCH, true, percentile);
        };
    }
}
