package tinyad.devicebridge;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import tinyad.quantizer.QuantizedAutoencoder;
import tinyad.quantizer.QuantizedKMeans;
import tinyad.quantizer.QuantizedModel;

/**
 * Footprint and speed of an exported project on each target whose tools are installed: flash and static
 * RAM of the serial app (toolchain {@code size}), the stack one inference uses (painted and scanned), the
 * cost of one inference (QEMU instructions with -icount, simavr cycles) and MACs.
 */
public final class FirmwareReport {
    private FirmwareReport() {}

    public record Row(String target, Footprint footprint, long cost, String units, long stack) {}

    public static long macs(QuantizedModel m) {
        if (m instanceof QuantizedAutoencoder a) return a.macs();
        if (m instanceof QuantizedKMeans k) return (long) k.centroids().length * k.inputSize();
        return 0;
    }

    /** Measures one target; returns null when its tools are missing. */
    public static Row measure(Path project, Target t) {
        for (String tool : t.tools) if (!Tools.onPath(tool)) return null;
        Path elf = t.build(project);
        Footprint f = Footprint.of(t.sizeTool(), elf);
        Target.Bench b = t.bench(project);
        return new Row(t.makeTarget, f, b.count(), b.units(), b.stackBytes());
    }

    public static String markdown(QuantizedModel m, String name, List<Row> rows) {
        long macs = macs(m);
        int buffers = 2 * m.inputSize() + 16 + m.inputSize();
        StringBuilder b = new StringBuilder();
        b.append("# Firmware report: ").append(name).append(" (model ").append(m.hash()).append(")\n\n");
        b.append(String.format(Locale.ROOT, "%d int8 inputs, %d MACs per inference. Serial app buffers (line + window) on main's stack: %d B.%n%n",
                m.inputSize(), macs, buffers));
        b.append("| target | flash (text + data) | static RAM (data + bss) | inference stack | one inference | per MAC |\n|---|---|---|---|---|---|\n");
        for (Row r : rows)
            b.append(String.format(Locale.ROOT, "| %s | %d B | %d B | %d B | %,d %s | %.2f |%n", r.target(), r.footprint().flash(),
                    r.footprint().ram(), r.stack(), r.cost(), r.units(), macs > 0 ? r.cost() / (double) macs : 0));
        if (rows.isEmpty()) b.append("| (no cross toolchain installed: run scripts/setup) | | | | | |\n");
        b.append("\nMethod: flash and static RAM from the toolchain's `size` on the serial app; inference cost from ")
                .append("`make bench-<target>`: Cortex-M instructions under QEMU `-icount shift=5` (MPS2 FPGAIO counter, ")
                .append("1 tick = 1.25 instructions), ATmega328P cycles from Timer1 in simavr; stack by painting the stack ")
                .append("below main and scanning after one inference (32 B is the floor of the method).\n");
        return b.toString();
    }
}
