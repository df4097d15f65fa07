package tinyad.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import tinyad.common.DataException;
import tinyad.common.ToolException;
import tinyad.devicebridge.Emulator;
import tinyad.devicebridge.LiveEmulator;
import tinyad.devicebridge.Flasher;
import tinyad.devicebridge.Target;
import tinyad.devicebridge.Tools;

@Command(name = "flash", mixinStandardHelpOptions = true,
        description = {"Builds an exported project and puts it on a device.",
                "  --emulator m4|m3|avr  runs it in QEMU or simavr with its UART on a pseudo-terminal that verify",
                "                        and monitor open like a board's port; runs until stopped (Ctrl-C).",
                "                        With --sensor FILE it runs the live build instead, sampling a recording of",
                "                        integer counts (a CSV as collect writes) at the model's rate: the AVR's ADC",
                "                        pins in simulated time, the Cortex-M's port hook (it ends with the recording).",
                "  --logger              the data logger instead of a model (--channels, --sample-rate): a live build",
                "                        that boots streaming its samples for tinyad collect, before a model exists;",
                "                        --project is where its sources are written.",
                "  --board uno           avrdude through the Arduino bootloader on --port.",
                "  --board cortex-m      OpenOCD (--interface stlink|cmsis-dap, --target-cfg stm32l4x, ...).",
                "--dry-run prints the build and flash commands instead of running them."})
final class FlashCommand implements Callable<Integer>, Validated {
    static final class Where {
        @Option(names = "--emulator", paramLabel = "TARGET", description = "m4, m3 or avr.")
        String emulator;
        @Option(names = "--board", paramLabel = "BOARD", description = "uno or cortex-m.")
        String board;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Where where;

    @Option(names = "--project", required = true, paramLabel = "DIR", description = "Directory written by tinyad export.")
    Path project;

    @Option(names = "--port", paramLabel = "PORT", description = "Board serial port (uno), e.g. /dev/ttyACM0.")
    String port;

    @Option(names = "--link", paramLabel = "PATH", description = "Emulator: also make PATH a link to its pseudo-terminal.")
    Path link;

    @Option(names = "--interface", defaultValue = "stlink", description = "OpenOCD interface (default: ${DEFAULT-VALUE}).")
    String openocdInterface;

    @Option(names = "--target-cfg", defaultValue = "stm32l4x", description = "OpenOCD target (default: ${DEFAULT-VALUE}).")
    String targetCfg;

    @Option(names = "--seconds", defaultValue = "0", description = "Emulator: stop after this many seconds (default: run until stopped).")
    long seconds;

    @Option(names = "--sensor", paramLabel = "FILE", description = "Emulator: a CSV of integer counts its sensor plays (live build).")
    Path sensor;

    @Option(names = "--logger", description = "The data logger (no model) instead of the project's model.")
    boolean logger;

    @Option(names = "--channels", defaultValue = "0", description = "Data logger: channels to sample.")
    int channels;

    @Option(names = "--sample-rate", defaultValue = "0", paramLabel = "HZ",
            description = "Data logger: samples per second; live builds: instead of the model's rate.")
    double sampleRate;

    @Option(names = "--dry-run", description = "Print the commands, run nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        if (sensor != null && where.emulator == null) throw new DataException("--sensor is for --emulator: a board samples its own sensors");
        if (logger && (channels < 1 || channels > tinyad.devicebridge.Protocol.MAX_RAW_CHANNELS || !(sampleRate > 0)))
            throw new DataException("--logger needs --channels 1.." + tinyad.devicebridge.Protocol.MAX_RAW_CHANNELS + " and --sample-rate HZ");
        if (logger && !dryRun) tinyad.codegen.Exporter.exportRuntime(project);
        if (where.emulator != null && (sensor != null || logger)) return emulateLive(Target.parse(where.emulator));
        if (where.emulator != null) return emulate(Target.parse(where.emulator));
        switch (where.board) {
            case "uno" -> {
                // the live build: it samples A0.. at the model's rate and boots scoring (verify switches it to replay);
                // or the data logger, which boots streaming its samples
                Path elf = project.resolve(logger ? "build/logger/avr-live/tinyad_app.elf" : "build/avr-live/tinyad_app.elf");
                List<String> cmd = Flasher.avrdude(elf.resolveSibling("tinyad_app.hex"), port);
                if (dryRun) return print(quote(logger
                                ? List.of("make", "-C", project.toString(), "avr-logger", "CHANNELS=" + channels, "RATE_MILLIHZ=" + rateMillihz())
                                : List.of("make", "-C", project.toString(), "avr-live")),
                        quote(List.of("avr-objcopy", "-O", "ihex", "-R", ".eeprom", elf.toString(), elf.resolveSibling("tinyad_app.hex").toString())),
                        quote(cmd));
                if (logger) LiveEmulator.buildLogger(project, Target.AVR, channels, rateMillihz());
                else Flasher.buildAvrLive(project);
                Flasher.avrHex(elf);
                return run(cmd);
            }
            case "cortex-m" -> {
                // the STM32L4 build: board memory map and USART2 (the QEMU builds use the MPS2 map)
                Path elf = project.resolve("build/stm32l4/tinyad_app.elf");
                List<String> cmd = Flasher.openocd(elf, openocdInterface, targetCfg);
                if (dryRun) return print(quote(List.of("make", "-C", project.toString(), "stm32l4")), quote(cmd));
                Flasher.buildStm32l4(project);
                return run(cmd);
            }
            default -> throw new DataException("unknown board '" + where.board + "'; known: uno, cortex-m");
        }
    }

    /** The rate of the live build: --sample-rate, else the model's (its header). */
    private long rateMillihz() {
        long r = sampleRate > 0 ? Math.round(sampleRate * 1000) : logger ? 0 : LiveEmulator.projectRateMillihz(project);
        if (r <= 0) throw new DataException("the model in " + project + " states no sample rate: give --sample-rate HZ");
        return r;
    }

    private int emulateLive(Target t) throws InterruptedException, java.io.IOException {
        long rate = rateMillihz();
        if (sensor == null) throw new DataException("an emulated board needs --sensor FILE to sample");
        int[][] recording = sensorCounts(sensor);
        if (dryRun) return print("(build " + (logger ? "the data logger" : LiveEmulator.makeTarget(t)) + " and play " + sensor + " at "
                + rate / 1000.0 + " Hz)");
        Path fw = logger ? LiveEmulator.buildLogger(project, t, channels, rate) : LiveEmulator.build(project, t, rate, null);
        if (recording[0].length != (logger ? channels : recording[0].length))
            throw new DataException(sensor + " has " + recording[0].length + " channels, the logger samples " + channels);
        try (Emulator e = Emulator.startLiveOnPty(t, project, fw, recording, rate)) {
            return runEmulator(e, t);
        }
    }

    /** The integer counts of a sensor recording: every column but a timestamp and a label, each row a frame. */
    static int[][] sensorCounts(Path csv) {
        tinyad.datasets.SensorTable table = tinyad.datasets.DataFiles.parse(csv.toString(),
                tinyad.common.BoundedRead.readAll(csv, tinyad.datasets.CsvLoader.MAX_BYTES, "sensor recording"));
        int[][] r = new int[table.rows()][];
        for (int i = 0; i < r.length; i++) {
            double[] v = table.values()[i];
            r[i] = new int[v.length];
            for (int c = 0; c < v.length; c++) {
                if (v[c] != Math.rint(v[c]) || v[c] < Short.MIN_VALUE || v[c] > Short.MAX_VALUE)
                    throw new DataException(csv + " row " + (i + 1) + ": " + v[c] + " is not an int16 count");
                r[i][c] = (int) v[c];
            }
        }
        if (r.length == 0) throw new DataException(csv + " has no rows");
        return r;
    }

    private int runEmulator(Emulator e, Target t) throws InterruptedException, java.io.IOException {
        try {
            if (link != null) e.linkPort(link);
            System.out.println("device " + t.makeTarget + " running on " + e.port() + (link != null ? " (link " + link + ")" : ""));
            System.out.flush();
            Runtime.getRuntime().addShutdownHook(new Thread(e::close));
            if (seconds > 0) {
                long end = System.currentTimeMillis() + seconds * 1000;
                while (e.isRunning() && System.currentTimeMillis() < end) Thread.sleep(100);
            } else {
                e.waitFor();
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();   // stopped by whoever started it: the device goes away, as with Ctrl-C
        } finally {
            if (link != null) java.nio.file.Files.deleteIfExists(link);
        }
        return 0;
    }

    private int emulate(Target t) throws InterruptedException, java.io.IOException {
        if (dryRun) return print(quote(List.of("make", "-C", project.toString(), t.makeTarget)), quote(t.runCommand(project.resolve(t.binary))));
        Path fw = t.build(project);
        try (Emulator e = Emulator.startOnPty(t, fw)) {
            return runEmulator(e, t);
        }
    }

    private static int print(String... lines) {
        for (String l : lines) System.out.println(l);
        return 0;
    }

    /**
     * A command line a POSIX shell runs as the argument list it is: words outside a safe set are single-quoted
     * (a port named {@code /dev/ttyX; rm -rf /} stays one argument), a quote inside becomes {@code '\''}.
     */
    static String quote(List<String> cmd) {
        StringBuilder b = new StringBuilder();
        for (String c : cmd) {
            if (b.length() > 0) b.append(' ');
            if (!c.isEmpty() && c.matches("[A-Za-z0-9_@%+=:,./-]+")) b.append(c);
            else b.append('\'').append(c.replace("'", "'\\''")).append('\'');
        }
        return b.toString();
    }

    private static int run(List<String> cmd) {
        Tools.require(cmd.get(0));
        Tools.Result r = Tools.run(cmd, null, 300);
        System.out.print(r.stdout());
        System.err.print(r.stderr());
        if (r.exitCode() != 0) throw new ToolException(cmd.get(0) + " failed with exit code " + r.exitCode());
        return 0;
    }

    @Override
    public void validate() {
        Validated.range("--seconds", seconds, 0, 365L * 24 * 3600);
        if (sampleRate != 0) Validated.finitePositive("--sample-rate", sampleRate);
        if (sampleRate > 1e6) throw new DataException("--sample-rate must be at most 1000000 Hz");
    }
}
