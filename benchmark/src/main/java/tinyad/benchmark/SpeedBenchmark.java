package tinyad.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.JDKRandomGenerator;

import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.TimeSplit;
import tinyad.model.AutoencoderDetector;
import tinyad.trainer.AutoencoderTrainer;
import tinyad.trainer.KMeans;

/**
 * Training speed on this machine: autoencoder throughput (windows/s) and k-means fit time on synthetic
 * points x 32 features, beside Apache Commons Math's KMeansPlusPlusClusterer with the same k and iteration cap.
 */
public final class SpeedBenchmark {
    private SpeedBenchmark() {}

    /** @param commonsMax the largest point count to run Commons Math on */
    public static void run(int[] sizes, int k, int iterations, int commonsMax, Consumer<String> out) {
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
        out.accept(String.format(Locale.ROOT, "autoencoder 96-32-8-32-96, batch 64: %d windows x %d epochs in %.2f s = %.0f windows/s",
                windows, epochs, secs, windows * (double) epochs / secs));

        out.accept(String.format(Locale.ROOT, "k-means, k=%d, %d iterations, 32 features (%d cores)", k, iterations,
                Runtime.getRuntime().availableProcessors()));
        out.accept(String.format(Locale.ROOT, "  %10s %12s %14s %12s", "points", "tinyad s", "commons-math s", "speed-up"));
        for (int n : sizes) {
            double[][] x = points(n, 32, 7);
            KMeans.fit(x, k, 1, 1);   // warm-up
            long a = System.nanoTime();
            KMeans.fit(x, k, 1, iterations);
            double ours = (System.nanoTime() - a) / 1e9;
            String theirs = "-", ratio = "-";
            if (n <= commonsMax) {
                List<DoublePoint> pts = new ArrayList<>(n);
                for (double[] v : x) pts.add(new DoublePoint(v));
                KMeansPlusPlusClusterer<DoublePoint> cm = new KMeansPlusPlusClusterer<>(k, iterations, new EuclideanDistance(),
                        new JDKRandomGenerator(1));
                long b = System.nanoTime();
                cm.cluster(pts);
                double c = (System.nanoTime() - b) / 1e9;
                theirs = String.format(Locale.ROOT, "%.3f", c);
                ratio = String.format(Locale.ROOT, "%.1fx", c / ours);
            }
            out.accept(String.format(Locale.ROOT, "  %10d %12.3f %14s %12s", n, ours, theirs, ratio));
        }
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
