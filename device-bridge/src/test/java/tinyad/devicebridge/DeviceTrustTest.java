package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.common.DataException;
import tinyad.common.ToolException;
import tinyad.quantizer.QuantizedKMeans;

/**
 * Issue #20, "the device link trusts the device": a scripted device on a pty pair lies about sequence
 * numbers, alarms, its threshold and its model, re-announces itself, reboots and vanishes; the host must
 * check what it can and end every run in bounded time with the counts so far.
 */
class DeviceTrustTest {
    static final int N = 61;
    static QuantizedKMeans model;
    static byte[][] windows;
    static ScriptedDevice.QuantizedModelInfo info;

    @BeforeAll
    static void setUp() {
        Toolchain.require("socat");
        model = FaultInjectionTestModels.small();
        SplittableRandom r = new SplittableRandom(9);
        windows = new byte[N][8];
        for (byte[] w : windows) for (int i = 0; i < 8; i++) w[i] = (byte) r.nextInt(-128, 128);
        info = new ScriptedDevice.QuantizedModelInfo("fake", model.hash(), model.inputSize());
    }

    /** An honest device running {@link #model}; tests override what it says. */
    static class Honest implements ScriptedDevice.Script {
        long seq;   // the firmware's uint32_t
        int threshold = model.thresholdQ();
        String hash = model.hash();
        int windowsScored;

        @Override
        public String onHostLine(String p, ScriptedDevice d) throws Exception {
            if (p == null) return Protocol.frame("E crc");
            return switch (p) {
                case "I" -> hello();
                case "R" -> {
                    seq = 0;
                    yield Protocol.frame("K R");
                }
                default -> p.startsWith("W ") ? onWindow(ScriptedDevice.window(p)) : Protocol.frame("E cmd");
            };
        }

        String hello() {
            return Protocol.frame("H 1 fake " + hash + " " + model.inputSize() + " " + threshold + " " + seq);
        }

        String onWindow(byte[] w) throws Exception {
            windowsScored++;
            return score(model.score(w));
        }

        String score(int s) {
            String line = Protocol.frame("S " + seq + " " + s + " " + (s > threshold ? 1 : 0));
            seq = (seq + 1) & 0xFFFF_FFFFL;
            return line;
        }
    }

    static ScriptedDevice device(Path dir, Honest script) throws Exception {
        return new ScriptedDevice(dir, script, script.hello());
    }

    static DeviceSession open(ScriptedDevice d) {
        return new DeviceSession(JsscLink.open(d.hostPort().toString(), 115200));
    }

    @Test
    void aHonestDeviceVerifies(@TempDir Path dir) throws Exception {
        try (ScriptedDevice d = device(dir, new Honest()); DeviceSession s = open(d)) {
            Verifier.Report r = Verifier.verify(s, model, windows, 4, 2000);
            assertTrue(r.ok());
            assertEquals(N, r.matched());
        }
    }

    @Test
    void aWildSequenceJumpIsABadLineNotABillionLostAndLaterScoresStillArrive(@TempDir Path dir) throws Exception {
        // was: "lost 999999997", then every genuine score dropped as a duplicate
        Honest h = new Honest() {
            @Override
            String onWindow(byte[] w) throws Exception {
                String genuine = super.onWindow(w);
                return windowsScored == 3 ? Protocol.frame("S 1000000000 7 0") + genuine : genuine;
            }
        };
        try (ScriptedDevice d = device(dir, h); DeviceSession s = open(d)) {
            s.requireHello(2000);
            s.resetSequence(2000);
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                s.send(Protocol.window(windows[i]));
                Protocol.Message m;
                do { m = s.next(2000); } while (m != null && !(m instanceof Protocol.Score));
                seqs.add(((Protocol.Score) m).seq());
            }
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), seqs);
            assertEquals(new DeviceSession.Counters(10, 1, 0, 0, 0, 0), s.counters());
        }
    }

    @Test
    void theFirmwaresSequenceWrapIsTheNextNumber(@TempDir Path dir) throws Exception {
        Honest h = new Honest();
        h.seq = 0xFFFF_FFFFL - 2;   // 3 scores before the uint32_t wraps
        try (ScriptedDevice d = device(dir, h); DeviceSession s = open(d)) {
            assertEquals(0xFFFF_FFFFL - 2, s.requireHello(2000).nextSeq());
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                s.send(Protocol.window(windows[i]));
                Protocol.Message m;
                do { m = s.next(2000); } while (m != null && !(m instanceof Protocol.Score));
                seqs.add(((Protocol.Score) m).seq());
            }
            assertEquals(List.of(4294967293L, 4294967294L, 4294967295L, 0L, 1L, 2L), seqs);
            assertEquals(new DeviceSession.Counters(6, 0, 0, 0, 0, 0), s.counters());
        }
    }

    @Test
    void aSequenceNumberBeyondUint32IsABadLineAndVerifyReportsOneResultPerWindow(@TempDir Path dir) throws Exception {
        // was: S 9223372036854775807 overflowed a long and verify printed 63 results for 61 windows
        Honest h = new Honest() {
            @Override
            String onWindow(byte[] w) throws Exception {
                String genuine = super.onWindow(w);
                return windowsScored == 5 ? Protocol.frame("S 9223372036854775807 1 0") + Protocol.frame("S 4294967296 1 0") + genuine : genuine;
            }
        };
        try (ScriptedDevice d = device(dir, h); DeviceSession s = open(d)) {
            Verifier.Report r = Verifier.verify(s, model, windows, 1, 2000);
            assertTrue(r.ok());
            assertEquals(N, r.matched());
            assertEquals(N, r.deviceScores().length);
            assertEquals(2, r.badLines());
        }
    }

    /** A device that adds {@code extra} after its genuine answer to the 5th window. */
    static Verifier.Report verifyWithExtra(Path dir, String extra) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        Honest h = new Honest() {
            @Override
            String onWindow(byte[] w) throws Exception {
                String genuine = super.onWindow(w);
                return windowsScored == 5 ? genuine + extra : genuine;
            }
        };
        try (ScriptedDevice d = device(dir, h); DeviceSession s = open(d)) {
            return Verifier.verify(s, model, windows, 1, 2000);
        }
    }

    @Test
    void countsAlwaysAddUpToTheWindows(@TempDir Path dir) throws Exception {
        // was "matched 61/61 (mismatched 2)": each window now has exactly one result
        Verifier.Report overlong = verifyWithExtra(dir.resolve("a"), "x".repeat(700) + "\n");
        assertTrue(overlong.ok());
        assertEquals(N, overlong.matched());
        assertEquals(1, overlong.badLines(), "the overlong line");

        // a second, different score for window 4: the first answer counts, the second is dropped as a duplicate
        Verifier.Report twice = verifyWithExtra(dir.resolve("b"), Protocol.frame("S 4 " + (model.score(windows[4]) + 1) + " 0"));
        assertTrue(twice.ok());
        assertEquals(N, twice.matched());

        // an error line next to a score breaks "one answer per line": whatever the host makes of it, the counts add up
        Verifier.Report stray = verifyWithExtra(dir.resolve("c"), Protocol.frame("E len"));
        assertEquals(N, stray.matched() + stray.mismatches().size() + stray.lost(), "one result per window");
        assertTrue(stray.matched() <= N && stray.mismatches().size() <= N);
    }

    @Test
    void aScoreForAWindowNotYetSentEndsVerificationWithTheCounts(@TempDir Path dir) throws Exception {
        Honest h = new Honest() {
            @Override
            String onWindow(byte[] w) throws Exception {
                String genuine = super.onWindow(w);
                return windowsScored == 5 ? genuine + Protocol.frame("S 40 1 0") : genuine;
            }
        };
        try (ScriptedDevice d = device(dir, h); DeviceSession s = open(d)) {
            ToolException e = assertThrows(ToolException.class, () -> Verifier.verify(s, model, windows, 1, 2000));
            assertTrue(e.getMessage().matches("the device sent score 40 for a window that was not sent yet after [56] of 61 windows sent: matched 5, .*"),
                    e.getMessage());
        }
    }

    @Test
    void invertedAlarmsAreMismatchesAndAForeignThresholdIsRefused(@TempDir Path dir) throws Exception {
        Honest inverted = new Honest() {
            @Override
            String score(int sc) {
                String line = Protocol.frame("S " + seq + " " + sc + " " + (sc > threshold ? 0 : 1));
                seq++;
                return line;
            }
        };
        try (ScriptedDevice d = device(dir.resolve("a").toFile().mkdirs() ? dir.resolve("a") : null, inverted); DeviceSession s = open(d)) {
            Verifier.Report r = Verifier.verify(s, model, windows, 4, 2000);
            assertFalse(r.ok());
            assertEquals(0, r.matched());
            assertEquals(N, r.mismatches().size());
            Verifier.Mismatch m = r.mismatches().get(0);
            assertEquals(m.expected(), m.actual(), "the scores agree; the alarm bits do not");
            assertNotEquals(m.expectedAlarm(), m.actualAlarm());
        }
        Honest lowered = new Honest();
        lowered.threshold = -5;   // announces -5 and alarms on everything (consistently with -5)
        try (ScriptedDevice d = device(dir.resolve("b").toFile().mkdirs() ? dir.resolve("b") : null, lowered); DeviceSession s = open(d)) {
            DataException e = assertThrows(DataException.class, () -> Verifier.verify(s, model, windows, 4, 2000));
            assertEquals("device announces threshold -5, the model's is " + model.thresholdQ() + " (was it changed with T?)", e.getMessage());
        }
    }

    @Test
    void aDeviceThatKeepsAnnouncingItselfCannotExtendTheRun(@TempDir Path dir) throws Exception {
        Honest chatty = new Honest() {
            @Override
            String onWindow(byte[] w) {
                return "";   // never scores, only announces (below)
            }
        };
        try (ScriptedDevice d = device(dir, chatty); DeviceSession s = open(d)) {
            Thread announcer = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        d.say(chatty.hello());
                        Thread.sleep(100);
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            announcer.setDaemon(true);
            announcer.start();
            long t0 = System.nanoTime();
            ToolException e = assertThrows(ToolException.class, () -> Verifier.verify(s, model, windows, 1, 1500));
            announcer.interrupt();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            // announcements within 2 s of the host's I are answers; the first one after that ends the run
            assertTrue(e.getMessage().matches("the device reset or rebooted \\(it announced itself unasked\\) after [12] of 61 windows sent: matched 0, .*"),
                    e.getMessage());
            assertTrue(ms < 5000, "ended in " + ms + " ms");
        }
    }

    @Test
    void aDeviceThatAnswersWithNoiseEndsByTheOverallDeadline(@TempDir Path dir) throws Exception {
        // acknowledgements never extend the wait for a score; only the deadline ends a device that sends them forever
        Honest noisy = new Honest() {
            @Override
            String onWindow(byte[] w) {
                return "";
            }
        };
        try (ScriptedDevice d = device(dir, noisy); DeviceSession s = open(d)) {
            Thread acks = new Thread(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        d.say(Protocol.frame("K T 5"));
                        Thread.sleep(50);
                    }
                } catch (Exception e) {
                    // closed
                }
            });
            acks.setDaemon(true);
            acks.start();
            byte[][] three = {windows[0], windows[1], windows[2]};
            long t0 = System.nanoTime();
            Verifier.Report r = Verifier.verify(s, model, three, 1, 400);
            acks.interrupt();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(3, r.lost());
            assertTrue(ms <= (3 + 3) * 400 + 500, "bounded by (windows + 3) x timeout: " + ms + " ms");
        }
    }

    @Test
    void aDeviceThatRebootsOnAWindowIsReported(@TempDir Path dir) throws Exception {
        // was: one timeout per window, the reboots never mentioned
        Honest rebooting = new Honest() {
            @Override
            String onWindow(byte[] w) throws Exception {
                if (++windowsScored < 4) return score(model.score(w));
                seq = 0;
                return hello();   // the boot announcement, unasked
            }
        };
        try (ScriptedDevice d = device(dir, rebooting); DeviceSession s = open(d)) {
            long t0 = System.nanoTime();
            ToolException e = assertThrows(ToolException.class, () -> Verifier.verify(s, model, windows, 1, 3000));
            assertTrue(e.getMessage().contains("reset or rebooted") && e.getMessage().contains("after 4 of 61 windows sent: matched 3"),
                    e.getMessage());
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 2500, "no timeout waited");
            assertEquals(1, s.counters().resets());
        }
    }

    @Test
    void aVanishedPortEndsVerificationWithTheCountsSoFar(@TempDir Path dir) throws Exception {
        // was: exit 70 with a stack trace and no counts
        Honest dying = new Honest() {
            @Override
            String onWindow(byte[] w) throws Exception {
                return windowsScored++ < 7 ? score(model.score(w)) : "";
            }
        };
        try (ScriptedDevice d = device(dir, dying); DeviceSession s = open(d)) {
            Thread killer = new Thread(() -> {
                try {
                    while (dying.windowsScored < 8) Thread.sleep(10);
                    d.unplug();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            killer.setDaemon(true);
            killer.start();
            ToolException e = assertThrows(ToolException.class, () -> Verifier.verify(s, model, windows, 1, 3000));
            assertTrue(e.getMessage().matches(".*host (disconnected|failed .*) after \\d+ of 61 windows sent: matched 7, mismatched 0, unanswered \\d+"),
                    e.getMessage());
        }
    }

    @Test
    void theMonitorRefusesADeviceRunningAnotherModel(@TempDir Path dir) throws Exception {
        Honest other = new Honest();
        other.hash = "00000000deadbeef";
        try (ScriptedDevice d = device(dir, other)) {
            Monitor m = new Monitor(() -> JsscLink.open(d.hostPort().toString(), 115200), new PrintStream(new ByteArrayOutputStream()), false);
            List<String> sent = new ArrayList<>();
            DataException e = assertThrows(DataException.class, () -> m.run(5000, sc -> { }, session -> {
                Verifier.checkDevice(session.hello(), model);   // what tinyad monitor --model does on every connect
                sent.add("replay");
            }));
            assertTrue(e.getMessage().startsWith("device runs model fake (hash 00000000deadbeef), expected hash " + model.hash()), e.getMessage());
            assertEquals(List.of(), sent, "nothing replayed to the wrong model");
        }
    }
}
