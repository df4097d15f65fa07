package tinyad.tuner;

import java.util.Locale;

import tinyad.common.DataException;
import tinyad.datasets.FeatureSet;

/**
 * Flash, RAM and cycles per window (features + score) of a k-means candidate on a target, estimated before training
 * from per-sample, per-channel and per-MAC costs. The coefficients are fitted to measured firmware (docs/tuning.md: 14
 * models exported from the built-in data through {@code tinyad export}'s simavr/QEMU measurement, a tuned SKAB model, and
 * the BENCHMARKS.md tables "Firmware speed and size" and "Features + score per window"); the k-means estimates are within
 * 4 % of every one of them (CostModelTest). Cortex-M counts are QEMU instructions taken as cycles, as {@code tinyad export} reports them.
 *
 * @param device      the target's cost coefficients
 * @param flashBytes  flash the model's firmware may use
 * @param ramBytes    RAM it may use
 * @param clockHz     the core clock
 * @param budgetMs    most milliseconds per window for features + score (0: no limit beyond the hop period)
 * @param sampleRateHz the data's sample rate (0: unknown, the hop period is then not checked)
 */
public record CostModel(Device device, long flashBytes, long ramBytes, double clockHz, double budgetMs, double sampleRateHz) {

    /** Per-target coefficients: cycles (AVR) or instructions (Cortex-M); bytes. */
    public enum Device {
        //        name        chip          clock   flash     RAM     raw/val stats/ch stats/smp spec/WlogW spec/bin spec0  score0 perMAC flash0 ram0 scoreStack
        //        autoencoder: score0, per MAC, per output; flash0, flash per output
        UNO("uno", "ATmega328P (Arduino Uno)", 16e6, 32_256, 2_048, 445, 11_670, 266.1, 155.2, 1_020, 3_427, 350, 20.0, 7_778, 241, 34,
                7_669, 12.75, 57.7, 10_860, 32.3),
        CORTEX_M4("cortex-m4", "Cortex-M4", 25e6, 262_144, 65_536, 65, 1_021, 43.3, 29.3, 161, 594, 262, 2.76, 6_664, 108, 68,
                747, 1.342, 24.2, 8_493, 10.2),
        CORTEX_M3("cortex-m3", "Cortex-M3", 25e6, 262_144, 65_536, 65, 917, 46.5, 28.7, 172, 606, 104, 6.0, 6_468, 108, 32,
                733, 2.564, 43.2, 7_937, 10.2);

        final String id, chip;
        final double clock;
        final long flash, ram;
        final double rawPerValue, statsPerChannel, statsPerSample, spectralPerSample, spectralPerBin, spectral0, score0, perMac;
        final long flash0, ram0, scoreStack;
        final double ae0, aePerMac, aePerOutput, aeFlash0, aeFlashPerOutput;

        Device(String id, String chip, double clock, long flash, long ram, double rawPerValue, double statsPerChannel, double statsPerSample,
               double spectralPerSample, double spectralPerBin, double spectral0, double score0, double perMac, long flash0, long ram0, long scoreStack,
               double ae0, double aePerMac, double aePerOutput, double aeFlash0, double aeFlashPerOutput) {
            this.ae0 = ae0; this.aePerMac = aePerMac; this.aePerOutput = aePerOutput; this.aeFlash0 = aeFlash0; this.aeFlashPerOutput = aeFlashPerOutput;
            this.id = id; this.chip = chip; this.clock = clock; this.flash = flash; this.ram = ram;
            this.rawPerValue = rawPerValue; this.statsPerChannel = statsPerChannel; this.statsPerSample = statsPerSample;
            this.spectralPerSample = spectralPerSample; this.spectralPerBin = spectralPerBin; this.spectral0 = spectral0;
            this.score0 = score0; this.perMac = perMac; this.flash0 = flash0; this.ram0 = ram0; this.scoreStack = scoreStack;
        }

        public String id() { return id; }
        public String chip() { return chip; }
        public double defaultClockHz() { return clock; }
        public long defaultFlash() { return flash; }
        public long defaultRam() { return ram; }

        public static Device parse(String s) {
            for (Device d : values()) if (d.id.equals(s)) return d;
            throw new DataException("unknown --target '" + s + "'; known: uno, cortex-m4, cortex-m3");
        }
    }

    /** The target's own flash, RAM and clock. */
    public static CostModel of(Device d, double budgetMs, double sampleRateHz) {
        return new CostModel(d, d.flash, d.ram, d.clock, budgetMs, sampleRateHz);
    }

    /** One candidate's estimate and what it is checked against. */
    public record Estimate(long flash, long ram, long cycles, double windowMs, double hopMs, CostModel on) {
        public boolean keepsUp() {
            return !(hopMs > 0) || windowMs <= hopMs;
        }

        /** Why the candidate cannot run on the target, or null. */
        public String problem() {
            if (flash > on.flashBytes) return String.format(Locale.ROOT, "flash %,d B > %,d B", flash, on.flashBytes);
            if (ram > on.ramBytes) return String.format(Locale.ROOT, "RAM %,d B > %,d B", ram, on.ramBytes);
            if (on.budgetMs > 0 && windowMs > on.budgetMs) return String.format(Locale.ROOT, "%.3g ms per window > the %.3g ms budget", windowMs, on.budgetMs);
            if (!keepsUp()) return String.format(Locale.ROOT, "%.3g ms per window > the %.3g ms hop period", windowMs, hopMs);
            return null;
        }

        public String summary() {
            return String.format(Locale.ROOT, "flash %,d B, RAM %,d B, %,d cycles (%.3g ms) per window", flash, ram, cycles, windowMs);
        }
    }

    public String describe() {
        return String.format(Locale.ROOT, "%s (flash %,d B, RAM %,d B, %s MHz%s%s)", device.chip, flashBytes, ramBytes,
                fmt(clockHz / 1e6), budgetMs > 0 ? String.format(Locale.ROOT, ", %s ms per window", fmt(budgetMs)) : "",
                sampleRateHz > 0 ? ", data at " + fmt(sampleRateHz) + " Hz" : "");
    }

    private static String fmt(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** Cycles of the features of one window of {@code window} samples x {@code channels} ({@code features} spec). */
    public long featureCycles(int window, int channels, String features) {
        double c = 0;
        for (FeatureSet.Block b : FeatureSet.parse(features).blocks())
            c += switch (b.kind()) {
                case "raw" -> device.rawPerValue * window * channels;
                case "stats" -> channels * (device.statsPerChannel + device.statsPerSample * window);
                // the FFT: W log2 W butterflies; then a band sum per bin
                default -> channels * (device.spectral0 + device.spectralPerSample * window * (Math.log(window) / Math.log(2)) + device.spectralPerBin * b.bins());
            };
        return Math.round(c);
    }

    /** Cycles of one k-means score over {@code inputs} inputs. */
    public long scoreCycles(int k, int inputs) {
        return Math.round(device.score0 + device.perMac * k * inputs);
    }

    /** Cycles of one autoencoder score: MACs, a requantization per output, a fixed part (the squared error, calls). */
    public long autoencoderCycles(int[] sizes) {
        return Math.round(device.ae0 + device.aePerMac * macs(sizes) + device.aePerOutput * outputs(sizes));
    }

    static long macs(int[] sizes) {
        long m = 0;
        for (int i = 0; i + 1 < sizes.length; i++) m += (long) sizes[i] * sizes[i + 1];
        return m;
    }

    static long outputs(int[] sizes) {
        long o = 0;
        for (int i = 1; i < sizes.length; i++) o += sizes[i];
        return o;
    }

    public Estimate estimate(Structure s, int channels) {
        FeatureSet fs = FeatureSet.parse(s.features());
        int n = fs.size(s.window(), channels);
        boolean spectral = s.features().contains("spectral");
        long featureStack = device == Device.UNO ? (spectral ? 192 + 7L * s.window() : 247) : (spectral ? 256 + 8L * s.window() : 296);
        long cycles, flash, scoreStack;
        if (s.isAutoencoder()) {
            int[] sizes = tinyad.trainer.AutoencoderTrainer.sizes(s.layers(), n);
            int hidden = 0;
            for (int i = 1; i + 1 < sizes.length; i++) hidden = Math.max(hidden, sizes[i]);
            cycles = featureCycles(s.window(), channels, s.features()) + autoencoderCycles(sizes);
            // the dense kernels and per-output tables (bias, multiplier, AVR requantization plans) beside the weights
            flash = Math.round(device.aeFlash0 + macs(sizes) + device.aeFlashPerOutput * outputs(sizes));
            scoreStack = 60 + n + hidden;   // the ping-pong activations: the input-sized buffer and the largest hidden layer
        } else {
            cycles = featureCycles(s.window(), channels, s.features()) + scoreCycles(s.k(), n);
            // flash: the serial app with the model (centroids k x n bytes, radii 4 per centroid) as tinyad export measures it
            flash = device.flash0 + (long) s.k() * n + (s.radius() ? 4L * s.k() : 0);
            scoreStack = device.scoreStack;
        }
        // RAM: static (3 bytes per input: line and window buffers) + the live build's int16 window + the deepest stack
        long ram = device.ram0 + 3L * n + 2L * s.window() * channels + Math.max(featureStack, scoreStack);
        double windowMs = cycles / clockHz * 1e3;
        double hopMs = sampleRateHz > 0 ? s.hop() / sampleRateHz * 1e3 : 0;
        return new Estimate(flash, ram, cycles, windowMs, hopMs, this);
    }
}
