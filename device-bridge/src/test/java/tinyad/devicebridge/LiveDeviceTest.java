package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import tinyad.codegen.Exporter;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.TimeSplit;
import tinyad.quantizer.QuantizedModel;
import tinyad.quantizer.Quantizer;

/**
 * The live firmware on emulated boards that sample their own sensor ({@link LiveEmulator}): the ATmega328P in
 * simavr with its ADC pins driven from a recording of the built-in vibration data as 10-bit counts, in simulated
 * time (cycle-accurate), and the Cortex-M4/M3 in QEMU with the recording fed through the port hook at each timer
 * tick. Checked against the frames the device sampled (on the AVR, the harness's log of every conversion): every
 * live score equals the Java integer reference on them, the AVR's samples are consecutive rows of the recording
 * (no drift, no missed tick), and the device's counters say what happened: 0 overruns for a model that keeps up,
 * overruns for one that cannot. Raw mode streams exactly the samples it took; collect records them.
 */
class LiveDeviceTest {
    private static final long RATE_MILLIHZ = 1_000_000;   // 1 kHz, the built-in data's rate

    static int[][] recording(SensorTable t) {
        int[][] r = new int[t.values().length][];
        for (int i = 0; i < r.length; i++) r[i] = Arrays.stream(t.values()[i]).mapToInt(v -> (int) v).toArray();
        return r;
    }

    static QuantizedModel model(SensorTable train, String features) {
        Pipeline p = Pipeline.fit(train, null, 32, 16, features);
        return Quantizer.quantize(TestDetectors.kmeans(train, p, 8, false), p.normalInputs(train));
    }

    /** The built-in data as an Uno's ADC reads it (512 + 80 counts per unit). */
    static TimeSplit split() {
        return TimeSplit.of(LiveEmulator.adcCounts(SyntheticSensor.generate(new SyntheticSensor.Options(5, 24_000, 1000, 0.5, 400)).table(), 80), 0.5);
    }

    /** Rows around the first labelled fault of the test part: normal, then the fault. */
    static SensorTable aroundFirstFault(SensorTable test, int before, int length) {
        int f = 0;
        while (f < test.labels().length && test.labels()[f] == 0) f++;
        assertTrue(f < test.labels().length, "the test part has a fault");
        int from = Math.max(0, f - before);
        return test.slice(from, Math.min(test.labels().length, from + length));
    }

    static LiveEmulator.Run live(Path dir, QuantizedModel q, Target t, SensorTable feed, long rate, String boot, int ms) throws Exception {
        // the host run goes through a relative path, as ./tinyad demo -o tinyad-demo gives one
        if (t == Target.HOST) dir = Path.of("").toAbsolutePath().relativize(dir.toAbsolutePath());
        Exporter.export(q, "live", dir);
        LiveEmulator.build(dir, t, rate, boot);
        return LiveEmulator.run(dir, t, recording(feed), rate, ms);
    }

    static void assertExact(LiveEmulator.Run r, QuantizedModel q, String what) {
        LiveEmulator.Check c = LiveEmulator.check(r, q);
        assertEquals(0, c.mismatches(), what + ": " + c.firstMismatch());
    }

    static void assertNoDrift(LiveEmulator.Run r) {
        for (int t = 1; t < r.rows().size(); t++)
            assertEquals(r.rows().get(0) + t, r.rows().get(t), "frame " + t + " read the recording's next row (no drift, no missed tick)");
    }

    @Test
    void avrLiveScoresAreTheReferenceOnTheSamplesTheBoardTookWithNoOverrun(@TempDir Path dir) throws Exception {
        Toolchain.require("make", "cc", "avr-gcc", "simavr");
        TimeSplit s = split();
        QuantizedModel q = model(s.train(), "stats");
        SensorTable feed = aroundFirstFault(s.test(), 1500, 4000);
        LiveEmulator.Run r = live(dir, q, Target.AVR, feed, RATE_MILLIHZ, null, 3500);

        assertTrue(r.lines().get(0) instanceof Protocol.Hello h && h.version() == 3, "announces protocol 3 first");
        // 3.5 s at 1 kHz: about 3,490 frames after boot
        assertTrue(r.frames().size() > 3400, "frames sampled: " + r.frames().size());
        assertNoDrift(r);
        assertExact(r, q, "ATmega328P live");
        List<Protocol.Score> sc = r.scores();
        // a window every hop of the frames sampled; the last may still be being scored when the run's time ends
        int complete = (r.frames().size() - 32) / 16 + 1;
        assertTrue(sc.size() == complete || sc.size() == complete - 1, "windows scored " + sc.size() + " of " + complete);
        for (int i = 0; i < sc.size(); i++) assertEquals(i, sc.get(i).seq(), "every window in order, none skipped");
        Protocol.Status st = r.lastStatus();
        assertNotNull(st, "a Q status line");
        assertEquals("live", st.mode());
        assertEquals(RATE_MILLIHZ, st.rateMillihz());
        assertEquals(0, st.overruns(), "overruns");
        assertEquals(0, st.skipped(), "skipped windows");
        assertEquals(0, st.missed(), "missed sampling ticks");

        // the alarms: over-threshold windows while the recording is in its labelled fault, few outside it
        long r0 = r.rows().get(0);
        int overInFault = 0, overNormal = 0, normalWindows = 0;
        Pipeline p = q.pipeline();
        for (Protocol.Score x : sc) {
            int firstRow = (int) (r0 + x.seq() * p.hop()), lastRow = firstRow + p.window() - 1;
            boolean fault = false;
            for (int row = firstRow; row <= lastRow && row < feed.labels().length; row++) fault |= feed.labels()[row] != 0;
            if (!fault) normalWindows++;
            if (x.alarm() && fault) overInFault++;
            if (x.alarm() && !fault) overNormal++;
        }
        assertTrue(overInFault >= 5, "windows over the threshold inside the fault: " + overInFault);
        assertTrue(overNormal <= normalWindows / 20, "windows over the threshold outside it: " + overNormal + " of " + normalWindows);
    }

    @Test
    void aModelThatCannotKeepUpCountsOverrunsAndStaysExact(@TempDir Path dir) throws Exception {
        Toolchain.require("make", "cc", "avr-gcc", "simavr");
        TimeSplit s = split();
        // stats + spectral on 3 channels: about 175,000 cycles a window on the ATmega328P (features 166,500)
        QuantizedModel q = model(s.train(), "stats+spectral:8");
        // at 2 kHz the 8 ms hop is 128,000 cycles: below the ~175,000 of this model's features + score
        LiveEmulator.Run r = live(dir, q, Target.AVR, aroundFirstFault(s.test(), 1500, 4000), 2 * RATE_MILLIHZ, null, 1500);
        Protocol.Status st = r.lastStatus();
        assertNotNull(st, "a Q status line");
        assertTrue(st.overruns() > 0, "overruns counted: " + st);
        assertEquals(0, st.missed(), "sampling itself never misses a tick: " + st);
        assertNoDrift(r);
        assertTrue(r.scores().size() > 10, "windows scored: " + r.scores().size());
        assertExact(r, q, "the windows it scored late");
    }

    @Test
    void rawModeStreamsExactlyTheSamplesItTook(@TempDir Path dir) throws Exception {
        Toolchain.require("make", "cc", "avr-gcc", "simavr");
        TimeSplit s = split();
        QuantizedModel q = model(s.train(), "stats");
        // 250 Hz: a D line of three counts is ~25 bytes, so 115200 baud carries about 460 frames a second
        LiveEmulator.Run r = live(dir, q, Target.AVR, s.test().slice(0, 2000), 250_000, "TINYAD_MODE_RAW", 2000);
        List<Protocol.Frame> frames = r.lines().stream().filter(m -> m instanceof Protocol.Frame).map(m -> (Protocol.Frame) m).toList();
        assertTrue(frames.size() > 450, "frames streamed: " + frames.size());
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(i, frames.get(i).index(), "frame indices consecutive");
            assertArrayEquals(r.frames().get(i), frames.get(i).counts(), "frame " + i + ": the counts the ADC read");
        }
        Protocol.Status st = r.lastStatus();
        assertNotNull(st, "a Q status line");
        assertEquals("raw", st.mode());
        assertEquals(0, st.skipped(), "frames dropped: " + st);
    }

    @Test
    void collectRecordsTheBoardsSamplesAsACsvTrainReads(@TempDir Path dir) throws Exception {
        Toolchain.require("make", "cc", "avr-gcc", "simavr");
        TimeSplit s = split();
        Exporter.export(model(s.train(), "stats"), "live", dir);
        Path elf = LiveEmulator.build(dir, Target.AVR, 250_000, null);
        SensorTable feed = s.test().slice(0, 3000);
        StringBuilder csv = new StringBuilder();
        for (int[] row : recording(feed)) csv.append(row[0]).append(',').append(row[1]).append(',').append(row[2]).append('\n');
        Files.writeString(dir.resolve("feed.csv"), csv);
        Path log = dir.resolve("collect.log");
        Process p = new ProcessBuilder(dir.resolve("build/tools/avrrun").toString(), "-t", "6000", "-a", dir.resolve("feed.csv").toString(),
                "-r", "250000", "-l", log.toString(), elf.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Collector.Recording r;
        try (DeviceSession session = new DeviceSession(new StreamLink("avrrun", p.getInputStream(), p.getOutputStream()))) {
            r = Collector.collect(session, 2.0, 10_000, null);
        } finally {
            p.destroy();   // avrrun ends on SIGTERM as at its time limit: the log is complete
            p.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(250.0, r.rateHz());
        assertEquals(500, r.frames().size(), "2 s of the device's time at 250 Hz");
        // the recording is a run of consecutive frames the ADC converted, in order
        List<int[]> logged = new ArrayList<>();
        LiveEmulator.logFrames(log, 3, logged, new ArrayList<>());
        int at = -1;
        for (int k = 0; k + r.frames().size() <= logged.size() && at < 0; k++) {
            boolean all = true;
            for (int i = 0; i < r.frames().size() && all; i++) all = Arrays.equals(logged.get(k + i), r.frames().get(i));
            if (all) at = k;
        }
        assertTrue(at >= 0, "the collected frames are consecutive frames of the board's conversions");
        // and train reads the CSV: the channels, the rate's timestamps, the counts
        SensorTable t = tinyad.datasets.CsvLoader.parse("collect.csv", r.csv(List.of("ax", "ay", "az")));
        assertEquals(List.of("ax", "ay", "az"), t.channels());
        assertEquals(500, t.values().length);
        assertEquals("0.004000", t.timestamps()[1]);
        assertArrayEquals(new double[] {r.frames().get(7)[0], r.frames().get(7)[1], r.frames().get(7)[2]}, t.values()[7]);
        SensorTable direct = r.table(List.of("ax", "ay", "az"));   // what collect -o x.json writes from
        assertArrayEquals(t.timestamps(), direct.timestamps());
        for (int i = 0; i < t.rows(); i++) assertArrayEquals(t.values()[i], direct.values()[i], "row " + i);
    }

    /**
     * The host (a POSIX interval timer, ports/host/port_feed_posix.c) and the Cortex-M4 and M3 in QEMU: Timer0 ticks at the rate and its interrupt reads each frame through the port hook
     * from a feed of the recording (ports/mps2/port_feed.c); the run ends with the feed. Every window of the feed is
     * scored, in order, each equal to the Java reference, with no overrun.
     */
    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"HOST", "CORTEX_M4", "CORTEX_M3"})
    void liveScoresAreTheReferenceOnTheFeed(Target target, @TempDir Path dir) throws Exception {
        if (target == Target.HOST) Toolchain.require("make", "cc");
        else Toolchain.require("make", "arm-none-eabi-gcc", "qemu-system-arm");
        TimeSplit s = split();
        QuantizedModel q = model(s.train(), "stats+spectral:8");
        SensorTable feed = aroundFirstFault(s.test(), 1500, 4000);
        LiveEmulator.Run r = live(dir, q, target, feed, RATE_MILLIHZ, null, 0);
        assertExact(r, q, target + " live");
        List<Protocol.Score> sc = r.scores();
        Protocol.Status st = r.lastStatus();
        assertNotNull(st, "a Q status line");
        int windows = (feed.values().length - 32) / 16 + 1;
        if (target == Target.HOST) {
            // real time on a shared machine: a descheduled process may be late (counted), never wrong
            assertTrue(sc.size() >= windows * 9 / 10, "host: windows scored " + sc.size() + " of " + windows);
        } else {
            // the emulators' clocks are their instruction counts: deterministic
            assertEquals(windows, sc.size(), target + ": every window of the feed scored");
            for (int i = 0; i < sc.size(); i++) assertEquals(i, sc.get(i).seq(), "in order, none skipped");
            assertEquals(0, st.overruns(), target + " overruns");
            assertEquals(0, st.skipped(), target + " skipped");
        }
        assertTrue(sc.stream().anyMatch(Protocol.Score::alarm), "the fault raises the score over the threshold");
    }
}
