package tinyad.benchmark;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.model.Detector;
import tinyad.trainer.AutoencoderTrainer;
import tinyad.trainer.KMeansTrainer;

/**
 * One detector configuration of the detection benchmarks: what to train, how to cut windows, how to quantize.
 *
 * @param kind        kmeans or ae
 * @param kmeansScore distance or radius
 * @param headroom    int8 input range stretch
 * @param qatEpochs   autoencoder: quantization-aware fine-tuning epochs before int8 (0: none)
 */
public record DetectorConfig(String kind, int window, String features, int k, String layers, double percentile, long seed,
                             String kmeansScore, double headroom, int qatEpochs) {

    public Detector train(SensorTable train, Pipeline p) {
        return switch (kind) {
            case "kmeans" -> KMeansTrainer.train(train, p, new KMeansTrainer.Options(k, seed, 100, percentile,
                    kmeansScore.equals("radius")), "");
            case "ae" -> AutoencoderTrainer.train(train, p, new AutoencoderTrainer.Options(layers, seed, 300, 15, 32,
                    1e-3, 0.2, percentile, false), "");
            default -> throw new DataException("unknown model kind '" + kind + "'");
        };
    }

    public String describe() {
        return kind + (kmeansScore.equals("radius") ? " (radius score)" : "") + " window " + window + " headroom " + headroom + (qatEpochs > 0 ? " QAT " + qatEpochs + " epochs" : "") + " features " + features + (kind.equals("kmeans") ? " k " + k : " layers " + layers)
                + " threshold p" + percentile;
    }
}
