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

import tinyad.common.DataException;
import tinyad.datasets.CsvLoader;
import tinyad.datasets.NabLabels;
import tinyad.datasets.SensorTable;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.TimeSplit;

/** Where the data comes from and how it is split by time (shared by train, quantize, verify, demo). */
public final class DataOptions {
    @Option(names = "--data", paramLabel = "FILE",
            description = "Sensor data: CSV or TSV (header; optional timestamp and 0/1 label columns), WAV (16-bit PCM) or Edge Impulse JSON/CBOR, "
                    + "or a directory of them (one recording per file; no window spans two). Default: built-in synthetic data.")
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
        if (java.nio.file.Files.isDirectory(data)) return loadDirectory();
        // read once: the bytes hashed are the bytes parsed, and a FIFO or --data <(...) is read only once
        byte[] bytes = tinyad.common.BoundedRead.readAll(data, CsvLoader.MAX_BYTES, "sensor data");
        SensorTable t = tinyad.datasets.DataFiles.parse(data.toString(), bytes, columns());
        noteTextColumns(data, bytes);
        Path nab = labels != null ? labels : NabLabels.findWindowsFile(data);
        if (nab != null) t = NabLabels.label(data, t, nab);
        return new Loaded(t, sha256(bytes), data.toString());
    }

    /** Says once which text columns a CSV file's loader left out (a status or a note is not a sensor). */
    private void noteTextColumns(Path file, byte[] bytes) {
        List<String> text = CsvLoader.textColumns(bytes, columns());
        if (!text.isEmpty() && (channels == null || channels.isEmpty()))
            System.err.println("tinyad: note: " + file.getFileName() + ": column" + (text.size() > 1 ? "s " : " ") + "'" + String.join("', '", text)
                    + "' hold" + (text.size() > 1 ? "" : "s") + " text, not numbers: left out (--ignore-columns to say so)");
    }

    /** The columns --timestamp-column, --label-column and --ignore-columns name (null: found by name). */
    private CsvLoader.Columns columns() {
        return new CsvLoader.Columns(timestampColumn, labelColumn, ignoreColumns == null ? java.util.Set.of() : new java.util.HashSet<>(ignoreColumns));
    }

    /**
     * A directory: every .csv, .tsv, .wav and .json file in it (not below), in name order, one recording each, joined
     * so that no window spans two files; the hash is over the files' bytes in that order.
     */
    private Loaded loadDirectory() {
        List<Path> files;
        try (var list = java.nio.file.Files.list(data)) {
            files = list.filter(f -> java.nio.file.Files.isRegularFile(f)
                    && f.getFileName().toString().toLowerCase(java.util.Locale.ROOT).matches(".*\\.(csv|tsv|wav|json|cbor)")).sorted().toList();
        } catch (IOException e) {
            throw new DataException(data + ": cannot list: " + e.getMessage());
        }
        if (files.isEmpty()) throw new DataException(data + ": no .csv, .tsv, .wav, .json or .cbor files in this directory");
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<SensorTable> parts = new java.util.ArrayList<>();
        List<String> names = new java.util.ArrayList<>();
        long total = 0;
        for (Path f : files) {
            byte[] bytes = tinyad.common.BoundedRead.readAll(f, CsvLoader.MAX_BYTES - total, "sensor data");
            total += bytes.length;
            md.update(bytes);
            SensorTable t = tinyad.datasets.DataFiles.parse(f.toString(), bytes, columns());
            if (parts.isEmpty()) noteTextColumns(f, bytes);
            Path nab = labels != null ? labels : NabLabels.findWindowsFile(f);
            if (nab != null) t = NabLabels.label(f, t, nab);
            parts.add(t);
            names.add(f.toString());
        }
        SensorTable joined = SensorTable.join(names, parts);
        if ((long) joined.rows() * joined.channelCount() > CsvLoader.MAX_VALUES)
            throw new DataException(data + ": " + joined.rows() + " rows in all is more than tinyad reads");
        return new Loaded(joined, java.util.HexFormat.of().formatHex(md.digest()), data + " (" + files.size() + " recordings)");
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
