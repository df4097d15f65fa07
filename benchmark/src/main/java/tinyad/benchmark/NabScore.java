package tinyad.benchmark;

import java.util.ArrayList;
import java.util.List;

/**
 * The Numenta Anomaly Benchmark's scoring (Lavin and Ahmad, "Evaluating Real-time Anomaly Detection Algorithms",
 * 2015; NAB's scorer documentation), written from its description. Rows are scored by index:
 * <ul>
 *   <li>a detection inside a labelled window [first, last] of width w at row i sits at relative position
 *       y = -(last - i + 1) / w (-1 at the window's first row, ~0 at its last) and earns
 *       A_TP * σ(y) / σ(-1), with the scaled sigmoid σ(y) = 2 / (1 + e^(5y)) - 1; only the best (the first)
 *       detection of a window counts; a window without one costs -A_FN;</li>
 *   <li>a detection outside every window is a false positive worth A_FP * σ(y) (σ negative there), with
 *       y = (i - last) / (w - 1) measured from the preceding window (σ = -1 past y = 3, and -1 when no window
 *       precedes);</li>
 *   <li>rows of the probationary period (the first min(floor(0.15 n), 750) rows) are not scored, and a window
 *       entirely inside it is not counted.</li>
 * </ul>
 * The null detector (no detections) scores -A_FN per window, the perfect one (a detection at each window's first
 * row) A_TP per window; the normalised score is 100 (S - S_null) / (S_perfect - S_null), summed over files first.
 */
public final class NabScore {
    private NabScore() {}

    /** Application profile: weights of true positives, false positives (a positive weight, applied to σ < 0) and misses. */
    public record Profile(String name, double tp, double fp, double fn) {}

    public static final Profile STANDARD = new Profile("standard", 1.0, 0.11, 1.0);
    public static final Profile LOW_FP = new Profile("reward_low_FP_rate", 1.0, 0.22, 1.0);
    public static final Profile LOW_FN = new Profile("reward_low_FN_rate", 1.0, 0.11, 2.0);
    public static final List<Profile> PROFILES = List.of(STANDARD, LOW_FP, LOW_FN);

    /** A labelled anomaly window, rows {@code first..last} inclusive. */
    public record Window(int first, int last) {}

    /** Raw score of one file and its null and perfect scores; tp/fp/fn count windows hit, false detections, windows missed. */
    public record Result(double raw, double nullScore, double perfect, int tp, int fp, int fn) {
        public Result plus(Result o) {
            return new Result(raw + o.raw, nullScore + o.nullScore, perfect + o.perfect, tp + o.tp, fp + o.fp, fn + o.fn);
        }

        public double normalised() {
            return perfect == nullScore ? Double.NaN : 100 * (raw - nullScore) / (perfect - nullScore);
        }

        public static final Result ZERO = new Result(0, 0, 0, 0, 0, 0);
    }

    public static double scaledSigmoid(double y) {
        return y > 3.0 ? -1.0 : 2 / (1 + Math.exp(5 * y)) - 1.0;
    }

    /** NAB's probationary period for a file of {@code rows} rows. */
    public static int probation(int rows) {
        return (int) Math.min(Math.floor(0.15 * rows), 0.15 * 5000);
    }

    /** The windows of 0/1 row labels: each maximal run of 1s. */
    public static List<Window> windows(int[] labels) {
        List<Window> w = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == 1 && (i == 0 || labels[i - 1] != 1)) {
                int j = i;
                while (j + 1 < labels.length && labels[j + 1] == 1) j++;
                w.add(new Window(i, j));
            }
        }
        return w;
    }

    /**
     * Scores one file's detections (one flag per row).
     *
     * @param probation rows before it are not scored
     */
    public static Result score(boolean[] detections, List<Window> windows, int probation, Profile p) {
        double maxTp = scaledSigmoid(-1.0);
        int n = detections.length;
        int[] windowOf = new int[n];
        java.util.Arrays.fill(windowOf, -1);
        for (int k = 0; k < windows.size(); k++) for (int i = windows.get(k).first(); i <= windows.get(k).last(); i++) windowOf[i] = k;
        double[] best = new double[windows.size()];
        boolean[] counted = new boolean[windows.size()], hit = new boolean[windows.size()];
        for (int k = 0; k < windows.size(); k++) {
            counted[k] = windows.get(k).last() >= probation;
            best[k] = -p.fn();
        }
        double fpSum = 0;
        int fp = 0;
        int prevLast = -1, prevWidth = 0;
        for (int i = 0; i < n; i++) {
            int k = windowOf[i];
            if (i >= probation && detections[i]) {
                if (k >= 0) {
                    Window w = windows.get(k);
                    double width = w.last() - w.first() + 1;
                    double s = scaledSigmoid(-(w.last() - i + 1) / width) * p.tp() / maxTp;
                    best[k] = Math.max(best[k], s);   // the earliest detection scores best
                    hit[k] = true;
                } else {
                    double s = prevLast < 0 ? -1.0 : scaledSigmoid(Math.abs(prevLast - i) / (double) (prevWidth - 1));
                    fpSum += s * p.fp();
                    fp++;
                }
            }
            if (k >= 0 && i == windows.get(k).last()) {
                prevLast = i;
                prevWidth = i - windows.get(k).first() + 1;
            }
        }
        double raw = fpSum;
        int tp = 0, fn = 0, counts = 0;
        for (int k = 0; k < windows.size(); k++) {
            if (!counted[k]) continue;
            counts++;
            raw += best[k];
            if (hit[k]) tp++; else fn++;
        }
        return new Result(raw, -p.fn() * counts, p.tp() * counts, tp, fp, fn);
    }
}
