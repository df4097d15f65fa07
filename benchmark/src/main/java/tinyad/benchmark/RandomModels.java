package tinyad.benchmark;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import tinyad.datasets.Normaliser;
import tinyad.datasets.Pipeline;
import tinyad.quantizer.FixedPoint;
import tinyad.quantizer.QuantParams;
import tinyad.quantizer.QuantizedAutoencoder;
import tinyad.quantizer.QuantizedKMeans;

/** int8 models with seeded random weights, for cost measurements: cost and size do not depend on training. */
public final class RandomModels {
    private RandomModels() {}

    /** An autoencoder with these layer sizes (input first, output last). */
    public static QuantizedAutoencoder autoencoder(int[] sizes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        QuantParams act = new QuantParams(0.05, -10);
        QuantizedAutoencoder.Layer[] layers = new QuantizedAutoencoder.Layer[sizes.length - 1];
        for (int l = 0; l < layers.length; l++) {
            int in = sizes[l], out = sizes[l + 1];
            byte[] w = new byte[in * out];
            for (int i = 0; i < w.length; i++) w[i] = (byte) r.nextInt(-127, 128);
            int[] bias = new int[out], mult = new int[out], shift = new int[out];
            double[] ws = new double[out];
            for (int c = 0; c < out; c++) {
                bias[c] = r.nextInt(-5000, 5000);
                FixedPoint.Multiplier m = FixedPoint.quantizeMultiplier(r.nextDouble(0.0005, 0.004));
                mult[c] = m.multiplier();
                shift[c] = m.shift();
                ws[c] = 0.01;
            }
            boolean relu = l < layers.length - 1;
            layers[l] = new QuantizedAutoencoder.Layer(in, out, w, bias, mult, shift, act.zeroPoint(), act.zeroPoint(),
                    relu ? act.zeroPoint() : -128, ws, act, act);
        }
        return new QuantizedAutoencoder(rawPipeline(sizes[0]), act, layers, 100000, 1.0);
    }

    /** k-means with {@code k} centroids over {@code d} inputs. */
    public static QuantizedKMeans kmeans(int k, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[][] c = new byte[k][d];
        for (byte[] row : c) for (int i = 0; i < d; i++) row[i] = (byte) r.nextInt(-128, 128);
        return new QuantizedKMeans(rawPipeline(d), new QuantParams(0.05, 0), c, 100000, 1.0);
    }

    /** k-means with {@code k} random centroids over a given pipeline's inputs (the feature benchmarks). */
    public static QuantizedKMeans kmeans(int k, Pipeline p, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[][] c = new byte[k][p.inputSize()];
        for (byte[] row : c) for (int i = 0; i < row.length; i++) row[i] = (byte) r.nextInt(-128, 128);
        return new QuantizedKMeans(p, new QuantParams(0.05, 0), c, 100000, 1.0);
    }

    /**
     * A pipeline with its integer stage fitted on the built-in synthetic data, widened to {@code channels}
     * channels (copies of the three axes with offsets), for windows of {@code window} samples.
     */
    public static Pipeline syntheticPipeline(int channels, int window, String features) {
        tinyad.datasets.SensorTable t = tinyad.datasets.SyntheticSensor.generate(
                new tinyad.datasets.SyntheticSensor.Options(7, 4000, 1000, 0.5, 400)).table();
        List<String> names = new java.util.ArrayList<>();
        double[][] v = new double[t.rows()][channels];
        for (int c = 0; c < channels; c++) {
            names.add("ch" + c);
            for (int i = 0; i < t.rows(); i++) v[i][c] = t.values()[i][c % t.channelCount()] + c / 3;
        }
        tinyad.datasets.SensorTable wide = new tinyad.datasets.SensorTable(names, t.timestamps(), v, t.labels());
        return Pipeline.fit(wide, null, window, window / 2, features);
    }

    /** One channel, raw windows of {@code n} samples, identity normalisation. */
    static Pipeline rawPipeline(int n) {
        double[] ones = new double[n];
        Arrays.fill(ones, 1);
        return new Pipeline(List.of("x"), n, n, "raw", new Normaliser(new double[n], ones));
    }
}
