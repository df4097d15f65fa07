package tinyad.model;

import java.nio.file.Path;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;

/** A trained float detector: the pipeline that makes its inputs, a score per input, and a threshold. */
public interface Detector {
    Pipeline pipeline();

    /** Anomaly score of one normalised input vector; higher is more anomalous. */
    double score(double[] input);

    /** Inputs scoring above this are alarms. */
    double threshold();

    ModelArchive toArchive();

    default double[] scores(SensorTable table) {
        return scores(pipeline().inputs(table));
    }

    /** The score of each normalised input vector. */
    default double[] scores(double[][] inputs) {
        double[] s = new double[inputs.length];
        for (int i = 0; i < inputs.length; i++) s[i] = score(inputs[i]);
        return s;
    }

    default void save(Path file) {
        toArchive().write(file);
    }

    static Detector load(Path file) {
        ModelArchive a = ModelArchive.read(file);
        try {
            return switch (a.kind()) {
                case KMeansDetector.KIND -> KMeansDetector.fromArchive(a);
                case AutoencoderDetector.KIND -> AutoencoderDetector.fromArchive(a);
                default -> throw new DataException(file + ": not a float model (kind '" + a.kind() + "')");
            };
        } catch (IllegalArgumentException e) {
            throw new DataException(file + ": corrupted model metadata: " + e.getMessage());
        }
    }
}
