package tinyad.datasets;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
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
 * Any non-numeric, NaN, infinite or out-of-range ({@link #MAX_ABS}) value is an error that names the file, line and
 * column; files beyond {@link #MAX_BYTES}, {@link #MAX_ROWS} or {@link #MAX_VALUES} are refused with one line.
 */
public final class CsvLoader {
    static final Set<String> TIME_NAMES = Set.of("timestamp", "datetime", "time", "date");
    static final Set<String> LABEL_NAMES = Set.of("label", "anomaly", "is_anomaly");
    static final Set<String> IGNORED = Set.of("changepoint");

    private CsvLoader() {}

    /** Most bytes of CSV read: a file beyond it (or /dev/zero) is refused before it fills the heap. */
    public static final long MAX_BYTES = 256L << 20;
    /** Most rows and most values (rows x channels) kept: what the default heap (the launcher's -Xmx2g) holds with room to train. */
    public static final int MAX_ROWS = 4_000_000, MAX_VALUES = 16_000_000;
    /**
     * Largest magnitude of a value: squares and fourth powers of windows of such values (the normalisation, the
     * statistics, the distances) stay finite in double, so training and scoring never produce Infinity or NaN.
     */
    public static final double MAX_ABS = 1e30;

    public static SensorTable load(Path file) {
        return parse(file.toString(), tinyad.common.BoundedRead.readAll(file, MAX_BYTES, "CSV data"));
    }

    /** Parses CSV text; {@code source} names it in error messages. */
    public static SensorTable parse(String source, String text) {
        return parse(source, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Which columns are not sensor channels, when the names do not say it: the time column, the 0/1 label column,
     * columns to leave out. Null/empty: found by name (TIME_NAMES, LABEL_NAMES, IGNORED).
     */
    public record Columns(String time, String label, Set<String> ignore) {
        public static final Columns BY_NAME = new Columns(null, null, Set.of());

        public Columns {
            ignore = ignore == null ? Set.of() : Set.copyOf(ignore);
        }
    }

    /** Parses UTF-8 CSV bytes record by record (no copy of the text, no list of records). */
    public static SensorTable parse(String source, byte[] utf8) {
        return parse(source, utf8, Columns.BY_NAME);
    }

    public static SensorTable parse(String source, byte[] utf8, Columns columns) {
        int skip = utf8.length >= 3 && (utf8[0] & 0xff) == 0xEF && (utf8[1] & 0xff) == 0xBB && (utf8[2] & 0xff) == 0xBF ? 3 : 0;
        int eol = skip;
        while (eol < utf8.length && utf8[eol] != '\n') eol++;
        String header = new String(utf8, skip, eol - skip, StandardCharsets.UTF_8);
        if (header.isBlank() && blank(utf8, skip)) throw new DataException(source + ": empty file");
        // comma, semicolon (European spreadsheets) or tab (TSV): whichever the header uses most
        int commas = count(header, ','), semicolons = count(header, ';'), tabs = count(header, '\t');
        char delimiter = tabs > commas && tabs > semicolons ? '\t' : semicolons > commas ? ';' : ',';
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setIgnoreSurroundingSpaces(true)
                .setIgnoreEmptyLines(true).build();
        // a strict decoder: bytes that are not UTF-8 end the parse with one line instead of becoming U+FFFD
        Reader decoded = new java.io.InputStreamReader(new java.io.ByteArrayInputStream(utf8, skip, utf8.length - skip),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT));
        try (Reader reader = new BufferedReader(decoded, 1 << 16);
             CSVParser parser = format.parse(reader)) {
            java.util.Iterator<CSVRecord> records = parser.iterator();
            if (!records.hasNext()) throw new DataException(source + ": empty file");
            CSVRecord head = records.next();
            boolean allNumbers = head.size() > 0;
            for (String h : head) allNumbers &= isNumber(h.trim());
            if (allNumbers) throw new DataException(source + ": the first line is numbers, not a header: add a first line naming the columns "
                    + "(e.g. timestamp,ax,ay,az)");
            int timeCol = -1, labelCol = -1;
            List<String> names = new ArrayList<>();
            for (String h : head) names.add(h.trim());
            for (String n : columns.ignore())
                if (!names.contains(n)) throw new DataException(source + ": no column '" + n + "' to ignore (the header has: " + String.join(", ", names) + ")");
            if (columns.time() != null) {
                timeCol = names.indexOf(columns.time());
                if (timeCol < 0) throw new DataException(source + ": no time column '" + columns.time() + "' (the header has: " + String.join(", ", names) + ")");
            }
            if (columns.label() != null) {
                labelCol = names.indexOf(columns.label());
                if (labelCol < 0) throw new DataException(source + ": no label column '" + columns.label() + "' (the header has: " + String.join(", ", names) + ")");
                if (labelCol == timeCol) throw new DataException(source + ": '" + columns.label() + "' cannot be both the time and the label column");
            }
            // no column called timestamp/datetime/time/date: one whose name says time (time_ms, Date (UTC), ts, epoch)
            // is the time column, rather than a sensor channel that would ramp through every window
            boolean exactTime = columns.time() != null;
            for (String h : head) exactTime |= TIME_NAMES.contains(h.trim().toLowerCase(Locale.ROOT));
            if (!exactTime)
                for (int c = 0; c < head.size() && timeCol < 0; c++) if (timeLike(head.get(c).trim().toLowerCase(Locale.ROOT))) timeCol = c;
            List<Integer> channelCols = new ArrayList<>();
            List<String> channelNames = new ArrayList<>();
            // a column whose first value is text (a status, an operator's note, a unit) is no sensor channel: left out
            // (textColumns names them for the CLI's note), where a number column that later holds text is an error
            CSVRecord first = records.hasNext() ? records.next() : null;
            for (int c = 0; c < head.size(); c++) {
                String name = head.get(c).trim();
                String key = name.toLowerCase(Locale.ROOT);
                if (name.isEmpty()) throw new DataException(source + ": header column " + (c + 1) + " has no name");
                if (c == timeCol || c == labelCol || columns.ignore().contains(name)) continue;
                if (TIME_NAMES.contains(key) && timeCol < 0) timeCol = c;
                else if (LABEL_NAMES.contains(key) && labelCol < 0 && columns.label() == null) labelCol = c;
                else if (first != null && c < first.size() && isText(first.get(c))) continue;
                else if (!IGNORED.contains(key)) {
                    if (channelNames.contains(name)) throw new DataException(source + ": duplicate column '" + name + "'");
                    channelCols.add(c);
                    channelNames.add(name);
                }
            }
            if (channelCols.isEmpty()) throw new DataException(source + ": no sensor columns in header '" + header.trim() + "'");
            int ch = channelCols.size();
            long maxRows = Math.min(MAX_ROWS, MAX_VALUES / ch);
            List<double[]> values = new ArrayList<>();
            List<String> times = timeCol >= 0 ? new ArrayList<>() : null;
            java.io.ByteArrayOutputStream labelBytes = labelCol >= 0 ? new java.io.ByteArrayOutputStream() : null;
            while (first != null || records.hasNext()) {
                CSVRecord rec = first != null ? first : records.next();
                first = null;
                if (values.size() >= maxRows)
                    throw new DataException(source + ": more than " + maxRows + " rows of " + ch + " channels; tinyad reads at most "
                            + MAX_ROWS + " rows and " + MAX_VALUES + " values (use a part of the file or fewer channels)");
                if (rec.size() != head.size())
                    throw new DataException(source + ":" + lineOf(rec) + ": expected " + head.size() + " columns, found " + rec.size());
                double[] row = new double[ch];
                for (int i = 0; i < ch; i++) row[i] = number(source, rec, channelCols.get(i), channelNames.get(i));
                values.add(row);
                if (times != null) times.add(rec.get(timeCol));
                if (labelBytes != null) {
                    double l = number(source, rec, labelCol, head.get(labelCol));
                    if (l != 0 && l != 1)
                        throw new DataException(source + ":" + lineOf(rec) + ": label must be 0 or 1, found " + rec.get(labelCol));
                    labelBytes.write((int) l);
                }
            }
            if (values.isEmpty()) throw new DataException(source + ": header only, no data rows");
            int[] labels = null;
            if (labelBytes != null) {
                byte[] b = labelBytes.toByteArray();
                labels = new int[b.length];
                for (int i = 0; i < b.length; i++) labels[i] = b[i];
            }
            return new SensorTable(channelNames, times == null ? null : times.toArray(String[]::new),
                    values.toArray(double[][]::new), labels);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new DataException(source + ": not UTF-8 text");
        } catch (java.io.UncheckedIOException e) {
            if (e.getCause() instanceof java.nio.charset.CharacterCodingException) throw new DataException(source + ": not UTF-8 text");
            throw new DataException(source + ": malformed CSV: " + firstLine(e.getMessage()));
        } catch (IOException | IllegalStateException e) {
            throw new DataException(source + ": malformed CSV: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static boolean blank(byte[] b, int from) {
        for (int i = from; i < b.length; i++) if (!Character.isWhitespace(b[i])) return false;
        return true;
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
        if (Math.abs(v) > MAX_ABS)
            throw new DataException(source + ":" + lineOf(rec) + ": column '" + name + "' is " + s + "; values must be within +-"
                    + MAX_ABS + " (larger ones overflow the squares and sums of training)");
        return v;
    }

    /** A value that is neither a number nor empty: a text column's. */
    static boolean isText(String s) {
        String t = s.trim();
        return !t.isEmpty() && !isNumber(t) && !t.equalsIgnoreCase("nan") && !t.equalsIgnoreCase("inf") && !t.equalsIgnoreCase("-inf");
    }

    /**
     * The columns {@link #parse} leaves out as text (their first value is not a number), for a note to the user; empty
     * when there are none or the file cannot be read that far.
     */
    public static List<String> textColumns(byte[] utf8, Columns columns) {
        int skip = utf8.length >= 3 && (utf8[0] & 0xff) == 0xEF && (utf8[1] & 0xff) == 0xBB && (utf8[2] & 0xff) == 0xBF ? 3 : 0;
        int eol1 = skip;
        while (eol1 < utf8.length && utf8[eol1] != '\n') eol1++;
        int eol2 = Math.min(utf8.length, eol1 + 1);
        while (eol2 < utf8.length && utf8[eol2] != '\n') eol2++;
        String text = new String(utf8, skip, eol2 - skip, StandardCharsets.UTF_8);
        String header = text.lines().findFirst().orElse("");
        int commas = count(header, ','), semicolons = count(header, ';'), tabs = count(header, '\t');
        char delimiter = tabs > commas && tabs > semicolons ? '\t' : semicolons > commas ? ';' : ',';
        List<String> out = new ArrayList<>();
        try (CSVParser p = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setIgnoreSurroundingSpaces(true).build().parse(new java.io.StringReader(text))) {
            List<CSVRecord> r = p.getRecords();
            if (r.size() < 2) return out;
            for (int c = 0; c < r.get(0).size() && c < r.get(1).size(); c++) {
                String name = r.get(0).get(c).trim(), key = name.toLowerCase(Locale.ROOT);
                if (TIME_NAMES.contains(key) || LABEL_NAMES.contains(key) || timeLike(key) || name.equals(columns.time())
                        || name.equals(columns.label()) || columns.ignore().contains(name)) continue;
                if (isText(r.get(1).get(c))) out.add(name);
            }
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return !s.isEmpty();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A column name that says time: contains "time" or "date", or is ts, t, epoch, seconds, ms. */
    static boolean timeLike(String key) {
        return key.contains("time") || key.contains("date") || Set.of("ts", "t", "epoch", "seconds", "secs", "ms", "millis").contains(key);
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
