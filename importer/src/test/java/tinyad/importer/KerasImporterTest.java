// SPDX-License-Identifier: Apache-2.0
package tinyad.importer;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.common.DataException;
import tinyad.model.DenseNet;

/**
 * MLPerf's ad01.h5 through deeplearning4j's Keras import, BatchNormalization folded: against deeplearning4j's forward pass
 * of the unfolded layers and against ad01_fp32.tflite, which TensorFlow's converter folded independently.
 */
class KerasImporterTest {
    static final Path H5 = TfliteImporterTest.SHARED.resolve("ad01.h5"), FP32 = TfliteImporterTest.SHARED.resolve("ad01_fp32.tflite");

    @Test
    void ad01FoldsToDl4jsOwnForwardPassAndTensorFlowsWeights() throws Exception {
        assumeTrue(Files.exists(H5) && Files.exists(FP32), "../shared/models is absent: MLPerf Tiny's model is read from there, never copied");
        DenseNet net = KerasImporter.read(H5);
        assertArrayEquals(new int[] {640, 128, 128, 128, 128, 8, 128, 128, 128, 128, 640}, net.sizes());
        // 1. the folded network computes what deeplearning4j's unfolded graph (Dense, BatchNormalization, ReLU layers) computes
        var graph = org.deeplearning4j.nn.modelimport.keras.KerasModelImport.importKerasModelAndWeights(H5.toString(), false);
        Random r = new Random(4);
        double maxErr = 0, maxOut = 0;
        for (int k = 0; k < 20; k++) {
            double[] x = new double[640];
            for (int i = 0; i < 640; i++) x[i] = -40 + 30 * Math.exp(-(i % 128) / 30.0) + 4 * r.nextGaussian();
            double[] a = net.forward(x);
            var b = graph.outputSingle(org.nd4j.linalg.factory.Nd4j.create(new double[][] {x}).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT));
            for (int i = 0; i < 640; i++) {
                maxErr = Math.max(maxErr, Math.abs(a[i] - b.getDouble(0, i)));
                maxOut = Math.max(maxOut, Math.abs(a[i]));
            }
        }
        assertTrue(maxErr < 1e-5 * maxOut + 1e-4, "max |folded - dl4j| " + maxErr + " for outputs up to " + maxOut);
        // 2. every folded weight equals TensorFlow's converter's (ad01_fp32.tflite stores [out][in]) to float rounding.
        // (Its biases are not compared: TensorFlow's fold left out the Dense layers' own biases -- b' = beta - mean * k --
        // so the two differ by b * k, up to 0.6 at dense_5; BENCHMARKS.md gives the outputs' difference.)
        TfliteImporter.FloatChain tf = TfliteImporter.readFloat(Files.readAllBytes(FP32), "ad01_fp32.tflite");
        for (int l = 0; l < 10; l++) {
            int in = net.sizes()[l], out = net.sizes()[l + 1];
            for (int i = 0; i < in; i++)
                for (int j = 0; j < out; j++) {
                    double a = net.weights()[l][i * out + j], b = tf.weights().get(l)[j * in + i];
                    assertEquals(b, a, 1e-6 * Math.max(1, Math.abs(b)), "layer " + l + " weight [" + j + "][" + i + "]");
                }
        }
    }

    @Test
    void aFileThatIsNotKerasIsRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.h5");
        Files.write(junk, "not hdf5".getBytes());
        DataException e = assertThrows(DataException.class, () -> KerasImporter.read(junk));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("junk.h5"), e.getMessage());
    }
}
