package tinyad.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import tinyad.codegen.Exporter;
import tinyad.codegen.FirmwareLimits;
import tinyad.common.DataException;
import tinyad.datasets.SampleRate;
import tinyad.devicebridge.FirmwareReport;
import tinyad.devicebridge.Target;
import tinyad.quantizer.QuantizedModel;

@Command(name = "export", mixinStandardHelpOptions = true,
        header = "Generates C for an int8 model, or an Arduino library.",
        description = {"Generates C for an int8 model: the firmware-c runtime, model/<name>_model.h/.c (const",
                "weights in flash), a CMakeLists.txt and a Makefile: host, m4 (Cortex-M4), m3 (Cortex-M3), avr (ATmega328P),",
                "their -live builds that sample their own sensors, stm32l4 (a board), m0, run-*, bench-* (`make help` lists them).",
                "It builds and measures the firmware in the emulators (report.md) and checks the real-time budget: features",
                "+ score of one window against one hop at the model's sample rate and the board's clock. A model that does",
                "not keep up on a measured target is refused (exit 2) unless --force."})
final class ExportCommand implements Callable<Integer>, Validated {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "int8 model from tinyad quantize.")
    Path model;

    @Option(names = "--name", paramLabel = "NAME", description = "C name of the model (default: from the file name).")
    String name;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Directory to write.")
    Path output;

    @Option(names = "--target", defaultValue = "c",
            description = {"c: runtime + model + Makefile (host, Cortex-M4/M3 under QEMU, AVR), measured on the Cortex-M4, M3 and",
                    "ATmega328P; cortex-m: the same project, measured on the Cortex-M4 and M3 only; arduino: an Arduino library",
                    "with an example sketch, measured on the ATmega328P (Uno) (default: ${DEFAULT-VALUE})."})
    String target;

    @Option(names = "--lib-version", defaultValue = "1.0.0", description = "Arduino library version, MAJOR.MINOR.PATCH (default: ${DEFAULT-VALUE}).")
    String libVersion;

    @Option(names = "--author", defaultValue = "tinyad user", description = "Arduino library author and maintainer (default: ${DEFAULT-VALUE}).")
    String libAuthor;

    @Option(names = "--url", defaultValue = "", description = "Arduino library project URL (default: none).")
    String libUrl;

    @Option(names = "--no-report", description = "Skip building and measuring the firmware (report.md and the real-time budget).")
    boolean noReport;

    @Option(names = "--sample-rate", paramLabel = "HZ",
            description = {"Samples per second the device takes (default: the model's, from its training data). A model",
                    "without one (trained on data without timestamps) needs it."})
    Double sampleRate;

    @Option(names = "--clock-hz", split = ",", paramLabel = "[TARGET=]HZ",
            description = {"Board clock for the real-time budget, per target (m4, m3, avr) or for all, e.g. m4=80000000,avr=16000000.",
                    "Defaults: avr 16 MHz (Arduino Uno); m4 and m3 25 MHz (the MPS2 AN386/AN385 boards QEMU plays; the",
                    "STM32L4 port, flash --board cortex-m, runs at its 4 MHz reset clock: give m4=4000000 for it)."})
    List<String> clockHz;

    @Option(names = "--learn", paramLabel = "N", defaultValue = "0",
            description = {"On-device learning (docs/learning.md): the live firmware takes its first N windows as normal and",
                    "re-learns the machine's centring, normalisation, centroids (k-means) and alarm threshold from them, in",
                    "integers, bit-exact with tinyad's Java reference; the result is kept in EEPROM / the port's store across",
                    "resets, and the L protocol command learns again. 0: no learning (default: ${DEFAULT-VALUE})."})
    int learn;

    @Option(names = "--learn-phases", paramLabel = "LIST", defaultValue = "channels,features,threshold", split = ",",
            description = "What learning re-estimates besides centroids: channels, features, threshold (default: ${DEFAULT-VALUE}).")
    List<String> learnPhases;

    @Option(names = "--learn-centroids", paramLabel = "MODE", defaultValue = "refine",
            description = {"k-means centroids while learning: refine (from the shipped ones), scratch (from the first windows) or",
                    "keep; autoencoders always keep their weights (default: ${DEFAULT-VALUE})."})
    String learnCentroids;

    @Option(names = "--learn-percentile", paramLabel = "P", defaultValue = "99.5",
            description = "The learned threshold: this percentile of the device's own scores (default: ${DEFAULT-VALUE}).")
    double learnPercentile;

    @Option(names = "--force", description = "Export a model that does not keep up with its samples (report.md says so).")
    boolean force;

    /** report.md's word on the ATmega328P's live app with learning: it is built, and whether its RAM holds it. */
    static String learningOnAvr(Path project, long rateMillihz) {
        try {
            Path elf = tinyad.devicebridge.LiveEmulator.build(project, Target.AVR, rateMillihz, null);
            long ram = tinyad.devicebridge.Footprint.of(Target.AVR.sizeTool(), elf).ram();
            return String.format(java.util.Locale.ROOT, "%n## On-device learning on the ATmega328P%n%nThe live app with learning (`make avr-live`) "
                    + "takes %,d B of static RAM of the Uno's 2,048, leaving %,d B for the stack (the live path needs about 300).%n", ram, 2048 - ram);
        } catch (tinyad.common.ToolException e) {
            return "\n## On-device learning on the ATmega328P\n\n**" + e.getMessage() + "**: an Uno cannot run it; a Mega 2560 (`make avr-live "
                    + "AVR_MCU=atmega2560`) or a Cortex-M can.\n";
        }
    }

    /** The learning plan the options give, or null without --learn; a plan the model cannot learn is refused (exit 2). */
    tinyad.quantizer.DeviceLearning.Plan learnPlan(QuantizedModel q) {
        if (learn == 0) {
            if (!learnPhases.equals(List.of("channels", "features", "threshold")) || !learnCentroids.equals("refine") || learnPercentile != 99.5)
                throw new DataException("--learn-phases, --learn-centroids and --learn-percentile describe --learn N: give it too");
            return null;
        }
        if (Math.abs(learnPercentile * 100 - Math.rint(learnPercentile * 100)) > 1e-6)
            throw new DataException("--learn-percentile is in hundredths of a percent (e.g. 99.5 or 99.95), not " + learnPercentile);
        if (!(q instanceof tinyad.quantizer.QuantizedKMeans) && !learnCentroids.equals("refine") && !learnCentroids.equals("keep"))
            throw new DataException("--learn-centroids " + learnCentroids + ": an autoencoder has no centroids (it keeps its weights)");
        for (String ph : learnPhases)
            if (!List.of("channels", "features", "threshold").contains(ph))
                throw new DataException("--learn-phases: unknown phase '" + ph + "'; known: channels, features, threshold");
        tinyad.quantizer.DeviceLearning.Centroids mode = switch (learnCentroids) {
            case "refine" -> tinyad.quantizer.DeviceLearning.Centroids.REFINE;
            case "scratch" -> tinyad.quantizer.DeviceLearning.Centroids.SCRATCH;
            case "keep" -> tinyad.quantizer.DeviceLearning.Centroids.KEEP;
            default -> throw new DataException("--learn-centroids must be refine, scratch or keep, not '" + learnCentroids + "'");
        };
        if (!(q instanceof tinyad.quantizer.QuantizedKMeans)) mode = tinyad.quantizer.DeviceLearning.Centroids.KEEP;
        return new tinyad.quantizer.DeviceLearning.Plan(learn, learnPhases.contains("channels"), learnPhases.contains("features"), mode,
                learnPhases.contains("threshold"), (int) Math.round(learnPercentile * 100));
    }

    /** Most a board clock may be: 10 GHz. */
    static final double MAX_CLOCK_HZ = 1e10;

    @Override
    public Integer call() {
        QuantizedModel q = QuantizedModel.load(model);
        String n = name != null ? name : defaultName(model);
        Map<Target, Double> clocks = clocks();
        if (!List.of("c", "cortex-m", "arduino").contains(target))
            throw new DataException("unknown target '" + target + "'; known: c, cortex-m, arduino");
        FirmwareLimits.check(q);   // a model no device can run is refused for that first
        double rate = sampleRate != null ? sampleRate : q.pipeline().sampleRateHz();
        if (rate == 0)
            throw new DataException(model + ": the model has no sample rate (its training data had no timestamps); give the rate "
                    + "the device samples at with --sample-rate HZ");
        String rateNote = sampleRate != null ? "--sample-rate" : "the model's";
        tinyad.quantizer.DeviceLearning.Plan plan = learnPlan(q);
        if (plan != null && target.equals("arduino"))
            throw new DataException("--learn: on-device learning is in the C project's live builds (make avr-live, m4-live); "
                    + "the Arduino library does not ship it yet");
        switch (target) {
            case "c", "cortex-m" -> {
                tinyad.common.AtomicFiles.requireDistinct(output, model);
                // the project and its report are built in a staging directory and moved into place together:
                // a build that fails, a model that does not keep up (or Ctrl-C) half-way leaves no partial project at the output
                String[] report = {""};
                Map<String, String> files = new java.util.LinkedHashMap<>();
                tinyad.common.AtomicFiles.writeTree(output, stage -> {
                    files.putAll(Exporter.exportInto(q, n, rate, plan, stage));
                    if (noReport) return;
                    List<Target> targets = new ArrayList<>(List.of(Target.CORTEX_M4, Target.CORTEX_M3));
                    if (target.equals("c")) targets.add(Target.AVR);
                    List<FirmwareReport.Row> rows = measure(q, stage, targets);
                    List<FirmwareReport.Budget> budgets = FirmwareReport.budgets(q, rate, rows, clocks);
                    refuseLate(n, budgets);
                    report[0] = FirmwareReport.markdown(q, n, rows, budgets, rateNote);
                    if (plan != null && targets.contains(Target.AVR) && tinyad.devicebridge.Tools.onPath("avr-gcc"))
                        report[0] += learningOnAvr(stage, (long) Math.max(1, Math.round(rate * 1000)));
                    java.nio.file.Files.writeString(stage.resolve("report.md"), report[0]);
                });
                Exporter.removeOtherModels(output, files.keySet());   // a re-export under another --name
                System.out.printf("wrote %s: %s; build with: make -C %s host|m4|m3|avr (or CMake: CMakeLists.txt)%n", output,
                        String.join(", ", files.keySet()), output);
                if (plan != null) {
                    var cost = tinyad.codegen.ModelSource.learnCost(q, plan);
                    System.out.printf("on-device learning: the first %d live windows (make host-live|m4-live|m3-live|avr-live); learning state %,d B of RAM "
                            + "+ tinyad_learn_t (108 B on an AVR, 160 B on a Cortex-M); store record %,d B (EEPROM / flash)%n", plan.windows(), cost.arenaBytes(), cost.storeBytes());
                }
                System.out.print(report[0]);
            }
            default -> {   // arduino
                List<String> budget = new ArrayList<>();
                if (!noReport) {
                    // the sketch's work per window is the C project's: measured on the Uno's ATmega328P before anything is written
                    Path tmp = null;
                    try {
                        tmp = java.nio.file.Files.createTempDirectory("tinyad-arduino-budget");
                        Exporter.exportInto(q, n, rate, tmp);
                        List<FirmwareReport.Budget> budgets = FirmwareReport.budgets(q, rate, measure(q, tmp, List.of(Target.AVR)), clocks);
                        refuseLate(n, budgets);
                        for (FirmwareReport.Budget b : budgets)
                            budget.add("real-time budget: " + b.summary() + " (features + score per window)" + (b.keepsUp() ? "" : ": does not keep up"));
                    } catch (java.io.IOException e) {
                        throw new tinyad.common.ToolException("cannot stage the firmware to measure: " + e.getMessage());
                    } finally {
                        if (tmp != null) deleteTree(tmp);
                    }
                }
                var files = tinyad.codegen.ArduinoLibrary.export(q, n, rate,
                        new tinyad.codegen.ArduinoLibrary.Package(libVersion, libAuthor, libUrl), output);
                System.out.printf("wrote Arduino library %s (%d files) and %s: Sketch > Include Library > Add .ZIP Library%n",
                        output, files.size() + tinyad.codegen.ArduinoLibrary.RUNTIME_COUNT, tinyad.codegen.ArduinoLibrary.zipPath(output));
                budget.forEach(System.out::println);
            }
        }
        return 0;
    }

    /** The targets whose tools are installed and which the model fits, measured in {@code project}. */
    private static List<FirmwareReport.Row> measure(QuantizedModel q, Path project, List<Target> targets) {
        List<FirmwareReport.Row> rows = new ArrayList<>();
        String avrProblem = FirmwareLimits.avrProblem(q);
        for (Target t : targets) {
            if (t == Target.AVR && avrProblem != null) {
                System.err.println("tinyad: not measured on the ATmega328P: " + avrProblem);
                continue;
            }
            // progress only on a terminal: building and running a target takes seconds (QEMU, simavr)
            if (System.console() != null) System.err.printf("  measuring on the %s ...%n", t.chip());
            FirmwareReport.Row r = FirmwareReport.measure(project, t);
            if (r != null) rows.add(r);
            else System.err.println("tinyad: not measured on the " + t.chip() + ": its toolchain or emulator is not installed (scripts/setup)");
        }
        return rows;
    }

    private void refuseLate(String n, List<FirmwareReport.Budget> budgets) {
        String late = FirmwareReport.refusal(n, budgets);
        if (late == null) return;
        if (!force) throw new DataException(late + ": train with a longer --hop or fewer features, give the board's clock (--clock-hz), "
                + "or export anyway with --force");
        System.err.println("tinyad: --force: " + late);
    }

    private static void deleteTree(Path p) {
        try (var s = java.nio.file.Files.walk(p)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException ignored) {
            // best effort: a temporary directory
        }
    }

    static String defaultName(Path model) {
        String f = model.getFileName().toString();
        int dot = f.indexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    /** --clock-hz as a clock per target (only the targets given). */
    Map<Target, Double> clocks() {
        Map<Target, Double> m = new EnumMap<>(Target.class);
        if (clockHz == null) return m;
        for (String entry : clockHz) {
            int eq = entry.indexOf('=');
            String key = eq < 0 ? null : entry.substring(0, eq).strip();
            String value = (eq < 0 ? entry : entry.substring(eq + 1)).strip();
            double hz;
            try {
                hz = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw new DataException("--clock-hz: '" + entry + "' is not [TARGET=]HZ, e.g. avr=16000000");
            }
            if (!(hz > 0) || !Double.isFinite(hz) || hz > MAX_CLOCK_HZ)
                throw new DataException("--clock-hz must be a positive finite number of Hz at most " + (long) MAX_CLOCK_HZ + ", got " + value);
            if (key == null) {
                for (Target t : new Target[] {Target.CORTEX_M4, Target.CORTEX_M3, Target.AVR}) m.put(t, hz);
            } else {
                if (!List.of("m4", "m3", "avr").contains(key)) throw new DataException("--clock-hz: unknown target '" + key + "'; known: m4, m3, avr");
                m.put(Target.parse(key), hz);
            }
        }
        return m;
    }

    @Override
    public void validate() {
        Validated.range("--learn", learn, 0, tinyad.quantizer.DeviceLearning.MAX_WINDOWS);
        if (!(learnPercentile >= 0 && learnPercentile <= 100)) throw new DataException("--learn-percentile must be 0 to 100");
        if (sampleRate != null) SampleRate.check("--sample-rate", sampleRate);
        clocks();
    }
}
