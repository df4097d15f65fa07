package tinyad.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;

/**
 * A dense autoencoder detector: the pipeline, the float network ({@link DenseNet}: ReLU hidden layers,
 * linear output), the threshold and the training history. Score = mean squared reconstruction error,
 * computed in plain Java, so scoring and quantization need no ND4J. Training (deeplearning4j) lives in
 * the trainer module ({@code tinyad.trainer.AutoencoderTrainer}).
 */
public record AutoencoderDetector(Pipeline pipeline, DenseNet net, double threshold, double thresholdPercentile,
                                  long seed, String trainingSha256, double[] trainLoss, double[] validationLoss,
                                  AlarmRule alarm)
        implements Detector {
    public static final String KIND = "autoencoder";

    /** A null {@code alarm} is {@link AlarmRule#legacy}; a rule must use this detector's threshold. */
    public AutoencoderDetector {
        alarm = Detector.checkAlarm(alarm, threshold);
    }

    public AutoencoderDetector(Pipeline pipeline, DenseNet net, double threshold, double thresholdPercentile, long seed,
                               String trainingSha256, double[] trainLoss, double[] validationLoss) {
        this(pipeline, net, threshold, thresholdPercentile, seed, trainingSha256, trainLoss, validationLoss, null);
    }

    @Override
    public double score(double[] input) {
        return net.reconstructionError(input);
    }

    @Override
    public ModelArchive toArchive() {
        ObjectNode m = ModelArchive.newMeta(KIND);
        m.set("pipeline", pipeline.toJson());
        for (int v : net.sizes()) m.withArray("layers").add(v);
        m.put("threshold", threshold);
        m.put("threshold_percentile", thresholdPercentile);
        m.put("seed", seed);
        m.put("training_sha256", trainingSha256);
        alarm.toJson(m, "rearm", false);
        ObjectNode h = m.putObject("history");
        for (double v : trainLoss) h.withArray("train_loss").add(v);
        for (double v : validationLoss) h.withArray("validation_loss").add(v);
        ModelArchive a = new ModelArchive(m);
        for (int l = 0; l < net.layers(); l++) {
            a.put("dense" + l + ".weight", net.weights()[l]);
            a.put("dense" + l + ".bias", net.biases()[l]);
        }
        return a;
    }

    public static AutoencoderDetector fromArchive(ModelArchive a) {
        ObjectNode m = a.meta();
        Pipeline p = Pipeline.fromJson(m.required("pipeline"));
        JsonNode ls = m.required("layers");
        int[] sizes = new int[ls.size()];
        for (int i = 0; i < sizes.length; i++) sizes[i] = ls.get(i).asInt();
        if (sizes.length < 2 || sizes[0] != p.inputSize() || sizes[sizes.length - 1] != p.inputSize())
            throw new DataException("model file: layer sizes do not match the pipeline's " + p.inputSize() + " inputs");
        float[][] w = new float[sizes.length - 1][], b = new float[sizes.length - 1][];
        for (int l = 0; l < w.length; l++) {
            w[l] = a.floats("dense" + l + ".weight");
            b[l] = a.floats("dense" + l + ".bias");
        }
        DenseNet net;
        try {
            net = new DenseNet(sizes, w, b);
        } catch (IllegalArgumentException e) {
            throw new DataException("model file: " + e.getMessage() + " do not match the layer sizes");
        }
        JsonNode h = m.path("history");
        double thr = m.required("threshold").asDouble();
        return new AutoencoderDetector(p, net, thr, m.path("threshold_percentile").asDouble(),
                m.path("seed").asLong(), m.path("training_sha256").asText(), doubles(h.path("train_loss")),
                doubles(h.path("validation_loss")), AlarmRule.fromJson(m, "rearm", thr));
    }

    static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) d[i] = a.get(i).asDouble();
        return d;
    }
}
