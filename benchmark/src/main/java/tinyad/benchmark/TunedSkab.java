package tinyad.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import tinyad.common.DataException;
import tinyad.datasets.CsvLoader;
import tinyad.datasets.SensorTable;
import tinyad.model.AlarmRule;
import tinyad.model.Detector;
import tinyad.model.Metrics;
import tinyad.tuner.Candidate;
import tinyad.tuner.CostModel;
import tinyad.tuner.SyntheticFaults;
import tinyad.tuner.Tuner;

/**
 * SKAB valve1 with the configuration chosen without looking at the scored rows ({@code benchmark skab --tune}), beside
 * the per-channel z-score baseline on the same split:
 * <ul>
 *   <li><b>per file</b>: each file's configuration tuned on its first 400 rows only (tune's own split of those rows:
 *       a fit part, and a held-out tail scored as it is and with injected faults), then trained on the 400 rows and
 *       scored on the rest as in the leaderboard protocol;</li>
 *   <li><b>across files</b>: the files in two halves (even and odd positions in number order); one configuration tuned on
 *       one half with its labels (train on each file's first 400 rows, F1 of the alarm on its later rows), then scored
 *       on the other half; every file is scored once, by the configuration chosen on the other half.</li>
 * </ul>
 * The alarm is the rule's event open (docs/alarms.md), float and int8 (the integer reference from sensor counts).
 */
public final class TunedSkab {
    private TunedSkab() {}

    static final int TRAIN = DetectionBenchmark.SKAB_TRAIN_ROWS, ZSCORE_WINDOW = 16;
    static final double ZSCORE_PERCENTILE = 99.5;

    public static void run(Path dir, CostModel.Device target, long seed, int threads, Consumer<String> out, IntConsumer progress) throws IOException {
        Path valve = DetectionBenchmark.datasets(dir).resolve("skab/data/valve1");
        List<Path> files = DetectionBenchmark.csvFiles(valve);
        if (files.isEmpty()) throw new DataException(valve + ": no .csv files");
        List<SensorTable> tables = new ArrayList<>();
        for (Path f : files) {
            SensorTable t = CsvLoader.load(f);
            if (t.labels() == null) throw new DataException(f + ": no anomaly labels");
            if (t.rows() <= TRAIN) throw new DataException(f + ": " + t.rows() + " rows, the protocol trains on the first " + TRAIN);
            tables.add(t);
        }
        CostModel cost = CostModel.of(target, 0, 1.0);   // SKAB: 1 Hz
        DetectorConfig q = new DetectorConfig("kmeans", 0, "raw", 0, "auto", 99.5, seed, "distance", 4.0, 0);

        out.accept("SKAB valve1, configuration tuned without the scored rows; target " + cost.describe() + "; alarm = the rule's event open");
        DetectionBenchmark.Totals z = new DetectionBenchmark.Totals(false);
        for (SensorTable t : tables) z.add(zScore(t));
        out.accept(" z-score baseline (per-channel z from the first 400 rows, max |z| over channels, rolling mean 16, p99.5 of the held-out last 20 %):");
        out.accept(z.rows().get(0));

        long t0 = System.nanoTime();
        DetectionBenchmark.Totals per = new DetectionBenchmark.Totals(true);
        java.util.Map<String, Integer> chosen = new java.util.TreeMap<>();
        for (int i = 0; i < tables.size(); i++) {
            SensorTable train = DetectionBenchmark.unlabelled(tables.get(i).slice(0, TRAIN));
            Tuner.Result r = Tuner.run(List.of(SyntheticFaults.task(train, seed)), Tuner.Space.defaults(), cost, seed, threads, (d, n) -> {});
            Candidate c = r.best().candidate();
            chosen.merge(c.describe(), 1, Integer::sum);
            per.add(scored(c, train, tables.get(i), seed, q));
            progress.accept(i + 1);
        }
        out.accept(String.format(Locale.ROOT, " per file, tuned on its first 400 rows only (%.1f s):", (System.nanoTime() - t0) / 1e9));
        per.rows().forEach(out);
        chosen.forEach((k, v) -> out.accept("   " + v + " x " + k));

        t0 = System.nanoTime();
        DetectionBenchmark.Totals cross = new DetectionBenchmark.Totals(true);
        for (int fold = 0; fold < 2; fold++) {
            List<Tuner.Task> tasks = new ArrayList<>();
            List<Integer> scoredIdx = new ArrayList<>();
            for (int i = 0; i < tables.size(); i++) {
                if (i % 2 == fold) tasks.add(new Tuner.Task(DetectionBenchmark.unlabelled(tables.get(i).slice(0, TRAIN)),
                        List.of(new Tuner.Eval(tables.get(i), TRAIN, 1, files.get(i).getFileName().toString()))));
                else scoredIdx.add(i);
            }
            Tuner.Result r = Tuner.run(tasks, Tuner.Space.defaults(), cost, seed, threads, (d, n) -> {});
            Candidate c = r.best().candidate();
            out.accept(String.format(Locale.ROOT, "   tuned on the %s files (F1 %.3f there): %s", fold == 0 ? "even" : "odd", r.best().f1(), c.describe()));
            for (int i : scoredIdx)
                cross.add(scored(c, DetectionBenchmark.unlabelled(tables.get(i).slice(0, TRAIN)), tables.get(i), seed, q));
        }
        out.accept(String.format(Locale.ROOT, " across files, tuned on one half with its labels, scored on the other (%.1f s):", (System.nanoTime() - t0) / 1e9));
        cross.rows().forEach(out);
    }

    static DetectionBenchmark.Scored scored(Candidate c, SensorTable train, SensorTable all, long seed, DetectorConfig q) {
        Detector d = c.train(train, seed, 1.0, "");
        return DetectionBenchmark.score(d, all, TRAIN, d.pipeline().normalInputs(train), q);
    }

    /**
     * The z-score baseline on one file: per-channel mean and standard deviation of the first 400 rows; each row's
     * score the largest |z| over the channels, averaged over the 16 rows ending at it; the threshold the 99.5th
     * percentile of those scores on the last 20 % of the 400 rows (as the detectors' held-out windows); rows from
     * 400 on scored.
     */
    static DetectionBenchmark.Scored zScore(SensorTable t) {
        int ch = t.channelCount();
        double[] mean = new double[ch], sd = new double[ch];
        for (int r = 0; r < TRAIN; r++) for (int c = 0; c < ch; c++) mean[c] += t.values()[r][c] / TRAIN;
        for (int r = 0; r < TRAIN; r++) for (int c = 0; c < ch; c++) sd[c] += Math.pow(t.values()[r][c] - mean[c], 2) / TRAIN;
        for (int c = 0; c < ch; c++) sd[c] = Math.sqrt(sd[c]);
        double[] maxZ = new double[t.rows()];
        for (int r = 0; r < t.rows(); r++)
            for (int c = 0; c < ch; c++)
                if (sd[c] > 0) maxZ[r] = Math.max(maxZ[r], Math.abs(t.values()[r][c] - mean[c]) / sd[c]);
        double[] rolling = new double[t.rows()];
        double sum = 0;
        for (int r = 0; r < t.rows(); r++) {
            sum += maxZ[r];
            if (r >= ZSCORE_WINDOW) sum -= maxZ[r - ZSCORE_WINDOW];
            rolling[r] = sum / Math.min(r + 1, ZSCORE_WINDOW);
        }
        int heldFrom = TRAIN - (int) Math.round(TRAIN * 0.2);
        double thr = Metrics.percentile(java.util.Arrays.copyOfRange(rolling, heldFrom, TRAIN), ZSCORE_PERCENTILE);
        double[] s = java.util.Arrays.copyOfRange(rolling, TRAIN, t.rows());
        int[] labels = java.util.Arrays.copyOfRange(t.labels(), TRAIN, t.rows());
        return new DetectionBenchmark.Scored(s, s, labels, thr, (int) Math.floor(thr), AlarmRule.legacy(thr), AlarmRule.legacy(thr));
    }
}
