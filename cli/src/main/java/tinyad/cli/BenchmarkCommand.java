package tinyad.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import tinyad.benchmark.DetectionBenchmark;
import tinyad.benchmark.DetectorConfig;
import tinyad.benchmark.FirmwareBenchmark;
import tinyad.benchmark.SerialBenchmark;
import tinyad.benchmark.SpeedBenchmark;

@Command(name = "benchmark", mixinStandardHelpOptions = true,
        header = "Detection, speed and firmware benchmarks (see BENCHMARKS.md).",
        description = {"Detection benchmarks on the real data in ../shared/datasets (SKAB, NAB); prints tables.",
                "Results and how to reproduce them are recorded in BENCHMARKS.md."},
        subcommands = {BenchmarkCommand.Skab.class, BenchmarkCommand.Nab.class, BenchmarkCommand.Speed.class,
                BenchmarkCommand.Serial.class, BenchmarkCommand.Firmware.class,
                BenchmarkCommand.Import.class, BenchmarkCommand.LearnDemo.class})
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

        DetectorConfig config() {
            return new DetectorConfig(kind, window, features, k, layers, percentile, seed, kmeansScore, headroom, qatEpochs);
        }
    }

    @Command(name = "skab", mixinStandardHelpOptions = true,
            description = {"SKAB leaderboard protocol: for each valve1 file, train on its first 400 rows (labels ignored) and score",
                    "every later row (window ending at it); F1, false and missed alarm rates over all test rows of all files, per",
                    "window over the threshold and with the alarm rule; NAB scores of the alarm events against the anomaly onsets.",
                    "Then: train once on anomaly-free.csv and score every labelled file."})
    static final class Skab implements Callable<Integer> {
        @Option(names = "--datasets", defaultValue = "../shared/datasets", description = "Datasets folder (default: ${DEFAULT-VALUE}).")
        Path dir;
        @Mixin
        Config config;
        @Option(names = "--tune", description = {"Instead: the configuration tuned without the scored rows (per file on its first 400 rows;",
                "across files on one half, scored on the other), beside the per-channel z-score baseline (docs/tuning.md)."})
        boolean tune;
        @Option(names = "--target", defaultValue = "uno", description = "With --tune: the device the configurations must fit (default: ${DEFAULT-VALUE}).")
        String target;
        @Option(names = "--threads", description = "With --tune: threads (default: every core; results do not depend on it).")
        Integer threads;
        @Option(names = "--learn", description = {"Instead: one model trained on anomaly-free.csv for every file, learning on the device (its Java",
                "integer reference) from each file's first 400 rows, for each learning plan (docs/learning.md)."})
        boolean learn;
        @Option(names = "--learn-percentile", defaultValue = "9950", description = "With --learn: the learned threshold's percentile in hundredths of a percent (default: ${DEFAULT-VALUE}).")
        int learnPercentile;

        @Override
        public Integer call() throws IOException {
            if (learn) {
                tinyad.benchmark.LearnedSkab.run(dir, config.config(), learnPercentile, System.out::println);
                return 0;
            }
            if (tune) {
                int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
                if (n < 1 || n > 1024) throw new tinyad.common.DataException("--threads must be in 1..1024, got " + n);
                boolean tty = System.console() != null;   // progress only on a terminal
                tinyad.benchmark.TunedSkab.run(dir, tinyad.tuner.CostModel.Device.parse(target), config.seed, n, System.out::println,
                        done -> { if (tty) System.err.printf("  tuned %d files%n", done); });
                return 0;
            }
            DetectionBenchmark.skab(dir, config.config(), System.out::println);
            return 0;
        }
    }

    @Command(name = "nab", mixinStandardHelpOptions = true,
            description = {"NAB realKnownCause, every file: train on the first 15%% of rows (labels ignored), threshold and alarm",
                    "rule chosen there; score every later row; ROC-AUC, labelled windows in which an alarm event starts, false",
                    "alarm events per day, and NAB's score (standard, reward-low-FP, reward-low-FN; normalised: null 0, perfect 100)."})
    static final class Nab implements Callable<Integer> {
        @Option(names = "--datasets", defaultValue = "../shared/datasets", description = "Datasets folder (default: ${DEFAULT-VALUE}).")
        Path dir;
        @Mixin
        Config config;

        @Override
        public Integer call() throws IOException {
            DetectionBenchmark.nab(dir, config.config(), System.out::println);
            return 0;
        }
    }

    @Command(name = "speed", mixinStandardHelpOptions = true,
            description = {"Training speed on this machine: autoencoder throughput (windows/s) and k-means fit time on",
                    "10k, 100k and 1M synthetic points x 32 features, beside Apache Commons Math's KMeansPlusPlusClusterer",
                    "on the same points with the same k and iteration cap."})
    static final class Speed implements Callable<Integer> {
        @Option(names = "--sizes", split = ",", defaultValue = "10000,100000,1000000", description = "Point counts (default: ${DEFAULT-VALUE}).")
        int[] sizes;
        @Option(names = "--k", defaultValue = "16")
        int k;
        @Option(names = "--iterations", defaultValue = "20", description = "Lloyd iterations, the same for both (default: ${DEFAULT-VALUE}).")
        int iterations;
        @Option(names = "--commons-max", defaultValue = "1000000", description = "Largest size to run Commons Math on (default: ${DEFAULT-VALUE}).")
        int commonsMax;

        @Override
        public Integer call() {
            SpeedBenchmark.run(sizes, k, iterations, commonsMax, System.out::println);
            return 0;
        }
    }

    @Command(name = "serial", mixinStandardHelpOptions = true,
            description = {"The serial link against the emulated Cortex-M4 on a pseudo-terminal (jssc):",
                    "sustained scores/s with the host reading at --baud (device self-test load, G command) against",
                    "the protocol's line-rate limit, and verify throughput for 32- and 640-sample windows."})
    static final class Serial implements Callable<Integer> {
        @Option(names = "--baud", defaultValue = "115200")
        int baud;
        @Option(names = "--scores", defaultValue = "3000", description = "Scores in the sustained-rate test (default: ${DEFAULT-VALUE}).")
        int count;
        @Option(names = "--windows", defaultValue = "200", description = "Windows per verify run (default: ${DEFAULT-VALUE}).")
        int windows;

        @Override
        public Integer call() throws IOException {
            SerialBenchmark.run(baud, count, windows, System.out::println);
            return 0;
        }
    }

    @Command(name = "firmware", mixinStandardHelpOptions = true,
            description = {"Cost of one inference of generated firmware: instructions on QEMU (Cortex-M4 mps2-an386,",
                    "Cortex-M3 mps2-an385, -icount) and exact cycles on simavr (ATmega328P), for the MLPerf Tiny",
                    "anomaly-detection autoencoder shape, a 32-16-8-16-32 autoencoder and k-means k=8 over 16 inputs",
                    "(random int8 weights: cost and size do not depend on training). Also the runtime's code size."})
    static final class Firmware implements Callable<Integer> {
        @Option(names = "--skip-avr-mlperf", defaultValue = "true", description = "The MLPerf shape does not fit an Uno (default: ${DEFAULT-VALUE}).")
        boolean skipAvrMlperf;

        @Override
        public Integer call() throws IOException {
            FirmwareBenchmark.run(skipAvrMlperf, System.out::println);
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"MLPerf Tiny's anomaly-detection model imported from its int8 .tflite and run by tinyad's firmware:",
                    "instructions per inference on QEMU (Cortex-M4, Cortex-M3), stack, inference code and model flash from the",
                    "linked firmware, and the int8 import's score ranking against the fp32 original on the same inputs."})
    static final class Import implements Callable<Integer> {
        @Option(names = "--models", defaultValue = "../shared/models", description = "Shared models folder (default: ${DEFAULT-VALUE}).")
        java.nio.file.Path models;

        @Override
        public Integer call() throws IOException {
            tinyad.benchmark.ImportBenchmark.run(models, System.out::println);
            return 0;
        }
    }

    @Command(name = "learn-demo", mixinStandardHelpOptions = true,
            description = {"On-device learning on the demo's data (docs/learning.md): the demo's Uno model trained on one seed's machine,",
                    "deployed to another seed's machine (as the same front end and another mounting read it), learning from its first",
                    "400 windows through the device's bit-exact Java reference, for each learning plan."})
    static final class LearnDemo implements Callable<Integer> {
        @Option(names = "--learn-percentile", defaultValue = "9950", description = "The learned threshold's percentile in hundredths of a percent (default: ${DEFAULT-VALUE}).")
        int percentile;

        @Override
        public Integer call() {
            tinyad.benchmark.LearnedDemo.run(percentile, System.out::println);
            return 0;
        }
    }
}
