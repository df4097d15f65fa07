package tinyad.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import tinyad.common.DataException;
import tinyad.datasets.SensorTable;
import tinyad.devicebridge.DeviceSession;
import tinyad.devicebridge.JsscLink;
import tinyad.devicebridge.Monitor;
import tinyad.devicebridge.Protocol;
import tinyad.devicebridge.ScoreLog;
import tinyad.quantizer.QuantizedModel;

@Command(name = "monitor", mixinStandardHelpOptions = true,
        description = {"Live view of a device: recent scores as a sparkline against its threshold (alarms in red),",
                "scores per second, bad-line, lost and reset counters. Reconnects when the port comes back.",
                "--log appends every score to a CSV, flushed per row. --replay streams a data file's windows",
                "to the device at --rate windows/s (an emulator has no sensors of its own)."})
final class MonitorCommand implements Callable<Integer> {
    @Option(names = "--port", required = true, paramLabel = "PORT", description = "Serial port or pseudo-terminal.")
    String port;

    @Option(names = "--baud", defaultValue = "115200", description = "Serial speed (default: ${DEFAULT-VALUE}).")
    int baud;

    @Option(names = "--log", paramLabel = "CSV", description = "Append every score to this CSV.")
    Path log;

    @Option(names = "--seconds", defaultValue = "0", description = "Stop after this many seconds (default: until Ctrl-C).")
    long seconds;

    @Option(names = "--replay", description = "Stream the data's windows to the device (needs --model).")
    boolean replay;

    @Option(names = "--model", paramLabel = "FILE", description = "int8 model, to quantize replayed windows.")
    Path model;

    @Option(names = "--rate", defaultValue = "20", description = "Replayed windows per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws IOException, InterruptedException {
        byte[][] windows = null;
        if (replay) {
            if (model == null) throw new DataException("--replay needs --model to quantize the windows");
            QuantizedModel q = QuantizedModel.load(model);
            SensorTable t = data.load().table();
            windows = q.quantizedInputs(t);
        }
        final byte[][] toSend = windows;
        AtomicReference<Thread> sender = new AtomicReference<>();
        boolean ansi = System.console() != null;
        Monitor m = new Monitor(() -> JsscLink.open(port, baud), System.out, ansi);
        try (ScoreLog csv = log != null ? new ScoreLog(log) : null) {
            m.run(seconds * 1000, s -> {
                if (csv != null) csv.write(System.currentTimeMillis(), s);
            }, session -> {
                if (toSend == null) return;
                Thread old = sender.getAndSet(null);
                if (old != null) old.interrupt();
                Thread t = new Thread(() -> replay(session, toSend), "tinyad-replay");
                t.setDaemon(true);
                t.start();
                sender.set(t);
            });
        } finally {
            Thread t = sender.get();
            if (t != null) t.interrupt();
        }
        Monitor.Totals t = m.totals();
        System.out.printf("%nscores %d, bad lines %d, lost %d, duplicates dropped %d, resets %d, reconnects %d%n",
                t.scores(), t.bad(), t.lost(), t.duplicates(), t.resets(), t.reconnects());
        return 0;
    }

    private void replay(DeviceSession session, byte[][] windows) {
        long periodNanos = (long) (1e9 / Math.max(0.01, rate));
        long next = System.nanoTime();
        try {
            for (int i = 0; !Thread.currentThread().isInterrupted(); i = (i + 1) % windows.length) {
                session.send(Protocol.window(windows[i]));
                next += periodNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
        } catch (IOException | InterruptedException e) {
            // the port went away or the monitor stopped
        }
    }
}
