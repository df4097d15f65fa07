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
 * cost of one inference (QEMU instructions with -icount, simavr cycles) and MACs; and the real-time budget:
 * features + score of one window against the hop period at the model's sample rate and the board's clock.
 */
public final class FirmwareReport {
    private FirmwareReport() {}

    /**
     * One measured target.
     * @param cost        one inference ({@code <name>_score()})
     * @param featureCost the features of one window ({@code <name>_features()}), -1 for a model without a feature function
     */
    public record Row(String target, Footprint footprint, long cost, String units, long stack, long featureCost) {
        /** Features + score of one window (the score alone for a model whose inputs come from the host). */
        public long perWindow() {
            return cost + Math.max(0, featureCost);
        }
    }

    /**
     * Whether one target keeps up: {@code perWindow} cycles (instructions taken as cycles on the Cortex-M) at
     * {@code clockHz} against one hop of {@code hop} samples at {@code rateHz}.
     */
    public record Budget(Target target, Row row, double clockHz, double rateHz, int hop) {
        public double hopSeconds() {
            return hop / rateHz;
        }

        public double windowSeconds() {
            return row.perWindow() / clockHz;
        }

        /** The share of the hop period one window takes: above 1, the board falls behind. */
        public double share() {
            return windowSeconds() / hopSeconds();
        }

        public boolean keepsUp() {
            return share() <= 1;
        }

        /** "ATmega328P 16 MHz: 37 % of the 16 ms hop" ("at least" on the Cortex-M, whose count is a lower bound). */
        public String summary() {
            return target.chip() + " " + hertz(clockHz) + ": " + (target.isArm() ? "at least " : "") + percent(share())
                    + " of the " + duration(hopSeconds()) + " hop";
        }
    }

    /** The budget of each measured target at its clock ({@code clocks}, else {@link Target#defaultClockHz()}). */
    public static List<Budget> budgets(QuantizedModel m, double rateHz, List<Row> rows, java.util.Map<Target, Double> clocks) {
        if (!(rateHz > 0)) throw new IllegalArgumentException("no sample rate");
        List<Budget> out = new java.util.ArrayList<>();
        for (Row r : rows) {
            Target t = Target.parse(r.target());
            out.add(new Budget(t, r, clocks.getOrDefault(t, t.defaultClockHz()), rateHz, m.pipeline().hop()));
        }
        return out;
    }

    /** One line saying on which targets a model does not keep up, or null when it keeps up on every one. */
    public static String refusal(String name, List<Budget> budgets) {
        List<String> late = budgets.stream().filter(b -> !b.keepsUp()).map(b -> String.format(Locale.ROOT, "%s (%,d %s per window, %s)",
                b.summary(), b.row().perWindow(), b.row().units(), duration(b.windowSeconds()))).toList();
        if (late.isEmpty()) return null;
        return name + ": features + score do not keep up with the samples on the " + String.join("; ", late);
    }

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
        return new Row(t.makeTarget, f, b.count(), b.units(), b.stackBytes(), b.featureCount());
    }

    /**
     * report.md.
     * @param budgets  the real-time budget of each measured target (empty when not measured)
     * @param rateNote where the sample rate comes from, e.g. "from the model"
     */
    public static String markdown(QuantizedModel m, String name, List<Row> rows, List<Budget> budgets, String rateNote) {
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
        if (budgets.isEmpty()) return b.toString();
        Budget first = budgets.get(0);
        b.append("\n## Real-time budget: features + score per window\n\n");
        b.append(String.format(Locale.ROOT, "Every hop of %d samples at %s (%s) the device computes the features and the score of one window: "
                + "one window every %s.%n%n", first.hop(), tinyad.datasets.SampleRate.format(first.rateHz()), rateNote, duration(first.hopSeconds())));
        for (Budget g : budgets) {
            Row r = g.row();
            String parts = r.featureCost() >= 0 ? String.format(Locale.ROOT, "features %,d, score %,d", r.featureCost(), r.cost())
                    : "score only: no feature function";
            b.append(String.format(Locale.ROOT, "- %s%s%s — %,d %s per window (%s), %s%s%n", g.keepsUp() ? "" : "**", g.summary(),
                    g.keepsUp() ? "" : "**", r.perWindow(), r.units(), parts, g.target().isArm() ? "at least " : "", duration(g.windowSeconds())));
            if (!g.keepsUp()) b.append("  **does not keep up**: windows would queue up or samples be lost (exported with --force)\n");
        }
        StringBuilder clocks = new StringBuilder();
        for (Budget g : budgets) clocks.append(clocks.length() == 0 ? "" : ", ").append(g.target().chip()).append(' ').append(hertz(g.clockHz()));
        b.append("\nMethod: `make bench-<target>` (-O2) times `").append(name).append("_features()` on one window of pseudo-random counts ")
                .append("(±2,000) and `").append(name).append("_score()` on one input. ATmega328P: exact cycles (Timer1 in simavr). ")
                .append("Cortex-M: QEMU counts instructions (`-icount`), not cycles; they are taken as cycles, 1 instruction ≈ 1 cycle, ")
                .append("a lower bound (loads, taken branches, some multiplies and flash wait states take more), ")
                .append("so the Cortex-M shares are lower bounds. Not counted: taking the samples (ADC, timer interrupt), the serial output, ")
                .append("the alarm rule. Clocks: ").append(clocks).append(" (`--clock-hz`).\n");
        return b.toString();
    }

    /** 16 MHz, 25 MHz, 8.5 MHz, 32.768 kHz. */
    static String hertz(double hz) {
        return hz >= 1e6 ? sig(hz / 1e6) + " MHz" : hz >= 1e3 ? sig(hz / 1e3) + " kHz" : sig(hz) + " Hz";
    }

    /** 16 ms, 1.22 ms, 300 s, 80 min; three significant digits. */
    static String duration(double s) {
        if (s >= 2 * 3600) return sig(s / 3600) + " h";
        if (s >= 120) return sig(s / 60) + " min";
        if (s >= 1) return sig(s) + " s";
        if (s >= 1e-3) return sig(s * 1e3) + " ms";
        return sig(s * 1e6) + " µs";
    }

    /** 37 %, 4.9 %, 0.12 %, "< 0.01 %". */
    static String percent(double share) {
        double p = share * 100;
        if (p >= 10 && Math.abs(p - 100) >= 1) return String.format(Locale.ROOT, "%.0f %%", p);
        if (p >= 1) return String.format(Locale.ROOT, "%.1f %%", p);
        if (p >= 0.01) return String.format(Locale.ROOT, "%.2f %%", p);
        return "< 0.01 %";
    }

    private static String sig(double v) {
        String s = new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
        return s;
    }
}
