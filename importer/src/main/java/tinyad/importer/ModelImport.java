// SPDX-License-Identifier: Apache-2.0
package tinyad.importer;

import java.nio.file.Path;
import java.util.List;

import tinyad.common.BoundedRead;
import tinyad.common.DataException;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.model.AlarmRule;
import tinyad.model.Thresholds;
import tinyad.quantizer.QuantizedAutoencoder;
import tinyad.quantizer.QuantizedModel;

/** The import stage: a file trained elsewhere to a tinyad model, its threshold from the user's normal data. */
public final class ModelImport {
    /** Larger files are refused before they are read (ad01_int8.tflite is 277 KB; the largest MCU flash is a few MB). */
    public static final long MAX_FILE_BYTES = 64L << 20;

    private ModelImport() {}

    /**
     * @param window frames per input vector
     * @param hop frames between windows
     * @param percentile the threshold's percentile of the normal windows' scores
     * @param sampleRateHz frames per second the device will take (0: unknown; export then asks for it)
     */
    public record Options(int window, int hop, double percentile, double sampleRateHz) {}

    /**
     * Imports a TFLite int8 autoencoder.
     *
     * @param normal data whose normal windows set the threshold and alarm rule, or null (never alarms)
     * @param channels the data's columns to use (null or empty: all of them, in order)
     */
    public static Imported tflite(Path file, Options o, SensorTable normal, List<String> channels) {
        byte[] bytes = BoundedRead.readAll(file, MAX_FILE_BYTES, file.toString());
        TfliteImporter.Result r = TfliteImporter.read(bytes, o.window(), file.getFileName().toString());
        QuantizedAutoencoder m = r.model();
        Pipeline p = m.pipeline();
        int channelCount = p.channels().size();
        if (normal != null) {
            List<String> names = channels == null || channels.isEmpty() ? normal.channels() : channels;
            if (names.size() != channelCount)
                throw new DataException("the model takes " + channelCount + " channels per frame (" + m.inputSize() + " inputs / --window "
                        + o.window() + "), the data has " + names.size() + (channels == null || channels.isEmpty() ? " (use --channels)" : ""));
            p = new Pipeline(names, p.window(), o.hop(), p.features(), p.normaliser(), p.integer());
        } else {
            p = new Pipeline(p.channels(), p.window(), o.hop(), p.features(), p.normaliser(), p.integer());
        }
        if (o.sampleRateHz() > 0) p = p.withSampleRate(o.sampleRateHz());
        m = new QuantizedAutoencoder(p, m.inputQuant(), m.layers(), m.thresholdQ(), m.threshold(), null, m.outputRequant());
        int windows = 0;
        if (normal != null) {
            double[] scores = normalScores(m, normal);
            if (scores.length < 2) throw new DataException("--data gives " + scores.length + " normal windows; the threshold needs at least 2");
            double thr = Math.floor(Thresholds.fromTraining(scores, scores, o.percentile()));
            int tq = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, thr));
            AlarmRule rule = AlarmRule.choose(scores, tq);
            double s = m.inputQuant().scale();
            m = m.withThreshold(tq, tq * s * s / m.inputSize(), QuantizedModel.alarmQ(rule, tq, v -> v));
            windows = scores.length;
        }
        return new Imported(m, file.getFileName().toString(), r.operators(), r.perChannel(), windows);
    }

    /**
     * Imports a Keras dense autoencoder as a float tinyad model (quantize it with {@code tinyad quantize}).
     *
     * @param normal data whose normal windows set the threshold, the alarm rule and the device's count scale (required:
     *               a float model has no input quantization to take them from)
     */
    public static tinyad.model.AutoencoderDetector keras(Path file, Options o, SensorTable normal, List<String> channels) {
        if (normal == null) throw new DataException("--keras needs --data: the threshold and the device's sample scale come from normal data");
        // read once through the bounded reader (size limit, a clear error for a missing file); the hash is the provenance
        byte[] bytes = BoundedRead.readAll(file, MAX_FILE_BYTES, file.toString());
        tinyad.model.DenseNet net = KerasImporter.read(file);
        int n = net.sizes()[0];
        if (o.window() < 1 || n % o.window() != 0) throw new DataException("--window " + o.window() + " does not divide the model's " + n + " inputs");
        List<String> names = channels == null || channels.isEmpty() ? normal.channels() : channels;
        if (names.size() != n / o.window())
            throw new DataException("the model takes " + n / o.window() + " channels per frame (" + n + " inputs / --window " + o.window()
                    + "), the data has " + names.size() + (channels == null || channels.isEmpty() ? " (use --channels)" : ""));
        Pipeline p = floatPipeline(normal, names, n, o);
        double[][] x = p.normalInputs(normal);
        if (x.length < 2) throw new DataException("--data gives " + x.length + " normal windows; the threshold needs at least 2");
        double[] scores = new double[x.length];
        for (int i = 0; i < x.length; i++) scores[i] = net.reconstructionError(x[i]);
        double thr = Thresholds.fromTraining(scores, scores, o.percentile());
        String sha;
        try {
            sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return new tinyad.model.AutoencoderDetector(p, net, thr, o.percentile(), 0, sha, new double[0], new double[0],
                AlarmRule.choose(scores, thr));
    }

    /**
     * The pipeline of an imported float model: raw frames, no normalisation (the network takes the values as they are),
     * and an integer stage that turns them into counts of one step {@code lsb} for every channel (the data's widest
     * half-range times {@link tinyad.datasets.IntStage#HEADROOM} over the centred samples' limit), centred on each
     * channel's mid-range. Its feature normalisation maps a centred count back to the value, so the device's fold is
     * {@code round((count) * lsb / input_scale) + zero_point}.
     */
    static Pipeline floatPipeline(SensorTable data, List<String> names, int n, Options o) {
        int ch = names.size(), window = o.window();
        tinyad.datasets.Windows w = tinyad.datasets.Windows.cut(data.select(names), window, o.hop()).normalOnly();
        if (w.count() == 0) throw new DataException("--data has no normal windows");
        double[] lo = new double[ch], hi = new double[ch];
        java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
        for (double[] v : w.data())
            for (int i = 0; i < v.length; i++) {
                lo[i % ch] = Math.min(lo[i % ch], v[i]);
                hi[i % ch] = Math.max(hi[i % ch], v[i]);
            }
        int limit = tinyad.datasets.IntFeatures.sampleLimit(window);
        double half = 1e-6;
        for (int c = 0; c < ch; c++) {
            if (!Double.isFinite(lo[c]) || !Double.isFinite(hi[c])) throw new DataException("channel " + names.get(c) + " has values that are not finite");
            half = Math.max(half, (hi[c] - lo[c]) / 2);
        }
        double lsb = half * tinyad.datasets.IntStage.HEADROOM / limit;
        double[] offset = new double[ch], lsbs = new double[ch], mean = new double[n], std = new double[n];
        int[] center = new int[ch];
        java.util.Arrays.fill(lsbs, lsb);
        for (int c = 0; c < ch; c++) {
            double mid = Math.rint((lo[c] + hi[c]) / 2 / lsb);
            if (Math.abs(mid) > 65536) throw new DataException("channel " + names.get(c) + " lies too far from zero for its spread");
            center[c] = (int) mid;
        }
        for (int i = 0; i < n; i++) {
            mean[i] = -center[i % ch];
            std[i] = 1 / lsb;
        }
        double[] zeros = new double[n], ones = new double[n];
        java.util.Arrays.fill(ones, 1.0);
        tinyad.datasets.IntStage stage = new tinyad.datasets.IntStage(offset, lsbs, center, new int[ch], new long[ch], mean, std);
        Pipeline p = new Pipeline(names, window, o.hop(), Pipeline.RAW, new tinyad.datasets.Normaliser(zeros, ones), stage);
        return o.sampleRateHz() > 0 ? p.withSampleRate(o.sampleRateHz()) : p;
    }

    /** Scores of the table's normal windows (all of them when it has no labels): the threshold is a percentile of normal behaviour. */
    static double[] normalScores(QuantizedModel m, SensorTable t) {
        double[] all = m.scores(t);
        if (!t.hasLabels()) return all;
        int[] labels = m.pipeline().windows(t).labels();
        return java.util.stream.IntStream.range(0, all.length).filter(i -> labels[i] == 0).mapToDouble(i -> all[i]).toArray();
    }
}
