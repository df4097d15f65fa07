package tinyad.cli;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.random.JDKRandomGenerator;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.TimeSplit;
import tinyad.model.AutoencoderDetector;
import tinyad.trainer.AutoencoderTrainer;
import tinyad.trainer.KMeans;

@Command(name = "speed", mixinStandardHelpOptions = true,
        description = {"Training speed on this machine: autoencoder throughput (windows/s) and k-means fit time on",
                "10k, 100k and 1M synthetic points x 32 features, beside Apache Commons Math's KMeansPlusPlusClusterer",
                "on the same points with the same k and iteration cap."})
final class SpeedBenchmark implements Callable<Integer> {
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
        // autoencoder throughput on the built-in data (raw 96-input windows)
        SensorTable t = SyntheticSensor.generate(SyntheticSensor.Options.defaults()).table();
        TimeSplit s = TimeSplit.of(t, 0.5);
        Pipeline p = Pipeline.fit(s.train(), null, 32, 4, "raw");
        int windows = (int) Math.round(p.normalInputs(s.train()).length * 0.8);
        long t0 = System.nanoTime();
        AutoencoderDetector ae = AutoencoderTrainer.train(s.train(), p,
                new AutoencoderTrainer.Options("32-8-32", 1, 20, 1000, 64, 1e-3, 0.2, 99.5, false), "");
        double secs = (System.nanoTime() - t0) / 1e9;
        int epochs = ae.trainLoss().length;
        System.out.printf(Locale.ROOT, "autoencoder 96-32-8-32-96, batch 64: %d windows x %d epochs in %.2f s = %.0f windows/s%n",
                windows, epochs, secs, windows * (double) epochs / secs);

        System.out.printf(Locale.ROOT, "k-means, k=%d, %d iterations, 32 features (%d cores)%n", k, iterations,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "  %10s %12s %14s %12s%n", "points", "tinyad s", "commons-math s", "speed-up");
        for (int n : sizes) {
            double[][] x = points(n, 32, 7);
            KMeans.fit(x, k, 1, 1);   // warm-up
            long a = System.nanoTime();
            KMeans.fit(x, k, 1, iterations);
            double ours = (System.nanoTime() - a) / 1e9;
            String theirs = "-", ratio = "-";
            if (n <= commonsMax) {
                java.util.List<DoublePoint> pts = new java.util.ArrayList<>(n);
                for (double[] v : x) pts.add(new DoublePoint(v));
                KMeansPlusPlusClusterer<DoublePoint> cm = new KMeansPlusPlusClusterer<>(k, iterations, new org.apache.commons.math3.ml.distance.EuclideanDistance(), new JDKRandomGenerator(1));
                long b = System.nanoTime();
                cm.cluster(pts);
                double c = (System.nanoTime() - b) / 1e9;
                theirs = String.format(Locale.ROOT, "%.3f", c);
                ratio = String.format(Locale.ROOT, "%.1fx", c / ours);
            }
            System.out.printf(Locale.ROOT, "  %10d %12.3f %14s %12s%n", n, ours, theirs, ratio);
        }
        return 0;
    }

    /** Points around 16 random centres, so that k-means has structure to find. */
    static double[][] points(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] centres = new double[16][d];
        for (double[] c : centres) for (int j = 0; j < d; j++) c[j] = r.nextDouble(-5, 5);
        double[][] x = new double[n][d];
        for (int i = 0; i < n; i++) {
            double[] c = centres[r.nextInt(16)];
            for (int j = 0; j < d; j++) x[i][j] = c[j] + r.nextDouble(-1, 1);
        }
        return x;
    }
}
