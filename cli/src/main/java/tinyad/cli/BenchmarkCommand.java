package tinyad.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import tinyad.common.DataException;
import tinyad.datasets.CsvLoader;
import tinyad.datasets.NabLabels;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.datasets.Windows;
import tinyad.model.AutoencoderDetector;
import tinyad.model.Detector;
import tinyad.model.Metrics;
import tinyad.quantizer.QuantizedModel;
import tinyad.quantizer.Quantizer;
import tinyad.trainer.AutoencoderTrainer;
import tinyad.trainer.KMeansTrainer;

@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = {"Detection benchmarks on the real data in ../shared/datasets (SKAB, NAB); prints tables.",
                "Results and how to reproduce them are recorded in BENCHMARKS.md."},
        subcommands = {BenchmarkCommand.Skab.class, BenchmarkCommand.Nab.class, SpeedBenchmark.class, SerialBenchmark.class, FirmwareBenchmark.class})
final class BenchmarkCommand {

    /** Options that describe one detector configuration. */
    static final class Config {
        @Option(names = "--model", defaultValue = "kmeans", description = "kmeans or ae (default: ${DEFAULT-VALUE}).")
        String kind;
        @Option(names = "--window", defaultValue = "16", description = "Window length (default: ${DEFAULT-VALUE}).")
        int window;
        @Option(names = "--features", defaultValue = "raw", description = "Feature set (default: ${DEFAULT-VALUE}).")
        String features;
        @Option(names = "--k", defaultValue = "8", description = "k-means k (default: ${DEFAULT-VALUE}).")
        int k;
        @Option(names = "--layers", defaultValue = "auto", description = "Autoencoder layers (default: ${DEFAULT-VALUE}).")
        String layers;
        @Option(names = "--threshold-percentile", defaultValue = "99.5", description = "(default: ${DEFAULT-VALUE})")
        double percentile;
        @Option(names = "--seed", defaultValue = "42")
        long seed;
        @Option(names = "--kmeans-score", defaultValue = "distance", description = "distance or radius (default: ${DEFAULT-VALUE}).")
        String kmeansScore;
        @Option(names = "--input-headroom", defaultValue = "4.0", description = "int8 input range stretch (default: ${DEFAULT-VALUE}).")
        double headroom;
        @Option(names = "--qat-epochs", defaultValue = "0", description = "Autoencoder: quantization-aware fine-tuning epochs before int8 (default: ${DEFAULT-VALUE}).")
        int qatEpochs;

        Detector train(SensorTable train, Pipeline p) {
            return switch (kind) {
                case "kmeans" -> KMeansTrainer.train(train, p, new KMeansTrainer.Options(k, seed, 100, percentile,
                        kmeansScore.equals("radius")), "");
                case "ae" -> AutoencoderTrainer.train(train, p, new AutoencoderTrainer.Options(layers, seed, 300, 15, 32,
                        1e-3, 0.2, percentile, false), "");
                default -> throw new DataException("unknown model kind '" + kind + "'");
            };
        }

        String describe() {
            return kind + (kmeansScore.equals("radius") ? " (radius score)" : "") + " window " + window + " headroom " + headroom + (qatEpochs > 0 ? " QAT " + qatEpochs + " epochs" : "") + " features " + features + (kind.equals("kmeans") ? " k " + k : " layers " + layers)
                    + " threshold p" + percentile;
        }
    }

    static Path datasets(Path dir) {
        if (!Files.isDirectory(dir)) throw new DataException(dir + ": no datasets folder (expected ../shared/datasets)");
        return dir;
    }

    /** Confusion counts over every test row of every file, float and int8, and per-file ROC-AUCs. */
    static final class Totals {
        final List<Double> aucF = new ArrayList<>(), aucQ = new ArrayList<>();
        long tp, fp, tn, fn, qtp, qfp, qtn, qfn;

        void add(Scored s) {
            Metrics.Confusion c = Metrics.confusion(s.f(), s.labels(), s.thr());
            Metrics.Confusion q = Metrics.confusion(s.q(), s.labels(), s.thrQ());
            tp += c.tp(); fp += c.fp(); tn += c.tn(); fn += c.fn();
            qtp += q.tp(); qfp += q.fp(); qtn += q.tn(); qfn += q.fn();
            aucF.add(Metrics.rocAuc(s.f(), s.labels()));
            aucQ.add(Metrics.rocAuc(s.q(), s.labels()));
        }

        void print() {
            row("float", floatConfusion(), mean(aucF));
            row("int8", intConfusion(), mean(aucQ));
        }

        Metrics.Confusion floatConfusion() { return new Metrics.Confusion(tp, fp, tn, fn); }
        Metrics.Confusion intConfusion() { return new Metrics.Confusion(qtp, qfp, qtn, qfn); }
    }

    /** Scores every row from {@code firstRow} on, each with the window that ends at it (hop 1). */
    record Scored(double[] f, double[] q, int[] labels, double thr, int thrQ) {}

    static Scored score(Detector d, SensorTable all, int firstRow, double[][] calibration, Config config) {
        double headroom = config.headroom;
        Pipeline p = d.pipeline();
        Pipeline everyRow = new Pipeline(p.channels(), p.window(), 1, p.features(), p.normaliser());
        SensorTable part = all.slice(Math.max(0, firstRow - p.window() + 1), all.rows());
        double[][] in = everyRow.inputs(part);
        Windows w = everyRow.windows(part);
        Detector toQuantize = d;
        if (config.qatEpochs > 0 && d instanceof AutoencoderDetector ae)
            toQuantize = tinyad.quantizer.QatFineTuner.fineTune(ae, calibration, Quantizer.inputParams(calibration, headroom),
                    tinyad.quantizer.AutoencoderQuantizer.Options.defaults(),
                    new tinyad.quantizer.QatFineTuner.Options(config.qatEpochs, 1e-4, 32, config.seed));
        QuantizedModel q = Quantizer.quantize(toQuantize, calibration, headroom);
        return new Scored(d.scores(in), q.scores(in), w.labels(), d.threshold(), q.thresholdQ());
    }

    @Command(name = "skab", mixinStandardHelpOptions = true,
            description = {"SKAB leaderboard protocol: for each valve1 file, train on its first 400 rows and score every",
                    "later row (window ending at it); F1, false and missed alarm rates over all test rows of all files.",
                    "Then: train once on anomaly-free.csv and score every labelled file."})
    static final class Skab implements Callable<Integer> {
        @Option(names = "--datasets", defaultValue = "../shared/datasets", description = "Datasets folder (default: ${DEFAULT-VALUE}).")
        Path dir;
        @picocli.CommandLine.Mixin
        Config config;

        @Override
        public Integer call() throws IOException {
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
                Pipeline p = Pipeline.fit(train, null, config.window, 1, config.features);
                per.add(score(config.train(train, p), t, 400, p.normalInputs(train), config));
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.println("SKAB valve1, leaderboard protocol (train on first 400 rows of each file): " + config.describe());
            per.print();
            System.out.printf(Locale.ROOT, "(%d files, %.1f s)%n", files.size(), secs);

            SensorTable free = CsvLoader.load(datasets(dir).resolve("skab/data/anomaly-free/anomaly-free.csv"));
            Pipeline p = Pipeline.fit(free, null, config.window, config.window, config.features);
            Detector d = config.train(free, p);
            Totals all = new Totals();
            for (Path f : files) all.add(score(d, CsvLoader.load(f), 0, p.normalInputs(free), config));
            System.out.println("SKAB, trained on anomaly-free.csv, every row of every valve1 file scored:");
            all.print();
            return 0;
        }

        static int num(Path p) {
            String n = p.getFileName().toString();
            return Integer.parseInt(n.substring(0, n.length() - 4));
        }
    }

    static double mean(List<Double> v) {
        return v.stream().filter(x -> !x.isNaN()).mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static void row(String what, Metrics.Confusion c, double auc) {
        System.out.printf(Locale.ROOT, "  %-6s F1 %.3f  FAR %.3f  MAR %.3f  precision %.3f  recall %.3f  mean ROC-AUC per file %.4f%n",
                what, c.f1(), c.falseAlarmRate(), c.missedAlarmRate(), c.precision(), c.recall(), auc);
    }

    @Command(name = "nab", mixinStandardHelpOptions = true,
            description = {"NAB realKnownCause machine_temperature_system_failure and ambient_temperature_system_failure:",
                    "train on the first 15% of rows (NAB's probationary period), score every later row; ROC-AUC, labelled",
                    "windows with at least one alarm, false alarms per day (alarm rows outside every window, merged into events)."})
    static final class Nab implements Callable<Integer> {
        @Option(names = "--datasets", defaultValue = "../shared/datasets", description = "Datasets folder (default: ${DEFAULT-VALUE}).")
        Path dir;
        @picocli.CommandLine.Mixin
        Config config;

        @Override
        public Integer call() {
            System.out.println("NAB realKnownCause: " + config.describe());
            for (String name : new String[] {"machine_temperature_system_failure", "ambient_temperature_system_failure"}) {
                Path csv = datasets(dir).resolve("nab/data/realKnownCause/" + name + ".csv");
                SensorTable t = NabLabels.load(csv, NabLabels.findWindowsFile(csv));
                int cut = (int) (t.rows() * 0.15);
                SensorTable train = t.slice(0, cut);
                Pipeline p = Pipeline.fit(train, null, config.window, 1, config.features);
                Detector d = config.train(train, p);
                Scored s = score(d, t, cut, p.normalInputs(train), config);
                int[] rowLabels = s.labels();
                System.out.printf(Locale.ROOT, "  %-36s ROC-AUC float %.4f int8 %.4f | %s | int8 %s%n", name,
                        Metrics.rocAuc(s.f(), rowLabels), Metrics.rocAuc(s.q(), rowLabels),
                        events(s.f(), rowLabels, s.thr(), t, cut), events(s.q(), rowLabels, s.thrQ(), t, cut));
            }
            return 0;
        }

        /** Labelled windows with an alarm, and false-alarm events (runs of alarms outside windows) per day. */
        static String events(double[] scores, int[] labels, double thr, SensorTable t, int first) {
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
            double days = daysBetween(t.timestamps()[first], t.timestamps()[t.rows() - 1]);
            return String.format(Locale.ROOT, "windows detected %d/%d, false alarms %.2f/day", detected, windows, falseEvents / days);
        }

        static double daysBetween(String a, String b) {
            java.time.format.DateTimeFormatter f = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
            return java.time.Duration.between(java.time.LocalDateTime.parse(a, f), java.time.LocalDateTime.parse(b, f)).toMinutes() / 1440.0;
        }
    }
}
