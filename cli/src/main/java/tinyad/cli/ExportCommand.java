package tinyad.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import tinyad.codegen.Exporter;
import tinyad.devicebridge.FirmwareReport;
import tinyad.devicebridge.Target;
import tinyad.quantizer.QuantizedModel;

@Command(name = "export", mixinStandardHelpOptions = true,
        header = "Generates C for an int8 model, or an Arduino library.",
        description = {"Generates C for an int8 model: the firmware-c runtime, model/<name>_model.h/.c (const",
                "weights in flash) and a Makefile with targets host, m4 (Cortex-M4), m3 (Cortex-M3) and avr (ATmega328P)."})
final class ExportCommand implements Callable<Integer>, Validated {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "int8 model from tinyad quantize.")
    Path model;

    @Option(names = "--name", paramLabel = "NAME", description = "C name of the model (default: from the file name).")
    String name;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Directory to write.")
    Path output;

    @Option(names = "--target", defaultValue = "c",
            description = "c: runtime + model + Makefile (host, Cortex-M4/M3 under QEMU, AVR); arduino: an Arduino library with an example sketch (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--no-report", description = "Skip building and measuring the firmware for report.md.")
    boolean noReport;

    @Option(names = "--sample-rate", defaultValue = "1000", description = "Arduino sketch: samples per second (default: ${DEFAULT-VALUE}).")
    double sampleRate;

    @Override
    public Integer call() {
        QuantizedModel q = QuantizedModel.load(model);
        String n = name != null ? name : defaultName(model);
        switch (target) {
            case "c", "cortex-m" -> {
                tinyad.common.AtomicFiles.requireDistinct(output, model);
                // the project and its report are built in a staging directory and moved into place together:
                // a build that fails (or Ctrl-C) half-way leaves no partial project at the output
                String[] report = {""};
                Map<String, String> files = new java.util.LinkedHashMap<>();
                tinyad.common.AtomicFiles.writeTree(output, stage -> {
                    files.putAll(Exporter.exportInto(q, n, stage));
                    if (noReport) return;
                    java.util.List<FirmwareReport.Row> rows = new java.util.ArrayList<>();
                    String avrProblem = tinyad.codegen.FirmwareLimits.avrProblem(q);
                    if (avrProblem != null) System.err.println("tinyad: not measured on the ATmega328P: " + avrProblem);
                    for (Target t : avrProblem == null ? new Target[] {Target.CORTEX_M4, Target.CORTEX_M3, Target.AVR}
                            : new Target[] {Target.CORTEX_M4, Target.CORTEX_M3}) {
                        FirmwareReport.Row r = FirmwareReport.measure(stage, t);
                        if (r != null) rows.add(r);
                    }
                    report[0] = FirmwareReport.markdown(q, n, rows);
                    java.nio.file.Files.writeString(stage.resolve("report.md"), report[0]);
                });
                System.out.printf("wrote %s: %s; build with: make -C %s host|m4|m3|avr%n", output, String.join(", ", files.keySet()), output);
                System.out.print(report[0]);
            }
            case "arduino" -> {
                var files = tinyad.codegen.ArduinoLibrary.export(q, n, sampleRate, output);
                System.out.printf("wrote Arduino library %s (%d files); zip the folder and use Sketch > Include Library > Add .ZIP Library%n",
                        output, files.size() + tinyad.codegen.ArduinoLibrary.RUNTIME_COUNT);
            }
            default -> throw new tinyad.common.DataException("unknown target '" + target + "'; known: c, cortex-m, arduino");
        }
        return 0;
    }

    static String defaultName(Path model) {
        String f = model.getFileName().toString();
        int dot = f.indexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    @Override
    public void validate() {
        Validated.finitePositive("--sample-rate", sampleRate);
    }
}
