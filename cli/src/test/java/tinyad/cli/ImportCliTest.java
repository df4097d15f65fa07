// SPDX-License-Identifier: Apache-2.0
package tinyad.cli;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `tinyad import`: MLPerf Tiny's model from ../shared, its threshold from data, and bad files refused in one line. */
class ImportCliTest {
    static final Path AD01 = Path.of("../../shared/models/mlperf-tiny-ad/ad01_int8.tflite");

    /** Frames of 128 log-mel-like bands: a falling spectrum, noise, and a slow swell. */
    static Path melFrames(Path dir, int rows, long seed) throws Exception {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < 128; c++) b.append(c > 0 ? "," : "").append("band").append(c);
        b.append('\n');
        for (int t = 0; t < rows; t++) {
            for (int c = 0; c < 128; c++)
                b.append(c > 0 ? "," : "").append(String.format(java.util.Locale.ROOT, "%.3f",
                        -60 + 40 * Math.exp(-c / 30.0) + 3 * r.nextGaussian() + 5 * Math.sin(t / 20.0)));
            b.append('\n');
        }
        Path p = dir.resolve("mel.csv");
        Files.writeString(p, b);
        return p;
    }

    @Test
    void importsMlperfsModelWithAThresholdFromNormalData(@TempDir Path dir) throws Exception {
        assumeTrue(Files.exists(AD01), "../shared/models is absent: MLPerf Tiny's model is read from there, never copied");
        Path data = melFrames(dir, 300, 1), out = dir.resolve("ad01.tinyad");
        CliTest.Run r = CliTest.run("import", "--tflite", AD01.toString(), "--window", "5", "--hop", "1", "--sample-rate", "31.25", "--data", data.toString(), "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("640-128-128-128-128-8-128-128-128-128-640"), r.out());
        assertTrue(r.out().contains("requantized to the input's"), r.out());
        // the threshold is the 99.5th percentile of the training part's scores: evaluate on the same data alarms on few windows
        var m = tinyad.quantizer.QuantizedModel.load(out);
        assertEquals(java.util.List.of("band0", "band1"), m.pipeline().channels().subList(0, 2));
        assertEquals(1, m.pipeline().hop());
        assertEquals(31.25, m.pipeline().sampleRateHz());
        tinyad.datasets.SensorTable train = tinyad.datasets.TimeSplit.of(tinyad.datasets.CsvLoader.load(data), 0.5).train();
        double[] s = m.scores(train);
        long over = java.util.Arrays.stream(s).filter(v -> v > m.thresholdQ()).count();
        assertTrue(s.length > 100 && over >= 1 && over <= 2, over + " of " + s.length + " training windows over the threshold");
        // and the model exports like tinyad's own
        assertEquals(0, CliTest.run("export", "--model", out.toString(), "--no-report", "-o", dir.resolve("fw").toString()).code());
        assertTrue(Files.exists(dir.resolve("fw/model/ad01_model.c")));
    }

    @Test
    void importsTheKerasModelThenQuantizesIt(@TempDir Path dir) throws Exception {
        Path h5 = AD01.resolveSibling("ad01.h5");
        assumeTrue(Files.exists(h5), "../shared/models is absent: MLPerf Tiny's model is read from there, never copied");
        Path data = melFrames(dir, 300, 2), f = dir.resolve("ad01.tinyad"), q = dir.resolve("ad01.int8.tinyad");
        CliTest.Run r = CliTest.run("import", "--keras", h5.toString(), "--window", "5", "--hop", "1", "--sample-rate", "31.25",
                "--data", data.toString(), "-o", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("BatchNormalization folded"), r.out());
        r = CliTest.run("quantize", "--model", f.toString(), "--data", data.toString(), "--input-headroom", "1", "-o", q.toString());
        assertEquals(0, r.code(), r.err());
        // the int8 model ranks the windows as the float one does
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Spearman ([0-9.]+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(1)) > 0.9, r.out());
        // without data it is refused: a float model needs it for its threshold and count scale
        r = CliTest.run("import", "--keras", h5.toString(), "--window", "5", "-o", dir.resolve("x.tinyad").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--keras needs --data"), r.err());
        assertFalse(Files.exists(dir.resolve("x.tinyad")));
        // both sources at once is a usage error
        assertEquals(2, CliTest.run("import", "--keras", h5.toString(), "--tflite", AD01.toString(), "-o", dir.resolve("x.tinyad").toString()).code());
    }

    @Test
    void badFilesAndOptionsAreRefusedInOneLine(@TempDir Path dir) throws Exception {
        Path junk = dir.resolve("junk.tflite"), out = dir.resolve("m.tinyad");
        Files.write(junk, "not a flatbuffer at all".getBytes());
        CliTest.Run r = CliTest.run("import", "--tflite", junk.toString(), "-o", out.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().strip().lines().count() == 1 && r.err().contains("TFL3"), r.err());
        assertFalse(Files.exists(out));
        r = CliTest.run("import", "--tflite", dir.resolve("missing.tflite").toString(), "-o", out.toString());
        assertEquals(2, r.code(), r.err());
        assertFalse(Files.exists(out));
        r = CliTest.run("import", "--tflite", junk.toString(), "--window", "0", "-o", out.toString());
        assertEquals(2, r.code(), r.err());
        if (Files.exists(AD01)) {
            byte[] b = Files.readAllBytes(AD01);
            Files.write(junk, java.util.Arrays.copyOf(b, 1000));
            r = CliTest.run("import", "--tflite", junk.toString(), "--window", "5", "-o", out.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("outside the file"), r.err());
            r = CliTest.run("import", "--tflite", AD01.toString(), "--window", "7", "-o", out.toString());
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().contains("does not divide"), r.err());
            assertFalse(Files.exists(out));
        }
    }
}
