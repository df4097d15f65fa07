package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.codegen.Exporter;
import tinyad.quantizer.QuantizedKMeans;

/**
 * The host side against the emulated Cortex-M4 over a pty opened with jssc, through a relay that corrupts,
 * drops, resets, stalls, floods and disconnects. Each test drives the device stop-and-wait, so that the
 * expected counts are exact.
 */
class FaultInjectionTest {
    static final int N = 40;
    static Emulator device;
    static QuantizedKMeans model;
    static byte[][] windows;

    @BeforeAll
    static void startDevice(@TempDir Path dir) {
        Toolchain.require("make", "arm-none-eabi-gcc", "qemu-system-arm", "socat");
        model = FaultInjectionTestModels.small();
        SplittableRandom r = new SplittableRandom(4);
        windows = new byte[N][8];
        for (byte[] w : windows) for (int i = 0; i < 8; i++) w[i] = (byte) r.nextInt(-128, 128);
        Exporter.export(model, "relay", dir);
        device = Emulator.startOnPty(Target.CORTEX_M4, Target.CORTEX_M4.build(dir));
    }

    @AfterAll
    static void stopDevice() {
        if (device != null) device.close();
    }

    /** Scores received, keyed by (device epoch, sequence number): a reset starts a new epoch at 0. */
    record Outcome(Set<String> seqs, DeviceSession.Counters counters, int received) {}

    /** Opens the host side, resets the counters, sends N windows stop-and-wait and collects the scores. */
    static Outcome drive(FaultRelay relay, int replyTimeoutMillis) throws IOException {
        try (DeviceSession s = new DeviceSession(JsscLink.open(relay.hostPort().toString(), 115200))) {
            assertNotNull(s.awaitHello(10_000), "announcement");
            s.send(Protocol.frame("R"));
            Protocol.Message m;
            do { m = s.next(5000); } while (m != null && !(m instanceof Protocol.Ack));
            s.expectSequence(0);
            Set<String> seqs = new HashSet<>();
            int received = 0;
            for (int i = 0; i < N; i++) {
                s.send(Protocol.window(windows[i]));
                long deadline = System.currentTimeMillis() + replyTimeoutMillis;
                while (System.currentTimeMillis() < deadline) {
                    Protocol.Message r = s.next(50);
                    if (r instanceof Protocol.Score sc) {
                        assertTrue(seqs.add(s.counters().resets() + ":" + sc.seq()), "score " + sc.seq() + " delivered twice");
                        received++;
                        break;
                    }
                    if (r instanceof Protocol.Error) break;
                }
            }
            // anything late
            for (Protocol.Message r; (r = s.next(300)) != null; )
                if (r instanceof Protocol.Score sc) {
                    assertTrue(seqs.add(s.counters().resets() + ":" + sc.seq()));
                    received++;
                }
            return new Outcome(seqs, s.counters(), received);
        }
    }

    static FaultRelay relay(Path dir, FaultRelay.Fault f) throws Exception {
        return new FaultRelay(device.port(), dir, f);
    }

    @Test
    void cleanLinkDeliversEveryScoreOnce(@TempDir Path dir) throws Exception {
        try (FaultRelay r = relay(dir, (line, dev) -> FaultRelay.bytes(line))) {
            Outcome o = drive(r, 2000);
            assertEquals(N, o.received());
            assertEquals(new DeviceSession.Counters(N, 0, 0, 0, 0, 0), o.counters());
        }
    }

    @Test
    void corruptedScoreLinesAreFlaggedAndTheirScoresReportedLost(@TempDir Path dir) throws Exception {
        Set<Long> hit = Set.of(3L, 10L, 11L);
        try (FaultRelay r = relay(dir, (line, dev) -> hit.contains(FaultRelay.seqOf(line))
                ? FaultRelay.bytes(line.replaceFirst(" (\\d)", " 9$1")) : FaultRelay.bytes(line))) {
            Outcome o = drive(r, 500);
            assertEquals(N - 3, o.received());
            assertEquals(3, o.counters().bad());
            assertEquals(3, o.counters().lost());
            assertEquals(0, o.counters().duplicates());
            assertFalse(o.seqs().contains("0:10"));
            assertTrue(o.seqs().contains("0:12"));
        }
    }

    @Test
    void droppedBytesMergeTwoLinesIntoOneBadLine(@TempDir Path dir) throws Exception {
        // seq 5 loses its last 3 bytes (CRC digits and newline): it runs into seq 6
        try (FaultRelay r = relay(dir, (line, dev) -> FaultRelay.seqOf(line) == 5
                ? FaultRelay.bytes(line.substring(0, line.length() - 3)) : FaultRelay.bytes(line))) {
            Outcome o = drive(r, 500);
            assertEquals(N - 2, o.received());
            assertEquals(1, o.counters().bad());
            assertEquals(2, o.counters().lost());
        }
    }

    @Test
    void aDeviceResetMidStreamRestartsTheSequenceWithoutDuplicatesOrLosses(@TempDir Path dir) throws Exception {
        try (FaultRelay r = relay(dir, new FaultRelay.Fault() {
            boolean done;

            @Override
            public byte[] onDeviceLine(String line, SerialLink dev) throws IOException {
                if (line.startsWith("K R") && done) return new byte[0];   // the reset's own acknowledgement
                if (!done && FaultRelay.seqOf(line) == 20) {
                    done = true;
                    // as a reboot does: counters back to 0, then a fresh announcement
                    dev.write(FaultRelay.bytes(Protocol.frame("R") + Protocol.frame("I")));
                }
                return FaultRelay.bytes(line);
            }
        })) {
            Outcome o = drive(r, 2000);
            assertEquals(N, o.received());
            assertEquals(1, o.counters().resets());
            assertEquals(0, o.counters().lost());
            assertEquals(0, o.counters().duplicates());
            assertEquals(0, o.counters().bad());
        }
    }

    @Test
    void aStallDelaysButLosesNothing(@TempDir Path dir) throws Exception {
        try (FaultRelay r = relay(dir, (line, dev) -> {
            if (FaultRelay.seqOf(line) == 15) Thread.sleep(1500);
            return FaultRelay.bytes(line);
        })) {
            Outcome o = drive(r, 3000);
            assertEquals(N, o.received());
            assertEquals(new DeviceSession.Counters(N, 0, 0, 0, 0, 0), o.counters());
        }
    }

    @Test
    void aFloodOfGarbageIsCountedLineByLineAndResynchronised(@TempDir Path dir) throws Exception {
        SplittableRandom rnd = new SplittableRandom(11);
        try (FaultRelay r = relay(dir, (line, dev) -> {
            if (FaultRelay.seqOf(line) != 7) return FaultRelay.bytes(line);
            StringBuilder g = new StringBuilder();
            for (int k = 0; k < 25; k++) {   // 25 lines of random printable junk, each with a bad or no CRC
                for (int j = 0; j < 60; j++) g.append((char) rnd.nextInt(33, 127));
                g.append('\n');
            }
            g.append("x".repeat(5000)).append('\n');   // one line far past the 512-byte limit
            return FaultRelay.bytes(g + line);
        })) {
            Outcome o = drive(r, 2000);
            assertEquals(N, o.received());
            assertEquals(26, o.counters().bad());
            assertEquals(0, o.counters().lost());
        }
    }

    @Test
    void aDamagedWindowIsRefusedByTheDeviceAndResentByTheVerifier(@TempDir Path dir) throws Exception {
        try (FaultRelay r = relay(dir, new FaultRelay.Fault() {
            int windowsSeen;

            @Override
            public byte[] onDeviceLine(String line, SerialLink dev) {
                return FaultRelay.bytes(line);
            }

            @Override
            public byte[] onHostLine(String line) {
                if (line.startsWith("W ") && ++windowsSeen == 8) return FaultRelay.bytes(line.replaceFirst("W (.)", "W F"));
                return FaultRelay.bytes(line);
            }
        }); DeviceSession s = new DeviceSession(JsscLink.open(r.hostPort().toString(), 115200))) {
            Verifier.Report rep = Verifier.verify(s, model, windows, 1, 3000);
            assertTrue(rep.ok(), "every window verified");
            assertEquals(N, rep.matched());
            assertEquals(1, s.counters().errors());
        }
    }

    @Test
    void unpluggingThePortEndsTheSessionAndANewOneContinuesTheSequence(@TempDir Path dir) throws Exception {
        try (FaultRelay r = relay(dir, (line, dev) -> FaultRelay.bytes(line))) {
            Outcome first = drive(r, 2000);
            assertEquals(N, first.received());
            DeviceSession s = new DeviceSession(JsscLink.open(r.hostPort().toString(), 115200));
            assertNotNull(s.awaitHello(5000));
            Thread unplug = new Thread(() -> {
                try {
                    r.unplug(300);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            unplug.start();
            assertThrows(DeviceSession.Disconnected.class, () -> {
                while (true) s.next(100);
            });
            s.close();
            unplug.join();
            // reconnect: the announcement tells where the device's sequence is, so nothing counts as lost
            try (DeviceSession again = new DeviceSession(JsscLink.open(r.hostPort().toString(), 115200))) {
                Protocol.Hello h = again.awaitHello(5000);
                assertNotNull(h);
                assertEquals(N, h.nextSeq());
                again.send(Protocol.window(windows[0]));
                Protocol.Message m;
                do { m = again.next(2000); } while (m != null && !(m instanceof Protocol.Score));
                assertEquals(N, ((Protocol.Score) m).seq());
                assertEquals(0, again.counters().lost());
            }
        }
    }

    @Test
    void theMonitorReconnectsWithBackoffAndDeliversEveryScoreOnce(@TempDir Path dir) throws Exception {
        try (FaultRelay r = relay(dir, (line, dev) -> FaultRelay.bytes(line))) {
            java.util.List<Long> seqs = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
            java.util.concurrent.atomic.AtomicInteger connects = new java.util.concurrent.atomic.AtomicInteger();
            Monitor m = new Monitor(() -> JsscLink.open(r.hostPort().toString(), 115200),
                    new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), false);
            Thread t = new Thread(() -> {
                try {
                    m.run(12_000, sc -> seqs.add(sc.seq()), session -> {
                        connects.incrementAndGet();
                        try {
                            for (int i = 0; i < 10; i++) session.send(Protocol.window(windows[i]));
                        } catch (IOException e) {
                            throw new RuntimeException(e);
                        }
                    });
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            t.start();
            long deadline = System.currentTimeMillis() + 8000;
            while (seqs.size() < 10 && System.currentTimeMillis() < deadline) Thread.sleep(20);
            assertEquals(10, seqs.size(), "first session");
            r.unplug(700);   // the port is gone for 0.7 s: the monitor retries with backoff
            t.join(15_000);
            assertEquals(2, connects.get());
            Monitor.Totals tot = m.totals();
            assertEquals(20, tot.scores());
            assertEquals(20, new java.util.HashSet<>(seqs).size(), "no score delivered twice");
            assertEquals(1, tot.reconnects());
            assertEquals(0, tot.lost());
            assertEquals(0, tot.duplicates());
        }
    }
}
