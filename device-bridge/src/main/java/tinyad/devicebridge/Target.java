package tinyad.devicebridge;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Where generated firmware runs. Emulated targets run the real firmware under QEMU with the UART on stdio. */
public enum Target {
    HOST("host", "build/host/tinyad_app", null, List.of("make", "cc")),
    CORTEX_M4("m4", "build/m4/tinyad_app.elf", "mps2-an386", List.of("make", "arm-none-eabi-gcc", "qemu-system-arm")),
    CORTEX_M3("m3", "build/m3/tinyad_app.elf", "mps2-an385", List.of("make", "arm-none-eabi-gcc", "qemu-system-arm"));

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

    public static Target parse(String name) {
        for (Target t : values()) if (t.makeTarget.equals(name)) return t;
        throw new tinyad.datasets.DataException("unknown target '" + name + "'; known: host, m4, m3");
    }

    /** Builds the exported project for this target and returns the firmware file. */
    public Path build(Path project) {
        Tools.require(tools.toArray(String[]::new));
        Tools.Result r = Tools.run(List.of("make", "-s", "-C", project.toString(), makeTarget), null, 300);
        if (r.exitCode() != 0)
            throw new tinyad.datasets.DataException("firmware build for " + makeTarget + " failed: "
                    + (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip().lines().limit(3).reduce((a, b) -> a + " | " + b).orElse(""));
        return project.resolve(binary);
    }

    /** The command that runs the firmware with its serial port on stdin/stdout. */
    public List<String> runCommand(Path firmware) {
        List<String> cmd = new ArrayList<>();
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
