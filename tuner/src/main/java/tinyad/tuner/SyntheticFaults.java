package tinyad.tuner;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import tinyad.common.DataException;
import tinyad.datasets.SensorTable;

/**
 * Labelled evaluation data made from normal data alone, for tuning without labelled files: the normal rows are cut in
 * time, the fit part trains each candidate, and the held-out tail is scored twice — as it is (every window normal: the
 * false-alarm rate) and with a fault injected in its first half (detection, and the return to normal in its second
 * half: an alarm that outlasts the fault, by a long hold-off or a late re-arm, costs false alarms as on real data). The
 * faults are the common sensor and process faults, each on one channel chosen by the seed, sized by that channel's
 * spread in the fit part: a step of 3 standard deviations, extra noise of 2, a drift up to 6, and a stuck value.
 */
public final class SyntheticFaults {
    /** The share of the normal rows held out as the tail. */
    public static final double TAIL = 0.2;
    public static final String[] KINDS = {"step", "noise", "drift", "stuck"};

    private SyntheticFaults() {}

    /**
     * One self-supervised tuning task from {@code normal}: train on the first 80 %, evaluate on the tail. Rows the data
     * labels anomalous stay so: out of training (as {@code tinyad train} leaves them out), and anomalies in the tail.
     */
    public static Tuner.Task task(SensorTable normal, long seed) {
        int cut = (int) Math.round(normal.rows() * (1 - TAIL));
        if (cut < 2 || normal.rows() - cut < 2)
            throw new DataException(normal.rows() + " rows are too few to tune on (the normal data is cut into a fit part and a held-out tail)");
        SensorTable plain = normal.hasLabels() ? normal
                : new SensorTable(normal.channels(), normal.timestamps(), normal.values(), new int[normal.rows()], normal.recordingStarts());
        SensorTable fit = normal.slice(0, cut);
        List<Tuner.Eval> evals = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(seed);
        int channels = normal.channelCount();
        List<Tuner.Eval> faults = new ArrayList<>();
        for (String kind : KINDS)
            for (int rep = 0; rep < Math.min(2, channels); rep++)
                faults.add(new Tuner.Eval(inject(plain, cut, cut + (normal.rows() - cut) / 2, kind, rnd.nextInt(channels), rnd.split()), cut, 1, kind));
        // the normal tail weighs as much as all faulted tails together: false alarms count as much as detections
        evals.add(new Tuner.Eval(plain, cut, faults.size(), "normal"));
        evals.addAll(faults);
        return new Tuner.Task(fit, evals);
    }

    /** A copy of {@code t} (labelled) with the fault {@code kind} on channel {@code c} in rows {@code [cut, end)}, those rows labelled 1. */
    static SensorTable inject(SensorTable t, int cut, int end, String kind, int c, SplittableRandom rnd) {
        double mean = 0, sq = 0;
        for (int r = 0; r < cut; r++) mean += t.values()[r][c];
        mean /= cut;
        for (int r = 0; r < cut; r++) sq += (t.values()[r][c] - mean) * (t.values()[r][c] - mean);
        double sd = Math.sqrt(sq / cut);
        // a channel that never moved in the fit part: size the fault by its level instead (a flat channel still has faults)
        if (!(sd > 1e-12)) sd = Math.max(1e-3, 0.01 * Math.abs(mean));
        double[][] v = new double[t.rows()][];
        int len = end - cut;
        for (int r = 0; r < t.rows(); r++) {
            v[r] = t.values()[r].clone();
            if (r < cut || r >= end) continue;
            double x = v[r][c];
            v[r][c] = switch (kind) {
                case "step" -> x + 3 * sd;
                case "noise" -> x + 2 * sd * rnd.nextGaussian();
                case "drift" -> x + 6 * sd * (r - cut + 1) / len;
                case "stuck" -> t.values()[cut][c];
                default -> throw new IllegalArgumentException(kind);
            };
        }
        int[] labels = t.labels() != null ? t.labels().clone() : new int[t.rows()];
        java.util.Arrays.fill(labels, cut, end, 1);
        return new SensorTable(t.channels(), t.timestamps(), v, labels, t.recordingStarts());
    }
}
