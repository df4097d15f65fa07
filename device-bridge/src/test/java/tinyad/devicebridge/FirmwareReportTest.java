package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tinyad.datasets.Normaliser;
import tinyad.datasets.Pipeline;
import tinyad.quantizer.QuantParams;
import tinyad.quantizer.QuantizedKMeans;

/** The real-time budget's arithmetic and wording (the measurements themselves: cli's ExportBudgetTest). */
class FirmwareReportTest {
    static QuantizedKMeans model(int hop) {
        Pipeline p = new Pipeline(List.of("x"), 16, hop, "raw", new Normaliser(new double[16], java.util.stream.DoubleStream.generate(() -> 1)
                .limit(16).toArray()));
        return new QuantizedKMeans(p, new QuantParams(0.05, 0), new byte[2][16], 10, 0.5);
    }

    static final Footprint NONE = new Footprint(0, 0, 0);

    @Test
    void shareIsFeaturesPlusScoreAtTheClockOverTheHopPeriod() {
        FirmwareReport.Row avr = new FirmwareReport.Row("avr", NONE, 20_000, "cycles", 40, 74_720);   // 94,720 cycles
        FirmwareReport.Row m4 = new FirmwareReport.Row("m4", NONE, 1_000, "instructions", 40, 9_000);
        List<FirmwareReport.Budget> b = FirmwareReport.budgets(model(16), 1000, List.of(avr, m4), Map.of(Target.CORTEX_M4, 80e6));
        FirmwareReport.Budget a = b.get(0), m = b.get(1);
        assertEquals(94_720, a.row().perWindow());
        assertEquals(16e6, a.clockHz());   // the Uno's default
        assertEquals(0.016, a.hopSeconds(), 1e-15);
        assertEquals(94_720 / 16e6 / 0.016, a.share(), 1e-12);   // 37 %
        assertEquals("ATmega328P 16 MHz: 37 % of the 16 ms hop", a.summary());
        assertTrue(a.keepsUp());
        assertEquals(80e6, m.clockHz());   // given
        assertEquals("Cortex-M4 80 MHz: at least 0.78 % of the 16 ms hop", m.summary());
        assertNull(FirmwareReport.refusal("pump", b));

        // the same work at 10 kHz: 2.3 times the 1.6 ms hop
        List<FirmwareReport.Budget> fast = FirmwareReport.budgets(model(16), 10_000, List.of(avr, m4), Map.of());
        assertFalse(fast.get(0).keepsUp());
        assertTrue(fast.get(1).keepsUp());   // 10,000 instructions at 25 MHz: 0.4 ms
        assertEquals("pump: features + score do not keep up with the samples on the ATmega328P 16 MHz: 370 % of the 1.6 ms hop "
                + "(94,720 cycles per window, 5.92 ms)", FirmwareReport.refusal("pump", fast));
        String md = FirmwareReport.markdown(model(16), "pump", List.of(avr, m4), fast, "the model's");
        assertTrue(md.contains("Every hop of 16 samples at 10000 Hz (the model's)"), md);
        assertTrue(md.contains("- **ATmega328P 16 MHz: 370 % of the 1.6 ms hop** — 94,720 cycles per window (features 74,720, score 20,000), 5.92 ms\n"
                + "  **does not keep up**"), md);
        assertTrue(md.contains("- Cortex-M4 25 MHz: at least 25 % of the 1.6 ms hop — 10,000 instructions per window (features 9,000, score 1,000), "
                + "at least 400 µs\n"), md);
        assertTrue(md.contains("QEMU counts instructions"), md);

        // exactly the hop keeps up; one cycle more does not
        FirmwareReport.Row edge = new FirmwareReport.Row("avr", NONE, 256_000, "cycles", 40, -1);   // 16 ms at 16 MHz, no feature function
        assertTrue(FirmwareReport.budgets(model(16), 1000, List.of(edge), Map.of()).get(0).keepsUp());
        FirmwareReport.Row over = new FirmwareReport.Row("avr", NONE, 256_001, "cycles", 40, -1);
        assertFalse(FirmwareReport.budgets(model(16), 1000, List.of(over), Map.of()).get(0).keepsUp());
    }

    @Test
    void slowRatesReadInMinutesAndTinySharesStayVisible() {
        FirmwareReport.Row avr = new FirmwareReport.Row("avr", NONE, 20_000, "cycles", 40, 80_000);
        FirmwareReport.Budget nab = FirmwareReport.budgets(model(16), 1 / 300.0, List.of(avr), Map.of()).get(0);
        assertEquals("ATmega328P 16 MHz: < 0.01 % of the 80 min hop", nab.summary());
        assertEquals("32.8 kHz", FirmwareReport.hertz(32_768));
        assertEquals("2.5 h", FirmwareReport.duration(9000));
        assertEquals("100.4 %", FirmwareReport.percent(1.004));
        assertEquals("99.6 %", FirmwareReport.percent(0.996));
    }
}
