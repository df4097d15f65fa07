package tinyad.devicebridge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import tinyad.common.ToolException;

/**
 * The host's view of one device link: assembles lines, checks their CRC, and keeps the books on the
 * score stream. It trusts nothing the device says beyond what it can check (docs/serial-protocol.md):
 * <ul>
 *   <li>a line that fails its CRC or does not parse is dropped and counted {@code bad}; bytes before a
 *       line's start are resynchronised at the next newline; a line longer than 512 bytes is bad</li>
 *   <li>sequence numbers are the device's {@code uint32_t} and compared modulo 2^32, so the wrap from
 *       4294967295 to 0 is just the next number</li>
 *   <li>a score up to {@link #SEQ_WINDOW} numbers ahead counts the skipped numbers as {@code lost}; one up
 *       to {@link #SEQ_WINDOW} behind was already seen and is dropped as a {@code duplicate} (no score is
 *       delivered twice); anything farther is a wild jump, dropped and counted {@code bad} (a damaged line
 *       or an unannounced reset, never a billion lost scores)</li>
 *   <li>an announcement the host did not ask for ({@code I} in the last 2 s), or one whose next sequence
 *       number is behind the expected one, is a device {@code reset} (reboot or counter reset): the stream
 *       restarts at that number</li>
 * </ul>
 */
public final class DeviceSession implements AutoCloseable {
    static final int MAX_LINE = 512;
    /** How far a sequence number may be from the expected one: far more than any link keeps in flight. */
    public static final long SEQ_WINDOW = 1024;
    static final long SEQ_MASK = 0xFFFF_FFFFL;
    private static final long SOLICITED_NANOS = 2_000_000_000L;

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
    private long lastAsk = System.nanoTime() - 2 * SOLICITED_NANOS;   // when the host last sent I

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
        if (framedLine.strip().equals(Protocol.frame("I").strip())) lastAsk = System.nanoTime();
        link.write(framedLine.getBytes(StandardCharsets.US_ASCII));
    }

    /** After a host-requested counter reset ({@code R} acknowledged), the next score is 0. */
    public void expectSequence(long next) {
        expectedSeq = next & SEQ_MASK;
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
                if (expectedSeq >= 0) {
                    long ahead = (s.seq() - expectedSeq) & SEQ_MASK;
                    if (ahead >= SEQ_WINDOW) {
                        if (SEQ_MASK + 1 - ahead <= SEQ_WINDOW) duplicates++;
                        else bad++;
                        continue;
                    }
                    lost += ahead;
                }
                expectedSeq = (s.seq() + 1) & SEQ_MASK;
                scores++;
            } else if (m instanceof Protocol.Hello h) {
                boolean solicited = System.nanoTime() - lastAsk < SOLICITED_NANOS;
                if (hello != null && expectedSeq >= 0) {
                    long ahead = (h.nextSeq() - expectedSeq) & SEQ_MASK;
                    if (!solicited || ahead >= SEQ_WINDOW) {
                        resets++;
                        expectedSeq = h.nextSeq();
                    }
                } else {
                    expectedSeq = h.nextSeq();
                }
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
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;   // other lines do not extend it
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            Protocol.Message m = left > 0 ? next((int) left) : null;
            if (m == null) throw new ToolException("device did not acknowledge the counter reset");
            if (m instanceof Protocol.Ack a && a.what().equals("R")) break;
        }
        expectSequence(0);
    }

    /** Asks a protocol 3 device for its status line ({@code Q}); null when none comes in time. */
    public Protocol.Status queryStatus(int timeoutMillis) throws IOException {
        send(Protocol.frame("Q"));
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            Protocol.Message m = left > 0 ? next((int) left) : null;
            if (m == null) return null;
            if (m instanceof Protocol.Status st) return st;
        }
    }

    /**
     * Puts a protocol 3 device in {@code mode} ({@code replay}, {@code live} or {@code raw}: {@code M}) and waits for
     * its acknowledgement. A device of protocol 1 or 2 only replays: asking it for another mode is refused here.
     */
    public void selectMode(Protocol.Hello hello, String mode, int timeoutMillis) throws IOException {
        if (hello.version() < 3) {
            if (mode.equals("replay")) return;
            throw new ToolException("the device speaks protocol " + hello.version() + ", which has no " + mode
                    + " mode: flash a firmware built by this tinyad with live sampling");
        }
        send(Protocol.frame("M " + mode));
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            Protocol.Message m = left > 0 ? next((int) left) : null;
            if (m == null) throw new ToolException("device did not acknowledge mode " + mode);
            if (m instanceof Protocol.Ack a && a.what().equals("M " + mode)) {
                expectSequence(0);   // a mode change restarts the windows (and the replay counter) at 0
                return;
            }
            if (m instanceof Protocol.Error e && e.code().equals("arg"))
                throw new ToolException("device has no " + mode + " mode (a replay-only build, or a sample rate its port cannot reach)");
        }
    }

    /**
     * Switches a version 2 device to version 2 lines ({@code V 2}) and returns the alarm rule its acknowledgement
     * carries: k, n, hold-off, re-arm. Null for a version 1 device (it has no alarm rule to report). Call it before
     * sending windows: lines before the acknowledgement are read and dropped.
     */
    public int[] enableAlarms(Protocol.Hello hello, int timeoutMillis) throws IOException {
        if (hello.version() < 2) return null;
        send(Protocol.frame("V 2"));
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            Protocol.Message m = left > 0 ? next((int) left) : null;
            if (m == null) throw new ToolException("device announced protocol " + hello.version() + " but did not acknowledge V 2");
            if (m instanceof Protocol.Ack a && a.what().startsWith("V 2")) {
                String[] f = a.what().split(" ");
                if (f.length != 6) throw new ToolException("device acknowledged V 2 without its alarm rule");
                try {
                    return new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]), Protocol.int32(f[5])};
                } catch (NumberFormatException | Protocol.BadLine e) {
                    throw new ToolException("device acknowledged V 2 with a malformed alarm rule");
                }
            }
            if (m instanceof Protocol.Error e && e.code().equals("cmd")) return null;   // a version 1 device after all
        }
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
