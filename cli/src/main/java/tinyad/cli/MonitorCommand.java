package tinyad.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import tinyad.common.DataException;
import tinyad.common.ToolException;
import tinyad.datasets.SensorTable;
import tinyad.devicebridge.JsscLink;
import tinyad.devicebridge.Monitor;
import tinyad.devicebridge.Protocol;
import tinyad.devicebridge.Replay;
import tinyad.devicebridge.ScoreLog;
import tinyad.devicebridge.Verifier;
import tinyad.quantizer.QuantizedModel;

@Command(name = "monitor", mixinStandardHelpOptions = true,
        header = "Shows a device's live scores, alarms and counters.",
        description = {"Live view of a device: recent scores as a sparkline against its threshold (alarms in red),",
                "scores per second, bad-line, lost and reset counters. Reconnects when the port comes back.",
                "--log appends every score to a CSV, flushed per row. --replay streams a data file's windows",
                "to the device at --rate windows/s (an emulator has no sensors of its own)."})
final class MonitorCommand implements Callable<Integer>, Validated {
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

    @Option(names = "--model", paramLabel = "FILE",
            description = "int8 model: the device must announce its hash, inputs and threshold; quantizes replayed windows.")
    Path model;

    @Option(names = "--rate", defaultValue = "20", description = "Replayed windows per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws IOException, InterruptedException {
        byte[][] windows = null;
        QuantizedModel q = null;
        if (replay && model == null) throw new DataException("--replay needs --model to quantize the windows");
        if (model != null) q = QuantizedModel.load(model);
        if (replay) {
            SensorTable t = data.load().table();
            windows = q.quantizedInputs(t);
        }
        if (log != null) tinyad.common.AtomicFiles.requireDistinct(log, model, data.data);
        Replay sender = windows != null ? new Replay(windows, rate) : null;
        QuantizedModel expected = q;
        // colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)
        boolean ansi = System.console() != null && System.getenv("NO_COLOR") == null;
        Monitor m = new Monitor(() -> JsscLink.open(port, baud), System.out, ansi);
        try (ScoreLog csv = log != null ? new ScoreLog(log) : null) {
            m.run(seconds * 1000, s -> {
                if (csv != null) csv.write(System.currentTimeMillis(), s);
            }, session -> {
                // with --model, the device must run that model (hash, inputs, threshold) before anything is sent
                if (expected != null) Verifier.checkDevice(session.hello(), expected);
                // a protocol 3 device: replayed windows need replay mode; otherwise it scores its own samples
                if (session.hello().version() >= 3) {
                    if (sender != null) {
                        session.selectMode(session.hello(), "replay", 2000);
                    } else {
                        // a board already scoring its own samples is left alone (a mode change would restart its windows)
                        Protocol.Status st = session.queryStatus(2000);
                        if (st == null || !st.mode().equals("live")) session.selectMode(session.hello(), "live", 2000);
                    }
                }
                if (sender != null) sender.restart(session);
            });
        } catch (ToolException e) {
            // a full log disk or a failed device: the counts so far, then the one-line error
            totals(m);
            throw e;
        } finally {
            if (sender != null) sender.stop();
        }
        totals(m);
        return 0;
    }

    private static void totals(Monitor m) {
        Monitor.Totals t = m.totals();
        System.out.printf("%nscores %d, bad lines %d, lost %d, duplicates dropped %d, resets %d, reconnects %d%n",
                t.scores(), t.bad(), t.lost(), t.duplicates(), t.resets(), t.reconnects());
    }

    @Override
    public void validate() {
        Validated.range("--baud", baud, 1, 10_000_000);
        Validated.range("--seconds", seconds, 0, 365L * 24 * 3600);
        Validated.finitePositive("--rate", rate);
        data.validate();
    }
}
