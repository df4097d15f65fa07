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

    /** Scores of the table's normal windows (all of them when it has no labels): the threshold is a percentile of normal behaviour. */
    static double[] normalScores(QuantizedModel m, SensorTable t) {
        double[] all = m.scores(t);
        if (!t.hasLabels()) return all;
        int[] labels = m.pipeline().windows(t).labels();
        return java.util.stream.IntStream.range(0, all.length).filter(i -> labels[i] == 0).mapToDouble(i -> all[i]).toArray();
    }
}
