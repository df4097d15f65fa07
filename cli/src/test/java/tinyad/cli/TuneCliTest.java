package tinyad.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.quantizer.QuantizedModel;

class TuneCliTest {
    @TempDir
    Path dir;

    /** A small search (seconds): the options every test here passes. */
    static final String[] SMALL = {"--models", "kmeans", "--windows", "16,32", "--feature-sets", "raw;stats", "--k", "4,8", "--percentiles", "99.5,100"};

    static String[] args(String... a) {
        String[] out = java.util.Arrays.copyOf(a, a.length + SMALL.length);
        System.arraycopy(SMALL, 0, out, a.length, SMALL.length);
        return out;
    }

    @Test
    void tuneWritesAFloatModelThatQuantizeTakesAndItsInt8IsWhatQuantizeWrites() throws Exception {
        Path data = dir.resolve("d.csv"), val = dir.resolve("v.csv");
        assertEquals(0, CliTest.run("generate", "--rows", "12000", "--seed", "3", "-o", data.toString()).code());
        assertEquals(0, CliTest.run("generate", "--rows", "8000", "--seed", "4", "-o", val.toString()).code());
        Path m = dir.resolve("best.tinyad"), q = dir.resolve("best.int8.tinyad"), rep = dir.resolve("rep");
        CliTest.Run t = CliTest.run(args("tune", "--data", data.toString(), "--validation", val.toString(), "--target", "uno",
                "-o", m.toString(), "--int8", q.toString(), "--report", rep.toString()));
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("judged on the labelled --validation recordings (v.csv)"), t.out());
        assertTrue(t.out().contains("same as: tinyad train --model kmeans --window "), t.out());
        for (String f : new String[] {"report.md", "leaderboard.csv", "leaderboard.png"}) assertTrue(Files.size(rep.resolve(f)) > 0, f);
        // the float model goes through the usual path: quantize gives the same int8 model tune wrote
        Path q2 = dir.resolve("q2.tinyad");
        CliTest.Run qr = CliTest.run("quantize", "--model", m.toString(), "--data", data.toString(), "-o", q2.toString());
        assertEquals(0, qr.code(), qr.err());
        assertEquals(QuantizedModel.load(q2).hash(), QuantizedModel.load(q).hash());
        // export generates its C as for any int8 model, the tuned alarm rule among the constants
        Path fw = dir.resolve("fw");
        CliTest.Run ex = CliTest.run("export", "--model", q.toString(), "--name", "pump", "--no-report", "-o", fw.toString());
        assertEquals(0, ex.code(), ex.err());
        var rule = QuantizedModel.load(q).alarm();
        String header = Files.readString(fw.resolve("model/pump_model.h"));
        assertTrue(header.contains("#define PUMP_ALARM_K " + rule.k() + "u") && header.contains("#define PUMP_ALARM_N " + rule.n() + "u")
                && header.contains("#define PUMP_ALARM_HOLDOFF " + rule.holdoff() + "u"), header);
        // and evaluate scores the test half, which tune never saw
        CliTest.Run ev = CliTest.run("evaluate", "--model", m.toString(), "--data", data.toString(), "-o", dir.resolve("ev").toString());
        assertEquals(0, ev.code(), ev.err());
    }

    @Test
    void badOptionsAndABudgetNothingFitsAreOneLineExitTwoAndWriteNothing() throws Exception {
        Path data = dir.resolve("d.csv");
        assertEquals(0, CliTest.run("generate", "--rows", "6000", "-o", data.toString()).code());
        Path m = dir.resolve("m.tinyad");
        String[][] bad = {
                {"--target", "esp32"}, {"--windows", "1"}, {"--k", "0"}, {"--percentiles", "101"}, {"--threads", "0"},
                {"--feature-sets", "wavelet"}, {"--budget-ms", "-1"}, {"--models", "svm"}, {"--layers", "8-x"},
        };
        String[] expected = {"unknown --target 'esp32'", "--windows: each must be in 2..4096, got 1", "--k: each must be in 1..4096, got 0",
                "--percentiles: each must be in (0, 100], got 101.0", "--threads must be in 1..1024, got 0", "unknown feature set 'wavelet'",
                "--budget-ms must be a positive finite number",
                "unknown --models entry 'svm'; known: kmeans, ae", "bad --layers '8-x'"};
        for (int i = 0; i < bad.length; i++) {
            String[] a = new String[bad[i].length + 5];
            a[0] = "tune"; a[1] = "--data"; a[2] = data.toString(); a[3] = "-o"; a[4] = m.toString();
            System.arraycopy(bad[i], 0, a, 5, bad[i].length);
            CliTest.Run r = CliTest.run(a);
            assertEquals(Main.EXIT_BAD_INPUT, r.code(), String.join(" ", bad[i]) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(expected[i]), r.err());
        }
        CliTest.Run r = CliTest.run(args("tune", "--data", data.toString(), "--target", "uno", "--flash", "2000", "-o", m.toString(),
                "--report", dir.resolve("rep").toString()));
        assertEquals(Main.EXIT_BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("tinyad: no candidate fits the ATmega328P (Arduino Uno) (flash 2,000 B"), r.err());
        CliTest.Run unlabelled = CliTest.run(args("tune", "--data", data.toString(), "--validation", data.toString(), "--train-fraction", "0.3",
                "-o", m.toString()));
        assertEquals(0, unlabelled.code(), "the generated file has labels: " + unlabelled.err());
        Files.delete(m);
        Path nolab = dir.resolve("n.csv");
        Files.writeString(nolab, "ax,ay,az\n" + "1,2,3\n".repeat(100));
        CliTest.Run nl = CliTest.run(args("tune", "--data", data.toString(), "--validation", nolab.toString(), "-o", m.toString()));
        assertEquals(Main.EXIT_BAD_INPUT, nl.code(), nl.err());
        assertTrue(nl.err().contains("n.csv: a --validation recording needs labelled anomalies"), nl.err());
        assertFalse(Files.exists(m));
        assertFalse(Files.exists(dir.resolve("rep")));
    }
}
