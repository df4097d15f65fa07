package tinyad.devicebridge;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tinyad.common.DataException;
import tinyad.common.ToolException;

/** Where generated firmware runs. Emulated targets run the real firmware under QEMU with the UART on stdio. */
public enum Target {
    HOST("host", "build/host/tinyad_app", null, List.of("make", "cc")),
    CORTEX_M4("m4", "build/m4/tinyad_app.elf", "mps2-an386", List.of("make", "arm-none-eabi-gcc", "qemu-system-arm")),
    CORTEX_M3("m3", "build/m3/tinyad_app.elf", "mps2-an385", List.of("make", "arm-none-eabi-gcc", "qemu-system-arm")),
    /** ATmega328P (Arduino Uno) in simavr, through the project's own harness (tools/avrrun.c). */
    AVR("avr", "build/avr/tinyad_app.elf", null, List.of("make", "cc", "avr-gcc"));

    public final String makeTarget;
    public final String binary;
    final String qemuMachine;
    final List<String> tools;

    Target(String makeTarget, String binary, String qemuMachine, List<String> tools) {
        this.makeTarget = makeTarget;
        this.binary = binary;
        this.qemuMachine = qemuMachine;
        this.tools = tools;
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
            throw new ToolException("firmware build for " + makeTarget + " failed: "
                    + (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip().lines().limit(3).reduce((a, b) -> a + " | " + b).orElse(""));
        return project.resolve(binary);
    }

    /** The command that runs the firmware with its serial port on stdin/stdout. */
    public List<String> runCommand(Path firmware) {
        List<String> cmd = new ArrayList<>();
        if (this == AVR) {
            // build/avr/tinyad_app.elf -> build/tools/avrrun
            cmd.addAll(List.of(firmware.getParent().getParent().resolve("tools/avrrun").toString(),
                    "-m", "atmega328p", "-f", "16000000", firmware.toString()));
            return cmd;
        }
        if (!isArm()) {
            cmd.add(firmware.toString());
            return cmd;
        }
        cmd.addAll(List.of("qemu-system-arm", "-M", qemuMachine, "-display", "none", "-monitor", "none",
                "-serial", "stdio", "-semihosting-config", "enable=on,target=native", "-icount", "shift=5",
                "-kernel", firmware.toString()));
        return cmd;
    }
}
