package tinyad.datasets;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

import tinyad.common.DataException;

class SampleRateTest {
    /** A one-channel CSV with the given timestamps, read as train reads it. */
    static SensorTable csv(String timeHeader, String... times) {
        StringBuilder b = new StringBuilder(timeHeader + ",x\n");
        for (int i = 0; i < times.length; i++) b.append(times[i]).append(',').append(i % 7).append('\n');
        return CsvLoader.parse("t.csv", b.toString());
    }

    static String[] seconds(int n, double period) {
        String[] t = new String[n];
        for (int i = 0; i < n; i++) t[i] = String.format(java.util.Locale.ROOT, "%.6f", 12.5 + i * period);
        return t;
    }

    @Test
    void regularNumericTimestampsGiveOneOverTheMedianInterval() {
        assertEquals(250.0, SampleRate.infer("t.csv", csv("time", seconds(400, 0.004))), 1e-9);
        assertEquals(0.2, SampleRate.infer("t.csv", csv("timestamp", "0", "5", "10", "15", "20")), 1e-12);
    }

    @Test
    void isoDateTimesAsInSkabAndNabAndWithTheTAndAZone() {
        assertEquals(1.0, SampleRate.infer("skab.csv", csv("datetime", "2020-03-09 10:14:33", "2020-03-09 10:14:34",
                "2020-03-09 10:14:35", "2020-03-09 10:14:36")), 1e-12);
        assertEquals(1 / 300.0, SampleRate.infer("nab.csv", csv("timestamp", "2013-12-02 21:15:00", "2013-12-02 21:20:00",
                "2013-12-02 21:25:00")), 1e-15);
        // across midnight, with milliseconds, a T and a zone
        assertEquals(50.0, SampleRate.infer("z.csv", csv("timestamp", "2021-05-01T23:59:59.960Z", "2021-05-01T23:59:59.980Z",
                "2021-05-02T00:00:00.000Z", "2021-05-02T00:00:00.020Z")), 1e-9);
        assertEquals(50.0, SampleRate.infer("o.csv", csv("timestamp", "2021-05-01T10:00:00.000+02:00", "2021-05-01T10:00:00.020+02:00",
                "2021-05-01T10:00:00.040+02:00")), 1e-9);
        assertEquals(1 / 86400.0, SampleRate.infer("d.csv", csv("date", "2021-02-27", "2021-02-28", "2021-03-01")), 1e-15);
    }

    @Test
    void atMostOnePercentOfIntervalsMayBeOffByMoreThanOnePercent() {
        String[] t = seconds(201, 0.01);   // 200 intervals of 10 ms
        // two intervals off by 2 %: 1 % of them, accepted (the median is still 10 ms)
        t[50] = String.format(java.util.Locale.ROOT, "%.6f", 12.5 + 50 * 0.01 + 0.0002);
        assertEquals(100.0, SampleRate.infer("t.csv", csv("time", t)), 1e-9);
        // off by 0.9 %: regular
        String[] near = seconds(201, 0.01);
        for (int i = 1; i < 200; i += 2) near[i] = String.format(java.util.Locale.ROOT, "%.6f", 12.5 + i * 0.01 + 0.00009);
        assertEquals(100.0, SampleRate.infer("t.csv", csv("time", near)), 0.01);
        // a third one: 1.5 %, refused with one line that names the way out
        t[120] = String.format(java.util.Locale.ROOT, "%.6f", 12.5 + 120 * 0.01 + 0.0002);
        DataException e = assertThrows(DataException.class, () -> SampleRate.infer("t.csv", csv("time", t)));
        assertEquals("t.csv: irregular timestamps: 4 of 200 intervals (2.0 %) differ from the median 0.01 s by more than 1 %; "
                + "give the rate with --sample-rate HZ", e.getMessage());
    }

    @Test
    void skabLikeSecondsWithJitterAreIrregular() {
        String[] t = new String[300];
        long s = 1583748873L;   // 2020-03-09 10:14:33
        for (int i = 0; i < t.length; i++) {
            s += i % 20 == 7 ? 2 : i % 20 == 8 ? 0 : 1;   // 10 % of intervals 0 or 2 s, as SKAB's 1 s clock rounds
            t[i] = java.time.LocalDateTime.ofEpochSecond(s, 0, java.time.ZoneOffset.UTC).toString().replace('T', ' ');
        }
        assertTrue(assertThrows(DataException.class, () -> SampleRate.infer("skab.csv", csv("datetime", t))).getMessage()
                .contains("irregular timestamps: 30 of 299 intervals"));
    }

    @Test
    void noTimestampsIsUnknownAndBadOnesAreOneLine() {
        assertEquals(0.0, SampleRate.infer("n.csv", CsvLoader.parse("n.csv", "x\n1\n2\n3\n")));
        assertEquals(0.0, SampleRate.infer("one.csv", csv("time", "5")));
        assertTrue(assertThrows(DataException.class, () -> SampleRate.infer("t.csv", csv("time", "3", "2", "1", "0")))
                .getMessage().contains("do not increase"));
        assertTrue(assertThrows(DataException.class, () -> SampleRate.infer("t.csv", csv("time", "1", "1", "1")))
                .getMessage().contains("do not increase"));
        DataException e = assertThrows(DataException.class, () -> SampleRate.infer("t.csv", csv("time", "0.0", "0.1", "noon", "0.3")));
        assertEquals("t.csv:4: timestamp 'noon' is not a number of seconds, as the first row's is; give the rate with --sample-rate HZ",
                e.getMessage());
        assertTrue(assertThrows(DataException.class, () -> SampleRate.infer("t.csv", csv("time", "2020-01-01 00:00:00", "3.5")))
                .getMessage().contains("t.csv:3: timestamp '3.5' is not an ISO date-time"));
        assertTrue(assertThrows(DataException.class, () -> SampleRate.infer("t.csv", csv("time", "yesterday", "today")))
                .getMessage().contains("t.csv:2: timestamp 'yesterday' is not a number of seconds or an ISO date-time"));
    }

    @Test
    void theSyntheticRecordingsTimestampsGiveItsRate() throws Exception {
        for (double fs : new double[] {1000, 3000, 256, 44.1}) {
            SensorTable t = SyntheticSensor.generate(new SyntheticSensor.Options(1, 2000, fs, 0.5, 100)).table();
            // through the CSV, as train reads it
            SensorTable read = CsvLoader.parse("s.csv", SyntheticSensorTest.csv(t));
            assertEquals(fs, SampleRate.infer("s.csv", read), fs * 1e-8, "at " + fs + " Hz");
        }
        // 1 kHz keeps the bytes of every earlier recording
        assertEquals("0.001", SyntheticSensor.generate(SyntheticSensorTest.small(1)).table().timestamps()[1]);
    }

    @Test
    void pipelineStoresTheRateAndOldFilesLoadWithZero() {
        SensorTable t = SyntheticSensor.generate(new SyntheticSensor.Options(1, 2000, 1000, 0.5, 100)).table();
        Pipeline p = Pipeline.fit(t, List.of("ax"), 8, 4, "raw");
        assertEquals(0.0, p.sampleRateHz());
        assertFalse(p.toJson().has("sample_rate_hz"), "an unknown rate is not written: such files keep their bytes and hash");
        Pipeline r = p.withSampleRate(1000);
        assertEquals(1000.0, r.toJson().get("sample_rate_hz").asDouble());
        assertEquals(1000.0, Pipeline.fromJson(r.toJson()).sampleRateHz());
        assertEquals(1000.0, r.withHop(2).sampleRateHz());
        var old = r.toJson();
        old.remove("sample_rate_hz");
        assertEquals(0.0, Pipeline.fromJson(old).sampleRateHz());
        assertEquals(p.toJson(), Pipeline.fromJson(old).toJson());
        for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY, 2e6})
            assertThrows(DataException.class, () -> p.withSampleRate(bad), "rate " + bad);
    }
}
