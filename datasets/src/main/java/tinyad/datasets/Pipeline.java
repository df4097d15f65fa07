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
 */
public record Pipeline(List<String> channels, int window, int hop, String features, Normaliser normaliser) {

    public static final String RAW = "raw";

    public Pipeline {
        channels = List.copyOf(channels);
        FeatureSet f = FeatureSet.parse(features);
        f.check(window);
        if (normaliser.size() != f.size(window, channels.size()))
            throw new DataException("normaliser has " + normaliser.size() + " entries, the features need "
                    + f.size(window, channels.size()));
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
        if (f.isRawOnly()) return new Pipeline(ch, window, hop, features, Normaliser.fitPerChannel(w.data(), ch.size()));
        double[][] x = new double[w.count()][];
        for (int i = 0; i < x.length; i++) x[i] = f.compute(w.data()[i], ch.size());
        return new Pipeline(ch, window, hop, features, Normaliser.fitPerFeature(x));
    }

    public ObjectNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode o = f.objectNode();
        channels.forEach(o.putArray("channels")::add);
        o.put("window", window);
        o.put("hop", hop);
        o.put("features", features);
        ObjectNode n = o.putObject("normaliser");
        for (double v : normaliser.mean()) n.withArray("mean").add(v);
        for (double v : normaliser.std()) n.withArray("std").add(v);
        return o;
    }

    public static Pipeline fromJson(JsonNode o) {
        List<String> ch = new ArrayList<>();
        o.required("channels").forEach(c -> ch.add(c.asText()));
        JsonNode n = o.required("normaliser");
        return new Pipeline(ch, o.required("window").asInt(), o.required("hop").asInt(), o.required("features").asText(),
                new Normaliser(doubles(n.required("mean")), doubles(n.required("std"))));
    }

    static double[] doubles(JsonNode a) {
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) d[i] = a.get(i).asDouble();
        return d;
    }
}
