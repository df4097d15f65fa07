package tinyad.tuner;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

import tinyad.tuner.CostModel.Device;

/**
 * The estimates against measured firmware: each row below was measured (not computed by this code): the per-window
 * rows by {@code tinyad export} (simavr cycles, QEMU instructions) on k-means models trained on the built-in data
 * (3 channels; docs/tuning.md lists the commands), the 8-channel and 32-sample rows from BENCHMARKS.md "Features + score
 * per window", and a tuned SKAB model (8 channels). Flash is the serial app's as export measures it.
 */
class CostModelTest {
    /** window, channels, features, k, measured features+score AVR cycles, M4 instructions, M3 instructions. */
    record Measured(int window, int channels, String features, int k, long avr, long m4, long m3) {}

    static final Measured[] PER_WINDOW = {
            new Measured(8, 3, "raw", 8, 14_877, 2_429, 2_894),
            new Measured(16, 3, "raw", 8, 28_583, 4_472, 5_559),
            new Measured(32, 3, "raw", 2, 47_109, 6_782, 7_368),
            new Measured(8, 3, "stats", 8, 46_740, 4_767, 5_115),
            new Measured(16, 3, "stats", 8, 57_836, 5_911, 6_285),
            new Measured(32, 3, "stats", 8, 78_841, 8_294, 8_715),
            new Measured(64, 3, "stats", 8, 116_920, 13_250, 13_767),
            new Measured(16, 3, "spectral:4", 8, 96_507, 11_119, 11_192),
            new Measured(32, 3, "spectral:4", 8, 176_449, 21_270, 21_340),
            new Measured(32, 3, "spectral:8", 8, 206_208, 23_800, 24_114),
            new Measured(64, 3, "spectral:8", 8, 385_413, 46_435, 46_746),
            new Measured(16, 3, "stats", 16, 61_437, 6_683, 7_381),
            // BENCHMARKS.md, "Features + score per window"
            new Measured(32, 3, "stats+spectral:8", 8, 277_597, 30_563, 31_457),
            new Measured(16, 8, "stats", 8, 153_908, 15_269, 16_680),
            new Measured(16, 3, "stats+spectral:4", 8, 149_934, 16_137, 16_721),
            // the model tune chose for SKAB valve1/1.csv (--models kmeans), exported: BENCHMARKS.md, "SKAB, configuration tuned"
            new Measured(8, 8, "stats+spectral:4", 2, 286_631, 27_514, 27_869),
    };

    @Test
    void cyclesPerWindowAreWithinFourPercentOfEveryMeasurement() {
        for (Measured m : PER_WINDOW) {
            Structure s = new Structure(m.window(), 1, m.features(), m.k(), false);
            long[] measured = {m.avr(), m.m4(), m.m3()};
            Device[] ds = {Device.UNO, Device.CORTEX_M4, Device.CORTEX_M3};
            for (int i = 0; i < 3; i++) {
                long est = CostModel.of(ds[i], 0, 0).estimate(s, m.channels()).cycles();
                double err = Math.abs(est - measured[i]) / (double) measured[i];
                assertTrue(err <= 0.04, ds[i] + " " + m + ": estimated " + est + ", measured " + measured[i] + String.format(" (%.1f %%)", 100 * err));
            }
        }
    }

    @Test
    void autoencodersAreWithinSixPercentOfEveryMeasurement() {
        // features + score of two exported autoencoders (auto layers: 21-5-2-5-21 on stats 16 x 3; 96-24-12-24-96 on raw 32 x 3)
        Structure stats = Structure.autoencoder(16, 8, "stats", "auto"), raw = Structure.autoencoder(32, 16, "raw", "auto");
        long[][] measured = {{66_734, 7_001, 7_935}, {125_955, 18_088, 27_393}};
        Device[] ds = {Device.UNO, Device.CORTEX_M4, Device.CORTEX_M3};
        for (int i = 0; i < 3; i++) {
            CostModel c = CostModel.of(ds[i], 0, 0);
            assertClose(measured[0][i], c.estimate(stats, 3).cycles(), 0.06);
            assertClose(measured[1][i], c.estimate(raw, 3).cycles(), 0.06);
        }
        // the score alone, BENCHMARKS.md "Firmware speed and size": 32-16-8-16-32 and (Cortex-M) the MLPerf Tiny shape
        assertClose(28_149, CostModel.of(Device.UNO, 0, 0).autoencoderCycles(new int[] {32, 16, 8, 16, 32}), 0.06);
        assertClose(4_057, CostModel.of(Device.CORTEX_M4, 0, 0).autoencoderCycles(new int[] {32, 16, 8, 16, 32}), 0.06);
        assertClose(6_981, CostModel.of(Device.CORTEX_M3, 0, 0).autoencoderCycles(new int[] {32, 16, 8, 16, 32}), 0.06);
        int[] mlperf = {640, 128, 128, 128, 128, 8, 128, 128, 128, 128, 640};
        assertClose(391_977, CostModel.of(Device.CORTEX_M4, 0, 0).autoencoderCycles(mlperf), 0.06);
        assertClose(745_998, CostModel.of(Device.CORTEX_M3, 0, 0).autoencoderCycles(mlperf), 0.06);
        // flash of the serial app with the model (tinyad export): ATmega328P 9,332 and 18,260 B, Cortex-M4 7,520 and 13,728 B
        assertClose(9_332, CostModel.of(Device.UNO, 0, 0).estimate(stats, 3).flash(), 0.01);
        assertClose(18_260, CostModel.of(Device.UNO, 0, 0).estimate(raw, 3).flash(), 0.01);
        assertClose(7_520, CostModel.of(Device.CORTEX_M4, 0, 0).estimate(stats, 3).flash(), 0.01);
        assertClose(13_728, CostModel.of(Device.CORTEX_M4, 0, 0).estimate(raw, 3).flash(), 0.01);
    }

    @Test
    void flashIsWithinOnePercentOfTheMeasuredSerialApp() {
        // tinyad export's report.md flash (text + data) on the ATmega328P and the Cortex-M4: raw 8 x 3 k=8, raw 32 x 3 k=2, stats 16 x 3 k=16
        assertClose(5_262, CostModel.of(Device.UNO, 0, 0).estimate(new Structure(8, 4, "raw", 8, false), 3).flash(), 0.01);
        assertClose(5_266, CostModel.of(Device.UNO, 0, 0).estimate(new Structure(32, 16, "raw", 2, false), 3).flash(), 0.01);
        assertClose(5_410, CostModel.of(Device.UNO, 0, 0).estimate(new Structure(16, 8, "stats", 16, false), 3).flash(), 0.01);
        assertClose(5_652, CostModel.of(Device.CORTEX_M4, 0, 0).estimate(new Structure(16, 8, "stats", 16, false), 3).flash(), 0.01);
    }

    static void assertClose(long measured, long estimated, double rel) {
        assertTrue(Math.abs(estimated - measured) <= rel * measured, "estimated " + estimated + ", measured " + measured);
    }

    @Test
    void aCandidateOverTheTargetOrTheHopPeriodSaysWhy() {
        CostModel uno = CostModel.of(Device.UNO, 0, 1000);
        // 64 samples x 8 channels of raw inputs: the int16 window alone is 1 KB, the inputs 1.5 KB more: over 2 KB
        assertTrue(uno.estimate(new Structure(64, 32, "raw", 8, false), 8).problem().startsWith("RAM"));
        // stats of 8 channels take ~9 ms on the Uno: not every 1 ms sample, but every 16
        assertTrue(uno.estimate(new Structure(16, 1, "stats", 8, false), 8).problem().contains("hop period"));
        assertNull(uno.estimate(new Structure(16, 16, "stats", 8, false), 8).problem());
        CostModel tight = new CostModel(Device.CORTEX_M4, 4_000, 65_536, 25e6, 0, 0);
        assertTrue(tight.estimate(new Structure(16, 16, "stats", 8, false), 8).problem().startsWith("flash"));
        CostModel budget = new CostModel(Device.CORTEX_M4, 1 << 20, 1 << 16, 25e6, 0.1, 0);
        assertTrue(budget.estimate(new Structure(16, 16, "stats", 8, false), 8).problem().contains("budget"));
    }
}
