package tinyad.cli;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import picocli.CommandLine.Option;

import tinyad.datasets.CsvLoader;
import tinyad.datasets.NabLabels;
import tinyad.datasets.SensorTable;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.TimeSplit;

/** Where the data comes from and how it is split by time (shared by train, quantize, verify, demo). */
public final class DataOptions {
    @Option(names = "--data", paramLabel = "FILE",
            description = "Sensor data: CSV or TSV (header; optional timestamp and 0/1 label columns), WAV (16-bit PCM) or Edge Impulse JSON. Default: built-in synthetic data.")
    Path data;

    @Option(names = "--channels", split = ",", paramLabel = "NAME",
            description = "Channels to use, by column name (default: all).")
    List<String> channels;

    @Option(names = "--timestamp-column", paramLabel = "NAME", description = "The time column (default: found by name: timestamp, time, date, ...).")
    String timestampColumn;

    @Option(names = "--label-column", paramLabel = "NAME", description = "The 0/1 label column (default: label, anomaly or is_anomaly).")
    String labelColumn;

    @Option(names = "--ignore-columns", split = ",", paramLabel = "NAME", description = "Columns that are neither time, label nor a sensor channel.")
    List<String> ignoreColumns;

    @Option(names = "--labels", paramLabel = "JSON",
            description = "NAB anomaly windows (labels/combined_windows.json); found automatically for a file in a NAB checkout.")
    Path labels;

    @Option(names = "--train-fraction", defaultValue = "0.5", paramLabel = "F",
            description = "Leading fraction of the rows used for training; the rest is test data (default: ${DEFAULT-VALUE}).")
    double trainFraction;

    /** The loaded table and the SHA-256 of its source bytes. */
    public record Loaded(SensorTable table, String sha256, String name) {}

    public Loaded load() {
        if (data == null) {
            System.err.println("tinyad: no --data given: using the built-in synthetic vibration data (tinyad generate writes it)");
            SensorTable t = SyntheticSensor.generate(SyntheticSensor.Options.defaults()).table();
            StringWriter w = new StringWriter();
            try {
                SyntheticSensor.write(t, w);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return new Loaded(t, sha256(w.toString().getBytes(StandardCharsets.UTF_8)), "built-in synthetic data");
        }
        // read once: the bytes hashed are the bytes parsed, and a FIFO or --data <(...) is read only once
        byte[] bytes = tinyad.common.BoundedRead.readAll(data, CsvLoader.MAX_BYTES, "sensor data");
        SensorTable t = tinyad.datasets.DataFiles.parse(data.toString(), bytes, new CsvLoader.Columns(timestampColumn, labelColumn,
                ignoreColumns == null ? java.util.Set.of() : new java.util.HashSet<>(ignoreColumns)));
        Path nab = labels != null ? labels : NabLabels.findWindowsFile(data);
        if (nab != null) t = NabLabels.label(data, t, nab);
        return new Loaded(t, sha256(bytes), data.toString());
    }

    /** The option ranges (called from the commands' {@link Validated#validate()}). */
    void validate() {
        if (!(trainFraction > 0 && trainFraction < 1))
            throw new tinyad.common.DataException("--train-fraction must be between 0 and 1 (exclusive), got " + trainFraction);
    }

    public TimeSplit split(SensorTable t) {
        return TimeSplit.of(t, trainFraction);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
