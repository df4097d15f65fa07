package tinyad.trainer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.model.AutoencoderDetector;
import tinyad.model.DenseNet;
import tinyad.model.AlarmRule;
import tinyad.model.Thresholds;

/**
 * Trains an {@link AutoencoderDetector} with deeplearning4j on normal windows: ReLU hidden layers, linear
 * output, MSE loss, Adam, early stopping on a time-ordered validation split. The trained weights are copied
 * into a {@link DenseNet}, so scoring and quantization need no ND4J. This is the only DL4J code in tinyad.
 * (DL4J offers batch norm, but this builder adds none, so there is nothing to fold before export.)
 */
public final class AutoencoderTrainer {
    private AutoencoderTrainer() {}

    public record Options(String architecture, long seed, int maxEpochs, int patience, int batchSize,
                          double learningRate, double validationFraction, double thresholdPercentile, boolean progress) {
        public static Options defaults() {
            return new Options("auto", 42, 200, 10, 64, 1e-3, 0.2, 99.5, true);
        }
    }

    /**
     * Layer sizes from a spec such as {@code 96-32-8-32-96} (input and output sizes included; they must
     * equal the input size) or {@code 32-8-32} (hidden layers only). {@code auto}: input/4, input/8, input/4.
     */
    public static int[] sizes(String spec, int inputSize) {
        int[] s;
        if (spec == null || spec.equals("auto")) {
            int a = Math.max(4, inputSize / 4), b = Math.max(2, inputSize / 8);
            s = new int[] {a, b, a};
        } else {
            try {
                s = Arrays.stream(spec.split("-")).map(String::trim).mapToInt(Integer::parseInt).toArray();
            } catch (NumberFormatException e) {
                throw new DataException("bad architecture '" + spec + "'; write layer sizes like 32-8-32");
            }
        }
        for (int v : s) if (v < 1) throw new DataException("bad architecture '" + spec + "': sizes must be positive");
        if (s.length >= 3 && s[0] == inputSize && s[s.length - 1] == inputSize) return s;
        int[] full = new int[s.length + 2];
        full[0] = inputSize;
        full[full.length - 1] = inputSize;
        System.arraycopy(s, 0, full, 1, s.length);
        return full;
    }

    /**
     * A trained autoencoder before its threshold, with the reconstruction errors of the held-out and the fitted windows:
     * {@link #thresholded} sets the threshold and the default alarm rule (so {@code tinyad tune} trains once per shape).
     */
    public record Fitted(AutoencoderDetector unthresholded, double[] heldOut, double[] fitted) {
        public AutoencoderDetector thresholded(double percentile) {
            AutoencoderDetector u = unthresholded;
            double thr = Thresholds.fromTraining(heldOut, fitted, percentile);
            return new AutoencoderDetector(u.pipeline(), u.net(), thr, percentile, u.seed(), u.trainingSha256(), u.trainLoss(),
                    u.validationLoss(), AlarmRule.choose(heldOut, thr));
        }
    }

    public static AutoencoderDetector train(SensorTable train, Pipeline pipeline, Options o, String trainingSha256) {
        return fit(train, pipeline, o, trainingSha256).thresholded(o.thresholdPercentile());
    }

    /** The training of {@link #train} without the threshold. */
    public static Fitted fit(SensorTable train, Pipeline pipeline, Options o, String trainingSha256) {
        double[][] all = pipeline.normalInputs(train);
        int nVal = (int) Math.round(all.length * o.validationFraction());
        if (all.length - nVal < 8) throw new DataException("too few normal windows (" + all.length + ") to train an autoencoder");
        double[][] fit = Arrays.copyOfRange(all, 0, all.length - nVal);
        double[][] val = nVal >= 8 ? Arrays.copyOfRange(all, all.length - nVal, all.length) : fit;
        int[] sizes = sizes(o.architecture(), pipeline.inputSize());

        Nd4j.getRandom().setSeed(o.seed());
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder()
                .seed(o.seed())
                .dataType(DataType.FLOAT)
                .optimizationAlgo(OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(o.learningRate()))
                .list();
        for (int l = 0; l < sizes.length - 2; l++)
            b.layer(new DenseLayer.Builder().nIn(sizes[l]).nOut(sizes[l + 1]).activation(Activation.RELU).build());
        b.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(sizes[sizes.length - 2])
                .nOut(sizes[sizes.length - 1]).activation(Activation.IDENTITY).build());
        MultiLayerConfiguration conf = b.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        INDArray fitX = Nd4j.create(toFloat(fit)), valX = Nd4j.create(toFloat(val));
        DataSet fitAll = new DataSet(fitX, fitX), valAll = new DataSet(valX, valX);
        java.util.Random shuffle = new java.util.Random(o.seed());
        List<Double> trainLoss = new ArrayList<>(), valLoss = new ArrayList<>();
        INDArray best = net.params().dup();
        double bestVal = Double.POSITIVE_INFINITY;
        int sinceBest = 0;
        int[] order = new int[fit.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        ProgressBarBuilder pbb = new ProgressBarBuilder().setTaskName("train AE").setInitialMax(o.maxEpochs())
                .setStyle(ProgressBarStyle.ASCII).setUnit(" epochs", 1).setConsumer(new ConsoleProgressBarConsumer(System.err));
        try (ProgressBar pb = o.progress() ? pbb.build() : null) {
            for (int epoch = 0; epoch < o.maxEpochs(); epoch++) {
                for (int i = order.length - 1; i > 0; i--) {
                    int j = shuffle.nextInt(i + 1), t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
                for (int start = 0; start < order.length; start += o.batchSize()) {
                    int n = Math.min(o.batchSize(), order.length - start);
                    float[][] batch = new float[n][];
                    for (int k = 0; k < n; k++) batch[k] = toFloat(fit[order[start + k]]);
                    INDArray bx = Nd4j.create(batch);
                    net.fit(new DataSet(bx, bx));
                }
                double tl = net.score(fitAll), vl = net.score(valAll);
                trainLoss.add(tl);
                valLoss.add(vl);
                if (vl < bestVal - 1e-7) {
                    bestVal = vl;
                    best = net.params().dup();
                    sinceBest = 0;
                } else {
                    sinceBest++;
                }
                if (pb != null) {
                    pb.step();
                    pb.setExtraMessage(String.format(java.util.Locale.ROOT, " loss %.4f val %.4f", tl, vl));
                }
                if (sinceBest >= o.patience()) break;
            }
            if (pb != null) pb.maxHint(pb.getCurrent());
        }
        net.setParams(best);
        DenseNet dn = extract(net, sizes);
        double[] s = new double[val.length];
        for (int i = 0; i < val.length; i++) s[i] = dn.reconstructionError(val[i]);
        double[] fitted = new double[fit.length];
        for (int i = 0; i < fit.length; i++) fitted[i] = dn.reconstructionError(fit[i]);
        return new Fitted(new AutoencoderDetector(pipeline, dn, 0, o.thresholdPercentile(), o.seed(), trainingSha256,
                trainLoss.stream().mapToDouble(Double::doubleValue).toArray(),
                valLoss.stream().mapToDouble(Double::doubleValue).toArray(), null), s, fitted);
    }

    static DenseNet extract(MultiLayerNetwork net, int[] sizes) {
        int layers = sizes.length - 1;
        float[][] w = new float[layers][], b = new float[layers][];
        for (int l = 0; l < layers; l++) {
            w[l] = net.getLayer(l).getParam("W").dup('c').castTo(DataType.FLOAT).data().asFloat();   // [in][out]
            b[l] = net.getLayer(l).getParam("b").dup('c').castTo(DataType.FLOAT).data().asFloat();
        }
        return new DenseNet(sizes, w, b);
    }

    static float[][] toFloat(double[][] x) {
        float[][] f = new float[x.length][];
        for (int i = 0; i < x.length; i++) f[i] = toFloat(x[i]);
        return f;
    }

    static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }
}
