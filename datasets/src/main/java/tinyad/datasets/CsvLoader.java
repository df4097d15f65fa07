package tinyad.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

import tinyad.common.DataException;

/**
 * Loads the generic sensor CSV: a header row, then one row per sample in time order.
 * <ul>
 *   <li>The delimiter is {@code ,} or {@code ;}, whichever the header has more of.</li>
 *   <li>A column named timestamp/datetime/time/date (any case) is the timestamp, kept as text.</li>
 *   <li>A column named label/anomaly/is_anomaly holds 0/1 labels (0.0/1.0 also accepted).</li>
 *   <li>Columns named in {@link #IGNORED} (e.g. SKAB's changepoint) are skipped; every other column
 *       is a numeric channel.</li>
 * </ul>
 * Any non-numeric, NaN or infinite value is an error that names the file, line and column.
 */
public final class CsvLoader {
    static final Set<String> TIME_NAMES = Set.of("timestamp", "datetime", "time", "date");
    static final Set<String> LABEL_NAMES = Set.of("label", "anomaly", "is_anomaly");
    static final Set<String> IGNORED = Set.of("changepoint");

    private CsvLoader() {}

    public static SensorTable load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    /** Parses CSV text; {@code source} names it in error messages. */
    public static SensorTable parse(String source, String text) {
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        if (text.isBlank()) throw new DataException(source + ": empty file");
        int eol = text.indexOf('\n');
        String header = eol < 0 ? text : text.substring(0, eol);
        char delimiter = count(header, ';') > count(header, ',') ? ';' : ',';
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setIgnoreSurroundingSpaces(true)
                .setIgnoreEmptyLines(true).build();
        try (Reader reader = new BufferedReader(new java.io.StringReader(text));
             CSVParser parser = format.parse(reader)) {
            List<CSVRecord> records = parser.getRecords();
            CSVRecord head = records.get(0);
            int timeCol = -1, labelCol = -1;
            List<Integer> channelCols = new ArrayList<>();
            List<String> channelNames = new ArrayList<>();
            for (int c = 0; c < head.size(); c++) {
                String name = head.get(c).trim();
                String key = name.toLowerCase(Locale.ROOT);
                if (name.isEmpty()) throw new DataException(source + ": header column " + (c + 1) + " has no name");
                if (TIME_NAMES.contains(key) && timeCol < 0) timeCol = c;
                else if (LABEL_NAMES.contains(key) && labelCol < 0) labelCol = c;
                else if (!IGNORED.contains(key)) {
                    if (channelNames.contains(name)) throw new DataException(source + ": duplicate column '" + name + "'");
                    channelCols.add(c);
                    channelNames.add(name);
                }
            }
            if (channelCols.isEmpty()) throw new DataException(source + ": no sensor columns in header '" + header.trim() + "'");
            int n = records.size() - 1;
            if (n == 0) throw new DataException(source + ": header only, no data rows");
            double[][] values = new double[n][channelCols.size()];
            String[] times = timeCol >= 0 ? new String[n] : null;
            int[] labels = labelCol >= 0 ? new int[n] : null;
            for (int r = 0; r < n; r++) {
                CSVRecord rec = records.get(r + 1);
                if (rec.size() != head.size())
                    throw new DataException(source + ":" + lineOf(rec) + ": expected " + head.size() + " columns, found " + rec.size());
                for (int i = 0; i < channelCols.size(); i++)
                    values[r][i] = number(source, rec, channelCols.get(i), channelNames.get(i));
                if (times != null) times[r] = rec.get(timeCol);
                if (labels != null) {
                    double l = number(source, rec, labelCol, head.get(labelCol));
                    if (l != 0 && l != 1)
                        throw new DataException(source + ":" + lineOf(rec) + ": label must be 0 or 1, found " + rec.get(labelCol));
                    labels[r] = (int) l;
                }
            }
            return new SensorTable(channelNames, times, values, labels);
        } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
            throw new DataException(source + ": malformed CSV: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static double number(String source, CSVRecord rec, int col, String name) {
        String s = rec.get(col);
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new DataException(source + ":" + lineOf(rec) + ": column '" + name + "' is not a number: '" + s + "'");
        }
        if (!Double.isFinite(v))
            throw new DataException(source + ":" + lineOf(rec) + ": column '" + name + "' is " + s + "; values must be finite");
        return v;
    }

    /** The record number counts the header as 1, so it is the file's line number when no line is blank. */
    private static long lineOf(CSVRecord rec) {
        return rec.getRecordNumber();
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) == c) n++;
        return n;
    }
}
