package tinyad.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import tinyad.common.DataException;

/**
 * Numenta Anomaly Benchmark labels: {@code labels/combined_windows.json} maps
 * {@code "<category>/<file>.csv"} to anomaly windows {@code [[start, end], ...]}; a row is anomalous
 * when its timestamp lies in a window (ends included).
 */
public final class NabLabels {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

    private NabLabels() {}

    /** The windows file of a NAB checkout for a data file at {@code <root>/data/<category>/<file>.csv}, or null. */
    public static Path findWindowsFile(Path csv) {
        Path category = csv.toAbsolutePath().getParent();
        if (category == null || category.getParent() == null || category.getParent().getParent() == null) return null;
        if (!category.getParent().getFileName().toString().equals("data")) return null;
        Path f = category.getParent().getParent().resolve("labels").resolve("combined_windows.json");
        return Files.isRegularFile(f) ? f : null;
    }

    /** Loads a NAB data file and labels it from {@code windowsJson}. */
    public static SensorTable load(Path csv, Path windowsJson) {
        return label(csv, CsvLoader.load(csv), windowsJson);
    }

    /** Labels table {@code t}, already loaded from {@code csv} (whose path names its NAB key), from {@code windowsJson}. */
    public static SensorTable label(Path csv, SensorTable t, Path windowsJson) {
        if (t.timestamps() == null) throw new DataException(csv + ": NAB data needs a timestamp column");
        String key = csv.toAbsolutePath().getParent().getFileName() + "/" + csv.getFileName();
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(windowsJson));
        } catch (IOException e) {
            throw new DataException(windowsJson + ": cannot read NAB windows: " + e.getMessage().lines().findFirst().orElse(""));
        }
        JsonNode windows = root.get(key);
        if (windows == null || !windows.isArray()) throw new DataException(windowsJson + ": no windows for '" + key + "'");
        List<LocalDateTime[]> spans = new ArrayList<>();
        for (JsonNode w : windows) spans.add(new LocalDateTime[] {time(windowsJson, w.path(0).asText()), time(windowsJson, w.path(1).asText())});
        int[] labels = new int[t.rows()];
        for (int r = 0; r < t.rows(); r++) {
            LocalDateTime ts = time(csv, t.timestamps()[r]);
            for (LocalDateTime[] s : spans) if (!ts.isBefore(s[0]) && !ts.isAfter(s[1])) { labels[r] = 1; break; }
        }
        return new SensorTable(t.channels(), t.timestamps(), t.values(), labels);
    }

    private static LocalDateTime time(Path source, String s) {
        try {
            return LocalDateTime.parse(s.trim(), FORMAT);
        } catch (DateTimeParseException e) {
            throw new DataException(source + ": bad timestamp '" + s + "'");
        }
    }
}
