package tinyad.devicebridge;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tinyad.common.DataException;
import tinyad.common.ToolException;

/**
 * Where generated firmware runs. Emulated targets run the real firmware under QEMU or simavr with the UART on
 * stdio or a pseudo-terminal. This is the one place the emulator command lines are defined on the Java side:
 * {@link #runCommand} for the serial app and {@link #bench} for {@code make bench-<target>}, which gets
 * {@link #QEMU_ARGS} on make's command line (it overrides the Makefile's copy of the same arguments).
 */
public enum Target {
    HOST("host", "build/host/tinyad_app", null, List.of("make", "cc")),
    CORTEX_M4("m4", "build/m4/tinyad_app.elf", "mps2-an386", List.of("make", "arm-none-eabi-gcc", "qemu-system-arm")),
    CORTEX_M3("m3", "build/m3/tinyad_app.elf", "mps2-an385", List.of("make", "arm-none-eabi-gcc", "qemu-system-arm")),
    /** ATmega328P (Arduino Uno) in simavr, through the project's own harness (tools/avrrun.c). */
    AVR("avr", "build/avr/tinyad_app.elf", null, List.of("make", "cc", "avr-gcc"));

    /** QEMU's arguments besides the machine and the kernel: UART on stdio, semihosting exit, instruction counting. */
    public static final List<String> QEMU_ARGS = List.of("-display", "none", "-monitor", "none", "-serial", "stdio",
            "-semihosting-config", "enable=on,target=native", "-icount", "shift=5");
    /** The AVR board simavr plays: an Arduino Uno's ATmega328P at 16 MHz. */
    public static final String AVR_MCU = "atmega328p";
    public static final String AVR_HZ = "16000000";

    public final String makeTarget;
    public final String binary;
    final String qemuMachine;
    /** The commands building and running this target needs. */
    public final List<String> tools;

    Target(String makeTarget, String binary, String qemuMachine, List<String> tools) {
        this.makeTarget = makeTarget;
        this.binary = binary;
        this.qemuMachine = qemuMachine;
        this.tools = tools;
    }

    /** The chip, for people: "Cortex-M4", "ATmega328P". */
    public String chip() {
        return switch (this) {
            case HOST -> "host";
            case CORTEX_M4 -> "Cortex-M4";
            case CORTEX_M3 -> "Cortex-M3";
            case AVR -> "ATmega328P";
        };
    }

    /**
     * The clock of the board this build is for, in Hz, for the real-time budget (FirmwareReport): the Uno's 16 MHz
     * ({@link #AVR_HZ}); for the Cortex-M builds the MPS2 FPGA boards QEMU plays (AN386 and AN385, 25 MHz). The
     * STM32L4 port runs on its 4 MHz reset clock (ports/stm32l4); a real board is given with {@code --clock-hz}.
     */
    public double defaultClockHz() {
        return switch (this) {
            case HOST -> 0;
            case CORTEX_M4, CORTEX_M3 -> 25e6;
            case AVR -> Double.parseDouble(AVR_HZ);
        };
    }

    public boolean isArm() {
        return qemuMachine != null;
    }

    /** The toolchain's size tool for this target's ELF, or null for the host. */
    public String sizeTool() {
        return switch (this) {
            case HOST -> null;
            case AVR -> "avr-size";
            default -> "arm-none-eabi-size";
        };
    }

    public static Target parse(String name) {
        for (Target t : values()) if (t.makeTarget.equals(name)) return t;
        throw new DataException("unknown target '" + name + "'; known: host, m4, m3, avr");
    }

    /** Builds the exported project for this target and returns the firmware file. */
    public Path build(Path project) {
        Tools.require(tools.toArray(String[]::new));
        List<String> make = new ArrayList<>(List.of("make", "-s", "-C", project.toString(), makeTarget));
        if (this == AVR) make.add("avrrun");
        Tools.Result r = Tools.run(make, null, 300);
        if (r.exitCode() != 0)
            throw new ToolException("firmware build for " + makeTarget + " failed: " + firstLines(r));
        return project.resolve(binary);
    }

    /** The command that runs the firmware with its serial port on stdin/stdout. */
    public List<String> runCommand(Path firmware) {
        return runCommand(firmware, false);
    }

    /** The command that runs the firmware with its serial port on stdin/stdout, or on a new pseudo-terminal. */
    public List<String> runCommand(Path firmware, boolean pty) {
        List<String> cmd = new ArrayList<>();
        if (this == AVR) {
            // build/avr/tinyad_app.elf -> build/tools/avrrun
            cmd.addAll(List.of(firmware.getParent().getParent().resolve("tools/avrrun").toString(), "-m", AVR_MCU, "-f", AVR_HZ));
            if (pty) cmd.add("-p");
            cmd.add(firmware.toString());
            return cmd;
        }
        if (!isArm()) {
            if (pty) throw new DataException("the host build runs on stdio; use m4, m3 or avr for a port");
            cmd.add(firmware.toString());
            return cmd;
        }
        cmd.addAll(List.of("qemu-system-arm", "-M", qemuMachine));
        for (String a : QEMU_ARGS) cmd.add(pty && a.equals("stdio") ? "pty" : a);
        cmd.addAll(List.of("-kernel", firmware.toString()));
        return cmd;
    }

    /** The cost of one inference, as {@code make bench-<target>} reports it (bench/bench_main.c). */
    public record Bench(int score, String units, long count, long stackBytes, long featureCount, long featureStack) {
        /**
         * The first {@code B <score> <units> <count> <stack_bytes>} line of a benchmark's output, with the
         * features' {@code F <units> <count> <stack_bytes>} line where the model has a feature function (else -1), or null.
         * @throws ToolException when that line is malformed
         */
        public static Bench parse(String output) {
            String line = output.lines().filter(l -> l.startsWith("B ")).findFirst().orElse(null);
            if (line == null) return null;
            String[] f = line.trim().split(" ");
            try {
                if (f.length < 5) throw new NumberFormatException(line);
                long fc = -1, fs = -1;
                String fl = output.lines().filter(l -> l.startsWith("F ")).findFirst().orElse(null);
                if (fl != null) {
                    String[] g = fl.trim().split(" ");
                    if (g.length < 4) throw new NumberFormatException(fl);
                    fc = Long.parseLong(g[2]);
                    fs = Long.parseLong(g[3]);
                }
                return new Bench(Integer.parseInt(f[1]), f[2], Long.parseLong(f[3]), Long.parseLong(f[4]), fc, fs);
            } catch (NumberFormatException e) {
                throw new ToolException("malformed benchmark result line '" + line.strip() + "'; is the runtime from this tinyad?");
            }
        }
    }

    /** Builds and runs {@code make bench-<target>} in an exported project (Cortex-M or AVR only). */
    public Bench bench(Path project) {
        if (this == HOST) throw new DataException("the host has no inference benchmark; use m4, m3 or avr");
        Tools.require(tools.toArray(String[]::new));
        List<String> make = new ArrayList<>(List.of("make", "-s", "-C", project.toString(), "bench-" + makeTarget));
        if (isArm()) make.add("QEMU_ARGS=" + String.join(" ", QEMU_ARGS));
        Tools.Result r = Tools.run(make, null, 600);
        Bench b = Bench.parse(r.stdout());
        if (b == null) throw new ToolException("bench-" + makeTarget + " printed no result: " + r.stderr().strip());
        return b;
    }

    private static String firstLines(Tools.Result r) {
        return (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip().lines().limit(3).reduce((a, b) -> a + " | " + b).orElse("");
    }
}
