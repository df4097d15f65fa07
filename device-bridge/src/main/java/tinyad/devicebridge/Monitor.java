package tinyad.devicebridge;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Live view of a device's scores: a refreshing status line with a sparkline of recent scores against
 * the threshold, alarms highlighted, scores per second and the bad-line, lost and reset counters.
 * Reconnects with exponential backoff (100 ms .. 5 s) when the port disappears.
 */
public final class Monitor {
    private static final char[] BARS = "▁▂▃▄▅▆▇█".toCharArray();

    public interface Listener {
        void onScore(Protocol.Score s) throws IOException;
    }

    private final Supplier<SerialLink> connect;
    private final PrintStream out;
    private final boolean ansi;
    private final ArrayDeque<Integer> recent = new ArrayDeque<>();
    private Protocol.Status status;   /* the device's last Q line, protocol 3 */
    private Protocol.Learn learning;  /* the device's last L line (a firmware exported with --learn) */
    private final ArrayDeque<Boolean> recentAlarm = new ArrayDeque<>();
    private long totalScores, bad, lost, duplicates, resets, reconnects;

    public Monitor(Supplier<SerialLink> connect, PrintStream out, boolean ansi) {
        this.connect = connect;
        this.out = out;
        this.ansi = ansi;
    }

    public record Totals(long scores, long bad, long lost, long duplicates, long resets, long reconnects) {}

    public Totals totals() {
        return new Totals(totalScores, bad, lost, duplicates, resets, reconnects);
    }

    /** Runs until {@code durationMillis} has passed (0 = until interrupted). */
    /** What a host does on every (re)connect, after the announcement: check the model, choose the mode, start a replay. */
    public interface OnConnect {
        void accept(DeviceSession session) throws IOException;
    }

    public void run(long durationMillis, Listener listener, OnConnect onConnect)
            throws IOException, InterruptedException {
        long end = durationMillis > 0 ? System.currentTimeMillis() + durationMillis : Long.MAX_VALUE;
        long backoff = 100;
        while (System.currentTimeMillis() < end && !Thread.currentThread().isInterrupted()) {
            SerialLink link;
            try {
                link = connect.get();
            } catch (RuntimeException e) {
                status("waiting for the port: " + e.getMessage());
                Thread.sleep(Math.min(backoff, Math.max(1, end - System.currentTimeMillis())));
                backoff = Math.min(5000, backoff * 2);
                continue;
            }
            backoff = 100;
            DeviceSession s = new DeviceSession(link);
            DeviceSession.Counters base = s.counters();
            try {
                Protocol.Hello h = s.awaitHello((int) Math.min(5000, Math.max(1, end - System.currentTimeMillis())));
                if (h == null) continue;
                // protocol 2 (alarm state and events) before anything is sent: the handshake reads up to its acknowledgement
                alarmRule = s.enableAlarms(h, 2000) != null;
                if (onConnect != null) onConnect.accept(s);
                long windowStart = System.currentTimeMillis(), windowCount = 0;
                double rate = 0;
                while (System.currentTimeMillis() < end) {
                    Protocol.Message m = s.next(200);
                    if (m instanceof Protocol.Event ev) {
                        if (ev.start()) { alarmEvents++; alarmOn = true; } else alarmOn = false;
                        lastEvent = (ev.start() ? "alarm from window " : "cleared at window ") + ev.seq()
                                + (ev.start() ? ", score " : ", peak ") + ev.value();
                    }
                    if (m instanceof Protocol.Status st) status = st;
                    if (m instanceof Protocol.Learn l) learning = l;
                    if (m instanceof Protocol.Score sc) {
                        listener.onScore(sc);
                        totalScores++;
                        windowCount++;
                        recent.addLast(sc.score());
                        recentAlarm.addLast(sc.alarm());
                        if (recent.size() > 40) { recent.removeFirst(); recentAlarm.removeFirst(); }
                    }
                    long now = System.currentTimeMillis();
                    if (now - windowStart >= 500) {
                        rate = windowCount * 1000.0 / (now - windowStart);
                        windowStart = now;
                        windowCount = 0;
                    }
                    status(line(h, s, rate, s.counters(), base));
                }
                return;
            } catch (DeviceSession.Disconnected e) {
                reconnects++;
                status("port lost; reconnecting");
            } finally {
                account(s.counters(), base);   // every session's bad, lost and reset counts reach the totals
                s.close();
            }
        }
    }

    private void account(DeviceSession.Counters c, DeviceSession.Counters base) {
        bad += c.bad() - base.bad();
        lost += c.lost() - base.lost();
        duplicates += c.duplicates() - base.duplicates();
        resets += c.resets() - base.resets();
    }

    private String line(Protocol.Hello h, DeviceSession s, double rate, DeviceSession.Counters c, DeviceSession.Counters base) {
        // a device that learned sets its own threshold: its L end / L stored line says which
        int thr = learning != null && (learning.state().equals("end") || learning.state().equals("stored")) ? learning.threshold() : s.hello().threshold();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s thr %d | ", h.model(), thr));
        var it = recentAlarm.iterator();
        for (int v : recent) {
            boolean alarm = it.next();
            int level = thr <= 0 ? BARS.length - 1 : (int) Math.min(BARS.length - 1, Math.max(0, (long) v * (BARS.length - 1) / (2L * thr)));
            if (alarm && ansi) b.append("\u001b[31m").append(BARS[level]).append("\u001b[0m");
            else b.append(alarm ? '!' : BARS[level]);
        }
        Integer last = recent.peekLast();
        b.append(String.format(Locale.ROOT, " | last %s | %.1f scores/s | bad %d lost %d dup %d resets %d",
                last == null ? "-" : last, rate, bad + c.bad() - base.bad(), lost + c.lost() - base.lost(),
                duplicates + c.duplicates() - base.duplicates(), resets + c.resets() - base.resets()));
        // a live device's own counters (its Q lines): windows late or lost on the board, ticks its sampling missed
        if (status != null) b.append(String.format(Locale.ROOT, " | %s: overruns %d skipped %d missed %d",
                status.mode(), status.overruns(), status.skipped(), status.missed()));
        if (learning != null) b.append(switch (learning.state()) {
            case "progress" -> String.format(Locale.ROOT, " | learning %d/%d windows", learning.learned(), learning.windows());
            case "end" -> String.format(Locale.ROOT, " | learned at window %d%s", learning.window(), learning.kept() ? ", stored" : ", NOT stored");
            case "stored" -> " | learned state from the store";
            default -> " | store corrupt: shipped model";
        });
        if (alarmRule) b.append(String.format(Locale.ROOT, " | ALARM %s, %d events, last: %s", alarmOn ? "ON" : "off", alarmEvents, lastEvent));
        return b.toString();
    }

    private long lastStatus;
    private boolean alarmRule, alarmOn;
    private long alarmEvents;
    private String lastEvent = "none";

    private void status(String s) {
        long now = System.currentTimeMillis();
        if (now - lastStatus < (ansi ? 100 : 1000)) return;
        lastStatus = now;
        if (ansi) out.print("\r\u001b[2K" + s);
        else out.println(s);
        out.flush();
    }
}
