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

    /** The alarm rule between score and alarm (docs/alarms.md), with this detector's threshold. */
    AlarmRule alarm();

    /** A record's alarm component: null becomes {@link AlarmRule#legacy}; a rule with another threshold is refused. */
    static AlarmRule checkAlarm(AlarmRule alarm, double threshold) {
        if (alarm == null) return AlarmRule.legacy(threshold);
        if (Double.compare(alarm.threshold(), threshold) != 0)
            throw new IllegalArgumentException("alarm rule threshold " + alarm.threshold() + " is not the detector's " + threshold);
        return alarm;
    }

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
