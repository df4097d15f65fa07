package tinyad.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import tinyad.codegen.Exporter;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.TimeSplit;
import tinyad.devicebridge.Emulator;
import tinyad.devicebridge.Footprint;
import tinyad.devicebridge.LiveEmulator;
import tinyad.devicebridge.Protocol;
import tinyad.devicebridge.Target;
import tinyad.devicebridge.Verifier;
import tinyad.model.KMeansDetector;
import tinyad.model.Metrics;
import tinyad.quantizer.QuantizedModel;
import tinyad.quantizer.Quantizer;
import tinyad.trainer.KMeansTrainer;

@Command(name = "demo", mixinStandardHelpOptions = true,
        header = "Runs the whole pipeline on built-in data, on three targets.",
        description = {"End to end on the built-in data: generate -> train k-means -> quantize -> export C ->",
                "build for the host, a Cortex-M4 and an ATmega328P -> run them (QEMU, simavr) -> check every score",
                "against the Java integer reference. Prints ROC-AUC, scores matched, firmware size, time per stage."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = {"-o", "--output"}, defaultValue = "tinyad-demo", paramLabel = "DIR",
            description = "Working directory for the data, models and firmware (default: ${DEFAULT-VALUE}).")
    Path output;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the data and of k-means (default: ${DEFAULT-VALUE}).")
    long seed;

    private final List<String[]> times = new ArrayList<>();

    private <T> T stage(String name, Supplier<T> body) {
        if (System.console() != null) System.err.printf("  %-12s ...%n", name);   // progress only on a terminal; the summary lists every stage's time
        long t0 = System.nanoTime();
        T r = body.get();
        times.add(new String[] {name, String.format(Locale.ROOT, "%.2f s", (System.nanoTime() - t0) / 1e9)});
        return r;
    }

    @Override
    public Integer call() {
        SyntheticSensor.Options o = SyntheticSensor.Options.defaults();
        SyntheticSensor.Options opts = new SyntheticSensor.Options(seed, o.rows(), o.sampleRateHz(), o.cleanFraction(), o.faultLength());
        Path csv = output.resolve("data.csv");
        SensorTable table = stage("generate", () -> {
            SensorTable t = SyntheticSensor.generate(opts).table();
            SyntheticSensor.writeCsv(t, csv);
            return t;
        });
        TimeSplit split = TimeSplit.of(table, 0.5);
        KMeansDetector det = stage("train", () -> {
            Pipeline p = Pipeline.fit(split.train(), null, 32, 16, Pipeline.RAW).withSampleRate(opts.sampleRateHz());
            KMeansDetector d = KMeansTrainer.train(split.train(), p, new KMeansTrainer.Options(16, seed, 100, 99.5), "");
            d.save(output.resolve("demo.tinyad"));
            return d;
        });
        QuantizedModel q = stage("quantize", () -> {
            Pipeline p = det.pipeline();
            QuantizedModel m = Quantizer.quantize(det, p.normalInputs(split.train()));
            m.save(output.resolve("demo.int8.tinyad"));
            return m;
        });
        Path project = output.resolve("firmware");
        stage("export", () -> Exporter.export(q, "demo", project));
        Path hostFw = stage("build host", () -> Target.HOST.build(project));
        Path m4Fw = stage("build m4", () -> Target.CORTEX_M4.build(project));
        Path avrFw = stage("build avr", () -> Target.AVR.build(project));
        byte[][] windows = q.quantizedInputs(split.test());
        Verifier.Report host = stage("run host", () -> Emulator.verify(Target.HOST, hostFw, q, windows));
        Verifier.Report m4 = stage("run m4", () -> Emulator.verify(Target.CORTEX_M4, m4Fw, q, windows));
        Verifier.Report avr = stage("run avr", () -> Emulator.verify(Target.AVR, avrFw, q, windows));
        // a board that samples its own sensor: the test recording as the sensor's counts, played into the live app
        // of each emulator at the model's rate (the M4 through its port hook, the AVR's ADC pins in simulated time)
        long rateMillihz = Math.round(opts.sampleRateHz() * 1000);
        SensorTable span = liveSpan(split.test(), LIVE_ROWS), unoSpan;
        int[][] recording = sensorCounts(q.pipeline(), span);
        LiveEmulator.Run m4Live = stage("live m4", () -> live(project, Target.CORTEX_M4, recording, rateMillihz));
        // an Uno's ADC reads 0 .. 1023: its model is trained, as a user of one would, on the data as those counts
        TimeSplit uno = TimeSplit.of(LiveEmulator.adcCounts(table, UNO_COUNTS_PER_UNIT), 0.5);
        Path unoProject = output.resolve("firmware-uno");
        QuantizedModel qUno = stage("train uno", () -> {
            Pipeline p = Pipeline.fit(uno.train(), null, 32, 16, Pipeline.RAW).withSampleRate(opts.sampleRateHz());
            KMeansDetector d = KMeansTrainer.train(uno.train(), p, new KMeansTrainer.Options(16, seed, 100, 99.5), "");
            QuantizedModel m = Quantizer.quantize(d, p.normalInputs(uno.train()));
            m.save(output.resolve("demo-uno.int8.tinyad"));
            Exporter.export(m, "demo_uno", unoProject);
            return m;
        });
        unoSpan = liveSpan(uno.test(), LIVE_ROWS);
        int[][] unoRecording = sensorCounts(qUno.pipeline(), unoSpan);
        LiveEmulator.Run avrLive = stage("live avr", () -> live(unoProject, Target.AVR, unoRecording, rateMillihz));
        LiveEmulator.Check m4Check = LiveEmulator.check(m4Live, q), avrCheck = LiveEmulator.check(avrLive, qUno);
        Footprint fp = Footprint.of(Target.CORTEX_M4.sizeTool(), m4Fw);
        Footprint fpAvr = Footprint.of(Target.AVR.sizeTool(), avrFw);

        int[] labels = det.pipeline().windows(split.test()).labels();
        double[] fs = det.scores(split.test());
        double[] is = q.scores(split.test());
        Metrics.Confusion cf = Metrics.confusion(fs, labels, det.threshold());
        Metrics.Confusion ci = Metrics.confusion(is, labels, q.thresholdQ());
        int anomalous = 0;
        for (int l : labels) anomalous += l;

        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%ntinyad demo: built-in synthetic 3-axis vibration, %d rows at %.0f Hz, seed %d%n",
                table.rows(), opts.sampleRateHz(), seed));
        s.append(String.format(Locale.ROOT, "model       k-means k=%d over %d int8 inputs (%d samples x %d channels), hash %s%n",
                det.centroids().length, q.inputSize(), det.pipeline().window(), det.pipeline().channels().size(), q.hash()));
        s.append(String.format(Locale.ROOT, "test data   %d windows, %d anomalous%n", labels.length, anomalous));
        s.append(String.format(Locale.ROOT, "ROC-AUC     float %.4f   int8 %.4f%n", Metrics.rocAuc(fs, labels), Metrics.rocAuc(is, labels)));
        s.append(String.format(Locale.ROOT, "F1          float %.4f   int8 %.4f   (threshold: 99.5th percentile of held-out normal scores)%n", cf.f1(), ci.f1()));
        s.append(describe(Target.HOST, host)).append('\n');
        s.append(describe(Target.CORTEX_M4, m4)).append('\n');
        s.append(describe(Target.AVR, avr)).append('\n');
        s.append(describeLive("cortex-m4", "QEMU, samples through the port hook", m4Live, m4Check, opts.sampleRateHz(), span.labels(), q.pipeline())).append('\n');
        s.append(describeLive("atmega328p", "simavr, ADC pins driven in simulated time; its model on 10-bit counts", avrLive, avrCheck, opts.sampleRateHz(), unoSpan.labels(), qUno.pipeline())).append('\n');
        s.append(String.format(Locale.ROOT, "firmware    cortex-m4 -O2: flash %d B, static RAM %d B; atmega328p -Os: flash %d B of 32768, static RAM %d B of 2048%n",
                fp.flash(), fp.ram(), fpAvr.flash(), fpAvr.ram()));
        s.append(String.format(Locale.ROOT, "            (static RAM holds the serial app's line and window buffers, %d B, known at link time)%n",
                2 * q.inputSize() + 16 + q.inputSize()));
        s.append("time       ");
        for (String[] t : times) s.append(' ').append(t[0]).append(' ').append(t[1]).append(',');
        s.setLength(s.length() - 1);
        s.append(String.format(Locale.ROOT, "%nfiles       %s%n", output.toAbsolutePath()));
        System.out.print(s);
        boolean liveOk = m4Check.mismatches() == 0 && avrCheck.mismatches() == 0;
        return host.ok() && m4.ok() && avr.ok() && liveOk ? 0 : Main.EXIT_MISMATCH;
    }

    /** Rows of the live run: 4 s at the built-in 1 kHz, starting 1.5 s before the test part's first fault. */
    static final int LIVE_ROWS = 4000;

    /** The Uno's analog front end in the demo: 80 counts per unit around mid-scale, so the data spans most of 0 .. 1023. */
    static final double UNO_COUNTS_PER_UNIT = 80;

    static SensorTable liveSpan(SensorTable test, int rows) {
        int f = 0;
        while (f < test.labels().length && test.labels()[f] == 0) f++;
        int from = Math.max(0, Math.min(f - 1500, test.labels().length - rows));
        return test.slice(from, Math.min(test.labels().length, from + rows));
    }

    /** The recording as the device's sensor gives it: each row's int16 counts (the pipeline's sample mapping). */
    static int[][] sensorCounts(Pipeline p, SensorTable t) {
        SensorTable sel = t.select(p.channels());
        int[][] r = new int[sel.rows()][];
        for (int i = 0; i < r.length; i++) r[i] = p.requireInteger().counts(sel.values()[i], p.channels().size());
        return r;
    }

    static LiveEmulator.Run live(Path project, Target t, int[][] recording, long rateMillihz) {
        LiveEmulator.build(project, t, rateMillihz, null);
        try {
            // the AVR runs 3.5 s of simulated time (its boot takes a few ms); the M4 runs until the recording ends
            return LiveEmulator.run(project, t, recording, rateMillihz, 3500);
        } catch (java.io.IOException e) {
            throw new tinyad.common.ToolException(t.makeTarget + " live run failed: " + e.getMessage());
        }
    }

    static String describeLive(String name, String how, LiveEmulator.Run r, LiveEmulator.Check c, double rateHz, int[] labels, Pipeline p) {
        Protocol.Status st = r.lastStatus();
        long over = 0, overInFault = 0;
        for (Protocol.Score x : r.scores()) {
            if (!x.alarm()) continue;
            over++;
            long first = r.rows().get(0) + x.seq() * p.hop();
            boolean fault = false;
            for (long row = first; row < first + p.window() && row < labels.length; row++) fault |= labels[(int) row] != 0;
            if (fault) overInFault++;
        }
        return String.format(Locale.ROOT, "live        %s (%s) at %.0f Hz: %d samples, %d windows, %d/%d scores equal to the reference, "
                        + "overruns %s, %d over the threshold (%d in the labelled fault)", name, how, rateHz, r.frames().size(), c.windows(),
                c.windows() - c.mismatches(), c.windows(), st == null ? "?" : Long.toString(st.overruns()), over, overInFault)
                + (c.firstMismatch() != null ? String.format(Locale.ROOT, "%n            %s", c.firstMismatch()) : "");
    }

    static String describe(Target t, Verifier.Report r) {
        return describe(switch (t) {
            case HOST -> "host gcc";
            case CORTEX_M4 -> "cortex-m4";
            case CORTEX_M3 -> "cortex-m3";
            case AVR -> "atmega328p";
        }, r);
    }

    static String describe(String name, Verifier.Report r) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-11s scores matched %d/%d (mismatched %d, lost %d, bad lines %d), %.0f windows/s",
                name, r.matched(), r.windows(), r.mismatches().size(), r.lost(), r.badLines(),
                r.windows() / (r.elapsedNanos() / 1e9)));
        for (Verifier.Mismatch m : r.mismatches().subList(0, Math.min(3, r.mismatches().size())))
            b.append(String.format(Locale.ROOT, "%n            window %d: reference %d alarm %d, device %d alarm %d", m.window(), m.expected(),
                    m.expectedAlarm() ? 1 : 0, m.actual(), m.actualAlarm() ? 1 : 0));
        return b.toString();
    }
}
