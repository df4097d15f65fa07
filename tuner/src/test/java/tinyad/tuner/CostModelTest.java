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
            new Measured(8, 3, "raw", 8, 14_877, 2_433, 2_895),
            new Measured(16, 3, "raw", 8, 28_583, 4_471, 5_562),
            new Measured(32, 3, "raw", 2, 47_109, 6_779, 7_366),
            new Measured(8, 3, "stats", 8, 44_017, 4_707, 5_073),
            new Measured(16, 3, "stats", 8, 51_743, 5_758, 6_174),
            new Measured(32, 3, "stats", 8, 65_886, 7_943, 8_456),
            new Measured(64, 3, "stats", 8, 88_675, 12_388, 13_095),
            new Measured(16, 3, "spectral:4", 8, 55_919, 10_158, 10_296),
            new Measured(32, 3, "spectral:4", 8, 101_821, 18_537, 18_648),
            new Measured(32, 3, "spectral:8", 8, 115_668, 21_035, 21_464),
            new Measured(64, 3, "spectral:8", 8, 216_020, 39_260, 39_638),
            new Measured(16, 3, "stats", 16, 55_264, 6_523, 7_268),
            // BENCHMARKS.md, "Features + score per window"
            new Measured(32, 3, "stats+spectral:8", 8, 174_086, 27_463, 28_561),
            new Measured(16, 8, "stats", 8, 137_556, 14_850, 16_381),
            new Measured(16, 3, "stats+spectral:4", 8, 103_198, 15_028, 15_723),
            // the model tune chose for SKAB valve1/1.csv (--models kmeans), exported: BENCHMARKS.md, "SKAB, configuration tuned"
            new Measured(8, 8, "stats+spectral:4", 2, 209_299, 26_594, 27_194),
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
        long[][] measured = {{61_942, 7_108, 8_028}, {126_770, 18_315, 27_542}};
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
        // flash of the serial app with the model (tinyad export): ATmega328P 12,200 and 21,042 B, Cortex-M4 9,108 and 15,220 B
        assertClose(12_200, CostModel.of(Device.UNO, 0, 0).estimate(stats, 3).flash(), 0.01);
        assertClose(21_042, CostModel.of(Device.UNO, 0, 0).estimate(raw, 3).flash(), 0.01);
        assertClose(9_108, CostModel.of(Device.CORTEX_M4, 0, 0).estimate(stats, 3).flash(), 0.01);
        assertClose(15_220, CostModel.of(Device.CORTEX_M4, 0, 0).estimate(raw, 3).flash(), 0.01);
    }

    @Test
    void flashIsWithinOnePercentOfTheMeasuredSerialApp() {
        // tinyad export's report.md flash (text + data) on the ATmega328P and the Cortex-M4: raw 8 x 3 k=8, raw 32 x 3 k=2, stats 16 x 3 k=16
        assertClose(7_970, CostModel.of(Device.UNO, 0, 0).estimate(new Structure(8, 4, "raw", 8, false), 3).flash(), 0.01);
        assertClose(7_970, CostModel.of(Device.UNO, 0, 0).estimate(new Structure(32, 16, "raw", 2, false), 3).flash(), 0.01);
        assertClose(8_114, CostModel.of(Device.UNO, 0, 0).estimate(new Structure(16, 8, "stats", 16, false), 3).flash(), 0.01);
        assertClose(7_000, CostModel.of(Device.CORTEX_M4, 0, 0).estimate(new Structure(16, 8, "stats", 16, false), 3).flash(), 0.01);
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
