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

    /** One channel, raw windows of {@code n} samples, identity normalisation. */
    static Pipeline rawPipeline(int n) {
        double[] ones = new double[n];
        Arrays.fill(ones, 1);
        return new Pipeline(List.of("x"), n, n, "raw", new Normaliser(new double[n], ones));
    }
}
