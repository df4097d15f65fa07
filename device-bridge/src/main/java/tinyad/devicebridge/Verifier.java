package tinyad.devicebridge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import tinyad.common.DataException;
import tinyad.common.ToolException;
import tinyad.quantizer.QuantizedModel;

/**
 * Streams quantized windows through a device and checks every score against the Java integer
 * reference. The device must announce the same model hash and input length; its sequence counter is
 * reset ({@code R}) first, so window i is answered by score i.
 */
public final class Verifier {
    public record Mismatch(int window, int expected, int actual) {}

    public record Report(Protocol.Hello hello, int windows, int matched, List<Mismatch> mismatches, int lost,
                         int badLines, int[] deviceScores, boolean[] deviceAlarms, long elapsedNanos, long[] latencyNanos) {
        public boolean ok() {
            return matched == windows && mismatches.isEmpty() && lost == 0;
        }
    }

    private Verifier() {}

    /**
     * @param maxInFlight windows sent before their score came back: 1 (stop-and-wait) for a real UART,
     *                    more where the link never drops bytes (emulator pipes)
     */
    public static Report verify(DeviceSession session, QuantizedModel model, byte[][] windows, int maxInFlight,
                                int timeoutMillis) throws IOException {
        long start = System.nanoTime();
        Protocol.Hello hello = session.requireHello(timeoutMillis);
        if (!hello.hash().equals(model.hash()))
            throw new DataException("device runs model " + hello.model() + " (hash " + hello.hash() + "), expected hash " + model.hash());
        if (hello.inputLen() != model.inputSize())
            throw new DataException("device expects " + hello.inputLen() + " inputs per window, the model has " + model.inputSize());
        session.resetSequence(timeoutMillis);

        int n = windows.length;
        int[] got = new int[n];
        boolean[] alarms = new boolean[n];
        boolean[] seen = new boolean[n];
        long[] sentAt = new long[n], latency = new long[n];
        List<Mismatch> mismatches = new ArrayList<>();
        int matched = 0, sent = 0, answered = 0, retries = 0, silent = 0;
        while (answered < n) {
            while (sent < n && sent - answered < maxInFlight) {
                sentAt[sent] = System.nanoTime();
                session.send(Protocol.window(windows[sent++]));
            }
            Protocol.Message m = session.next(timeoutMillis);
            if (m == null) {
                // nothing came back for what is in flight: count it lost and go on, unless the device is silent
                if (++silent >= 3) break;
                answered = sent;
                continue;
            }
            silent = 0;
            if (m instanceof Protocol.Error e) {
                // a window damaged on its way in: stop-and-wait knows which, so send it again
                if (maxInFlight == 1 && retries++ < 3 * n / 100 + 3) {
                    sent--;
                    continue;
                }
                throw new ToolException("device refused a window ('" + e.code() + "'); on a noisy link use --in-flight 1");
            }
            if (m instanceof Protocol.Hello) {
                if (session.counters().resets() > 0) throw new ToolException("the device reset during verification");
                continue;
            }
            if (!(m instanceof Protocol.Score s)) continue;
            answered = (int) Math.min(n, s.seq() + 1);
            if (s.seq() >= n) continue;
            int i = (int) s.seq();
            seen[i] = true;
            got[i] = s.score();
            alarms[i] = s.alarm();
            latency[i] = System.nanoTime() - sentAt[i];
            int expected = model.score(windows[i]);
            if (expected == s.score()) matched++;
            else mismatches.add(new Mismatch(i, expected, s.score()));
        }
        int lost = 0;
        for (boolean b : seen) if (!b) lost++;
        return new Report(hello, n, matched, mismatches, lost, (int) session.counters().bad(), got, alarms,
                System.nanoTime() - start, latency);
    }
}
