package tinyad.quantizer;

import java.nio.file.Path;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.model.ModelArchive;

/**
 * An int8 model and its integer-only reference: what every device must compute, bit for bit.
 * Inputs are the pipeline's normalised vectors quantized with {@link #inputQuant()}; from there on
 * everything is integer arithmetic.
 */
public interface QuantizedModel {
    Pipeline pipeline();

    QuantParams inputQuant();

    /** Integer score of one quantized input; higher is more anomalous. */
    int score(byte[] input);

    /** Alarm when {@code score > thresholdQ}. */
    int thresholdQ();

    /**
     * The alarm rule in the integer domain: {@code threshold == thresholdQ()} and an integer re-arm level; what the
     * device runs after every score ({@code tinyad_alarm_update}).
     */
    tinyad.model.AlarmRule alarm();

    /** A record's alarm component: null becomes the legacy rule; the rule must use {@code thresholdQ} and an integer re-arm. */
    static tinyad.model.AlarmRule checkAlarm(tinyad.model.AlarmRule alarm, int thresholdQ) {
        if (alarm == null) return tinyad.model.AlarmRule.legacy(thresholdQ);
        if (alarm.threshold() != thresholdQ || alarm.rearm() != Math.rint(alarm.rearm()) || Math.abs(alarm.rearm()) > Integer.MAX_VALUE + 1.0)
            throw new IllegalArgumentException("integer alarm rule must use threshold " + thresholdQ + " and an int32 re-arm level");
        return alarm;
    }

    /** The float rule mapped into the integer domain with the same map as the threshold (floor of a scaled value, clamped to int32). */
    static tinyad.model.AlarmRule alarmQ(tinyad.model.AlarmRule f, int thresholdQ, java.util.function.DoubleUnaryOperator toInt) {
        double r = Math.floor(toInt.applyAsDouble(f.rearm()));
        int rq = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, r));
        return new tinyad.model.AlarmRule(f.k(), f.n(), f.holdoff(), thresholdQ, Math.min(rq, thresholdQ));
    }

    /** The float model's threshold, for reports. */
    double threshold();

    int inputSize();

    ModelArchive toArchive();

    default byte[] quantizeInput(double[] normalised) {
        return inputQuant().quantize(normalised);
    }

    /** Whether the device computes this model's inputs itself, in integers, from sensor counts. */
    default boolean hasIntegerFeatures() {
        return pipeline().integer() != null;
    }

    /**
     * The int8 input of every window of {@code table}, as a device computes it: from the window's int16 counts
     * through the integer features ({@link DeviceFeatures}). A model without an integer stage (made by an older
     * tinyad, or a pipeline the device cannot run) quantizes the float features instead.
     */
    default byte[][] quantizedInputs(SensorTable table) {
        return quantizedInputs(pipeline(), table);
    }

    /** As {@link #quantizedInputs(SensorTable)}, windows cut by {@code p} (this model's pipeline with another hop). */
    default byte[][] quantizedInputs(Pipeline p, SensorTable table) {
        if (p.integer() != null) {
            DeviceFeatures fold = DeviceFeatures.of(p, inputQuant());
            tinyad.datasets.IntStage stage = p.integer();
            tinyad.datasets.FeatureSet set = p.featureSet();
            int[][] counts = p.counts(table);
            byte[][] q = new byte[counts.length][];
            for (int i = 0; i < q.length; i++) q[i] = fold.inputs(stage.features(counts[i], p.channels().size(), set));
            return q;
        }
        double[][] in = p.inputs(table);
        byte[][] q = new byte[in.length][];
        for (int i = 0; i < in.length; i++) q[i] = quantizeInput(in[i]);
        return q;
    }

    /** The device's int8 input for one window of int16 counts (sample-major). */
    default byte[] deviceInput(int[] counts) {
        return DeviceFeatures.of(this).inputs(pipeline().intFeatures(counts));
    }

    /**
     * The integer reference score of every window of {@code table}, as doubles for the metrics: exactly what
     * a device running this model sends for those windows.
     */
    default double[] scores(SensorTable table) {
        return scores(pipeline(), table);
    }

    /** As {@link #scores(SensorTable)}, windows cut by {@code p} (this model's pipeline with another hop). */
    default double[] scores(Pipeline p, SensorTable table) {
        byte[][] q = quantizedInputs(p, table);
        double[] s = new double[q.length];
        for (int i = 0; i < s.length; i++) s[i] = score(q[i]);
        return s;
    }

    /** The integer reference score of each normalised input vector (quantized first), as doubles. */
    default double[] scores(double[][] normalised) {
        double[] s = new double[normalised.length];
        for (int i = 0; i < s.length; i++) s[i] = score(quantizeInput(normalised[i]));
        return s;
    }

    /** First 16 hex digits of the model file's SHA-256: how a device names the model it runs. */
    default String hash() {
        return toArchive().sha256().substring(0, 16);
    }

    default void save(Path file) {
        toArchive().write(file);
    }

    /** The metadata every int8 model starts with: kind, pipeline, input quantization, thresholds. */
    static com.fasterxml.jackson.databind.node.ObjectNode baseMeta(String kind, QuantizedModel m) {
        com.fasterxml.jackson.databind.node.ObjectNode meta = ModelArchive.newMeta(kind);
        meta.set("pipeline", m.pipeline().toJson());
        com.fasterxml.jackson.databind.node.ObjectNode in = meta.putObject("input_quant");
        in.put("scale", m.inputQuant().scale());
        in.put("zero_point", m.inputQuant().zeroPoint());
        meta.put("threshold", m.threshold());
        meta.put("threshold_q", m.thresholdQ());
        m.alarm().toJson(meta, "rearm_q", true);
        return meta;
    }

    static QuantParams inputQuantOf(com.fasterxml.jackson.databind.JsonNode meta) {
        return new QuantParams(meta.required("input_quant").required("scale").asDouble(),
                meta.required("input_quant").required("zero_point").asInt());
    }

    static QuantizedModel load(Path file) {
        ModelArchive a = ModelArchive.read(file);
        try {
            return switch (a.kind()) {
                case QuantizedKMeans.KIND -> QuantizedKMeans.fromArchive(a);
                case QuantizedAutoencoder.KIND -> QuantizedAutoencoder.fromArchive(a);
                default -> throw new DataException(file + ": not an int8 model (kind '" + a.kind()
                        + "'); run tinyad quantize first");
            };
        } catch (IllegalArgumentException e) {
            throw new DataException(file + ": corrupted model metadata: " + e.getMessage());
        }
    }
}
