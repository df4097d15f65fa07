package tinyad.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

import tinyad.common.DataException;
import tinyad.datasets.CsvLoader;
import tinyad.datasets.NabLabels;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.datasets.Windows;
import tinyad.model.AutoencoderDetector;
import tinyad.model.Detector;
import tinyad.model.Metrics;
import tinyad.quantizer.AutoencoderQuantizer;
import tinyad.quantizer.QatFineTuner;
import tinyad.quantizer.QuantizedModel;
import tinyad.quantizer.Quantizer;

/**
 * Detection quality on real data (the datasets folder, normally ../shared/datasets), float and int8 side by
 * side: the SKAB leaderboard protocol and NAB's realKnownCause files. Each prints its table line by line.
 */
public final class DetectionBenchmark {
    private DetectionBenchmark() {}

    static Path datasets(Path dir) {
        if (!Files.isDirectory(dir)) throw new DataException(dir + ": no datasets folder (expected ../shared/datasets)");
        return dir;
    }

    /** Float and int8 scores of every row from some row on, with their labels and thresholds. */
    public record Scored(double[] f, double[] q, int[] labels, double thr, int thrQ) {}

    /** Scores every row from {@code firstRow} on, each with the window that ends at it (hop 1). */
    public static Scored score(Detector d, SensorTable all, int firstRow, double[][] calibration, DetectorConfig config) {
        double headroom = config.headroom();
        Pipeline p = d.pipeline();
        Pipeline everyRow = new Pipeline(p.channels(), p.window(), 1, p.features(), p.normaliser(), p.integer());
        SensorTable part = all.slice(Math.max(0, firstRow - p.window() + 1), all.rows());
        double[][] in = everyRow.inputs(part);
        Windows w = everyRow.windows(part);
        Detector toQuantize = d;
        if (config.qatEpochs() > 0 && d instanceof AutoencoderDetector ae)
            toQuantize = QatFineTuner.fineTune(ae, calibration, Quantizer.inputParams(calibration, headroom),
                    AutoencoderQuantizer.Options.defaults(), new QatFineTuner.Options(config.qatEpochs(), 1e-4, 32, config.seed()));
        QuantizedModel q = Quantizer.quantize(toQuantize, calibration, headroom);
        // int8: what the device computes, from sensor counts through the integer features where the model has them
        return new Scored(d.scores(in), q.scores(everyRow, part), w.labels(), d.threshold(), q.thresholdQ());
    }

    /** Confusion counts over every test row of every file, float and int8, and per-file ROC-AUCs. */
    public static final class Totals {
        final List<Double> aucF = new ArrayList<>(), aucQ = new ArrayList<>();
        long tp, fp, tn, fn, qtp, qfp, qtn, qfn;

        public void add(Scored s) {
            Metrics.Confusion c = Metrics.confusion(s.f(), s.labels(), s.thr());
            Metrics.Confusion q = Metrics.confusion(s.q(), s.labels(), s.thrQ());
            tp += c.tp(); fp += c.fp(); tn += c.tn(); fn += c.fn();
            qtp += q.tp(); qfp += q.fp(); qtn += q.tn(); qfn += q.fn();
            aucF.add(Metrics.rocAuc(s.f(), s.labels()));
            aucQ.add(Metrics.rocAuc(s.q(), s.labels()));
        }

        public Metrics.Confusion floatConfusion() { return new Metrics.Confusion(tp, fp, tn, fn); }
        public Metrics.Confusion intConfusion() { return new Metrics.Confusion(qtp, qfp, qtn, qfn); }
        public double floatMeanAuc() { return mean(aucF); }
        public double intMeanAuc() { return mean(aucQ); }

        /** The float and the int8 row of the table. */
        public List<String> rows() {
            return List.of(row("float", floatConfusion(), floatMeanAuc()), row("int8", intConfusion(), intMeanAuc()));
        }
    }

    static double mean(List<Double> v) {
        return v.stream().filter(x -> !x.isNaN()).mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static String row(String what, Metrics.Confusion c, double auc) {
        return String.format(Locale.ROOT, "  %-6s F1 %.3f  FAR %.3f  MAR %.3f  precision %.3f  recall %.3f  mean ROC-AUC per file %.4f",
                what, c.f1(), c.falseAlarmRate(), c.missedAlarmRate(), c.precision(), c.recall(), auc);
    }

    /**
     * SKAB leaderboard protocol: for each valve1 file, train on its first 400 rows and score every later row
     * (window ending at it); then train once on anomaly-free.csv and score every labelled file.
     */
    public static void skab(Path dir, DetectorConfig config, Consumer<String> out) throws IOException {
        Path valve = datasets(dir).resolve("skab/data/valve1");
        List<Path> files;
        try (Stream<Path> s = Files.list(valve)) {
            files = s.filter(p -> p.toString().endsWith(".csv"))
                    .sorted((a, b) -> Integer.compare(num(a), num(b))).toList();
        }
        long t0 = System.nanoTime();
        Totals per = new Totals();
        for (Path f : files) {
            SensorTable t = CsvLoader.load(f);
            SensorTable train = t.slice(0, 400);
            Pipeline p = Pipeline.fit(train, null, config.window(), 1, config.features());
            per.add(score(config.train(train, p), t, 400, p.normalInputs(train), config));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        out.accept("SKAB valve1, leaderboard protocol (train on first 400 rows of each file): " + config.describe());
        per.rows().forEach(out);
        out.accept(String.format(Locale.ROOT, "(%d files, %.1f s)", files.size(), secs));

        SensorTable free = CsvLoader.load(datasets(dir).resolve("skab/data/anomaly-free/anomaly-free.csv"));
        Pipeline p = Pipeline.fit(free, null, config.window(), config.window(), config.features());
        Detector d = config.train(free, p);
        Totals all = new Totals();
        for (Path f : files) all.add(score(d, CsvLoader.load(f), 0, p.normalInputs(free), config));
        out.accept("SKAB, trained on anomaly-free.csv, every row of every valve1 file scored:");
        all.rows().forEach(out);
    }

    static int num(Path p) {
        String n = p.getFileName().toString();
        return Integer.parseInt(n.substring(0, n.length() - 4));
    }

    /**
     * NAB realKnownCause machine_temperature_system_failure and ambient_temperature_system_failure: train on the
     * first 15% of rows (NAB's probationary period), score every later row; ROC-AUC, labelled windows with at
     * least one alarm, false alarms per day.
     */
    public static void nab(Path dir, DetectorConfig config, Consumer<String> out) {
        out.accept("NAB realKnownCause: " + config.describe());
        for (String name : new String[] {"machine_temperature_system_failure", "ambient_temperature_system_failure"}) {
            Path csv = datasets(dir).resolve("nab/data/realKnownCause/" + name + ".csv");
            SensorTable t = NabLabels.load(csv, NabLabels.findWindowsFile(csv));
            int cut = (int) (t.rows() * 0.15);
            SensorTable train = t.slice(0, cut);
            Pipeline p = Pipeline.fit(train, null, config.window(), 1, config.features());
            Detector d = config.train(train, p);
            Scored s = score(d, t, cut, p.normalInputs(train), config);
            int[] rowLabels = s.labels();
            out.accept(String.format(Locale.ROOT, "  %-36s ROC-AUC float %.4f int8 %.4f | %s | int8 %s", name,
                    Metrics.rocAuc(s.f(), rowLabels), Metrics.rocAuc(s.q(), rowLabels),
                    events(s.f(), rowLabels, s.thr(), t, cut), events(s.q(), rowLabels, s.thrQ(), t, cut)));
        }
    }

    /** Labelled windows detected and false-alarm events per day, NAB style. */
    public record Events(int windows, int detected, int falseEvents, double days) {
        public double falseAlarmsPerDay() {
            return falseEvents / days;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "windows detected %d/%d, false alarms %.2f/day", detected, windows, falseAlarmsPerDay());
        }
    }

    /**
     * Labelled windows with an alarm, and false-alarm events (runs of alarms outside windows) per day, over the
     * rows from {@code first} on of {@code t} (timestamps {@code yyyy-MM-dd HH:mm:ss}).
     */
    public static Events events(double[] scores, int[] labels, double thr, SensorTable t, int first) {
        int windows = 0, detected = 0, falseEvents = 0;
        boolean inWindow = false, hit = false, inFalse = false;
        for (int i = 0; i < scores.length; i++) {
            boolean alarm = scores[i] > thr;
            if (labels[i] == 1) {
                if (!inWindow) { windows++; hit = false; inWindow = true; }
                if (alarm && !hit) { hit = true; detected++; }
                inFalse = false;
            } else {
                inWindow = false;
                if (alarm && !inFalse) falseEvents++;
                inFalse = alarm;
            }
        }
        return new Events(windows, detected, falseEvents, daysBetween(t.timestamps()[first], t.timestamps()[t.rows() - 1]));
    }

    static double daysBetween(String a, String b) {
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        return Duration.between(LocalDateTime.parse(a, f), LocalDateTime.parse(b, f)).toMinutes() / 1440.0;
    }
}
