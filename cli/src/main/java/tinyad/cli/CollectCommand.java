package tinyad.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import tinyad.common.AtomicFiles;
import tinyad.common.DataException;
import tinyad.devicebridge.Collector;
import tinyad.devicebridge.DeviceSession;
import tinyad.devicebridge.JsscLink;
import tinyad.quantizer.QuantizedModel;

@Command(name = "collect", mixinStandardHelpOptions = true,
        header = "Records a device's own samples to a CSV that train reads.",
        description = {"Puts a device running tinyad firmware with live sampling in raw mode and records its samples",
                "(protocol 3, docs/serial-protocol.md) for --seconds of the device's time. The CSV has a timestamp",
                "column (seconds, from the device's sample rate) and one column of integer counts per channel.",
                "A missing frame (the link could not keep up, or lost a line) ends the run with exit 3 and writes",
                "nothing: lower the sample rate or raise the baud rate. The device goes back to live mode afterwards."})
final class CollectCommand implements Callable<Integer>, Validated {
    @Option(names = "--port", required = true, paramLabel = "PORT", description = "Serial port or pseudo-terminal of the device.")
    String port;

    @Option(names = "--baud", defaultValue = "115200", description = "Serial speed (default: ${DEFAULT-VALUE}).")
    int baud;

    @Option(names = "--seconds", defaultValue = "60", description = "How much of the device's time to record (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--channels", split = ",", paramLabel = "NAME", description = "Column names (default: the model's with --model, else c0, c1, ...).")
    List<String> channels;

    @Option(names = "--model", paramLabel = "FILE", description = "int8 model whose channel names the columns take.")
    Path model;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE",
            description = "CSV to write (atomically); a name ending in .json or .cbor gets Edge Impulse's data acquisition format.")
    Path output;

    @Override
    public Integer call() throws Exception {
        List<String> names = channels;
        if (names == null && model != null) names = QuantizedModel.load(model).pipeline().channels();
        AtomicFiles.requireDistinct(output, model);
        boolean tty = System.console() != null;
        Collector.Recording r;
        try (DeviceSession s = new DeviceSession(JsscLink.open(port, baud))) {
            r = Collector.collect(s, seconds, 5000, n -> {
                if (tty) System.err.printf("\rcollect: %d frames", n);
            });
        }
        if (tty) System.err.println();
        int ch = r.frames().get(0).length;
        if (names == null) {
            names = new ArrayList<>();
            for (int c = 0; c < ch; c++) names.add("c" + c);
        }
        if (names.size() != ch) throw new DataException("the device sends " + ch + " channels, --channels names " + names.size());
        for (String n : names)
            if (!n.matches("[A-Za-z_][A-Za-z0-9_]{0,31}")) throw new DataException("channel name '" + n + "' is not a C identifier of at most 32 characters");
        // a .json or .cbor output is Edge Impulse's data acquisition format (upload it there), anything else the CSV train reads
        String lower = output.toString().toLowerCase(java.util.Locale.ROOT);
        if (lower.endsWith(".cbor")) {
            byte[] cbor = tinyad.datasets.DataFiles.toEdgeImpulseCbor(r.table(names), 1000.0 / r.rateHz(), "tinyad");
            AtomicFiles.write(output, out -> out.write(cbor));
        } else {
            AtomicFiles.writeString(output, lower.endsWith(".json")
                    ? tinyad.datasets.DataFiles.toEdgeImpulseJson(r.table(names), 1000.0 / r.rateHz(), "tinyad")
                    : r.csv(names));
        }
        System.out.printf("wrote %s: %d frames of %s at %s Hz (%d bad lines skipped)%n", output, r.frames().size(),
                String.join(", ", names), r.rateHz(), r.badLines());
        return 0;
    }

    @Override
    public void validate() {
        Validated.finitePositive("--seconds", seconds);
        Validated.range("--seconds", (long) Math.ceil(seconds), 1, 86_400);
        Validated.range("--baud", baud, 1, 10_000_000);
    }
}
