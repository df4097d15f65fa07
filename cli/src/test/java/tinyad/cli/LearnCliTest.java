package tinyad.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export --learn and verify --learn from the command line: the Cortex-M4 (QEMU) learns from the recording's first
 * windows, the learned threshold and every later score equal the Java reference, and after a reset it scores with the
 * stored state; bad learning options are refused with one line and exit 2, before anything is written.
 */
class LearnCliTest {
    @TempDir
    static Path dir;
    static Path data, quantized;

    @BeforeAll
    static void model() {
        data = dir.resolve("data.csv");
        assertEquals(0, CliTest.run("generate", "--rows", "9000", "--seed", "5", "-o", data.toString()).code());
        Path m = dir.resolve("m.tinyad");
        quantized = dir.resolve("m.int8.tinyad");
        CliTest.Run t = CliTest.run("train", "--data", data.toString(), "--model", "kmeans", "--features", "stats", "--window", "32", "--k", "6",
                "--quiet", "-o", m.toString());
        assertEquals(0, t.code(), t.err());
        CliTest.Run q = CliTest.run("quantize", "--model", m.toString(), "--data", data.toString(), "-o", quantized.toString());
        assertEquals(0, q.code(), q.err());
    }

    @Test
    void exportLearnThenVerifyLearnOnTheCortexM4() {
        for (String tool : new String[] {"make", "arm-none-eabi-gcc", "qemu-system-arm"})
            Assumptions.assumeTrue(tinyad.devicebridge.Tools.onPath(tool), tool + " is not installed (scripts/setup installs it)");
        Path fw = dir.resolve("fw-learn");
        CliTest.Run ex = CliTest.run("export", "--model", quantized.toString(), "--learn", "120", "--learn-centroids", "scratch", "--no-report",
                "-o", fw.toString());
        assertEquals(0, ex.code(), ex.err());
        CliTest.Run v = CliTest.run("verify", "--learn", "--target", "m4", "--project", fw.toString(), "--model", quantized.toString(),
                "--data", data.toString());
        assertEquals(0, v.code(), v.out() + v.err());
        assertTrue(v.out().contains("learning from live windows 0..119 (centring, normalisation, centroids scratch, threshold at p99.5)"), v.out());
        assertTrue(v.out().contains("equal to the Java reference; state stored"), v.out());
        assertTrue(v.out().contains("after a reset: the stored state"), v.out());
    }

    static void refused(String why, String... args) {
        CliTest.Run r = CliTest.run(args);
        assertEquals(2, r.code(), why + ": " + r.out() + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n") || err.contains("Exception"), why + ": one line, no stack trace: " + err);
    }

    @Test
    void badLearningOptionsAreRefusedWithOneLineAndNothingWritten() throws Exception {
        Path out = dir.resolve("never");
        String m = quantized.toString();
        refused("a percentile over 100", "export", "--model", m, "--learn", "100", "--learn-percentile", "101", "--no-report", "-o", out.toString());
        refused("an unknown phase", "export", "--model", m, "--learn", "100", "--learn-phases", "channels,bias", "--no-report", "-o", out.toString());
        refused("an unknown centroid mode", "export", "--model", m, "--learn", "100", "--learn-centroids", "some", "--no-report", "-o", out.toString());
        refused("more windows than a device counts", "export", "--model", m, "--learn", "20000", "--no-report", "-o", out.toString());
        refused("a percentile that needs more than 64 kept scores", "export", "--model", m, "--learn", "4000", "--learn-percentile", "50",
                "--no-report", "-o", out.toString());
        refused("the Arduino library", "export", "--model", m, "--learn", "100", "--target", "arduino", "--no-report", "-o", out.toString());
        assertFalse(Files.exists(out), "nothing written");
        Path plain = dir.resolve("fw-plain");
        assertEquals(0, CliTest.run("export", "--model", m, "--no-report", "-o", plain.toString()).code());
        refused("a project that does not learn", "verify", "--learn", "--target", "host", "--project", plain.toString(), "--model", m,
                "--data", data.toString());
        refused("a port", "verify", "--learn", "--port", "/dev/null", "--model", m, "--data", data.toString());
        refused("learning options without --learn", "export", "--model", m, "--learn-percentile", "90", "--no-report", "-o", out.toString());
        refused("a percentile finer than hundredths", "export", "--model", m, "--learn", "100", "--learn-percentile", "99.995", "--no-report",
                "-o", out.toString());
        refused("a missing project", "verify", "--learn", "--target", "host", "--project", dir.resolve("nowhere").toString(), "--model", m,
                "--data", data.toString());
        Path learning = dir.resolve("fw-other");
        assertEquals(0, CliTest.run("export", "--model", m, "--learn", "100", "--no-report", "-o", learning.toString()).code());
        Path other = dir.resolve("other.tinyad"), otherQ = dir.resolve("other.int8.tinyad");
        assertEquals(0, CliTest.run("train", "--data", data.toString(), "--model", "kmeans", "--features", "stats", "--window", "32", "--k", "3",
                "--quiet", "-o", other.toString()).code());
        assertEquals(0, CliTest.run("quantize", "--model", other.toString(), "--data", data.toString(), "-o", otherQ.toString()).code());
        refused("another model than the project's", "verify", "--learn", "--target", "host", "--project", learning.toString(), "--model",
                otherQ.toString(), "--data", data.toString());
    }
}
