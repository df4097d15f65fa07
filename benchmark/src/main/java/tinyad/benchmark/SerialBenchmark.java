package tinyad.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import tinyad.codegen.Exporter;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.TimeSplit;
import tinyad.devicebridge.DeviceSession;
import tinyad.devicebridge.Emulator;
import tinyad.devicebridge.JsscLink;
import tinyad.devicebridge.Protocol;
import tinyad.devicebridge.Target;
import tinyad.devicebridge.ThrottledLink;
import tinyad.devicebridge.Verifier;
import tinyad.model.KMeansDetector;
import tinyad.quantizer.QuantizedModel;
import tinyad.quantizer.Quantizer;
import tinyad.trainer.KMeansTrainer;

/**
 * The serial link against the emulated Cortex-M4 on a pseudo-terminal (jssc): sustained scores/s with the host
 * reading at a given baud rate (device self-test load, G command) against the protocol's line-rate limit, and
 * verify throughput for 32- and 640-sample windows.
 */
public final class SerialBenchmark {
    private SerialBenchmark() {}

    /**
     * @param count   scores in the sustained-rate test
     * @param windows windows per verify run
     */
    public static void run(int baud, int count, int windows, Consumer<String> out) throws IOException {
        SensorTable t = SyntheticSensor.generate(SyntheticSensor.Options.defaults()).table();
        TimeSplit s = TimeSplit.of(t, 0.5);
        Path dir = Files.createTempDirectory("tinyad-serial");
        try {
            for (int window : new int[] {32, 640}) {
                Pipeline p = Pipeline.fit(s.train(), List.of("ax"), window, window / 2, Pipeline.RAW);
                KMeansDetector d = KMeansTrainer.train(s.train(), p, new KMeansTrainer.Options(8, 1, 50, 99.5), "");
                QuantizedModel q = Quantizer.quantize(d, p.normalInputs(s.train()));
                Path project = dir.resolve("w" + window);
                Exporter.export(q, "bench" + window, project);
                Path fw = Target.CORTEX_M4.build(project);
                try (Emulator e = Emulator.startOnPty(Target.CORTEX_M4, fw)) {
                    if (window == 32) {
                        out.accept(sustained(e.port(), baud, baud, count));
                        out.accept(sustained(e.port(), baud, 0, count));
                    }
                    byte[][] w = q.quantizedInputs(s.test());
                    w = Arrays.copyOf(w, Math.min(windows, w.length));
                    for (int inFlight : new int[] {1, 4}) {
                        try (DeviceSession ds = new DeviceSession(JsscLink.open(e.port(), baud))) {
                            Verifier.Report r = Verifier.verify(ds, q, w, inFlight, 10_000);
                            double lineLimit = baud / 10.0 / (2 * window + 8);
                            out.accept(String.format(Locale.ROOT, "verify %3d-sample windows, in flight %d: %d/%d matched, %.1f windows/s "
                                            + "(QEMU pty, no baud limit; at %d baud the line limit is %.1f windows/s)",
                                    window, inFlight, r.matched(), r.windows(), r.windows() / (r.elapsedNanos() / 1e9), baud, lineLimit));
                        }
                    }
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** @param rate the host's reading speed in baud, 0 for as fast as the emulator sends */
    static String sustained(String port, int baud, int rate, int count) throws IOException {
        ThrottledLink link = new ThrottledLink(JsscLink.open(port, baud), rate > 0 ? rate : Integer.MAX_VALUE / 2);
        try (DeviceSession ds = new DeviceSession(link)) {
            ds.selectMode(ds.requireHello(10_000), "replay", 5000);
            ds.resetSequence(5000);
            link.restart();
            long first = System.nanoTime(), last = first, bytes = 0;
            ds.send(Protocol.frame("G " + count));
            int got = 0;
            while (got < count) {
                Protocol.Message m = ds.next(5000);
                if (m == null) break;
                if (m instanceof Protocol.Score sc) {
                    bytes += Protocol.frame("S " + sc.seq() + " " + sc.score() + " " + (sc.alarm() ? 1 : 0)).length();
                    last = System.nanoTime();
                    got++;
                }
            }
            double secs = (last - first) / 1e9;
            double bytesPerLine = bytes / (double) Math.max(1, got);
            double limit = baud / 10.0 / bytesPerLine;
            DeviceSession.Counters c = ds.counters();
            if (rate == 0)
                return String.format(Locale.ROOT, "unpaced: %d scores, %.1f scores/s (what QEMU's UART delivers); lost %d, bad %d",
                        got, got / secs, c.lost() + (count - got), c.bad());
            return String.format(Locale.ROOT, "sustained: %d scores, host reading at %d baud: %.1f scores/s, line-rate limit %.1f scores/s "
                            + "(%.1f bytes x 10 bits per line) = %.1f%% of the limit; lost %d, bad %d",
                    got, rate, got / secs, limit, bytesPerLine, 100 * (got / secs) / limit, c.lost() + (count - got), c.bad());
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
        }
    }
}
