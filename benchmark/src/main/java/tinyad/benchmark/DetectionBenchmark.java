package tinyad.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
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
import tinyad.model.AlarmRule;
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

    /** Float and int8 scores of every row from some row on, with their labels, thresholds and alarm rules. */
    public record Scored(double[] f, double[] q, int[] labels, double thr, int thrQ, AlarmRule alarm, AlarmRule alarmQ) {
        public Scored(double[] f, double[] q, int[] labels, double thr, int thrQ) {
            this(f, q, labels, thr, thrQ, AlarmRule.legacy(thr), AlarmRule.legacy(thrQ));
        }

        /** The float (false) or int8 (true) scores and their rule. */
        double[] scores(boolean int8) {
            return int8 ? q : f;
        }

        AlarmRule rule(boolean int8) {
            return int8 ? alarmQ : alarm;
        }
    }

    /** Scores every row from {@code firstRow} on, each with the window that ends at it (hop 1). */
    public static Scored score(Detector d, SensorTable all, int firstRow, double[][] calibration, DetectorConfig config) {
        double headroom = config.headroom();
        Pipeline p = d.pipeline();
        Pipeline everyRow = p.withHop(1);
        SensorTable part = all.slice(Math.max(0, firstRow - p.window() + 1), all.rows());
        double[][] in = everyRow.inputs(part);
        Windows w = everyRow.windows(part);
        Detector toQuantize = d;
        if (config.qatEpochs() > 0 && d instanceof AutoencoderDetector ae)
            toQuantize = QatFineTuner.fineTune(ae, calibration, Quantizer.inputParams(calibration, headroom),
                    AutoencoderQuantizer.Options.defaults(), new QatFineTuner.Options(config.qatEpochs(), 1e-4, 32, config.seed()));
        QuantizedModel q = Quantizer.quantize(toQuantize, calibration, headroom);
        // int8: what the device computes, from sensor counts through the integer features where the model has them
        return new Scored(d.scores(in), q.scores(everyRow, part), w.labels(), d.threshold(), q.thresholdQ(), d.alarm(), q.alarm());
    }

    /**
     * Confusion counts over every test row of every file, float and int8, and per-file ROC-AUCs. A row is alarmed
     * when its window scores over the threshold, or, with {@code rule}, while the alarm rule has an event open.
     */
    public static final class Totals {
        final List<Double> aucF = new ArrayList<>(), aucQ = new ArrayList<>();
        final boolean rule;
        long tp, fp, tn, fn, qtp, qfp, qtn, qfn;

        public Totals() {
            this(false);
        }

        public Totals(boolean rule) {
            this.rule = rule;
        }

        public void add(Scored s) {
            Metrics.Confusion c = confusion(alarms(s, false), s.labels());
            Metrics.Confusion q = confusion(alarms(s, true), s.labels());
            tp += c.tp(); fp += c.fp(); tn += c.tn(); fn += c.fn();
            qtp += q.tp(); qfp += q.fp(); qtn += q.tn(); qfn += q.fn();
            aucF.add(Metrics.rocAuc(s.f(), s.labels()));
            aucQ.add(Metrics.rocAuc(s.q(), s.labels()));
        }

        boolean[] alarms(Scored s, boolean int8) {
            if (rule) return s.rule(int8).run(s.scores(int8)).alarm();
            double[] v = s.scores(int8);
            double thr = int8 ? s.thrQ() : s.thr();
            boolean[] a = new boolean[v.length];
            for (int i = 0; i < v.length; i++) a[i] = v[i] > thr;
            return a;
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

    static Metrics.Confusion confusion(boolean[] alarm, int[] labels) {
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < alarm.length; i++) {
            if (labels[i] == 1) { if (alarm[i]) tp++; else fn++; } else { if (alarm[i]) fp++; else tn++; }
        }
        return new Metrics.Confusion(tp, fp, tn, fn);
    }

    static double mean(List<Double> v) {
        return v.stream().filter(x -> !x.isNaN()).mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static String row(String what, Metrics.Confusion c, double auc) {
        return String.format(Locale.ROOT, "  %-6s F1 %.3f  FAR %.3f  MAR %.3f  precision %.3f  recall %.3f  mean ROC-AUC per file %.4f",
                what, c.f1(), c.falseAlarmRate(), c.missedAlarmRate(), c.precision(), c.recall(), auc);
    }

    /** {@code t} without its labels: a detector trained on it sees every row, as NAB's and SKAB's detectors do. */
    static SensorTable unlabelled(SensorTable t) {
        return new SensorTable(t.channels(), t.timestamps(), t.values(), null);
    }

    /** The .csv files of a folder: numbered ones (SKAB's 0.csv, 1.csv, ...) in number order, then the rest by name. */
    static List<Path> csvFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".csv"))
                    .sorted(Comparator.comparingLong(DetectionBenchmark::num).thenComparing(p -> p.getFileName().toString())).toList();
        }
    }

    /** The number a file is named by ({@code 12.csv} -> 12), or Long.MAX_VALUE when its name is not a number. */
    static long num(Path p) {
        String n = p.getFileName().toString();
        n = n.endsWith(".csv") ? n.substring(0, n.length() - 4) : n;
        return n.matches("\\d{1,18}") ? Long.parseLong(n) : Long.MAX_VALUE;
    }

    /** Rows where an event of {@code rule} starts, in a file of {@code rows} rows whose scores begin at row {@code first}. */
    static boolean[] eventStarts(AlarmRule.Result r, int first, int rows) {
        boolean[] d = new boolean[rows];
        for (int st : r.starts()) d[first + st] = true;
        return d;
    }

    /** Every row whose window scores over the threshold: one detection per alarmed row (tinyad before the alarm rule). */
    static boolean[] everyAlarmedRow(double[] scores, double thr, int first, int rows) {
        boolean[] d = new boolean[rows];
        for (int i = 0; i < scores.length; i++) d[first + i] = scores[i] > thr;
        return d;
    }

    /** SKAB's changepoint windows: {@code width} rows centred on each anomaly onset (a 0 -> 1 step of the labels). */
    static List<NabScore.Window> changepointWindows(int[] labels, int width) {
        List<NabScore.Window> w = new ArrayList<>();
        for (int i = 1; i < labels.length; i++)
            if (labels[i] == 1 && labels[i - 1] != 1)
                w.add(new NabScore.Window(Math.max(0, i - width / 2), Math.min(labels.length - 1, i + width / 2 - 1)));
        return w;
    }

    static final int SKAB_TRAIN_ROWS = 400, SKAB_CHANGEPOINT_WINDOW = 60;

    /**
     * SKAB leaderboard protocol: for each valve1 file, train on its first 400 rows whatever their labels (the
     * published protocol) and score every later row (window ending at it); F1/FAR/MAR per row, with the alarm
     * as each window over the threshold and as the alarm rule's state, and SKAB's event metric: NAB scores of the
     * alarm events' starts against 60-row windows centred on each anomaly onset. Then train once on
     * anomaly-free.csv and score every labelled file.
     */
    public static void skab(Path dir, DetectorConfig config, Consumer<String> out) throws IOException {
        Path valve = datasets(dir).resolve("skab/data/valve1");
        List<Path> files = csvFiles(valve);
        if (files.isEmpty()) throw new DataException(valve + ": no .csv files");
        long t0 = System.nanoTime();
        Totals per = new Totals(false), ruled = new Totals(true);
        NabScore.Result[][] chp = new NabScore.Result[2][NabScore.PROFILES.size()];
        for (NabScore.Result[] a : chp) java.util.Arrays.fill(a, NabScore.Result.ZERO);
        for (Path f : files) {
            SensorTable t = CsvLoader.load(f);
            if (t.labels() == null) throw new DataException(f + ": no anomaly labels");
            if (t.rows() <= SKAB_TRAIN_ROWS) throw new DataException(f + ": " + t.rows() + " rows, the protocol trains on the first " + SKAB_TRAIN_ROWS);
            SensorTable train = unlabelled(t.slice(0, SKAB_TRAIN_ROWS));
            Pipeline p = Pipeline.fit(train, null, config.window(), 1, config.features());
            Scored s = score(config.train(train, p), t, SKAB_TRAIN_ROWS, p.normalInputs(train), config);
            per.add(s);
            ruled.add(s);
            List<NabScore.Window> w = changepointWindows(t.labels(), SKAB_CHANGEPOINT_WINDOW);
            for (int b = 0; b < 2; b++) {
                boolean[] d = eventStarts(s.rule(b == 1).run(s.scores(b == 1)), SKAB_TRAIN_ROWS, t.rows());
                for (int pr = 0; pr < chp[b].length; pr++)
                    chp[b][pr] = chp[b][pr].plus(NabScore.score(d, w, SKAB_TRAIN_ROWS, NabScore.PROFILES.get(pr)));
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        out.accept("SKAB valve1, leaderboard protocol (train on the first 400 rows of each file, labels ignored): " + config.describe());
        out.accept(" alarm = window over the threshold:");
        per.rows().forEach(out);
        out.accept(" alarm = the alarm rule's event open (rule chosen on each file's held-out training windows):");
        ruled.rows().forEach(out);
        out.accept(" changepoints (alarm event starts; NAB scores, 60-row windows centred on each anomaly onset):");
        for (int b = 0; b < 2; b++) out.accept("  " + (b == 0 ? "float " : "int8  ") + nabRow(chp[b]));
        out.accept(String.format(Locale.ROOT, "(%d files, %.1f s)", files.size(), secs));

        SensorTable free = CsvLoader.load(datasets(dir).resolve("skab/data/anomaly-free/anomaly-free.csv"));
        Pipeline p = Pipeline.fit(free, null, config.window(), config.window(), config.features());
        Detector d = config.train(free, p);
        Totals all = new Totals(false);
        for (Path f : files) all.add(score(d, CsvLoader.load(f), 0, p.normalInputs(free), config));
        out.accept("SKAB, trained on anomaly-free.csv, every row of every valve1 file scored:");
        all.rows().forEach(out);
    }

    static String nabRow(NabScore.Result[] r) {
        StringBuilder b = new StringBuilder("NAB");
        for (int i = 0; i < r.length; i++)
            b.append(String.format(Locale.ROOT, " %s %.1f", NabScore.PROFILES.get(i).name(), r[i].normalised()));
        return b.append(String.format(Locale.ROOT, " (standard: windows hit %d, missed %d, false detections %d)",
                r[0].tp(), r[0].fn(), r[0].fp())).toString();
    }

    /**
     * NAB realKnownCause, every file: train on the first 15 % of rows (NAB's probationary share) whatever their
     * labels, choose the threshold and alarm rule there, score every later row; ROC-AUC, events (labelled windows
     * with an alarm event starting in them, false alarm events per day) and NAB's score of the event starts, per file
     * and normalised over all files for the three profiles; beside it the score tinyad got before the alarm rule
     * (every alarmed row a detection).
     */
    public static void nab(Path dir, DetectorConfig config, Consumer<String> out) throws IOException {
        out.accept("NAB realKnownCause: " + config.describe());
        Path cat = datasets(dir).resolve("nab/data/realKnownCause");
        NabScore.Result[][] tot = new NabScore.Result[3][NabScore.PROFILES.size()];   // float rule, int8 rule, int8 every row
        for (NabScore.Result[] a : tot) java.util.Arrays.fill(a, NabScore.Result.ZERO);
        int lostToTraining = 0;
        for (Path csv : csvFiles(cat)) {
            String name = csv.getFileName().toString().replace(".csv", "");
            SensorTable t = NabLabels.load(csv, NabLabels.findWindowsFile(csv));
            int cut = (int) (t.rows() * 0.15);
            SensorTable train = unlabelled(t.slice(0, cut));
            Pipeline p = Pipeline.fit(train, null, config.window(), 1, config.features());
            Scored s;
            try {
                s = score(config.train(train, p), t, cut, p.normalInputs(train), config);
            } catch (DataException e) {
                out.accept(String.format(Locale.ROOT, "  %-36s refused: %s", name, e.getMessage()));
                continue;
            }
            List<NabScore.Window> w = NabScore.windows(t.labels());
            int probation = NabScore.probation(t.rows());
            for (NabScore.Window x : w) if (x.last() >= probation && x.first() < cut) lostToTraining++;
            NabScore.Result[] file = new NabScore.Result[3];
            boolean[][] det = {eventStarts(s.alarm().run(s.f()), cut, t.rows()), eventStarts(s.alarmQ().run(s.q()), cut, t.rows()),
                    everyAlarmedRow(s.q(), s.thrQ(), cut, t.rows())};
            for (int b = 0; b < 3; b++) {
                for (int pr = 0; pr < NabScore.PROFILES.size(); pr++) {
                    NabScore.Result r = NabScore.score(det[b], w, probation, NabScore.PROFILES.get(pr));
                    tot[b][pr] = tot[b][pr].plus(r);
                    if (pr == 0) file[b] = r;
                }
            }
            int[] rowLabels = s.labels();
            out.accept(String.format(Locale.ROOT, "  %-36s ROC-AUC float %.4f int8 %.4f | int8 %s, NAB standard %.1f (float %.1f; every alarmed row %.1f) | rule %s",
                    name, Metrics.rocAuc(s.f(), rowLabels), Metrics.rocAuc(s.q(), rowLabels),
                    events(s.alarmQ().run(s.q()), rowLabels, t, cut), file[1].normalised(), file[0].normalised(), file[2].normalised(), s.alarmQ()));
        }
        String[] what = {"float, alarm events", "int8, alarm events", "int8, every alarmed row"};
        for (int b = 0; b < 3; b++) out.accept("  all files, " + what[b] + ": " + nabRow(tot[b]));
        if (lostToTraining > 0)
            out.accept("  (" + lostToTraining + " scored window(s) start inside the 15 % training part, where tinyad raises no alarm: NAB counts them missed)");
    }

    /** Labelled windows detected and false-alarm events per day, counting alarm events (not runs, not rows). */
    public record Events(int windows, int detected, int falseEvents, double days) {
        public double falseAlarmsPerDay() {
            return falseEvents / days;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "windows detected %d/%d, false alarm events %.2f/day", detected, windows, falseAlarmsPerDay());
        }
    }

    /**
     * Over the rows from {@code first} on of {@code t} (timestamps {@code yyyy-MM-dd HH:mm:ss}), scored from index 0 of
     * {@code r} and {@code labels}: labelled windows (runs of 1s) in which an alarm event starts, and alarm events that
     * start outside every window, per day. An event that starts before a window and stays open through it does not
     * detect it (NAB scores it as a false positive and a miss too).
     */
    public static Events events(AlarmRule.Result r, int[] labels, SensorTable t, int first) {
        List<NabScore.Window> w = NabScore.windows(labels);
        int detected = 0, falseEvents = 0;
        boolean[] hit = new boolean[w.size()];
        for (int st : r.starts()) {
            boolean inside = false;
            for (int k = 0; k < w.size(); k++)
                if (st >= w.get(k).first() && st <= w.get(k).last()) { inside = true; if (!hit[k]) { hit[k] = true; detected++; } }
            if (!inside) falseEvents++;
        }
        return new Events(w.size(), detected, falseEvents, daysBetween(t.timestamps()[first], t.timestamps()[t.rows() - 1]));
    }

    static double daysBetween(String a, String b) {
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        return Duration.between(LocalDateTime.parse(a, f), LocalDateTime.parse(b, f)).toMinutes() / 1440.0;
    }
}
