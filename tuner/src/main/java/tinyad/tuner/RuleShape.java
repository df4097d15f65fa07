package tinyad.tuner;

import tinyad.model.AlarmRule;

/**
 * An alarm rule without its levels (docs/alarms.md): onset {@code k} of the last {@code n} windows over the threshold, a
 * hold-off of {@code holdoff} windows, and re-arm at the threshold or, with {@code hysteresis}, at the held-out normal
 * scores' 90th percentile (the trainer's default re-arm level). The levels come from each trained model's threshold, so one
 * shape carries from file to file.
 */
public record RuleShape(int k, int n, int holdoff, boolean hysteresis) {
    public RuleShape {
        new AlarmRule(k, n, holdoff, 0, 0);   // the rule's own range checks
    }

    /** The rule for a detector whose default rule (threshold and trained re-arm level) is {@code trained}. */
    public AlarmRule apply(AlarmRule trained) {
        double thr = trained.threshold();
        return new AlarmRule(k, n, holdoff, thr, hysteresis ? Math.min(thr, trained.rearm()) : thr);
    }

    public String describe() {
        return k + " of " + n + (holdoff > 0 ? ", hold-off " + holdoff : "") + (hysteresis ? ", re-arm p90" : "");
    }

    /** The shapes tune tries by default: every window and debounces of up to 8 windows, each with hold-off 0, 16 or 64 windows, re-arm at the threshold or lower. */
    public static java.util.List<RuleShape> defaults() {
        java.util.List<RuleShape> out = new java.util.ArrayList<>();
        int[][] kn = {{1, 1}, {2, 3}, {3, 5}, {4, 8}, {6, 8}};
        for (boolean hyst : new boolean[] {false, true})
            for (int holdoff : new int[] {0, 16, 64})
                for (int[] x : kn) out.add(new RuleShape(x[0], x[1], holdoff, hyst));
        return java.util.List.copyOf(out);
    }
}
