package tinyad.datasets;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What turns sensor rows into a detector's input vector: which channels, how windows are cut,
 * which features, and the normalisation fitted on training data. It is stored in every model file
 * because the device must compute exactly the same thing.
 *
 * <p>Feature kinds: {@code raw} (the window's samples, sample-major, normalised per channel).
 */
public record Pipeline(List<String> channels, int window, int hop, String features, Normaliser normaliser) {

    public static final String RAW = "raw";

    public Pipeline {
        channels = List.copyOf(channels);
        checkFeatures(features);
    }

    public static void checkFeatures(String features) {
        if (!RAW.equals(features)) throw new DataException("unknown feature set '" + features + "'; known: raw");
    }

    public int inputSize() {
        return normaliser.size();
    }

    /** The normalised input vector of every window of {@code table}. */
    public double[][] inputs(SensorTable table) {
        return normaliser.apply(windows(table).data());
    }

    public Windows windows(SensorTable table) {
        return Windows.cut(table.select(channels), window, hop);
    }

    /** Fits the normalisation on {@code train} (its normal windows only). */
    public static Pipeline fit(SensorTable train, List<String> channels, int window, int hop, String features) {
        checkFeatures(features);
        List<String> ch = channels == null || channels.isEmpty() ? train.channels() : channels;
        Windows w = Windows.cut(train.select(ch), window, hop).normalOnly();
        if (w.count() == 0) throw new DataException("no normal windows to fit on");
        return new Pipeline(ch, window, hop, features, Normaliser.fitPerChannel(w.data(), ch.size()));
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
