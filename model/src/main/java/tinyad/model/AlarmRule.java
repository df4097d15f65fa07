package tinyad.model;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import tinyad.common.DataException;

/**
 * The alarm rule between a detector's score and the alarm an operator sees (docs/alarms.md): one alarm event per
 * incident instead of one alarm per window over the threshold.
 * <ul>
 *   <li><b>onset</b>: while idle, an event starts at the window where at least {@code k} of the last {@code n}
 *       windows (this one included) scored {@code > threshold};</li>
 *   <li><b>hold-off</b>: the event cannot end during the {@code holdoff} windows after its start;</li>
 *   <li><b>hysteresis</b>: after the hold-off the event ends at the first window that scores {@code <= rearm};
 *       the rule re-arms there with an empty history, so a new onset needs {@code k} fresh windows over the
 *       threshold.</li>
 * </ul>
 * While an event is open the alarm is on. The rule is integer-only state (a bit history, counters) and runs
 * bit-exact on the device (firmware-c {@code tinyad_alarm_update}); for an int8 model {@code threshold} and
 * {@code rearm} are integers and {@link State#update} decides exactly as the C does, since every int32 is a double.
 * {@link #legacy} (k = n = 1, no hold-off, re-arm at the threshold) makes every run of windows over the threshold
 * one event: the behaviour of tinyad before the rule.
 */
public record AlarmRule(int k, int n, int holdoff, double threshold, double rearm) {
    public static final int MAX_N = 32;
    public static final int MAX_HOLDOFF = 65535;
    /** What {@link State#update} returns. */
    public static final int NONE = 0, START = 1, END = 2;

    public AlarmRule {
        if (n < 1 || n > MAX_N) throw new IllegalArgumentException("alarm rule: n must be in 1.." + MAX_N + ", got " + n);
        if (k < 1 || k > n) throw new IllegalArgumentException("alarm rule: k must be in 1..n (" + n + "), got " + k);
        if (holdoff < 0 || holdoff > MAX_HOLDOFF) throw new IllegalArgumentException("alarm rule: hold-off must be in 0.." + MAX_HOLDOFF + ", got " + holdoff);
        if (Double.isNaN(threshold) || Double.isNaN(rearm)) throw new IllegalArgumentException("alarm rule: NaN threshold");
    }

    /** Every run of windows over the threshold is one event (tinyad before the rule; models without a stored rule). */
    public static AlarmRule legacy(double threshold) {
        return new AlarmRule(1, 1, 0, threshold, threshold);
    }

    public AlarmRule withThresholds(double threshold, double rearm) {
        return new AlarmRule(k, n, holdoff, threshold, rearm);
    }

    /** One alarm event: windows {@code start..end} (end inclusive; -1 while still open), the highest score in it. */
    public record Event(int start, int end, double peak) {}

    /** The rule's running state: what a device keeps in its {@code tinyad_alarm_t}. */
    public static final class State {
        private final AlarmRule rule;
        private final long mask;
        private long history;   // bit i: window (now - i) scored over the threshold
        private int count;      // bits set in history
        private boolean active;
        private int hold;
        private double peak;

        public State(AlarmRule rule) {
            this.rule = rule;
            this.mask = (1L << rule.n) - 1;
        }

        /** Feeds one score; returns {@link #NONE}, {@link #START} or {@link #END}. */
        public int update(double score) {
            int over = score > rule.threshold ? 1 : 0;
            int oldest = (int) ((history >>> (rule.n - 1)) & 1);
            history = ((history << 1) | over) & mask;
            count += over - oldest;
            if (active) {
                if (score > peak) peak = score;
                if (hold > 0) {
                    hold--;
                    return NONE;
                }
                if (score <= rule.rearm) {
                    active = false;
                    history = 0;
                    count = 0;
                    return END;
                }
                return NONE;
            }
            if (count >= rule.k) {
                active = true;
                peak = score;
                hold = rule.holdoff;
                return START;
            }
            return NONE;
        }

        public boolean active() {
            return active;
        }

        /** The highest score of the open (or last) event. */
        public double peak() {
            return peak;
        }
    }

    /** The rule run over a score stream from the idle state: per-window alarm (event open) and the events. */
    public record Result(boolean[] alarm, List<Event> events) {
        /** Indices of the windows where an event started. */
        public int[] starts() {
            return events.stream().mapToInt(Event::start).toArray();
        }
    }

    public Result run(double[] scores) {
        State s = new State(this);
        boolean[] alarm = new boolean[scores.length];
        List<Event> events = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < scores.length; i++) {
            int e = s.update(scores[i]);
            if (e == START) start = i;
            else if (e == END) {
                events.add(new Event(start, i, s.peak()));
                start = -1;
            }
            alarm[i] = s.active();
        }
        if (start >= 0) events.add(new Event(start, -1, s.peak()));
        return new Result(alarm, events);
    }

    /**
     * The default rule, from a detector's held-out normal training scores only (never the scored rows):
     * re-arm at their 90th percentile (below the threshold: back among normal windows); onset after k of n = 8
     * windows, k the smallest that raises no event on the held-out windows (8 when none does); hold-off as many
     * windows as were held out (at least n), so one incident raises one alarm.
     */
    public static AlarmRule choose(double[] heldOutNormal, double threshold) {
        if (heldOutNormal.length == 0) return legacy(threshold);
        double rearm = Math.min(threshold, Metrics.percentile(heldOutNormal, 90));
        int n = 8, holdoff = Math.min(MAX_HOLDOFF, Math.max(n, heldOutNormal.length));
        int k = n;
        for (int c = 1; c <= n; c++) {
            if (new AlarmRule(c, n, holdoff, threshold, rearm).run(heldOutNormal).events().isEmpty()) {
                k = c;
                break;
            }
        }
        return new AlarmRule(k, n, holdoff, threshold, rearm);
    }

    /** The {@code alarm} object of model.json (the thresholds live beside it: {@code threshold[_q]}, and {@code rearm[_q]} here). */
    public void toJson(ObjectNode meta, String rearmKey, boolean integer) {
        ObjectNode a = meta.putObject("alarm");
        a.put("k", k);
        a.put("n", n);
        a.put("holdoff", holdoff);
        if (integer) a.put(rearmKey, (long) rearm);
        else a.put(rearmKey, rearm);
    }

    /** The stored rule of a model, or {@link #legacy} for a model written before there was one. */
    public static AlarmRule fromJson(JsonNode meta, String rearmKey, double threshold) {
        JsonNode a = meta.path("alarm");
        if (a.isMissingNode()) return legacy(threshold);
        try {
            return new AlarmRule(a.required("k").asInt(), a.required("n").asInt(), a.required("holdoff").asInt(), threshold,
                    a.required(rearmKey).asDouble());
        } catch (IllegalArgumentException e) {
            throw new DataException("model file: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "onset " + k + " of " + n + ", hold-off " + holdoff + ", threshold " + fmt(threshold) + ", re-arm " + fmt(rearm);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.6g", v);
    }
}
