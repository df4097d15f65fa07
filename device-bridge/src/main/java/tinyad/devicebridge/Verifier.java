package tinyad.devicebridge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import tinyad.common.DataException;
import tinyad.common.ToolException;
import tinyad.quantizer.QuantizedModel;

/**
 * Streams quantized windows through a device and checks every score against the Java integer
 * reference. Nothing the device claims is taken on trust: it must announce the model's hash, input length
 * and threshold; its sequence counter is reset ({@code R}) first, so window i is answered by score i; each
 * score and its alarm bit are checked against the reference; a score for a window that was never sent, a
 * reboot, a vanished port or a deadline passed ends the run with the counts so far.
 */
public final class Verifier {
    /** A window whose score or alarm bit differs from the reference's. */
    public record Mismatch(int window, int expected, int actual, boolean expectedAlarm, boolean actualAlarm) {
        public Mismatch(int window, int expected, int actual) {
            this(window, expected, actual, false, false);
        }
    }

    /**
     * {@code alarmsChecked}: the device speaks protocol 2, so each window's alarm-rule state and the alarm events were
     * checked against the Java reference ({@code tinyad.model.AlarmRule} on the reference scores, in window order);
     * {@code eventMismatches} counts events that differ, are missing or are extra.
     */
    public record Report(Protocol.Hello hello, int windows, int matched, List<Mismatch> mismatches, int lost,
                         int badLines, int[] deviceScores, boolean[] deviceAlarms, long elapsedNanos, long[] latencyNanos,
                         boolean alarmsChecked, int[] deviceStates, List<Protocol.Event> deviceEvents, int eventMismatches) {
        public boolean ok() {
            return matched == windows && mismatches.isEmpty() && lost == 0 && eventMismatches == 0;
        }
    }

    /** The events the reference expects for these windows, from the idle state (the device's after R). */
    public static List<Protocol.Event> expectedEvents(QuantizedModel model, byte[][] windows) {
        List<Protocol.Event> e = new ArrayList<>();
        tinyad.model.AlarmRule.State st = new tinyad.model.AlarmRule.State(model.alarm());
        for (int i = 0; i < windows.length; i++) {
            int score = model.score(windows[i]);
            int ev = st.update(score);
            if (ev == tinyad.model.AlarmRule.START) e.add(new Protocol.Event(i, true, score));
            else if (ev == tinyad.model.AlarmRule.END) e.add(new Protocol.Event(i, false, (int) st.peak()));
        }
        return e;
    }

    private Verifier() {}

    /**
     * @param maxInFlight   windows sent before their score came back: 1 (stop-and-wait) for a real UART,
     *                      more where the link never drops bytes (emulator pipes)
     * @param timeoutMillis the longest wait for the announcement, the reset's acknowledgement, or the next
     *                      score; the whole run ends by (windows + 3) times it, whatever the device sends
     */
    public static Report verify(DeviceSession session, QuantizedModel model, byte[][] windows, int maxInFlight,
                                int timeoutMillis) throws IOException {
        return verify(session, model, windows, maxInFlight, timeoutMillis, null);
    }

    /** As above; {@code progress} (may be null) hears the number of windows answered after each score. */
    public static Report verify(DeviceSession session, QuantizedModel model, byte[][] windows, int maxInFlight,
                                int timeoutMillis, java.util.function.IntConsumer progress) throws IOException {
        long start = System.nanoTime();
        int n = windows.length;
        long overall = start + (long) timeoutMillis * 1_000_000L * (n + 3L);
        Protocol.Hello hello;
        int[] rule;
        try {
            hello = session.requireHello(timeoutMillis);
            checkDevice(hello, model);
            session.selectMode(hello, "replay", timeoutMillis);   // a live device stops scoring its own samples
            session.resetSequence(timeoutMillis);   // also resets the device's alarm rule to idle
            rule = session.enableAlarms(hello, timeoutMillis);
            if (rule != null) checkRule(rule, model);
        } catch (IOException e) {
            throw new ToolException(session.link().name() + " failed before verification started: " + e.getMessage());
        }
        boolean checkAlarms = rule != null;
        int[] expectedState = new int[n], states = new int[n];
        if (checkAlarms) {
            tinyad.model.AlarmRule.State st = new tinyad.model.AlarmRule.State(model.alarm());
            for (int i = 0; i < n; i++) {
                st.update(model.score(windows[i]));
                expectedState[i] = st.active() ? 1 : 0;
            }
        }
        List<Protocol.Event> events = new ArrayList<>();
        int[] got = new int[n];
        boolean[] alarms = new boolean[n];
        boolean[] seen = new boolean[n];
        long[] sentAt = new long[n], latency = new long[n];
        List<Mismatch> mismatches = new ArrayList<>();
        int matched = 0, sent = 0, answered = 0, retries = 0, silent = 0, strayErrors = 0;
        long lastScore = System.nanoTime();   // only scores extend the wait
        try {
            while (answered < n) {
                while (sent < n && sent - answered < maxInFlight) {
                    sentAt[sent] = System.nanoTime();
                    session.send(Protocol.window(windows[sent++]));
                }
                long now = System.nanoTime();
                if (now >= overall)
                    throw failed("the device did not finish within " + (overall - start) / 1_000_000 + " ms", n, sent, matched, mismatches, seen);
                long wait = Math.min(overall, lastScore + timeoutMillis * 1_000_000L) - now;
                Protocol.Message m = wait > 0 ? session.next((int) Math.max(1, wait / 1_000_000L)) : null;
                if (session.counters().resets() > 0)
                    throw failed("the device reset or rebooted (it announced itself unasked)", n, sent, matched, mismatches, seen);
                if (m == null) {
                    if (System.nanoTime() - lastScore < timeoutMillis * 1_000_000L && System.nanoTime() < overall) continue;
                    // nothing came back for what is in flight: count it lost and go on, unless the device is silent
                    if (++silent >= 3) break;
                    answered = sent;
                    lastScore = System.nanoTime();
                    continue;
                }
                if (m instanceof Protocol.Error e) {
                    // an error with no window in flight (the device split an overlong line and refused its tail after
                    // scoring its head) refers to no window: resending would shift every later score onto the wrong
                    // window, so it is a bad line
                    if (sent == answered) {
                        strayErrors++;
                        continue;
                    }
                    // a window damaged on its way in: stop-and-wait knows which, so send it again
                    if (maxInFlight == 1 && retries++ < 3 * n / 100 + 3) {
                        sent--;
                        continue;
                    }
                    throw new ToolException("device refused a window ('" + e.code() + "'); on a noisy link use --in-flight 1");
                }
                if (m instanceof Protocol.Event ev) {
                    if (ev.seq() < sent) events.add(ev);
                    continue;
                }
                if (!(m instanceof Protocol.Score s)) continue;
                if (s.seq() >= sent)
                    throw failed("the device sent score " + s.seq() + " for a window that was not sent yet", n, sent, matched, mismatches, seen);
                silent = 0;
                lastScore = System.nanoTime();
                answered = (int) Math.max(answered, s.seq() + 1);
                if (progress != null) progress.accept(answered);
                int i = (int) s.seq();
                if (seen[i]) {   // one result per window: matched + mismatched + lost is always the window count
                    strayErrors++;
                    continue;
                }
                seen[i] = true;
                got[i] = s.score();
                alarms[i] = s.alarm();
                latency[i] = System.nanoTime() - sentAt[i];
                states[i] = s.state();
                int expected = model.score(windows[i]);
                boolean expectedAlarm = expected > model.thresholdQ();
                boolean stateOk = !checkAlarms || s.state() == expectedState[i];
                if (expected == s.score() && expectedAlarm == s.alarm() && stateOk) matched++;
                else mismatches.add(new Mismatch(i, expected, s.score(), expectedAlarm, s.alarm()));
            }
        } catch (DeviceSession.Disconnected e) {
            throw failed(session.link().name() + " disconnected", n, sent, matched, mismatches, seen);
        } catch (IOException e) {
            throw failed(session.link().name() + " failed (" + e.getMessage() + ")", n, sent, matched, mismatches, seen);
        }
        int lost = 0;
        for (boolean b : seen) if (!b) lost++;
        int eventMismatches = 0;
        if (checkAlarms) {
            List<Protocol.Event> want = expectedEvents(model, windows);
            for (int i = 0; i < Math.max(want.size(), events.size()); i++)
                if (i >= want.size() || i >= events.size() || !want.get(i).equals(events.get(i))) eventMismatches++;
        }
        return new Report(hello, n, matched, mismatches, lost, (int) session.counters().bad() + strayErrors, got, alarms,
                System.nanoTime() - start, latency, checkAlarms, states, events, eventMismatches);
    }

    /** The announcement must describe the model being verified: hash, input length, and threshold. */
    public static void checkDevice(Protocol.Hello hello, QuantizedModel model) {
        if (!hello.hash().equals(model.hash()))
            throw new DataException("device runs model " + hello.model() + " (hash " + hello.hash() + "), expected hash " + model.hash());
        if (hello.inputLen() != model.inputSize())
            throw new DataException("device expects " + hello.inputLen() + " inputs per window, the model has " + model.inputSize());
        if (hello.threshold() != model.thresholdQ())
            throw new DataException("device announces threshold " + hello.threshold() + ", the model's is " + model.thresholdQ()
                    + " (was it changed with T?)");
    }

    /** The alarm rule a protocol 2 device reports (k, n, hold-off, re-arm) must be the model's. */
    public static void checkRule(int[] rule, QuantizedModel model) {
        tinyad.model.AlarmRule a = model.alarm();
        if (rule[0] != a.k() || rule[1] != a.n() || rule[2] != a.holdoff() || rule[3] != (long) a.rearm())
            throw new DataException("device runs alarm rule onset " + rule[0] + " of " + rule[1] + ", hold-off " + rule[2] + ", re-arm "
                    + rule[3] + "; the model's is " + a);
    }

    private static ToolException failed(String what, int n, int sent, int matched, List<Mismatch> mismatches, boolean[] seen) {
        int answered = 0;
        for (boolean b : seen) if (b) answered++;
        return new ToolException(what + " after " + sent + " of " + n + " windows sent: matched " + matched + ", mismatched "
                + mismatches.size() + ", unanswered " + (sent - answered));
    }
}
