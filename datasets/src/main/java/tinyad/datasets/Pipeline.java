package tinyad.datasets;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import tinyad.common.DataException;

/**
 * What turns sensor rows into a detector's input vector: which channels, how windows are cut,
 * which features, and the normalisation fitted on training data. It is stored in every model file
 * because the device must compute exactly the same thing.
 *
 * <p>Features: see {@link FeatureSet}. Raw samples are normalised per channel; any other feature set
 * per feature.
 *
 * @param sampleRateHz samples per second of the data it was fitted on ({@link SampleRate}), 0 when unknown
 */
public record Pipeline(List<String> channels, int window, int hop, String features, Normaliser normaliser, IntStage integer,
        double sampleRateHz) {

    public static final String RAW = "raw";

    /** A pipeline without an integer stage (float features only) and an unknown sample rate. */
    public Pipeline(List<String> channels, int window, int hop, String features, Normaliser normaliser) {
        this(channels, window, hop, features, normaliser, null, 0);
    }

    /** A pipeline of an unknown sample rate. */
    public Pipeline(List<String> channels, int window, int hop, String features, Normaliser normaliser, IntStage integer) {
        this(channels, window, hop, features, normaliser, integer, 0);
    }

    public Pipeline {
        channels = List.copyOf(channels);
        if (sampleRateHz != 0) SampleRate.check("the sample rate", sampleRateHz);
        FeatureSet f = FeatureSet.parse(features);
        f.check(window);
        if (normaliser.size() != f.size(window, channels.size()))
            throw new DataException("normaliser has " + normaliser.size() + " entries, the features need "
                    + f.size(window, channels.size()));
        if (integer != null && (integer.center().length != channels.size() || integer.featureMean().length != normaliser.size()))
            throw new DataException("the integer stage does not match the pipeline's channels or features");
    }

    /** This pipeline at another sample rate (0: unknown). */
    public Pipeline withSampleRate(double hz) {
        return new Pipeline(channels, window, hop, features, normaliser, integer, hz);
    }

    /** This pipeline with windows every {@code newHop} samples. */
    public Pipeline withHop(int newHop) {
        return new Pipeline(channels, window, newHop, features, normaliser, integer, sampleRateHz);
    }

    /** The integer stage, or a one-line refusal saying why this pipeline has none. */
    public IntStage requireInteger() {
        if (integer != null) return integer;
        String why = IntStage.unsupported(window, featureSet());
        throw new DataException(why != null ? "this model cannot run on a device: " + why
                : "this model has no integer feature stage (made by an older tinyad): quantize it again");
    }

    /** The int16 counts of each window of {@code table}, sample-major, as the device's sensor gives them. */
    public int[][] counts(SensorTable table) {
        IntStage s = requireInteger();
        Windows w = windows(table);
        int[][] out = new int[w.count()][];
        for (int i = 0; i < out.length; i++) out[i] = s.counts(w.data()[i], channels.size());
        return out;
    }

    /** The integer features of one window of counts. */
    public int[] intFeatures(int[] counts) {
        return requireInteger().features(counts, channels.size(), featureSet());
    }

    public FeatureSet featureSet() {
        return FeatureSet.parse(features);
    }

    public int inputSize() {
        return normaliser.size();
    }

    /** The normalised input vector of every window of {@code table}. */
    public double[][] inputs(SensorTable table) {
        return normaliser.apply(features(windows(table).data()));
    }

    /** Features of each window, before normalisation. */
    public double[][] features(double[][] windows) {
        FeatureSet f = featureSet();
        if (f.isRawOnly()) return windows;
        double[][] out = new double[windows.length][];
        for (int i = 0; i < windows.length; i++) out[i] = f.compute(windows[i], channels.size());
        return out;
    }

    /** The normalised inputs of the normal windows of {@code table}: what detectors train and calibrate on. */
    public double[][] normalInputs(SensorTable table) {
        return normaliser.apply(features(windows(table).normalOnly().data()));
    }

    public Windows windows(SensorTable table) {
        return Windows.cut(table.select(channels), window, hop);
    }

    /** Fits the normalisation on {@code train} (its normal windows only). */
    public static Pipeline fit(SensorTable train, List<String> channels, int window, int hop, String features) {
        FeatureSet f = FeatureSet.parse(features);
        f.check(window);
        List<String> ch = channels == null || channels.isEmpty() ? train.channels() : channels;
        Windows w = Windows.cut(train.select(ch), window, hop).normalOnly();
        if (w.count() == 0) throw new DataException("no normal windows to fit on");
        IntStage integer = IntStage.fit(w, f);
        if (f.isRawOnly()) return new Pipeline(ch, window, hop, features, Normaliser.fitPerChannel(w.data(), ch.size()), integer);
        double[][] x = new double[w.count()][];
        for (int i = 0; i < x.length; i++) x[i] = f.compute(w.data()[i], ch.size());
        return new Pipeline(ch, window, hop, features, Normaliser.fitPerFeature(x), integer);
    }

    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        channels.forEach(o.putArray("channels")::add);
        o.put("window", window);
        o.put("hop", hop);
        // written only when known: a model of an unknown rate keeps the bytes, and so the hash, older tinyads gave it
        if (sampleRateHz != 0) o.put("sample_rate_hz", sampleRateHz);
        o.put("features", features);
        ObjectNode n = o.putObject("normaliser");
        for (double v : normaliser.mean()) n.withArray("mean").add(v);
        for (double v : normaliser.std()) n.withArray("std").add(v);
        if (integer != null) o.set("integer", integer.toJson());
        return o;
    }

    public static Pipeline fromJson(JsonNode o) {
        List<String> ch = new ArrayList<>();
        o.required("channels").forEach(c -> ch.add(c.asText()));
        JsonNode n = o.required("normaliser");
        return new Pipeline(ch, o.required("window").asInt(), o.required("hop").asInt(), o.required("features").asText(),
                new Normaliser(doubles(n.required("mean")), doubles(n.required("std"))),
                o.has("integer") ? IntStage.fromJson(o.get("integer")) : null, o.path("sample_rate_hz").asDouble(0));
    }

    static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) d[i] = a.get(i).asDouble();
        return d;
    }
}
