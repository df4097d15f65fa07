package tinyad.devicebridge;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tinyad.common.ToolException;
import tinyad.quantizer.QuantizedModel;

/**
 * A live board in an emulator, its sensor played from a recording of int16 counts:
 * <ul>
 *   <li>ATmega328P (simavr, {@code make avr-live}): tools/avrrun drives the ADC pins from the recording as a
 *       function of simulated time and logs every conversion, so the frames are the ones the ADC read;</li>
 *   <li>Cortex-M4/M3 (QEMU, {@code make m4-live|m3-live}): the timer interrupt reads frame k of the recording at
 *       tick k through the port hook (ports/mps2/port_feed.c), so the frames are the recording's, in order;</li>
 *   <li>the host ({@code make host-live}, ASan/UBSan): a POSIX interval timer does the same
 *       (ports/host/port_feed_posix.c).</li>
 * </ul>
 * What the device said (every line, CRC-checked) and the frames it sampled come back for checking against the
 * Java reference ({@link #check}).
 */
public final class LiveEmulator {
    private LiveEmulator() {}

    /** Where an emulated board keeps its learned state across runs, in the project: the AVR's EEPROM image, else the store file. */
    public static final String EEPROM_FILE = "eeprom.bin", STORE_FILE = "tinyad_store.bin";

    /** The file holding target t's store in a project. */
    public static Path storeFile(Path project, Target t) {
        return project.resolve(t == Target.AVR ? EEPROM_FILE : STORE_FILE);
    }

    /** The device's lines and the frames it sampled (frame t: one count per channel); rows: the recording row of each. */
    public record Run(List<Protocol.Message> lines, List<int[]> frames, List<Long> rows) {
        public List<Protocol.Score> scores() {
            return lines.stream().filter(m -> m instanceof Protocol.Score).map(m -> (Protocol.Score) m).toList();
        }

        /** The device's last Q line, or null. */
        public Protocol.Status lastStatus() {
            return lines.stream().filter(m -> m instanceof Protocol.Status).map(m -> (Protocol.Status) m).reduce((a, b) -> b).orElse(null);
        }
    }

    /**
     * A recording in physical units as an Arduino Uno's 10-bit ADC would read it through a front end of
     * {@code countsPerUnit} around mid-scale: {@code 512 + countsPerUnit × value}, rounded, clamped to 0 .. 1023.
     */
    public static tinyad.datasets.SensorTable adcCounts(tinyad.datasets.SensorTable t, double countsPerUnit) {
        double[][] v = new double[t.values().length][];
        for (int i = 0; i < v.length; i++) {
            v[i] = new double[t.values()[i].length];
            for (int c = 0; c < v[i].length; c++) v[i][c] = Math.max(0, Math.min(1023, Math.rint(512 + countsPerUnit * t.values()[i][c])));
        }
        return new tinyad.datasets.SensorTable(t.channels(), t.timestamps(), v, t.labels());
    }

    /** The make target of the live app for an emulated target. */
    public static String makeTarget(Target t) {
        return switch (t) {
            case AVR -> "avr-live";
            case CORTEX_M4 -> "m4-live";
            case CORTEX_M3 -> "m3-live";
            case HOST -> "host-live";
        };
    }

    /** Builds the live app of an exported project; bootMode null for the default (live). */
    public static Path build(Path project, Target t, long rateMillihz, String bootMode) {
        List<String> make = new ArrayList<>(List.of("make", "-s", "-C", project.toString(), makeTarget(t), "RATE_MILLIHZ=" + rateMillihz));
        if (bootMode != null) make.add("BOOT_MODE=" + bootMode);
        if (t == Target.AVR) make.add("avrrun");
        Tools.Result b = Tools.run(make, null, 300);
        if (b.exitCode() != 0) {
            if (b.stderr().contains("not within region `data'"))
                throw new ToolException("the live firmware does not fit the " + t.makeTarget + " board's RAM (its static data outgrows it"
                        + (projectLearnPlan(project) != null ? "; the learning state is the larger part, docs/learning.md \"Memory\")" : ")"));
            throw new ToolException("live firmware build for " + t.makeTarget + " failed: " + lastLine(b.stderr()));
        }
        return firmware(project, t);
    }

    /** The last line of a tool's error output that says something (make's own "Error 1" lines do not). */
    static String lastLine(String stderr) {
        String[] lines = stderr.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) if (!lines[i].startsWith("make") && !lines[i].isBlank()) return lines[i].strip();
        return lines.length == 0 ? "" : lines[lines.length - 1].strip();
    }

    /** The model hash (first 16 hex digits) an exported project's model header states, or null. */
    public static String projectModelHash(Path project) {
        String text = modelHeader(project);
        var m = java.util.regex.Pattern.compile("_MODEL_HASH \"([0-9a-f]{16})\"").matcher(text == null ? "" : text);
        return m.find() ? m.group(1) : null;
    }

    /** Where {@code make <live target>} puts the firmware. */
    static Path firmware(Path project, Target t) {
        return project.resolve("build/" + makeTarget(t) + (t == Target.HOST ? "/tinyad_app" : "/tinyad_app.elf"));
    }

    /**
     * Builds the data logger (no model; boots in raw mode) in a runtime-only or exported project for {@code channels}
     * channels at {@code rateMillihz}; returns the ELF.
     */
    public static Path buildLogger(Path project, Target t, int channels, long rateMillihz) {
        String target = switch (t) {
            case AVR -> "avr-logger";
            case CORTEX_M4 -> "m4-logger";
            default -> throw new tinyad.common.DataException("the data logger runs on avr (an Uno) or m4; not " + t.makeTarget);
        };
        List<String> make = new ArrayList<>(List.of("make", "-s", "-C", project.toString(), target, "CHANNELS=" + channels,
                "RATE_MILLIHZ=" + rateMillihz));
        if (t == Target.AVR) make.add("avrrun");
        Tools.Result b = Tools.run(make, null, 300);
        if (b.exitCode() != 0) throw new ToolException("data logger build for " + t.makeTarget + " failed: " + b.stderr().strip());
        return project.resolve("build/logger/" + makeTarget(t) + "/tinyad_app.elf");
    }

    /** The sample rate (samples per 1000 s) an exported project's model header states, 0 when unknown or absent. */
    public static long projectRateMillihz(Path project) {
        String text = modelHeader(project);
        var m = java.util.regex.Pattern.compile("_SAMPLE_RATE_MILLIHZ (\\d{1,12})ul").matcher(text == null ? "" : text);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** The text of an exported project's {@code model/<name>_model.h} (not tinyad_app_model.h, which points at it), or null. */
    static String modelHeader(Path project) {
        try (var files = Files.list(project.resolve("model"))) {
            for (Path h : files.filter(f -> f.getFileName().toString().endsWith("_model.h") && !f.getFileName().toString().equals("tinyad_app_model.h")).toList())
                return Files.readString(h);
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /**
     * Runs the built live app on {@code recording} (rows of counts, one column per channel) sampled at
     * {@code rateMillihz}: on the AVR for {@code avrMillis} of simulated time, on the Cortex-M until the recording ends.
     */
    public static Run run(Path project, Target t, int[][] recording, long rateMillihz, int avrMillis) throws IOException {
        project = project.toAbsolutePath();   // the emulator runs in the project: a relative path would not resolve there
        Path elf = firmware(project, t);
        Path log = project.resolve("adc.log");
        List<String> cmd = prepare(project, t, elf, recording, rateMillihz, avrMillis, false);
        Path err = project.resolve("emulator.err");
        Process p = new ProcessBuilder(cmd).directory(project.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(err.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(300, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ToolException(t.makeTarget + " live run did not finish in 300 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted");
        }
        if (p.exitValue() != 0) {
            List<String> said = Files.exists(err) ? Files.readAllLines(err, StandardCharsets.ISO_8859_1) : List.of();
            throw new ToolException(t.makeTarget + " live run exited " + p.exitValue()
                    + (said.isEmpty() ? "" : ": " + said.get(said.size() - 1).strip()));
        }
        Files.deleteIfExists(err);   // kept only to explain a failed run
        String text = new String(out, StandardCharsets.US_ASCII);
        text = text.substring(0, text.lastIndexOf('\n') + 1);   // a run cut by its time limit may end mid-line
        List<Protocol.Message> lines = new ArrayList<>();
        for (String l : text.split("\n")) {
            if (l.isEmpty()) continue;
            try {
                lines.add(Protocol.parse(l));
            } catch (Protocol.BadLine e) {
                throw new ToolException(t.makeTarget + " sent a bad line (" + e.getMessage() + "): the emulated link never corrupts one");
            }
        }
        List<int[]> frames = new ArrayList<>();
        List<Long> rows = new ArrayList<>();
        if (t == Target.AVR) {
            logFrames(log, recording[0].length, frames, rows);
        } else {
            for (int i = 0; i < recording.length; i++) {
                frames.add(recording[i].clone());
                rows.add((long) i);
            }
        }
        return new Run(lines, frames, rows);
    }

    /**
     * Writes the recording where the emulated sensor reads it and returns the command that runs {@code elf} on it
     * (its UART on stdio, or with {@code pty} on a new pseudo-terminal; the AVR for {@code avrMillis} of simulated time, 0: until stopped; the Cortex-M until the recording ends).
     */
    static List<String> prepare(Path project, Target t, Path elf, int[][] recording, long rateMillihz, int avrMillis, boolean pty)
            throws IOException {
        project = project.toAbsolutePath();
        elf = elf.toAbsolutePath();
        if (recording.length == 0) throw new ToolException("the sensor recording is empty");
        if (t == Target.AVR) {
            StringBuilder csv = new StringBuilder();
            for (int[] row : recording) {
                for (int c = 0; c < row.length; c++) csv.append(c > 0 ? "," : "").append(row[c]);
                csv.append('\n');
            }
            Path feed = project.resolve("feed.csv");
            Files.writeString(feed, csv);
            List<String> cmd = new ArrayList<>(List.of(project.resolve("build/tools/avrrun").toString(), "-m", Target.AVR_MCU, "-f", Target.AVR_HZ, pty ? "-p" : "-s"));
            if (avrMillis > 0) cmd.addAll(List.of("-t", Integer.toString(avrMillis)));
            // the EEPROM in a file of the project, as a board keeps it across resets (a learned state's store)
            cmd.addAll(List.of("-a", feed.toString(), "-r", Long.toString(rateMillihz), "-l", project.resolve("adc.log").toString(),
                    "-e", project.resolve(EEPROM_FILE).toString(), elf.toString()));
            return cmd;
        }
        ByteBuffer bin = ByteBuffer.allocate(recording.length * recording[0].length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] row : recording) for (int v : row) bin.putShort((short) v);
        Files.write(project.resolve("tinyad_feed.bin"), bin.array());
        return t.runCommand(elf, pty);
    }

    /**
     * The frames in avrrun's conversion log: each channel-0 conversion starts one and the other channels' complete it
     * (a chain cut short by a mode change is dropped); rows gets the recording row of each frame's channel 0.
     */
    public static void logFrames(Path log, int channels, List<int[]> frames, List<Long> rows) throws IOException {
        int[] cur = null;
        long row = 0;
        for (String l : Files.readAllLines(log)) {
            String[] f = l.split(",");
            if (f.length != 4 || f[3].isEmpty()) break;   // a run stopped mid-write cuts the last line
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

    /**
     * The learning plan an exported project's model header states (tinyad export --learn), or null when it learns
     * nothing; the header's numbers are the ones the firmware is built with.
     */
    public static tinyad.quantizer.DeviceLearning.Plan projectLearnPlan(Path project) {
        String text = modelHeader(project);
        if (text == null) throw new ToolException(project + ": cannot read the exported model");
        var w = java.util.regex.Pattern.compile("_LEARN_WINDOWS (\\d{1,5})u").matcher(text);
        if (!w.find()) return null;
        var ph = java.util.regex.Pattern.compile("_LEARN_PHASES \\(([A-Z_ |0-9u]*)\\)").matcher(text);
        var ce = java.util.regex.Pattern.compile("_LEARN_CENTROIDS TINYAD_LEARN_(KEEP|REFINE|SCRATCH)").matcher(text);
        var pc = java.util.regex.Pattern.compile("_LEARN_PERCENTILE (\\d{1,5})u").matcher(text);
        if (!ph.find() || !ce.find() || !pc.find()) throw new ToolException(project + ": a learning plan the firmware cannot have (re-export it)");
        String phases = ph.group(1);
        return new tinyad.quantizer.DeviceLearning.Plan(Integer.parseInt(w.group(1)), phases.contains("TINYAD_LEARN_CHANNELS"),
                phases.contains("TINYAD_LEARN_FEATURES"), tinyad.quantizer.DeviceLearning.Centroids.valueOf(ce.group(1)),
                phases.contains("TINYAD_LEARN_THRESHOLD"), Integer.parseInt(pc.group(1)));
    }

    /**
     * What verifying on-device learning found: the first run (learning at boot, then scoring) and, when the board kept
     * its state, a second run after a reset; {@code resetSaid}: the learning lines of that run.
     */
    public record LearningReport(Check learned, Protocol.Learn end, Check afterReset, List<Protocol.Learn> resetSaid) {
        /** The board announced the stored state after the reset. */
        public boolean storedAfterReset() {
            return end != null && resetSaid.size() == 1 && resetSaid.get(0).state().equals("stored") && resetSaid.get(0).threshold() == end.threshold()
                    && resetSaid.get(0).rearm() == end.rearm();
        }

        public boolean ok() {
            return learned.mismatches() == 0 && (afterReset == null || (afterReset.mismatches() == 0 && storedAfterReset()));
        }
    }

    /**
     * Verifies the learning of a built live app (an export with --learn) on {@code recording}: its store erased (a board
     * that never learned), a run that learns at boot checked by {@link #checkLearning}; then, if it stored its state, a
     * second run (a reset) that must announce the stored state and score every window with what the first one learned.
     */
    public static LearningReport verifyLearning(Path project, Target t, QuantizedModel q, tinyad.quantizer.DeviceLearning.Plan plan,
                                                int[][] recording, long rateMillihz) throws IOException {
        int avrMs = (int) Math.min(Integer.MAX_VALUE, recording.length * 1_000_000L / rateMillihz + 300);
        Files.deleteIfExists(storeFile(project, t));
        Run first = run(project, t, recording, rateMillihz, avrMs);
        Check learned = checkLearning(first, q, plan);
        Protocol.Learn end = learning(first).stream().filter(l -> l.state().equals("end")).findFirst().orElse(null);
        if (learned.mismatches() > 0 || end == null || !end.kept()) return new LearningReport(learned, end, null, List.of());
        var ref = learnedReference(first, q, plan);
        Run again = run(project, t, recording, rateMillihz, avrMs);
        return new LearningReport(learned, end, check(again, q.pipeline(), ref::score, ref.thresholdQ(), 0), learning(again));
    }

    /** What checking a live run against the reference found. */
    public record Check(int windows, int mismatches, String firstMismatch) {}

    /**
     * Every score line against the Java integer reference on its window's frames (window n: frames n·hop ..
     * n·hop + window − 1), and its over-threshold bit.
     */
    public static Check check(Run r, QuantizedModel q) {
        return check(r, q.pipeline(), w -> q.score(q.deviceInput(w)), q.thresholdQ(), 0);
    }

    /** Live window n of a run: frames n·hop .. n·hop + window − 1, sample-major; null when the run has not sampled it all. */
    static int[] window(Run r, tinyad.datasets.Pipeline p, long n) {
        int ch = p.channels().size();
        long start = n * p.hop();
        if (start + p.window() > r.frames().size()) return null;
        int[] w = new int[p.window() * ch];
        for (int t = 0; t < p.window(); t++) System.arraycopy(r.frames().get((int) start + t), 0, w, t * ch, ch);
        return w;
    }

    /** Every score line from window {@code firstScored} on against {@code score} of its window and the threshold. */
    static Check check(Run r, tinyad.datasets.Pipeline p, java.util.function.ToIntFunction<int[]> score, int threshold, long firstScored) {
        int n = 0, bad = 0;
        String first = null;
        for (Protocol.Score s : r.scores()) {
            int[] w = window(r, p, s.seq());
            String why = null;
            if (s.seq() < firstScored) {
                why = "window " + s.seq() + " was scored while the device was learning";
            } else if (w == null) {
                why = "window " + s.seq() + " was scored before its samples were taken";
            } else {
                int want = score.applyAsInt(w);
                if (want != s.score() || (want > threshold) != s.alarm())
                    why = "window " + s.seq() + ": device " + s.score() + (s.alarm() ? " (over)" : "") + ", Java " + want;
            }
            n++;
            if (why != null) {
                bad++;
                if (first == null) first = why;
            }
        }
        return new Check(n, bad, first);
    }

    /** The device's learning lines of a run. */
    public static List<Protocol.Learn> learning(Run r) {
        return r.lines().stream().filter(m -> m instanceof Protocol.Learn).map(m -> (Protocol.Learn) m).toList();
    }

    /**
     * The Java reference of a run that learned at boot: {@link tinyad.quantizer.DeviceLearning} fed the run's live windows
     * 0 .. plan.windows − 1, the ones the device learned from (its {@code L end} line says which window ended learning).
     */
    public static tinyad.quantizer.DeviceLearning learnedReference(Run r, QuantizedModel q, tinyad.quantizer.DeviceLearning.Plan plan) {
        var ref = new tinyad.quantizer.DeviceLearning(q, plan);
        for (long n = 0; n < plan.windows(); n++) {
            int[] w = window(r, q.pipeline(), n);
            if (w == null) throw new ToolException("the run ended before learning window " + n + " was sampled");
            ref.learn(w);
        }
        return ref;
    }

    /**
     * A run that learned at boot against the Java reference: learning must end at window plan.windows − 1 (no window
     * skipped) with the reference's threshold and re-arm level, no window may be scored before, and every later score
     * must be the reference's with what it learned. A missing {@code L end} line or a differing threshold counts as a
     * mismatch.
     */
    public static Check checkLearning(Run r, QuantizedModel q, tinyad.quantizer.DeviceLearning.Plan plan) {
        Protocol.Learn end = learning(r).stream().filter(l -> l.state().equals("end")).findFirst().orElse(null);
        if (end == null) return new Check(0, 1, "the device never ended learning");
        if (end.window() != plan.windows() - 1)
            return new Check(0, 1, "learning ended at window " + end.window() + ", not " + (plan.windows() - 1) + ": the device skipped windows");
        var ref = learnedReference(r, q, plan);
        int rearm = (int) ref.model().alarm().rearm();
        if (end.threshold() != ref.thresholdQ() || end.rearm() != rearm)
            return new Check(0, 1, "learned threshold " + end.threshold() + " re-arm " + end.rearm() + ", Java " + ref.thresholdQ() + " re-arm " + rearm);
        return check(r, q.pipeline(), ref::score, ref.thresholdQ(), plan.windows());
    }
}
