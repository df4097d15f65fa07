package tinyad.quantizer;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.common.DataException;
import tinyad.datasets.Normaliser;
import tinyad.datasets.Pipeline;
import tinyad.model.AutoencoderDetector;
import tinyad.model.DenseNet;

/** The int8 autoencoder against its float original, built from hand-made weights (no DL4J needed). */
class QuantizedAutoencoderTest {
    static final int N = 12;

    static AutoencoderDetector detector(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] sizes = {N, 6, 3, 6, N};
        float[][] w = new float[4][], b = new float[4][];
        for (int l = 0; l < 4; l++) {
            w[l] = new float[sizes[l] * sizes[l + 1]];
            b[l] = new float[sizes[l + 1]];
            for (int i = 0; i < w[l].length; i++) w[l][i] = (float) r.nextDouble(-0.6, 0.6);
            for (int i = 0; i < b[l].length; i++) b[l][i] = (float) r.nextDouble(-0.2, 0.2);
        }
        Pipeline p = new Pipeline(List.of("x"), N, N, "raw", new Normaliser(new double[N], ones()));
        return new AutoencoderDetector(p, new DenseNet(sizes, w, b), 0.8, 99, seed, "", new double[0], new double[0]);
    }

    static double[] ones() {
        double[] o = new double[N];
        java.util.Arrays.fill(o, 1);
        return o;
    }

    static double[][] inputs(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] x = new double[n][N];
        for (double[] row : x) for (int i = 0; i < N; i++) row[i] = r.nextGaussian();
        return x;
    }

    @Test
    void int8ReconstructionTracksTheFloatOneAndScoresAgree() {
        AutoencoderDetector d = detector(1);
        double[][] cal = inputs(2, 500), test = inputs(3, 300);
        QuantizedAutoencoder q = (QuantizedAutoencoder) Quantizer.quantize(d, cal, 1.0);
        double[] fs = new double[test.length], qs = new double[test.length];
        double worst = 0;
        QuantParams out = q.layers()[q.layers().length - 1].outputQuant();
        assertEquals(q.inputQuant(), out, "the output lives in the input's quantization");
        for (int i = 0; i < test.length; i++) {
            byte[] x = q.quantizeInput(test[i]);
            byte[] y = q.reconstruct(x);
            double[] fy = d.net().forward(test[i]);
            for (int c = 0; c < N; c++) worst = Math.max(worst, Math.abs(out.dequantize(y[c]) - fy[c]));
            fs[i] = d.score(test[i]);
            qs[i] = q.score(x) * out.scale() * out.scale() / N;
        }
        assertTrue(worst < 12 * out.scale(), "reconstruction error " + worst + " vs scale " + out.scale());
        assertTrue(QuantizationReport.pearson(fs, qs) > 0.98, "Pearson " + QuantizationReport.pearson(fs, qs));
    }

    @Test
    void integerThresholdMatchesTheFloatDecision() {
        AutoencoderDetector d = detector(4);
        QuantizedAutoencoder q = (QuantizedAutoencoder) Quantizer.quantize(d, inputs(5, 200), 1.0);
        double s2 = q.inputQuant().scale() * q.inputQuant().scale();
        for (int score = 0; score < 20000; score += 7)
            assertEquals(score * s2 / N > d.threshold(), score > q.thresholdQ(), "score " + score);
    }

    @Test
    void perTensorAndPercentileOptions() {
        AutoencoderDetector d = detector(6);
        double[][] cal = inputs(7, 300);
        QuantizedAutoencoder perTensor = (QuantizedAutoencoder) Quantizer.quantize(d, cal, 1.0, new AutoencoderQuantizer.Options(false, 100));
        for (QuantizedAutoencoder.Layer l : perTensor.layers())
            for (double s : l.weightScale()) assertEquals(l.weightScale()[0], s);
        QuantizedAutoencoder perChannel = (QuantizedAutoencoder) Quantizer.quantize(d, cal, 1.0);
        assertNotEquals(perChannel.layers()[0].weightScale()[0], perChannel.layers()[0].weightScale()[1]);
        QuantizedAutoencoder clipped = (QuantizedAutoencoder) Quantizer.quantize(d, cal, 1.0, new AutoencoderQuantizer.Options(true, 99.0));
        assertTrue(clipped.layers()[0].outputQuant().scale() <= perChannel.layers()[0].outputQuant().scale());
    }

    @Test
    void constantCalibrationDataIsNoDivisionByZero() {
        AutoencoderDetector d = detector(8);
        double[][] cal = new double[50][N];   // all zeros
        QuantizedAutoencoder q = (QuantizedAutoencoder) Quantizer.quantize(d, cal, 1.0);
        assertEquals(1.0, q.inputQuant().scale());
        assertEquals(0, q.inputQuant().zeroPoint());
        // scale 1, zero point 0: the integer score of the zero input is the float squared error of its
        // reconstruction, up to rounding each of the N outputs (|y^2 - round(y)^2| <= |y| + 1/4)
        double[] y = d.net().forward(new double[N]);
        double sse = 0, slack = 0;
        for (double v : y) { sse += v * v; slack += Math.abs(v) + 0.25; }
        assertEquals(sse, q.score(new byte[N]), slack + 1e-9);
    }

    @Test
    void refusesLayersThatCouldOverflowTheAccumulator() {
        int in = 70_000;
        DataException e = assertThrows(DataException.class, () -> new QuantizedAutoencoder.Layer(in, 1, new byte[in], new int[1],
                new int[] {1 << 30}, new int[1], 0, 0, -128, new double[] {1}, new QuantParams(1, 0), new QuantParams(1, 0)));
        assertTrue(e.getMessage().contains("overflow"));
    }

    @Test
    void quantizationAwareFineTuningLowersTheInt8ReconstructionError() {
        AutoencoderDetector d = detector(12);
        double[][] cal = inputs(13, 400);
        QuantParams in = Quantizer.inputParams(cal, 1.0);
        QuantizedAutoencoder ptq = (QuantizedAutoencoder) Quantizer.quantize(d, cal, 1.0);
        AutoencoderDetector tuned = QatFineTuner.fineTune(d, cal, in, AutoencoderQuantizer.Options.defaults(),
                new QatFineTuner.Options(30, 3e-3, 32, 1));
        QuantizedAutoencoder qat = (QuantizedAutoencoder) Quantizer.quantize(tuned, cal, 1.0);
        double ptqErr = 0, qatErr = 0;
        for (double[] x : inputs(14, 200)) {
            ptqErr += ptq.score(ptq.quantizeInput(x));
            qatErr += qat.score(qat.quantizeInput(x));
        }
        assertTrue(qatErr < 0.9 * ptqErr, "QAT " + qatErr + " vs PTQ " + ptqErr);
        // the threshold is refitted on the tuned network's errors, not copied from the untuned one
        assertNotEquals(d.threshold(), tuned.threshold());
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (double[] x : cal) {
            double e = tuned.net().reconstructionError(x);
            lo = Math.min(lo, e);
            hi = Math.max(hi, e);
        }
        assertTrue(tuned.threshold() >= lo && tuned.threshold() <= hi, lo + " <= " + tuned.threshold() + " <= " + hi);
    }

    @Test
    void roundTripsThroughTheModelFile(@TempDir Path dir) {
        AutoencoderDetector d = detector(9);
        QuantizedModel q = Quantizer.quantize(d, inputs(10, 200), 2.0);
        Path f = dir.resolve("ae.int8.tinyad");
        q.save(f);
        QuantizedModel back = QuantizedModel.load(f);
        assertEquals(q.hash(), back.hash());
        for (double[] x : inputs(11, 100)) assertEquals(q.score(q.quantizeInput(x)), back.score(back.quantizeInput(x)));
    }
}
