package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.codegen.Exporter;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.TimeSplit;
import tinyad.quantizer.QuantizedModel;
import tinyad.quantizer.Quantizer;

/**
 * The live firmware on an emulated board that samples its own sensor: the ATmega328P in simavr, its ADC pins
 * driven by tools/avrrun from a recording of the built-in vibration data as 10-bit counts, at the model's rate
 * in simulated time (cycle-accurate). Timer1 samples, the main loop computes the integer features and the score
 * every hop. Checked against the harness's log of every conversion (the very samples the device used): every
 * live score equals the Java integer reference on those samples, the samples are consecutive rows of the
 * recording (no drift, no missed tick), and the device's counters say what happened: 0 overruns for a model that
 * keeps up, overruns for one that cannot. Raw mode streams exactly the samples it took.
 */
class LiveDeviceTest {
    private static final long RATE_MILLIHZ = 1_000_000;   // 1 kHz, the built-in data's rate

    /** The built-in data as an Uno's ADC would read it: 512 + 80 counts per unit, clamped to 0 .. 1023. */
    static SensorTable counts(SensorTable t) {
        double[][] v = new double[t.values().length][];
        for (int i = 0; i < v.length; i++) {
            v[i] = new double[t.values()[i].length];
            for (int c = 0; c < v[i].length; c++) v[i][c] = Math.max(0, Math.min(1023, Math.rint(512 + 80 * t.values()[i][c])));
        }
        return new SensorTable(t.channels(), t.timestamps(), v, t.labels());
    }

    record Run(List<Protocol.Message> lines, List<int[]> frames, List<Long> rows) {
        List<Protocol.Score> scores() {
            return lines.stream().filter(m -> m instanceof Protocol.Score).map(m -> (Protocol.Score) m).toList();
        }

        Protocol.Status lastStatus() {
            return lines.stream().filter(m -> m instanceof Protocol.Status).map(m -> (Protocol.Status) m)
                    .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no Q status line"));
        }
    }

    /** Builds the live app for the model in dir and runs it for ms of simulated time on the feed rows. */
    static Run runLive(Path dir, QuantizedModel q, SensorTable feed, long rateMillihz, String bootMode, int ms) throws Exception {
        Exporter.export(q, "live", dir);
        Tools.Result b = Tools.run(List.of("make", "-s", "-C", dir.toString(), "avr-live", "avrrun",
                "RATE_MILLIHZ=" + rateMillihz, "BOOT_MODE=" + bootMode), null, 300);
        assertEquals(0, b.exitCode(), b.stderr());
        StringBuilder csv = new StringBuilder();
        for (double[] row : feed.values()) {
            for (int c = 0; c < row.length; c++) csv.append(c > 0 ? "," : "").append((int) row[c]);
            csv.append('\n');
        }
        Path feedFile = dir.resolve("feed.csv"), log = dir.resolve("adc.log");
        Files.writeString(feedFile, csv);
        Process p = new ProcessBuilder(dir.resolve("build/tools/avrrun").toString(), "-s", "-t", Integer.toString(ms),
                "-a", feedFile.toString(), "-r", Long.toString(rateMillihz), "-l", log.toString(),
                dir.resolve("build/avr-live/tinyad_app.elf").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "avrrun did not finish");
        assertEquals(0, p.exitValue(), "avrrun exit");
        List<Protocol.Message> lines = new ArrayList<>();
        String text = new String(out, StandardCharsets.US_ASCII);
        text = text.substring(0, text.lastIndexOf('\n') + 1);   // the run's end may cut the last line short
        for (String l : text.split("\n")) if (!l.isEmpty()) lines.add(Protocol.parse(l));   // a bad line fails the test

        List<int[]> frames = new ArrayList<>();
        List<Long> rows = new ArrayList<>();
        logFrames(log, q.pipeline().channels().size(), frames, rows);
        return new Run(lines, frames, rows);
    }

    /**
     * The frames in the harness's conversion log: each channel-0 conversion starts one, the other channels' complete
     * it (a chain cut short by a mode change is dropped). rows gets the recording row of each frame's channel 0.
     */
    static void logFrames(Path log, int channels, List<int[]> frames, List<Long> rows) throws java.io.IOException {
        int[] cur = null;
        long row = 0;
        for (String l : Files.readAllLines(log)) {
            String[] f = l.split(",");
            if (f.length != 4 || f[3].isEmpty()) break;   // a run killed mid-write cuts the last line
            int c = Integer.parseInt(f[2]);
            if (c == 0) {
                cur = new int[channels];
                row = Long.parseLong(f[1]);
            } else if (cur == null) {
                continue;
            }
            cur[c] = Integer.parseInt(f[3]);
            if (c == channels - 1) {
                frames.add(cur);
                rows.add(row);
                cur = null;
            }
        }
    }

    /** Every score line equals the Java integer reference on its window's logged samples; returns how many. */
    static int checkScores(Run r, QuantizedModel q) {
        Pipeline p = q.pipeline();
        int ch = p.channels().size(), checked = 0;
        for (Protocol.Score s : r.scores()) {
            int first = (int) s.seq() * p.hop();
            assertTrue(first + p.window() <= r.frames().size(), "window " + s.seq() + " was scored before its samples were taken");
            int[] w = new int[p.window() * ch];
            for (int t = 0; t < p.window(); t++) System.arraycopy(r.frames().get(first + t), 0, w, t * ch, ch);
            int want = q.score(q.deviceInput(w));
            assertEquals(want, s.score(), "window " + s.seq() + ": device score vs the Java integer reference");
            assertEquals(want > q.thresholdQ(), s.alarm(), "window " + s.seq() + ": over-threshold bit");
            checked++;
        }
        return checked;
    }

    static QuantizedModel model(SensorTable train, String features) {
        Pipeline p = Pipeline.fit(train, null, 32, 16, features);
        return Quantizer.quantize(TestDetectors.kmeans(train, p, 8, false), p.normalInputs(train));
    }

    static SensorTable data() {
        return counts(SyntheticSensor.generate(new SyntheticSensor.Options(5, 24_000, 1000, 0.5, 400)).table());
    }

    /** Rows around the first labelled fault of the test part: normal, then the fault. */
    static SensorTable aroundFirstFault(SensorTable test, int before, int length) {
        int f = 0;
        while (f < test.labels().length && test.labels()[f] == 0) f++;
        assertTrue(f < test.labels().length, "the test part has a fault");
        int from = Math.max(0, f - before);
        return test.slice(from, Math.min(test.labels().length, from + length));
    }

    @Test
    void liveScoresAreTheReferenceOnTheSamplesTheBoardTookWithNoOverrun(@TempDir Path dir) throws Exception {
        Toolchain.require("make", "cc", "avr-gcc", "simavr");
        TimeSplit s = TimeSplit.of(data(), 0.5);
        QuantizedModel q = model(s.train(), "stats");
        SensorTable feed = aroundFirstFault(s.test(), 1500, 4000);
        Run r = runLive(dir, q, feed, RATE_MILLIHZ, "TINYAD_MODE_LIVE", 3500);

        assertTrue(r.lines().get(0) instanceof Protocol.Hello h && h.version() == 3, "announces protocol 3 first");
        // 3.5 s at 1 kHz: about 3,490 frames after boot, (3490 - 32) / 16 + 1 windows
        assertTrue(r.frames().size() > 3400, "frames sampled: " + r.frames().size());
        for (int t = 1; t < r.rows().size(); t++)
            assertEquals(r.rows().get(0) + t, r.rows().get(t), "frame " + t + " read the recording's next row (no drift, no missed tick)");
        int checked = checkScores(r, q);
        assertTrue(checked >= 200, "live windows scored: " + checked);
        List<Protocol.Score> sc = r.scores();
        for (int i = 0; i < sc.size(); i++) assertEquals(i, sc.get(i).seq(), "every window in order, none skipped");
        Protocol.Status st = r.lastStatus();
        assertEquals("live", st.mode());
        assertEquals(RATE_MILLIHZ, st.rateMillihz());
        assertEquals(0, st.overruns(), "overruns");
        assertEquals(0, st.skipped(), "skipped windows");
        assertEquals(0, st.missed(), "missed sampling ticks");

        // the alarms: over-threshold windows while the recording is in its labelled fault, few before it
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
        TimeSplit s = TimeSplit.of(data(), 0.5);
        // stats + spectral on 3 channels: about 270,000 cycles a window on the ATmega328P, a 16 ms hop is 256,000
        QuantizedModel q = model(s.train(), "stats+spectral:8");
        Run r = runLive(dir, q, aroundFirstFault(s.test(), 1500, 4000), RATE_MILLIHZ, "TINYAD_MODE_LIVE", 1500);
        Protocol.Status st = r.lastStatus();
        assertTrue(st.overruns() > 0, "overruns counted: " + st);
        assertEquals(0, st.missed(), "sampling itself never misses a tick: " + st);
        for (int t = 1; t < r.rows().size(); t++) assertEquals(r.rows().get(0) + t, r.rows().get(t), "frame " + t + ": no drift");
        assertTrue(checkScores(r, q) > 10, "the windows it scored are still exact");
    }

    @Test
    void rawModeStreamsExactlyTheSamplesItTook(@TempDir Path dir) throws Exception {
        Toolchain.require("make", "cc", "avr-gcc", "simavr");
        TimeSplit s = TimeSplit.of(data(), 0.5);
        QuantizedModel q = model(s.train(), "stats");
        // 250 Hz: a D line of three counts is ~25 bytes, so 115200 baud carries about 460 frames a second
        Run r = runLive(dir, q, s.test().slice(0, 2000), 250_000, "TINYAD_MODE_RAW", 2000);
        List<Protocol.Frame> frames = r.lines().stream().filter(m -> m instanceof Protocol.Frame).map(m -> (Protocol.Frame) m).toList();
        assertTrue(frames.size() > 450, "frames streamed: " + frames.size());
        for (int i = 0; i < frames.size(); i++) {
            assertEquals(i, frames.get(i).index(), "frame indices consecutive");
            assertArrayEquals(r.frames().get(i), frames.get(i).counts(), "frame " + i + ": the counts the ADC read");
        }
        Protocol.Status st = r.lastStatus();
        assertEquals("raw", st.mode());
        assertEquals(0, st.skipped(), "frames dropped: " + st);
    }

    @Test
    void collectRecordsTheBoardsSamplesAsACsvTrainReads(@TempDir Path dir) throws Exception {
        Toolchain.require("make", "cc", "avr-gcc", "simavr");
        TimeSplit s = TimeSplit.of(data(), 0.5);
        QuantizedModel q = model(s.train(), "stats");
        runLive(dir, q, s.test().slice(0, 10), 250_000, "TINYAD_MODE_LIVE", 1);   // builds the firmware
        SensorTable feed = s.test().slice(0, 3000);
        StringBuilder csv = new StringBuilder();
        for (double[] row : feed.values()) csv.append((int) row[0]).append(',').append((int) row[1]).append(',').append((int) row[2]).append('\n');
        Files.writeString(dir.resolve("feed.csv"), csv);
        Path log = dir.resolve("collect.log");
        Process p = new ProcessBuilder(dir.resolve("build/tools/avrrun").toString(), "-t", "6000", "-a", dir.resolve("feed.csv").toString(),
                "-r", "250000", "-l", log.toString(), dir.resolve("build/avr-live/tinyad_app.elf").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Collector.Recording r;
        try (DeviceSession session = new DeviceSession(new StreamLink("avrrun", p.getInputStream(), p.getOutputStream()))) {
            r = Collector.collect(session, 2.0, 10_000, null);
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(250.0, r.rateHz());
        assertEquals(500, r.frames().size(), "2 s of the device's time at 250 Hz");
        // the recording is a run of consecutive frames the ADC converted, in order
        List<int[]> logged = new ArrayList<>();
        logFrames(log, 3, logged, new ArrayList<>());
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
    }
}
