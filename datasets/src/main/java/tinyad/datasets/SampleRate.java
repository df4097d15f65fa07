package tinyad.datasets;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;

import tinyad.common.DataException;

/**
 * The sample rate of a recording, inferred from its timestamp column (docs/data-format.md): one over the median
 * interval between consecutive rows (over the mean interval when no interval is irregular: the same to 1 %, and
 * exact for timestamps rounded to their last digit). A timestamp is a number of seconds ({@code 12.345}) or an ISO date-time
 * ({@code 2020-03-09 10:14:33}, {@code 2020-03-09T10:14:33.250Z}, {@code 2020-03-09}); one column holds one kind.
 * Irregular timestamps are refused: more than {@link #MAX_IRREGULAR} of the intervals differ from the median by
 * more than {@link #TOLERANCE} of it (SKAB's 1 s timestamps are: about 5 % of its intervals are 0 or 2 s).
 */
public final class SampleRate {
    /** Largest rate a model may state: a megasample per second, far above what a microcontroller scores. */
    public static final double MAX_HZ = 1e6;
    /** How far (a fraction of the median) an interval may be from the median and still count as regular. */
    public static final double TOLERANCE = 0.01;
    /** The fraction of intervals that may be irregular. */
    public static final double MAX_IRREGULAR = 0.01;

    private SampleRate() {}

    /**
     * The rate of {@code table} in Hz, 0 when it has no timestamp column or fewer than two rows.
     * @param source names the data in the one-line refusal
     * @throws DataException when a timestamp cannot be read, or the timestamps do not increase regularly
     */
    public static double infer(String source, SensorTable table) {
        String[] ts = table.timestamps();
        if (ts == null || ts.length < 2) return 0;
        double[] d = intervals(source, ts);
        // the interval from one recording's last row to the next one's first is no interval
        int[] starts = table.recordingStarts();
        if (starts.length > 1) {
            java.util.Set<Integer> cut = new java.util.HashSet<>();
            for (int s : starts) if (s > 0) cut.add(s - 1);   // d[i] = ts[i+1] - ts[i]
            double[] kept = new double[d.length - cut.size()];
            for (int i = 0, k = 0; i < d.length; i++) if (!cut.contains(i)) kept[k++] = d[i];
            d = kept;
            if (d.length == 0) return 0;
        }
        double[] sorted = d.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        String fix = "; give the rate with --sample-rate HZ";
        if (!(median > 0))
            throw new DataException(source + ": the timestamps do not increase (median interval " + seconds(median) + ")" + fix);
        long irregular = 0;
        for (double x : d) if (!(Math.abs(x - median) <= TOLERANCE * median)) irregular++;
        if (irregular > MAX_IRREGULAR * n)
            throw new DataException(String.format(Locale.ROOT,
                    "%s: irregular timestamps: %d of %d intervals (%.1f %%) differ from the median %s by more than %.0f %%%s",
                    source, irregular, n, 100.0 * irregular / n, seconds(median), 100 * TOLERANCE, fix));
        // every interval regular: the mean over the whole span, which averages out timestamps rounded to their last digit
        double span = 0;
        for (double x : d) span += x;
        double hz = irregular == 0 ? n / span : 1 / median;
        check("the timestamps' rate", hz);
        return hz;
    }

    /** Refuses a rate that is not finite, not positive or above {@link #MAX_HZ}, naming {@code what}. */
    public static void check(String what, double hz) {
        if (!(hz > 0) || !Double.isFinite(hz) || hz > MAX_HZ)
            throw new DataException(what + " must be a positive finite number of Hz at most " + (long) MAX_HZ + ", got " + hz);
    }

    /** Intervals between consecutive timestamps, in seconds. */
    static double[] intervals(String source, String[] ts) {
        double[] d = new double[ts.length - 1];
        if (number(ts[0]) != null) {
            double prev = seconds(source, ts, 0);
            for (int i = 1; i < ts.length; i++) {
                double t = seconds(source, ts, i);
                d[i - 1] = t - prev;
                prev = t;
            }
            return d;
        }
        // one form for the column, from its first row: a date, a local date-time, or a date-time with an offset
        String first = iso(ts[0]);
        int form = first.length() == 10 ? 0 : first.endsWith("Z") || first.matches(".*T.*[+-]\\d\\d(:?\\d\\d)?") ? 2 : 1;
        long start = epochNanos(source, ts, 0, form), prev = start;
        for (int i = 1; i < ts.length; i++) {
            long t = epochNanos(source, ts, i, form);
            d[i - 1] = (t - prev) / 1e9;
            prev = t;
        }
        return d;
    }

    private static Double number(String s) {
        try {
            double v = Double.parseDouble(s.strip());
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static double seconds(String source, String[] ts, int i) {
        Double v = number(ts[i]);
        if (v == null) throw unreadable(source, ts, i, "a number of seconds, as the first row's is");
        return v;
    }

    /** "2020-03-09 10:14:33" (SKAB, NAB) is ISO with a space for the T. */
    private static String iso(String s) {
        s = s.strip();
        return s.length() > 10 && s.charAt(10) == ' ' ? s.substring(0, 10) + 'T' + s.substring(11) : s;
    }

    /** Nanoseconds since 1970 (UTC; local date-times taken as UTC: only differences matter). */
    private static long epochNanos(String source, String[] ts, int i, int form) {
        String s = iso(ts[i]);
        try {
            java.time.Instant t = switch (form) {
                case 0 -> LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
                case 1 -> LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
                default -> OffsetDateTime.parse(s).toInstant();
            };
            return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
        } catch (DateTimeParseException e) {
            throw unreadable(source, ts, i, i == 0 ? "a number of seconds or an ISO date-time"
                    : "an ISO date-time of the first row's form ('" + ts[0] + "')");
        } catch (ArithmeticException e) {
            throw unreadable(source, ts, i, "a date-time between the years 1678 and 2261");
        }
    }

    private static DataException unreadable(String source, String[] ts, int i, String expected) {
        return new DataException(source + ":" + (i + 2) + ": timestamp '" + ts[i] + "' is not " + expected
                + "; give the rate with --sample-rate HZ");
    }

    /** An interval for people: "1 s", "300 s", "0.001 s". */
    static String seconds(double s) {
        return shortNumber(s) + " s";
    }

    /** A rate for people: "1000 Hz", "0.00333333 Hz", "unknown" for 0. */
    public static String format(double hz) {
        return hz == 0 ? "unknown" : shortNumber(hz) + " Hz";
    }

    /** Six significant digits without trailing zeros: 1000, 1000000, 0.001, 3.33333e-05. */
    public static String shortNumber(double v) {
        if (Double.isFinite(v) && (v == 0 || Math.abs(v) >= 1e-4 && Math.abs(v) < 1e9))
            return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
        String s = String.format(Locale.ROOT, "%.6g", v);
        int e = s.indexOf('e');
        String mant = e < 0 ? s : s.substring(0, e), exp = e < 0 ? "" : s.substring(e);
        if (mant.contains(".")) mant = mant.replaceAll("0+$", "").replaceAll("\\.$", "");
        return mant + exp;
    }
}
