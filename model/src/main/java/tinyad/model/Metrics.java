package tinyad.model;

import java.util.Arrays;

/** Detection metrics over scores (higher = more anomalous) and 0/1 labels. */
public final class Metrics {
    private Metrics() {}

    /** Indices of {@code scores} ordered by score, highest first when {@code descending}. */
    public static Integer[] orderByScore(double[] scores, boolean descending) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, descending ? (a, b) -> Double.compare(scores[b], scores[a]) : (a, b) -> Double.compare(scores[a], scores[b]));
        return order;
    }

    /**
     * ROC-AUC as the Mann-Whitney statistic with tied scores given their average rank, so that a
     * detector whose scores tie (as int8 scores often do) is neither rewarded nor punished for it.
     * NaN when one class is absent.
     */
    public static double rocAuc(double[] scores, int[] labels) {
        int n = scores.length;
        Integer[] order = orderByScore(scores, false);
        double rankSumPos = 0;
        long pos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) j++;
            double avgRank = (i + j) / 2.0 + 1;
            for (int q = i; q <= j; q++) if (labels[order[q]] == 1) { rankSumPos += avgRank; pos++; }
            i = j + 1;
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) return Double.NaN;
        return (rankSumPos - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /**
     * PR-AUC as average precision: the mean, over positives, of the precision at each positive's rank
     * (tied scores are ranked as one block, so the result does not depend on their order).
     */
    public static double prAuc(double[] scores, int[] labels) {
        int n = scores.length;
        Integer[] order = orderByScore(scores, true);
        long pos = 0;
        for (int l : labels) pos += l;
        if (pos == 0) return Double.NaN;
        double ap = 0;
        long tp = 0, seen = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            long blockPos = 0;
            while (j < n && scores[order[j]] == scores[order[i]]) blockPos += labels[order[j++]];
            seen += j - i;
            tp += blockPos;
            ap += blockPos * ((double) tp / seen);
            i = j;
        }
        return ap / pos;
    }

    /** The threshold (between two observed scores) that maximises F1, and that F1. */
    public record BestF1(double threshold, double f1) {}

    public static BestF1 bestF1(double[] scores, int[] labels) {
        int n = scores.length;
        Integer[] order = orderByScore(scores, true);
        long pos = 0;
        for (int l : labels) pos += l;
        double best = 0, bestThr = Double.POSITIVE_INFINITY;
        long tp = 0, fp = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j < n && scores[order[j]] == scores[order[i]]) {
                if (labels[order[j]] == 1) tp++; else fp++;
                j++;
            }
            // alarms are scores > threshold: put the threshold just below this block
            double f1 = tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + (pos - tp));
            if (f1 > best) {
                best = f1;
                double below = j < n ? scores[order[j]] : scores[order[i]] - 1;
                bestThr = (scores[order[i]] + below) / 2;
                if (j < n && bestThr >= scores[order[i]]) bestThr = below;
            }
            i = j;
        }
        return new BestF1(bestThr, best);
    }

    /** Confusion matrix of the decision {@code score > threshold}. */
    public record Confusion(long tp, long fp, long tn, long fn) {
        public double precision() { return tp + fp == 0 ? 0 : (double) tp / (tp + fp); }
        public double recall() { return tp + fn == 0 ? 0 : (double) tp / (tp + fn); }
        public double f1() {
            double p = precision(), r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
        public double falseAlarmRate() { return fp + tn == 0 ? 0 : (double) fp / (fp + tn); }
        public double missedAlarmRate() { return tp + fn == 0 ? 0 : (double) fn / (tp + fn); }
    }

    public static Confusion confusion(double[] scores, int[] labels, double threshold) {
        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < scores.length; i++) {
            boolean alarm = scores[i] > threshold;
            if (labels[i] == 1) { if (alarm) tp++; else fn++; } else { if (alarm) fp++; else tn++; }
        }
        return new Confusion(tp, fp, tn, fn);
    }

    /** The {@code p}-th percentile (0..100) by linear interpolation between order statistics. */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) throw new IllegalArgumentException("no values");
        if (!(p >= 0 && p <= 100)) throw new IllegalArgumentException("percentile must be in [0, 100], got " + p);
        double[] s = values.clone();
        Arrays.sort(s);
        double pos = p / 100 * (s.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }
}
