// SPDX-License-Identifier: Apache-2.0
package tinyad.importer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;

import tinyad.common.DataException;
import tinyad.model.DenseNet;

/**
 * A Keras dense autoencoder (.h5) as a tinyad float network, through deeplearning4j's Keras import
 * (deeplearning4j-modelimport): Dense layers, each optionally followed by BatchNormalization (folded into the Dense
 * layer's weights and bias with the stored moving mean and variance) and a ReLU (as the Dense layer's activation or an
 * Activation layer); Dropout is the identity at inference. tinyad's {@link DenseNet} has ReLU after every hidden layer
 * and a linear output, so other activations or orders are refused with the layer's name.
 *
 * <p>Folding, per output j: {@code k = gamma_j / sqrt(var_j + eps)}, {@code W'[i][j] = W[i][j] * k},
 * {@code b'_j = (b_j - mean_j) * k + beta_j} — what TensorFlow's converter does (ad01_fp32.tflite).
 */
public final class KerasImporter {
    private KerasImporter() {}

    /** Reads the network of a Keras .h5 file (a Sequential or functional model). */
    public static DenseNet read(Path h5) {
        Layer[] layers;
        try {
            ComputationGraph g = KerasModelImport.importKerasModelAndWeights(h5.toString(), false);
            layers = g.getLayers();
        } catch (Exception e) {
            try {
                MultiLayerNetwork n = KerasModelImport.importKerasSequentialModelAndWeights(h5.toString(), false);
                layers = n.getLayers();
            } catch (Exception e2) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
                throw new DataException(h5.getFileName() + ": not a Keras model deeplearning4j can import (" + why + ")");
            }
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new tinyad.common.ToolException("the HDF5 native library did not load (" + e.getMessage() + ")");
        }
        List<float[]> ws = new ArrayList<>(), bs = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        List<Boolean> relu = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Layer l : layers) {
            org.deeplearning4j.nn.conf.layers.Layer conf = l.conf().getLayer();
            String name = TfliteFile.printable(conf.getLayerName());
            if (conf instanceof DenseLayer d) {
                INDArray w = l.getParam("W"), b = l.getParam("b");
                int in = (int) w.size(0), out = (int) w.size(1);
                if (!sizes.isEmpty() && sizes.get(sizes.size() - 1) != in)
                    throw new DataException(h5.getFileName() + ": layer '" + name + "' takes " + in + " inputs, the previous gives " + sizes.get(sizes.size() - 1));
                if (sizes.isEmpty()) sizes.add(in);
                sizes.add(out);
                float[] wf = new float[in * out], bf = new float[out];
                for (int i = 0; i < in; i++) for (int j = 0; j < out; j++) wf[i * out + j] = w.getFloat(i, j);
                for (int j = 0; j < out; j++) bf[j] = b == null ? 0 : b.getFloat(j);
                ws.add(wf);
                bs.add(bf);
                names.add(name);
                relu.add(activation(d, name, h5));
            } else if (conf instanceof BatchNormalization bn) {
                if (ws.isEmpty() || relu.get(relu.size() - 1))
                    throw new DataException(h5.getFileName() + ": BatchNormalization '" + name + "' does not directly follow a Dense layer");
                if (bn.isUseLogStd()) throw new DataException(h5.getFileName() + ": BatchNormalization '" + name + "' stores log std; not supported");
                float[] w = ws.get(ws.size() - 1), b = bs.get(bs.size() - 1);
                int out = b.length;
                INDArray gamma = l.getParam("gamma"), beta = l.getParam("beta"), mean = l.getParam("mean"), var = l.getParam("var");
                if (mean == null || var == null || mean.length() != out)
                    throw new DataException(h5.getFileName() + ": BatchNormalization '" + name + "' has no moving mean and variance for " + out + " outputs");
                for (int j = 0; j < out; j++) {
                    double k = (gamma == null ? 1.0 : gamma.getDouble(j)) / Math.sqrt(var.getDouble(j) + bn.getEps());
                    for (int i = 0; i < w.length / out; i++) w[i * out + j] = (float) (w[i * out + j] * k);
                    b[j] = (float) ((b[j] - mean.getDouble(j)) * k + (beta == null ? 0.0 : beta.getDouble(j)));
                }
            } else if (conf instanceof ActivationLayer a) {
                if (ws.isEmpty()) throw new DataException(h5.getFileName() + ": activation '" + name + "' before any Dense layer");
                if (a.getActivationFn() instanceof ActivationReLU) relu.set(relu.size() - 1, true);
                else if (!(a.getActivationFn() instanceof ActivationIdentity))
                    throw new DataException(h5.getFileName() + ": activation '" + name + "' is " + a.getActivationFn() + "; tinyad imports ReLU");
            } else if (!(conf instanceof DropoutLayer)) {
                throw new DataException(h5.getFileName() + ": layer '" + name + "' is " + conf.getClass().getSimpleName()
                        + "; tinyad imports Dense, BatchNormalization, ReLU and Dropout");
            }
        }
        if (ws.isEmpty()) throw new DataException(h5.getFileName() + ": the model has no Dense layer");
        for (int l = 0; l < relu.size(); l++) {
            boolean last = l == relu.size() - 1;
            if (relu.get(l) == last)
                throw new DataException(h5.getFileName() + ": layer '" + names.get(l) + "' is " + (last ? "followed by ReLU" : "linear")
                        + "; tinyad's autoencoders have ReLU after every hidden layer and a linear output");
        }
        int[] s = sizes.stream().mapToInt(Integer::intValue).toArray();
        if (s[0] != s[s.length - 1]) throw new DataException(h5.getFileName() + ": not an autoencoder: " + s[0] + " inputs, " + s[s.length - 1] + " outputs");
        return new DenseNet(s, ws.toArray(float[][]::new), bs.toArray(float[][]::new));
    }

    private static boolean activation(BaseLayer d, String name, Path h5) {
        if (d.getActivationFn() instanceof ActivationReLU) return true;
        if (d.getActivationFn() instanceof ActivationIdentity) return false;
        throw new DataException(h5.getFileName() + ": Dense layer '" + name + "' uses " + d.getActivationFn() + "; tinyad imports ReLU or linear");
    }
}
