package tinyad.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import tinyad.common.DataException;
import tinyad.model.Metrics;

/**
 * The evaluation of scores against labels, and the report {@code tinyad evaluate} writes: report.md,
 * metrics.json (the same numbers), scores.csv (one row per scored window, at its last row) and PNG plots.
 */
public record EvaluationReport(String title, double[] scores, int[] labels, String[] timestamps, double threshold,
                               double[] trainLoss, double[] validationLoss, Map<String, String> provenance, Signal signal) {

    /** Without provenance (tests). */
    public EvaluationReport(String title, double[] scores, int[] labels, String[] timestamps, double threshold,
                            double[] trainLoss, double[] validationLoss) {
        this(title, scores, labels, timestamps, threshold, trainLoss, validationLoss, Map.of(), null);
    }

    /** Without the raw signal (no signal.png). */
    public EvaluationReport(String title, double[] scores, int[] labels, String[] timestamps, double threshold,
                            double[] trainLoss, double[] validationLoss, Map<String, String> provenance) {
        this(title, scores, labels, timestamps, threshold, trainLoss, validationLoss, provenance, null);
    }

    /**
     * The evaluated rows themselves, for a panel of the raw signal: channel names, values [row][channel], the rows'
     * timestamps (or null) and labels (or null), and each scored window's last row (to mark the alarms on it).
     */
    public record Signal(List<String> channels, double[][] values, String[] timestamps, int[] labels, int[] windowEnds) {}

    /** The channels' line colours in signal.png (blue, orange, green, purple: distinct, also to most colour-blind readers). */
    private static final Color[] CHANNEL_COLORS = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44), new Color(148, 103, 189)};

    /** A point of the chance lines that lies on no k/n grid (see unitSquare). */
    static final double OFF_GRID = 1 / Math.PI;

    /** Channels drawn in signal.png: more would be a tangle; the report says which. */
    static final int SIGNAL_CHANNELS = 4;
    /** Rows drawn: longer recordings are reduced to each bucket's minimum and maximum, which keeps the spikes. */
    static final int SIGNAL_POINTS = 4000;

    public record Numbers(int windows, int anomalous, double rocAuc, double prAuc, Metrics.Confusion confusion,
                          double threshold, Metrics.BestF1 bestF1) {}

    /** Whether the data had labels; without them the report has scores, alarms, the histogram and the timeline only. */
    public boolean labelled() {
        return labels != null;
    }

    /** The labels, or all 0 for unlabelled data (every alarm then counts as a window over the threshold, nothing more). */
    private int[] lab() {
        return labels != null ? labels : new int[scores.length];
    }

    /** Windows scored over the threshold. */
    public int alarms() {
        int a = 0;
        for (double v : scores) if (v > threshold) a++;
        return a;
    }

    public Numbers numbers() {
        int[] labels = lab();
        int anomalous = 0;
        for (int l : labels) anomalous += l;
        return new Numbers(scores.length, anomalous, Metrics.rocAuc(scores, labels), Metrics.prAuc(scores, labels),
                Metrics.confusion(scores, labels, threshold), threshold, Metrics.bestF1(scores, labels));
    }

    /** Writes the report into {@code dir}: every file is complete before it appears there. */
    public Numbers write(Path dir) {
        Numbers n = numbers();
        Path tmp;
        try {
            Path abs = dir.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            tmp = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".tmp");
        } catch (IOException e) {
            throw new DataException(dir + ": cannot create: " + e.getMessage());
        }
        try {
            Files.writeString(tmp.resolve("metrics.json"), metricsJson(n), StandardCharsets.UTF_8);
            Files.writeString(tmp.resolve("scores.csv"), scoresCsv(), StandardCharsets.UTF_8);
            List<String> plots = plots(tmp);
            Files.writeString(tmp.resolve("report.md"), markdown(n, plots), StandardCharsets.UTF_8);
            Files.createDirectories(dir);
            try (Stream<Path> s = Files.list(tmp)) {
                for (Path p : s.toList())
                    Files.move(p, dir.resolve(p.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new DataException(dir + ": cannot write the report: " + e.getMessage());
        } finally {
            deleteTree(tmp);
        }
        return n;
    }

    private static void deleteTree(Path p) {
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    String metricsJson(Numbers n) throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = m.createObjectNode();
        o.put("title", title);
        ObjectNode prov = o.putObject("provenance");
        provenance.forEach(prov::put);
        o.put("windows", n.windows());
        o.put("windows_over_threshold", alarms());
        o.put("labelled", labelled());
        if (!labelled()) {
            o.put("threshold", n.threshold());
            return m.writeValueAsString(o) + "\n";
        }
        o.put("anomalous", n.anomalous());
        putFinite(o, "roc_auc", n.rocAuc());
        putFinite(o, "pr_auc", n.prAuc());
        o.put("threshold", n.threshold());
        Metrics.Confusion c = n.confusion();
        o.put("precision", c.precision());
        o.put("recall", c.recall());
        o.put("f1", c.f1());
        o.put("false_alarm_rate", c.falseAlarmRate());
        o.put("missed_alarm_rate", c.missedAlarmRate());
        ObjectNode cm = o.putObject("confusion");
        cm.put("tp", c.tp());
        cm.put("fp", c.fp());
        cm.put("tn", c.tn());
        cm.put("fn", c.fn());
        ObjectNode b = o.putObject("best_f1");
        putFinite(b, "threshold", n.bestF1().threshold());
        b.put("f1", n.bestF1().f1());
        return m.writeValueAsString(o) + "\n";
    }

    private static void putFinite(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) o.put(k, v);
        else o.putNull(k);
    }

    String scoresCsv() {
        StringBuilder b = new StringBuilder(labelled() ? "timestamp,score,alarm,label\n" : "timestamp,score,alarm\n");
        for (int i = 0; i < scores.length; i++) {
            b.append(timestamps[i]).append(',').append(scores[i]).append(',').append(scores[i] > threshold ? 1 : 0);
            if (labelled()) b.append(',').append(labels[i]);
            b.append('\n');
        }
        return b.toString();
    }

    private List<String> plots(Path dir) throws IOException {
        int[] labels = lab();
        List<String> names = new ArrayList<>();
        if (trainLoss != null && trainLoss.length > 0) {
            XYChart c = new XYChartBuilder().width(800).height(400).title("Training and validation loss")
                    .xAxisTitle("epoch").yAxisTitle("MSE").build();
            c.addSeries("training", epochs(trainLoss.length), trainLoss).setMarker(SeriesMarkers.NONE);
            c.addSeries("validation", epochs(validationLoss.length), validationLoss).setMarker(SeriesMarkers.NONE);
            save(c, dir, "loss", names);
        }
        // histogram of scores, normal vs anomalous, with the threshold; log-spaced bins for heavy tails
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double s : scores) { lo = Math.min(lo, s); hi = Math.max(hi, s); }
        hi = Math.max(hi, threshold);
        boolean log = lo > 0 && hi / lo > 100;
        double a0 = log ? Math.log10(lo) : lo, a1 = log ? Math.log10(hi) : hi;
        int bins = 40;
        double width = (a1 - a0) / bins + 1e-12;
        double[] centre = new double[bins], normal = new double[bins], anomalous = new double[bins];
        for (int i = 0; i < bins; i++) centre[i] = a0 + (i + 0.5) * width;
        for (int i = 0; i < scores.length; i++) {
            double v = log ? Math.log10(scores[i]) : scores[i];
            int k = Math.max(0, Math.min(bins - 1, (int) ((v - a0) / width)));
            if (labels[i] == 1) anomalous[k]++; else normal[k]++;
        }
        XYChart h = new XYChartBuilder().width(800).height(400).title("Score histogram (black line: threshold)")
                .xAxisTitle(log ? "log10(score)" : "score").yAxisTitle("windows").build();
        h.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        h.addSeries(labelled() ? "normal" : "windows", centre, normal).setMarker(SeriesMarkers.NONE);
        if (labelled()) h.addSeries("anomalous", centre, anomalous).setMarker(SeriesMarkers.NONE);
        double top = 0;
        for (int i = 0; i < bins; i++) top = Math.max(top, Math.max(normal[i], anomalous[i]));
        double tx = log ? Math.log10(Math.max(threshold, lo)) : threshold;
        XYSeries t = h.addSeries("threshold", new double[] {tx, tx}, new double[] {0, top});
        t.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        t.setMarker(SeriesMarkers.NONE);
        t.setLineColor(Color.BLACK);
        save(h, dir, "histogram", names);

        double[][] roc = rocCurve();
        if (roc != null) {
            XYChart r = new XYChartBuilder().width(500).height(500).title(String.format(Locale.ROOT, "ROC (AUC %.4f)",
                    Metrics.rocAuc(scores, labels))).xAxisTitle("false positive rate").yAxisTitle("true positive rate").build();
            unitSquare(r);
            r.addSeries("ROC", roc[0], roc[1]).setMarker(SeriesMarkers.NONE);
            r.addSeries("chance", new double[] {0, OFF_GRID, 1}, new double[] {0, OFF_GRID, 1}).setMarker(SeriesMarkers.NONE);
            save(r, dir, "roc", names);
            // precision against recall: what an operator sees when anomalies are rare (ROC flatters them)
            double[][] pr = prCurve();
            XYChart c = new XYChartBuilder().width(500).height(500).title(String.format(Locale.ROOT, "Precision-recall (AUC %.4f)",
                    Metrics.prAuc(scores, labels))).xAxisTitle("recall").yAxisTitle("precision").build();
            unitSquare(c);
            c.addSeries("precision-recall", pr[0], pr[1]).setMarker(SeriesMarkers.NONE);
            double base = 0;
            for (int l : labels) base += l;
            base /= labels.length;
            XYSeries chance = c.addSeries("chance (anomalous share)", new double[] {0, OFF_GRID, 1}, new double[] {base, base, base});
            chance.setMarker(SeriesMarkers.NONE);
            save(c, dir, "pr", names);
        }

        // x: the windows' end times where the data has numeric timestamps, else the window index
        double[] idx = times();
        String xTitle = idx != null ? "time (s, from the data's timestamps)" : "window";
        if (idx == null) {
            idx = epochs(scores.length);
            for (int i = 0; i < idx.length; i++) idx[i] -= 1;
        }
        double smin = Double.POSITIVE_INFINITY;
        for (double v : scores) smin = Math.min(smin, v);
        boolean logY = smin > 0 && hi / smin > 100;   // heavy tails: a linear axis flattens the threshold onto zero
        XYChart s = new XYChartBuilder().width(1200).height(400).title(labelled() ? "Scores over time (labelled anomalies shaded)" : "Scores over time")
                .xAxisTitle(xTitle).yAxisTitle(logY ? "score (log scale)" : "score").build();
        s.getStyler().setYAxisLogarithmic(logY);
        s.getStyler().setXAxisDecimalPattern("#,##0.##");
        double max = hi;
        double[] shade = new double[scores.length];
        for (int i = 0; i < shade.length; i++) shade[i] = labels[i] == 1 ? max : logY ? smin : 0;
        if (labelled()) {
            XYSeries a = s.addSeries("labelled anomaly", idx, shade);
            a.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
            a.setMarker(SeriesMarkers.NONE);
            a.setFillColor(new Color(255, 160, 160, 120));
            a.setLineColor(new Color(255, 120, 120));   // the legend draws the line: a visible swatch
            a.setLineWidth(0.5f);
        }
        s.addSeries("score", idx, scores).setMarker(SeriesMarkers.NONE);
        XYSeries th = s.addSeries("threshold", new double[] {idx[0], idx[idx.length - 1]}, new double[] {threshold, threshold});
        th.setMarker(SeriesMarkers.NONE);
        th.setLineColor(Color.BLACK);
        save(s, dir, "timeline", names);
        if (signal != null) signalPlot(dir, names);
        return names;
    }

    /**
     * The square plots: both axes exactly [0, 1], the legend inside so the curve keeps the width. XChart puts a tick at
     * every data value when an axis's values are equally spaced (true positive rates and recalls are multiples of
     * 1 / anomalous windows): 36 crowded 16-digit labels. The chance lines get a point at 1/pi, on no such grid, so
     * the axes take XChart's ordinary 0.1 steps.
     */
    private static void unitSquare(XYChart c) {
        var st = c.getStyler();
        st.setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        st.setXAxisMin(0.0);
        st.setXAxisMax(1.0);
        st.setYAxisMin(0.0);
        st.setYAxisMax(1.0);
        st.setXAxisDecimalPattern("0.0#");
        st.setYAxisDecimalPattern("0.0#");
    }

    /** signal.png: the first channels over the evaluated rows, labelled anomalies shaded, rows that ended an alarmed window marked. */
    private void signalPlot(Path dir, List<String> names) throws IOException {
        Signal g = signal;
        int rows = g.values().length, ch = Math.min(SIGNAL_CHANNELS, g.channels().size());
        if (rows < 2 || ch == 0) return;
        double[] x = rowTimes(g.timestamps(), rows);
        boolean seconds = x != null;
        if (x == null) {
            x = new double[rows];
            for (int i = 0; i < rows; i++) x[i] = i;
        }
        XYChart c = new XYChartBuilder().width(1200).height(400)
                .title("Signal" + (g.channels().size() > ch ? " (first " + ch + " of " + g.channels().size() + " channels)" : "")
                        + (labelled() ? ", labelled anomalies shaded" : "") + ", red: rows ending a window over the threshold")
                .xAxisTitle(seconds ? "time (s, from the data's timestamps)" : "row").yAxisTitle("value").build();
        c.getStyler().setXAxisDecimalPattern("#,##0.##");
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double[] r : g.values()) for (int k = 0; k < ch; k++) { lo = Math.min(lo, r[k]); hi = Math.max(hi, r[k]); }
        if (g.labels() != null) {
            // one band per labelled run, from the lowest to the highest value drawn: an area series would fill to zero
            int runs = 0;
            for (int i = 0; i < rows; i++) {
                if (g.labels()[i] != 1 || (i > 0 && g.labels()[i - 1] == 1)) continue;
                int j = i;
                while (j + 1 < rows && g.labels()[j + 1] == 1) j++;
                XYSeries a = c.addSeries(runs == 0 ? "labelled anomaly" : "labelled anomaly " + runs,
                        new double[] {x[i], x[i], x[j], x[j], x[i]}, new double[] {lo, hi, hi, lo, lo});
                a.setMarker(SeriesMarkers.NONE);
                a.setLineColor(new Color(255, 120, 120));
                a.setLineWidth(0.5f);
                a.setShowInLegend(runs == 0);
                // a closed polygon filled with the band's colour
                a.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                a.setFillColor(new Color(255, 160, 160, 120));
                runs++;
            }
        }
        for (int k = 0; k < ch; k++) {
            double[] v = new double[rows];
            for (int i = 0; i < rows; i++) v[i] = g.values()[i][k];
            double[][] r = reduce(x, v);
            XYSeries line = c.addSeries(g.channels().get(k), r[0], r[1]);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(CHANNEL_COLORS[k]);   // the bands took palette colours: the channels keep distinct ones
        }
        // alarms: a marker at the bottom of the plot under each alarmed window's last row (at most SIGNAL_POINTS of them)
        List<double[]> marks = new ArrayList<>();
        for (int i = 0; i < scores.length && i < g.windowEnds().length; i++)
            if (scores[i] > threshold && g.windowEnds()[i] < rows) marks.add(new double[] {x[g.windowEnds()[i]], lo});
        if (!marks.isEmpty()) {
            int step = Math.max(1, marks.size() / SIGNAL_POINTS);
            double[] mx = new double[(marks.size() + step - 1) / step], my = new double[mx.length];
            for (int i = 0, j = 0; i < marks.size(); i += step, j++) { mx[j] = marks.get(i)[0]; my[j] = marks.get(i)[1]; }
            XYSeries m = c.addSeries("window over the threshold", mx, my);
            m.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            m.setMarker(SeriesMarkers.DIAMOND);
            m.setMarkerColor(Color.RED);
        }
        save(c, dir, "signal", names);
    }

    /** Rows as seconds from the first where every timestamp is a number or a date-time in time order; else null. */
    private static double[] rowTimes(String[] ts, int rows) {
        if (ts == null || ts.length != rows) return null;
        return secondsFrom(ts);
    }

    /** At most SIGNAL_POINTS points: each bucket's minimum and maximum in their order (spikes survive the reduction). */
    static double[][] reduce(double[] x, double[] y) {
        int n = x.length;
        if (n <= SIGNAL_POINTS) return new double[][] {x, y};
        int buckets = SIGNAL_POINTS / 2;
        double[] rx = new double[2 * buckets], ry = new double[2 * buckets];
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * n / buckets), to = (int) ((long) (b + 1) * n / buckets);
            int imin = from, imax = from;
            for (int i = from; i < to; i++) {
                if (y[i] < y[imin]) imin = i;
                if (y[i] > y[imax]) imax = i;
            }
            int first = Math.min(imin, imax), second = Math.max(imin, imax);
            rx[2 * b] = x[first];
            ry[2 * b] = y[first];
            rx[2 * b + 1] = x[second];
            ry[2 * b + 1] = y[second];
        }
        return new double[][] {rx, ry};
    }

    /** The windows' timestamps as seconds from the first, when every one is a number (or a date-time); else null. */
    private double[] times() {
        if (timestamps == null || timestamps.length == 0) return null;
        return secondsFrom(timestamps);
    }

    private static double[] secondsFrom(String[] timestamps) {
        if (timestamps.length == 0) return null;
        double[] t = new double[timestamps.length];
        try {
            for (int i = 0; i < t.length; i++) t[i] = Double.parseDouble(timestamps[i]);
        } catch (NumberFormatException notNumbers) {
            try {
                for (int i = 0; i < t.length; i++)
                    t[i] = java.time.LocalDateTime.parse(timestamps[i].trim().replace(' ', 'T')).toEpochSecond(java.time.ZoneOffset.UTC);
            } catch (java.time.format.DateTimeParseException notDates) {
                return null;
            }
        }
        double t0 = t[0];
        for (int i = 0; i < t.length; i++) t[i] -= t0;
        for (int i = 1; i < t.length; i++) if (!(t[i] >= t[i - 1])) return null;   // not in time order: the index is clearer
        return t;
    }

    /** Precision against recall over every threshold (recall, precision), from the highest score down. */
    private double[][] prCurve() {
        int n = scores.length;
        Integer[] order = Metrics.orderByScore(scores, true);
        long pos = 0;
        for (int l : labels) pos += l;
        List<double[]> pts = new ArrayList<>();
        long tp = 0, fp = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && scores[order[j]] == scores[order[i]]) { if (labels[order[j]] == 1) tp++; else fp++; j++; }
            pts.add(new double[] {(double) tp / pos, (double) tp / (tp + fp)});
            i = j;
        }
        double[][] xy = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) { xy[0][i] = pts.get(i)[0]; xy[1][i] = pts.get(i)[1]; }
        return xy;
    }

    private double[][] rocCurve() {
        if (!labelled()) return null;
        int n = scores.length;
        Integer[] order = Metrics.orderByScore(scores, true);
        long pos = 0;
        for (int l : labels) pos += l;
        long neg = n - pos;
        if (pos == 0 || neg == 0) return null;
        List<double[]> pts = new ArrayList<>();
        pts.add(new double[] {0, 0});
        long tp = 0, fp = 0;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j < n && scores[order[j]] == scores[order[i]]) { if (labels[order[j]] == 1) tp++; else fp++; j++; }
            pts.add(new double[] {(double) fp / neg, (double) tp / pos});
            i = j;
        }
        double[][] xy = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) { xy[0][i] = pts.get(i)[0]; xy[1][i] = pts.get(i)[1]; }
        return xy;
    }

    private static double[] epochs(int n) {
        double[] e = new double[n];
        for (int i = 0; i < n; i++) e[i] = i + 1;
        return e;
    }

    private static void save(XYChart c, Path dir, String name, List<String> names) throws IOException {
        BitmapEncoder.saveBitmap(c, dir.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
        names.add(name + ".png");
    }

    String markdown(Numbers n, List<String> plots) {
        if (!labelled()) {
            StringBuilder b = new StringBuilder("# ").append(title).append("\n\n| metric | value |\n|---|---|\n")
                    .append("| windows scored | ").append(n.windows()).append(" |\n")
                    .append("| windows over the threshold | ").append(alarms()).append(" |\n")
                    .append("| threshold (the model's) | ").append(fmt(n.threshold())).append(" |\n\n")
                    .append("The data has no labels: ROC-AUC, PR-AUC, F1 and the confusion matrix need a label/anomaly column (or NAB windows).\n\n");
            for (String p : plots) b.append("![").append(p.replace(".png", "")).append("](").append(p).append(")\n\n");
            b.append(provenanceTable());
            b.append("Machine-readable: `metrics.json`; per window: `scores.csv`.\n");
            return b.toString();
        }
        Metrics.Confusion c = n.confusion();
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("windows scored", Integer.toString(n.windows()));
        rows.put("labelled anomalous", Integer.toString(n.anomalous()));
        rows.put("ROC-AUC", fmt(n.rocAuc()));
        rows.put("PR-AUC", fmt(n.prAuc()));
        rows.put("threshold (the model's)", fmt(n.threshold()));
        rows.put("precision", fmt(c.precision()));
        rows.put("recall", fmt(c.recall()));
        rows.put("F1", fmt(c.f1()));
        rows.put("false alarm rate", fmt(c.falseAlarmRate()));
        rows.put("missed alarm rate", fmt(c.missedAlarmRate()));
        rows.put("best-F1 threshold on this data (oracle)", fmt(n.bestF1().threshold()) + " (F1 " + fmt(n.bestF1().f1()) + ")");
        StringBuilder b = new StringBuilder("# ").append(title).append("\n\n| metric | value |\n|---|---|\n");
        rows.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v).append(" |\n"));
        b.append("\nConfusion matrix (alarm = score > threshold):\n\n| | alarm | no alarm |\n|---|---|---|\n")
                .append("| anomalous | ").append(c.tp()).append(" | ").append(c.fn()).append(" |\n")
                .append("| normal | ").append(c.fp()).append(" | ").append(c.tn()).append(" |\n\n");
        for (String p : plots) b.append("![").append(p.replace(".png", "")).append("](").append(p).append(")\n\n");
        b.append(provenanceTable());
        b.append("Machine-readable: `metrics.json`; per window: `scores.csv`.\n");
        return b.toString();
    }

    /** Where the numbers come from: tinyad, the model, the data and the split (what a reader needs to reproduce them). */
    private String provenanceTable() {
        if (provenance.isEmpty()) return "";
        StringBuilder b = new StringBuilder("## Provenance\n\n| | |\n|---|---|\n");
        provenance.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        return b.append('\n').toString();
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "n/a (one class only)" : String.format(Locale.ROOT, "%.4f", v);
    }
}
