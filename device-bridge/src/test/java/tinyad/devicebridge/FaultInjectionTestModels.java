package tinyad.devicebridge;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import tinyad.datasets.Normaliser;
import tinyad.datasets.Pipeline;
import tinyad.quantizer.QuantParams;
import tinyad.quantizer.QuantizedKMeans;

/** A small fixed k-means model (8 inputs, 4 centroids) whose windows are short on QEMU's slow UART. */
final class FaultInjectionTestModels {
    private FaultInjectionTestModels() {}

    static QuantizedKMeans small() {
        SplittableRandom r = new SplittableRandom(3);
        byte[][] c = new byte[4][8];
        for (byte[] row : c) for (int i = 0; i < 8; i++) row[i] = (byte) r.nextInt(-100, 100);
        double[] ones = new double[8];
        Arrays.fill(ones, 1);
        return new QuantizedKMeans(new Pipeline(List.of("x"), 8, 8, "raw", new Normaliser(new double[8], ones)),
                new QuantParams(0.1, 0), c, 5000, 50);
    }
}
