package tinyad.devicebridge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import tinyad.common.ToolException;

/**
 * The host's view of one device link: assembles lines, checks their CRC, and keeps the books on the
 * score stream. Counting rules (docs/serial-protocol.md):
 * <ul>
 *   <li>a line that fails its CRC or does not parse is dropped and counted {@code bad}; bytes before a
 *       line's start are resynchronised at the next newline; a line longer than 512 bytes is bad</li>
 *   <li>a score whose sequence number jumps ahead counts the skipped numbers as {@code lost}</li>
 *   <li>a score whose sequence number was already seen is dropped and counted {@code duplicates}:
 *       no score is ever delivered twice</li>
 *   <li>an announcement whose next sequence number is below the expected one is a device {@code reset}
 *       (reboot or counter reset): the stream restarts at that number</li>
 * </ul>
 */
public final class DeviceSession implements AutoCloseable {
    static final int MAX_LINE = 512;

    /** The link went away (port unplugged, emulator exited). */
    public static final class Disconnected extends IOException {
        public Disconnected(String message) {
            super(message);
        }
    }

    public record Counters(long scores, long bad, long lost, long duplicates, long resets, long errors) {}

    private final SerialLink link;
    private final byte[] buf = new byte[4096];
    private int bufLen, bufPos;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean overlong;
    private long expectedSeq = -1;   // unknown until the first hello or score
    private long scores, bad, lost, duplicates, resets, errors;
    private Protocol.Hello hello;

    public DeviceSession(SerialLink link) {
        this.link = link;
    }

    public SerialLink link() {
        return link;
    }

    public Protocol.Hello hello() {
        return hello;
    }

    public Counters counters() {
        return new Counters(scores, bad, lost, duplicates, resets, errors);
    }

    public void send(String framedLine) throws IOException {
        link.write(framedLine.getBytes(StandardCharsets.US_ASCII));
    }

    /** After a host-requested counter reset ({@code R} acknowledged), the next score is 0. */
    public void expectSequence(long next) {
        expectedSeq = next;
    }

    /**
     * The next valid message within {@code timeoutMillis}, or null. Scores come out once each, in the
     * order received; duplicates are swallowed.
     */
    public Protocol.Message next(int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            String l = nextLine(deadline);
            if (l == null) return null;
            Protocol.Message m;
            try {
                m = Protocol.parse(l);
            } catch (Protocol.BadLine e) {
                bad++;
                continue;
            }
            if (m instanceof Protocol.Score s) {
                if (expectedSeq >= 0 && s.seq() < expectedSeq) {
                    duplicates++;
                    continue;
                }
                if (expectedSeq >= 0) lost += s.seq() - expectedSeq;
                expectedSeq = s.seq() + 1;
                scores++;
            } else if (m instanceof Protocol.Hello h) {
                if (hello != null && expectedSeq >= 0 && h.nextSeq() < expectedSeq) resets++;
                if (hello == null || expectedSeq < 0 || h.nextSeq() < expectedSeq) expectedSeq = h.nextSeq();
                hello = h;
            } else if (m instanceof Protocol.Error) {
                errors++;
            }
            return m;
        }
    }

    /**
     * Waits for the device's announcement, asking for it ({@code I}) every 500 ms: a device that booted
     * before the host opened the port, or whose first bytes a pty dropped, answers then.
     */
    public Protocol.Hello awaitHello(int timeoutMillis) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long nextAsk = 0;
        while (System.currentTimeMillis() < deadline) {
            if (System.currentTimeMillis() >= nextAsk) {
                send("\n" + Protocol.frame("I"));   // a blank line first ends any garbage on the device's side
                nextAsk = System.currentTimeMillis() + 500;
            }
            Protocol.Message m = next((int) Math.max(1, Math.min(100, deadline - System.currentTimeMillis())));
            if (m instanceof Protocol.Hello h) return h;
        }
        return null;
    }

    /** {@link #awaitHello}, failing with one line when the device does not announce itself. */
    public Protocol.Hello requireHello(int timeoutMillis) throws IOException {
        Protocol.Hello h = awaitHello(timeoutMillis);
        if (h == null)
            throw new ToolException("no announcement from " + link.name() + " within " + timeoutMillis + " ms (is it a tinyad device?)");
        return h;
    }

    /**
     * Restarts the device's sequence counter: sends {@code R} and waits for its acknowledgement, so that the
     * next score is number 0. The handshake every host-side run starts with, after {@link #requireHello}.
     */
    public void resetSequence(int timeoutMillis) throws IOException {
        send(Protocol.frame("R"));
        while (true) {
            Protocol.Message m = next(timeoutMillis);
            if (m == null) throw new ToolException("device did not acknowledge the counter reset");
            if (m instanceof Protocol.Ack a && a.what().equals("R")) break;
        }
        expectSequence(0);
    }

    private String nextLine(long deadline) throws IOException {
        while (true) {
            while (bufPos < bufLen) {
                byte b = buf[bufPos++];
                if (b == '\n') {
                    String s = line.toString(StandardCharsets.ISO_8859_1);
                    boolean tooLong = overlong;
                    line.reset();
                    overlong = false;
                    if (tooLong) {
                        bad++;
                        continue;
                    }
                    if (s.isEmpty() || s.equals("\r")) continue;
                    return s;
                }
                if (line.size() < MAX_LINE) line.write(b);
                else overlong = true;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) return null;
            int n = link.read(buf, (int) Math.min(left, 200));
            if (n < 0) throw new Disconnected(link.name() + " disconnected");
            bufLen = n;
            bufPos = 0;
        }
    }

    @Override
    public void close() {
        link.close();
    }
}
