package tinyad.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import tinyad.common.DataException;
import tinyad.datasets.SensorTable;
import tinyad.devicebridge.DeviceSession;
import tinyad.devicebridge.Emulator;
import tinyad.devicebridge.JsscLink;
import tinyad.devicebridge.Target;
import tinyad.devicebridge.Verifier;
import tinyad.model.Metrics;
import tinyad.quantizer.QuantizedModel;

@Command(name = "verify", mixinStandardHelpOptions = true,
        header = "Checks every score of a device against the Java reference.",
        description = {"Streams the windows of the data through a device and checks every score against the Java",
                "integer reference: matched, mismatched and lost counts, on-device ROC-AUC and F1 when the data",
                "has labels, latency per window. Exits 1 on any mismatch or loss.",
                "  --port P            a board or emulator serial port (see tinyad flash --emulator)",
                "  --target T --project DIR   builds the export and runs it on stdio (host, m4, m3, avr)",
                "  --learn             a project exported with --learn N: plays the data's counts into its live app, which",
                "                      learns from its first N windows; checks the learned threshold and every later score,",
                "                      then resets the board and checks that it scores with the stored state"})
final class VerifyCommand implements Callable<Integer>, Validated {
    static final class Device {
        @Option(names = "--port", paramLabel = "PORT", description = "Serial port or pseudo-terminal of the device.")
        String port;
        @ArgGroup(exclusive = false)
        Built built;
    }

    static final class Built {
        @Option(names = "--target", required = true, description = "host, m4, m3 or avr.")
        String target;
        @Option(names = "--project", required = true, paramLabel = "DIR", description = "Directory written by tinyad export.")
        Path project;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Device device;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "int8 model the firmware was exported from.")
    Path model;

    @Mixin
    DataOptions data;

    @Option(names = "--all", description = "Stream every window of the data, not only the test part.")
    boolean all;

    @Option(names = "--baud", defaultValue = "115200", description = "Serial speed (default: ${DEFAULT-VALUE}).")
    int baud;

    @Option(names = "--in-flight", defaultValue = "1",
            description = "Windows sent ahead of their score; 1 is safe for any UART (default: ${DEFAULT-VALUE}).")
    int inFlight;

    @Option(names = "--timeout", defaultValue = "5000", description = "Milliseconds to wait for an answer (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--learn", description = {"Verify on-device learning (needs --target and --project of a project exported with",
            "--learn): the recording starts with the rows the N learning windows take, from the end of the training part",
            "(from the data's start with --all), and goes on through the test part."})
    boolean learn;

    @Override
    public Integer call() throws IOException {
        QuantizedModel q = QuantizedModel.load(model);
        if (learn) return verifyLearning(q);
        SensorTable t = data.load().table();
        if (!all) t = data.split(t).test();
        byte[][] windows = q.quantizedInputs(t);
        if (inFlight < 1) throw new DataException("--in-flight must be at least 1");
        Verifier.Report r;
        String name;
        java.util.function.IntConsumer progress = progress(windows.length);
        if (device.port != null) {
            name = device.port;
            try (DeviceSession s = new DeviceSession(JsscLink.open(device.port, baud))) {
                r = Verifier.verify(s, q, windows, inFlight, timeout, progress);
            }
        } else {
            Target tg = Target.parse(device.built.target);
            name = tg.makeTarget;
            r = Emulator.verify(tg, tg.build(device.built.project), q, windows, progress);
        }
        if (progress != null) System.err.print("\r\033[K");
        System.out.println(summary(name, r, t.hasLabels() ? q.pipeline().windows(t).labels() : null, q.thresholdQ(),
                device.port != null ? inFlight : 16));
        return r.ok() ? 0 : Main.EXIT_MISMATCH;
    }

    /** verify --learn: the live app of an emulated board, learning at boot, against tinyad.quantizer.DeviceLearning. */
    private int verifyLearning(QuantizedModel q) throws IOException {
        if (device.built == null) throw new DataException("--learn verifies an emulated board: give --target and --project, not --port");
        Target tg = Target.parse(device.built.target);
        Path project = device.built.project;
        if (!java.nio.file.Files.isDirectory(project.resolve("model"))) throw new DataException(project + " is not a project written by tinyad export");
        String hash = tinyad.devicebridge.LiveEmulator.projectModelHash(project);
        if (hash != null && !hash.equals(q.hash()))
            throw new DataException(project + " was exported from model " + hash + ", not " + model + " (" + q.hash() + ")");
        tinyad.quantizer.DeviceLearning.Plan plan = tinyad.devicebridge.LiveEmulator.projectLearnPlan(project);
        if (plan == null) throw new DataException(project + " was exported without --learn: its firmware does not learn");
        if (!q.hasIntegerFeatures()) throw new DataException(model + ": the model has no integer features; a live board cannot run it");
        var p = q.pipeline();
        SensorTable table = data.load().table();
        int learnRows = (plan.windows() - 1) * p.hop() + p.window();
        int from = all ? 0 : Math.max(0, data.split(table).train().rows() - learnRows);
        SensorTable t = table.slice(from, table.rows());
        if (t.rows() < learnRows + p.hop())
            throw new DataException("the data has " + t.rows() + " rows from where learning starts; " + plan.windows() + " learning windows and one to score need "
                    + (learnRows + p.hop()));
        int[][] recording = DemoCommand.sensorCounts(p, t);
        long rate = tinyad.devicebridge.LiveEmulator.projectRateMillihz(project);
        if (rate == 0) throw new DataException(project + ": its model states no sample rate (re-export it with --sample-rate)");
        tinyad.devicebridge.LiveEmulator.build(project, tg, rate, null);
        tinyad.devicebridge.LiveEmulator.LearningReport r;
        try {
            r = tinyad.devicebridge.LiveEmulator.verifyLearning(project, tg, q, plan, recording, rate);
        } catch (IOException e) {   // the store or feed file cannot be written or removed (a directory in its place)
            throw new DataException(project + ": cannot prepare the emulated board's files: " + e.getClass().getSimpleName() + " " + e.getMessage());
        }
        System.out.print(learningSummary(tg, plan, q, r));
        return r.ok() ? 0 : Main.EXIT_MISMATCH;
    }

    static String learningSummary(Target tg, tinyad.quantizer.DeviceLearning.Plan plan, QuantizedModel q, tinyad.devicebridge.LiveEmulator.LearningReport r) {
        String nl = System.lineSeparator();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s: learning from live windows 0..%d (%s)%n", tg.makeTarget,
                plan.windows() - 1, describe(plan)));
        if (r.learned().mismatches() > 0) return b.append("MISMATCH: ").append(r.learned().firstMismatch()).append(nl).toString();
        b.append(String.format(Locale.ROOT, "learned threshold %d, re-arm %d (shipped %d): equal to the Java reference; state %s%n", r.end().threshold(),
                r.end().rearm(), q.thresholdQ(), r.end().kept() ? "stored" : "NOT stored (the port's store refused it)"));
        b.append(String.format(Locale.ROOT, "%d windows scored after learning: every score and over-threshold bit equal to the reference%n",
                r.learned().windows()));
        if (r.afterReset() == null) return b.toString();
        if (!r.storedAfterReset()) return b.append("MISMATCH after a reset: the board did not announce the stored state: ").append(r.resetSaid()).append(nl).toString();
        if (r.afterReset().mismatches() > 0) return b.append("MISMATCH after a reset: ").append(r.afterReset().firstMismatch()).append(nl).toString();
        return b.append(String.format(Locale.ROOT, "after a reset: the stored state, %d windows scored from window 0, all equal to the reference%n",
                r.afterReset().windows())).toString();
    }

    static String describe(tinyad.quantizer.DeviceLearning.Plan plan) {
        List<String> what = new java.util.ArrayList<>();
        if (plan.channels()) what.add("centring");
        if (plan.features()) what.add("normalisation");
        if (plan.centroids() != tinyad.quantizer.DeviceLearning.Centroids.KEEP) what.add("centroids " + plan.centroids().name().toLowerCase(Locale.ROOT));
        if (plan.threshold()) what.add(String.format(Locale.ROOT, "threshold at p%s", tinyad.datasets.SampleRate.shortNumber(plan.percentile() / 100.0)));
        return String.join(", ", what);
    }

    /** "verified k/n windows" on the terminal's last line, at most 5 times a second; none when the output is not a terminal. */
    static java.util.function.IntConsumer progress(int total) {
        if (System.console() == null) return null;
        long[] last = {0};
        return answered -> {
            long now = System.nanoTime();
            if (now - last[0] < 200_000_000L && answered < total) return;
            last[0] = now;
            System.err.printf("\r  verified %,d / %,d windows", answered, total);
        };
    }

    static String summary(String name, Verifier.Report r, int[] labels, int threshold, int inFlight) {
        StringBuilder b = new StringBuilder(DemoCommand.describe(name, r));
        long[] lat = Arrays.stream(r.latencyNanos()).filter(x -> x > 0).sorted().toArray();
        if (lat.length > 0)
            b.append(String.format(Locale.ROOT, "%nlatency per window: median %.2f ms, p99 %.2f ms (window sent to score received, %d in flight)",
                    lat[lat.length / 2] / 1e6, lat[(int) Math.min(lat.length - 1, Math.ceil(lat.length * 0.99) - 1)] / 1e6,
                    inFlight));
        if (r.alarmsChecked()) {
            long starts = r.deviceEvents().stream().filter(tinyad.devicebridge.Protocol.Event::start).count();
            b.append(String.format(Locale.ROOT, "%nalarm events: %d started, %d ended; %s", starts, r.deviceEvents().size() - starts,
                    r.eventMismatches() == 0 ? "alarm states and events equal the reference's" : r.eventMismatches() + " events differ from the reference's"));
            r.deviceEvents().stream().limit(10).forEach(e -> b.append(String.format(Locale.ROOT, "%n  window %d: %s %d", e.seq(),
                    e.start() ? "alarm, score" : "cleared, peak", e.value())));
        } else {
            b.append(String.format(Locale.ROOT, "%nalarm events not checked: the device speaks protocol %d only", r.hello().version()));
        }
        if (labels != null && r.lost() == 0) {
            double[] s = Arrays.stream(r.deviceScores()).asDoubleStream().toArray();
            Metrics.Confusion c = Metrics.confusion(s, labels, threshold);
            b.append(String.format(Locale.ROOT, "%non-device ROC-AUC %.4f, F1 %.4f (precision %.4f, recall %.4f)",
                    Metrics.rocAuc(s, labels), c.f1(), c.precision(), c.recall()));
        }
        return b.toString();
    }

    @Override
    public void validate() {
        Validated.range("--baud", baud, 1, 10_000_000);
        Validated.range("--in-flight", inFlight, 1, 4096);
        Validated.range("--timeout", timeout, 1, 3_600_000);
        data.validate();
    }
}
