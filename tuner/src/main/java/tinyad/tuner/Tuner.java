package tinyad.tuner;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.IntStream;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.datasets.Windows;
import tinyad.model.AlarmRule;
import tinyad.model.Detector;
import tinyad.model.Metrics;

/**
 * The search behind {@code tinyad tune} (docs/tuning.md). Each {@link Structure} that fits the target ({@link CostModel})
 * is trained on every task's training rows; its scores on the tasks' evaluation rows are computed once; then every
 * threshold percentile and alarm {@link RuleShape} is tried on those scores (cheap: no retraining). A candidate is
 * judged by the F1 of the alarm (the rule's event open, per window) pooled over every evaluation stream, then by the
 * mean ROC-AUC of its scores (threshold-free separation), then by the fewest cycles per window. The evaluation rows are
 * never the rows the final test scores: held-out normal rows with and without injected faults ({@link SyntheticFaults}),
 * or labelled validation files the user gives.
 *
 * <p>Deterministic under the seed whatever the thread count: every structure is trained with the same seed, results are
 * collected in the order of the search space, and ties are broken by that order.
 */
public final class Tuner {
    private Tuner() {}

    /**
     * One evaluation stream: the windows of {@code table} that end at row {@code firstRow} or later, their labels the
     * label of their last row; its confusion counts are multiplied by {@code weight} when pooled.
     */
    public record Eval(SensorTable table, int firstRow, int weight, String name) {}

    /** Training rows (their normal windows train, with the trainer's held-out tail for the threshold) and what to score. */
    public record Task(SensorTable train, List<Eval> evals) {}

    /**
     * The search space. {@code ks} and {@code radius}: the k-means structures (none when {@code ks} is empty);
     * {@code layers}: the autoencoder structures ({@code tinyad train --layers} values; none when empty).
     */
    public record Space(int[] windows, int[] hops, List<String> features, int[] ks, boolean[] radius, List<String> layers, double[] percentiles,
                        List<RuleShape> rules) {
        /** hops: empty = auto (the smallest of 1, window/4, window/2, window that keeps up on the target; window/2 at an unknown rate). */
        public static Space defaults() {
            return new Space(new int[] {8, 16, 32, 64}, new int[0], List.of("raw", "stats", "stats+spectral:4"), new int[] {2, 4, 8, 16},
                    new boolean[] {false, true}, List.of("auto"), new double[] {95, 98, 99, 99.5, 100}, RuleShape.defaults());
        }
    }

    /** One tried candidate and how it did. {@code f1} and {@code far} are of the alarm; {@code auc} of the scores. */
    public record Entry(Candidate candidate, CostModel.Estimate cost, double f1, double auc, double far, Metrics.Confusion confusion, int index) {}

    /** A structure that was not trained, and why (over the target's budget, or too little data for it). */
    public record Dropped(Structure structure, String why) {}

    /** Every structure's best entry, best first; the dropped structures. */
    public record Result(List<Entry> leaderboard, List<Dropped> dropped, int tried) {
        public Entry best() {
            return leaderboard.get(0);
        }
    }

    static final Comparator<Entry> RANK = Comparator.comparingDouble((Entry e) -> -e.f1())
            .thenComparingDouble(e -> Double.isNaN(e.auc()) ? 0 : -e.auc())
            .thenComparingLong(e -> e.cost().cycles())
            .thenComparingInt(Entry::index);

    /** The structures of {@code space} in search order, each hop resolved (auto: the smallest that keeps up). */
    public static List<Structure> structures(Space space, CostModel cost, int channels) {
        List<Structure> out = new ArrayList<>();
        for (int w : space.windows())
            for (String f : space.features()) {
                tinyad.datasets.FeatureSet fs = tinyad.datasets.FeatureSet.parse(f);
                try {
                    fs.check(w);
                } catch (DataException e) {
                    continue;   // spectral bands that need a longer window: not a candidate at this window
                }
                List<java.util.function.IntFunction<Structure>> detectors = new ArrayList<>();
                for (int k : space.ks())
                    for (boolean r : space.radius()) detectors.add(h -> new Structure(w, h, f, k, r));
                for (String l : space.layers()) detectors.add(h -> Structure.autoencoder(w, h, f, l));
                for (java.util.function.IntFunction<Structure> det : detectors) {
                    if (space.hops().length > 0) {
                        for (int h : space.hops()) if (h >= 1 && h <= w) out.add(det.apply(h));
                        continue;
                    }
                    // auto: the smallest hop that keeps up (the most timely alarm); the largest when none does, to be dropped;
                    // at an unknown rate nothing can be checked: train's default, half a window
                    int[] hops = cost.sampleRateHz() > 0 ? autoHops(w) : new int[] {Math.max(1, w / 2)};
                    Structure pick = null;
                    for (int h : hops) {
                        pick = det.apply(h);
                        if (cost.estimate(pick, channels).keepsUp()) break;
                    }
                    out.add(pick);
                }
            }
        return out;
    }

    static int[] autoHops(int w) {
        return IntStream.of(1, w / 4, w / 2, w).filter(h -> h >= 1).distinct().toArray();
    }

    /**
     * Runs the search on {@code threads} threads. {@code progress} hears (structures done, structures to train) after each.
     * Refuses (one line) when no structure fits the target or none can be trained on the data.
     */
    public static Result run(List<Task> tasks, Space space, CostModel cost, long seed, int threads, BiConsumer<Integer, Integer> progress) {
        if (tasks.isEmpty()) throw new DataException("nothing to tune on");
        int channels = tasks.get(0).train().channelCount();
        List<Structure> all = structures(space, cost, channels);
        List<Dropped> dropped = new ArrayList<>();
        List<Structure> fit = new ArrayList<>();
        CostModel.Estimate smallest = null;
        for (Structure s : all) {
            CostModel.Estimate e = cost.estimate(s, channels);
            String why = e.problem();
            if (why == null) fit.add(s);
            else {
                dropped.add(new Dropped(s, why));
                if (smallest == null || e.cycles() < smallest.cycles()) smallest = e;
            }
        }
        if (fit.isEmpty())
            throw new DataException("no candidate fits the " + cost.describe() + (smallest != null ? "; the cheapest needs " + smallest.summary() + " (" + smallest.problem() + ")" : ""));
        AtomicInteger done = new AtomicInteger();
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads));
        List<Object> results;
        try {
            results = pool.submit(() -> IntStream.range(0, fit.size()).parallel().mapToObj(i -> {
                Object r;
                try {
                    r = evaluate(fit.get(i), i, tasks, space, cost.estimate(fit.get(i), channels), seed);
                } catch (DataException e) {
                    r = new Dropped(fit.get(i), e.getMessage());
                }
                progress.accept(done.incrementAndGet(), fit.size());
                return r;
            }).toList()).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
        List<Entry> board = new ArrayList<>();
        for (Object o : results) {
            if (o instanceof Entry en) board.add(en);
            else dropped.add((Dropped) o);
        }
        if (board.isEmpty())
            throw new DataException("no candidate could be trained on this data (e.g. " + dropped.get(dropped.size() - 1).why()
                    + "): give more normal rows");
        board.sort(RANK);
        return new Result(List.copyOf(board), List.copyOf(dropped), fit.size());
    }

    /** Scores of one evaluation stream under one task's fitted model. */
    private record Scored(double[] scores, int[] labels, int weight) {}

    /** Trains {@code s} on every task, then tries every percentile and rule on the scores; the best of them. */
    static Entry evaluate(Structure s, int index, List<Task> tasks, Space space, CostModel.Estimate est, long seed) {
        List<Candidate.Fit> fits = new ArrayList<>();
        List<List<Scored>> scored = new ArrayList<>();
        double aucSum = 0;
        int aucN = 0;
        for (Task t : tasks) {
            Candidate.Fit f = Candidate.fit(s, t.train(), seed, 0, "");
            fits.add(f);
            List<Scored> per = new ArrayList<>();
            // ROC-AUC of each stream that holds both classes; streams of one class (a normal tail, a faulted tail) pooled
            List<double[]> poolScores = new ArrayList<>();
            List<int[]> poolLabels = new ArrayList<>();
            for (Eval e : t.evals()) {
                Scored sc = score(f.unthresholded(), e);
                per.add(sc);
                double auc = Metrics.rocAuc(sc.scores(), sc.labels());
                if (!Double.isNaN(auc)) { aucSum += auc; aucN++; }
                else { poolScores.add(sc.scores()); poolLabels.add(sc.labels()); }
            }
            double pooled = Metrics.rocAuc(concat(poolScores), concatInts(poolLabels));
            if (!Double.isNaN(pooled)) { aucSum += pooled; aucN++; }
            scored.add(per);
        }
        double auc = aucN > 0 ? aucSum / aucN : Double.NaN;
        Entry best = null;
        int sub = 0;
        for (double pct : space.percentiles()) {
            List<Detector> ds = new ArrayList<>();
            for (Candidate.Fit f : fits) ds.add(f.thresholded().apply(pct));
            for (RuleShape rs : space.rules()) {
                long tp = 0, fp = 0, tn = 0, fn = 0;
                for (int ti = 0; ti < tasks.size(); ti++) {
                    AlarmRule rule = rs.apply(ds.get(ti).alarm());
                    for (Scored sc : scored.get(ti)) {
                        boolean[] a = rule.run(sc.scores()).alarm();
                        for (int i = 0; i < a.length; i++) {
                            if (sc.labels()[i] == 1) { if (a[i]) tp += sc.weight(); else fn += sc.weight(); }
                            else { if (a[i]) fp += sc.weight(); else tn += sc.weight(); }
                        }
                    }
                }
                Metrics.Confusion c = new Metrics.Confusion(tp, fp, tn, fn);
                Entry e = new Entry(new Candidate(s, pct, rs), est, c.f1(), auc, c.falseAlarmRate(), c, index * 100_000 + sub++);
                if (best == null || RANK.compare(e, best) < 0) best = e;
            }
        }
        return new Entry(best.candidate(), best.cost(), best.f1(), best.auc(), best.far(), best.confusion(), index);
    }

    /** The windows of {@code e} (at the model's hop) ending at its first row or later, scored, with their labels. */
    private static Scored score(Detector d, Eval e) {
        Pipeline p = d.pipeline();
        SensorTable part = e.table().slice(Math.max(0, e.firstRow() - p.window() + 1), e.table().rows());
        Windows w = p.windows(part);
        int[] labels = w.labels() != null ? w.labels() : new int[w.count()];
        return new Scored(d.scores(p.inputs(part)), labels, e.weight());
    }

    static double[] concat(List<double[]> parts) {
        return parts.stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    static int[] concatInts(List<int[]> parts) {
        return parts.stream().flatMapToInt(java.util.Arrays::stream).toArray();
    }
}
