package tinyad.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.devicebridge.Tools;
import tinyad.quantizer.QuantizedModel;

/**
 * The sample rate from the data to the firmware (train infers it, --sample-rate wins, export needs one) and the
 * real-time budget export measures in the emulators (features + score per window against the hop period).
 */
class SampleRateCliTest {
    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void generated() {
        data = dir.resolve("d.csv");
        assertEquals(0, CliTest.run("generate", "--rows", "4000", "-o", data.toString()).code());
    }

    static void ok(CliTest.Run r) {
        assertEquals(0, r.code(), r.err());
    }

    static void badInput(CliTest.Run r, String expected) {
        assertEquals(Main.EXIT_BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
    }

    static java.util.Set<String> listing() throws Exception {
        try (var s = Files.list(dir)) {
            return new java.util.TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
        }
    }

    static double rateOf(Path model) {
        return QuantizedModel.load(model).pipeline().sampleRateHz();
    }

    /** train (k-means, small) then quantize; returns the int8 model. */
    static Path model(String name, Path csv, String... trainOptions) {
        Path m = dir.resolve(name + ".tinyad"), q = dir.resolve(name + ".int8.tinyad");
        List<String> args = new ArrayList<>(List.of("train", "--data", csv.toString(), "--k", "4", "-o", m.toString()));
        args.addAll(List.of(trainOptions));
        CliTest.Run t = CliTest.run(args.toArray(String[]::new));
        ok(t);
        ok(CliTest.run("quantize", "--model", m.toString(), "--data", csv.toString(), "-o", q.toString()));
        return q;
    }

    /** The generated data's channels with other timestamps (null: no timestamp column). */
    static Path withTimes(String name, java.util.function.IntFunction<String> time) throws Exception {
        List<String> in = Files.readAllLines(data), out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            String rest = in.get(i).substring(in.get(i).indexOf(',') + 1);
            String t = i == 0 ? (time.apply(0) == null ? null : "timestamp") : time.apply(i - 1);
            out.add(t == null ? rest : t + "," + rest);
        }
        Path p = dir.resolve(name);
        Files.write(p, out);
        return p;
    }

    @Test
    void trainInfersTheRateFromTheTimestampsAndSampleRateWins() throws Exception {
        Path m = dir.resolve("inferred.tinyad");
        CliTest.Run t = CliTest.run("train", "--data", data.toString(), "--k", "4", "-o", m.toString());
        ok(t);
        assertTrue(t.out().contains("sample rate: 1000 Hz (from the timestamps)"), t.out());
        Path q = dir.resolve("inferred.int8.tinyad");
        ok(CliTest.run("quantize", "--model", m.toString(), "--data", data.toString(), "-o", q.toString()));
        assertEquals(1000.0, rateOf(q), 1e-9, "quantize carries the rate into the int8 model");

        Path given = dir.resolve("given.tinyad");
        CliTest.Run g = CliTest.run("train", "--data", data.toString(), "--k", "4", "--sample-rate", "250", "-o", given.toString());
        ok(g);
        assertTrue(g.out().contains("sample rate: 250 Hz (--sample-rate)"), g.out());
        Path gq = dir.resolve("given.int8.tinyad");
        ok(CliTest.run("quantize", "--model", given.toString(), "--data", data.toString(), "-o", gq.toString()));
        assertEquals(250.0, rateOf(gq));

        // ISO date-times, one every 20 ms
        java.time.LocalDateTime t0 = java.time.LocalDateTime.of(2024, 2, 29, 23, 59, 0);
        Path iso = withTimes("iso.csv", i -> t0.plusNanos(20_000_000L * i).toString().replace('T', ' '));
        assertEquals(50.0, rateOf(model("iso", iso)), 1e-9);
    }

    @Test
    void irregularTimestampsAreRefusedUnlessTheRateIsGiven() throws Exception {
        // every tenth interval twice as long: a logger that drops samples
        Path gaps = withTimes("gaps.csv", i -> String.format(Locale.ROOT, "%.3f", (i + i / 10) / 1000.0));
        Path m = dir.resolve("gaps.tinyad");
        CliTest.Run r = CliTest.run("train", "--data", gaps.toString(), "--k", "4", "-o", m.toString());
        badInput(r, "gaps.csv: irregular timestamps: 399 of 3999 intervals (10.0 %) differ from the median 0.001 s by more than 1 %; "
                + "give the rate with --sample-rate HZ");
        assertFalse(Files.exists(m), "no model written");
        assertEquals(1000.0, rateOf(model("gaps", gaps, "--sample-rate", "1000")));
    }

    @Test
    void exportRefusesAModelWithoutARateUntilOneIsGiven() throws Exception {
        Path noTimes = withTimes("plain.csv", i -> null);
        Path m = dir.resolve("plain.tinyad");
        CliTest.Run t = CliTest.run("train", "--data", noTimes.toString(), "--k", "4", "-o", m.toString());
        ok(t);
        assertTrue(t.out().contains("sample rate: unknown (no timestamp column; export for a device will need --sample-rate HZ)"), t.out());
        Path q = dir.resolve("plain.int8.tinyad");
        ok(CliTest.run("quantize", "--model", m.toString(), "--data", noTimes.toString(), "-o", q.toString()));
        assertEquals(0.0, rateOf(q));
        String hash = QuantizedModel.load(q).hash();
        for (String target : new String[] {"c", "cortex-m", "arduino"}) {
            Path out = dir.resolve("plain-" + target);
            badInput(CliTest.run("export", "--model", q.toString(), "--target", target, "-o", out.toString()),
                    "plain.int8.tinyad: the model has no sample rate (its training data had no timestamps); give the rate the device "
                            + "samples at with --sample-rate HZ");
            assertFalse(Files.exists(out), "nothing written for " + target);
        }
        Path out = dir.resolve("plain-fw");
        ok(CliTest.run("export", "--model", q.toString(), "--sample-rate", "500", "--no-report", "-o", out.toString()));
        String h = Files.readString(out.resolve("model/plain_model.h"));
        assertTrue(h.contains("#define PLAIN_SAMPLE_RATE_MILLIHZ 500000ul"), h);
        assertTrue(h.contains("#define PLAIN_MODEL_HASH \"" + hash + "\""), "the given rate leaves the model as it is");
        Path lib = dir.resolve("Plain");
        ok(CliTest.run("export", "--model", q.toString(), "--target", "arduino", "--sample-rate", "500", "--no-report", "-o", lib.toString()));
        assertTrue(Files.readString(lib.resolve("src/Plain.h")).contains("#define PLAIN_SAMPLE_HZ 500.000f"));
    }

    @Test
    void aModelFileWithoutTheKeyLoadsWithAnUnknownRate() throws Exception {
        Path q = model("keyed", data);
        assertEquals(1000.0, rateOf(q));
        // an older tinyad's file: no sample_rate_hz
        Path old = dir.resolve("old.tinyad");
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(q.toFile());
             java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(old))) {
            for (var it = z.entries(); it.hasMoreElements(); ) {
                java.util.zip.ZipEntry e = it.nextElement();
                byte[] b = z.getInputStream(e).readAllBytes();
                if (e.getName().equals("model.json")) {
                    var json = new com.fasterxml.jackson.databind.ObjectMapper();
                    var meta = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(b);
                    assertNotNull(((com.fasterxml.jackson.databind.node.ObjectNode) meta.get("pipeline")).remove("sample_rate_hz"));
                    b = json.writeValueAsBytes(meta);
                }
                zip.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                zip.write(b);
                zip.closeEntry();
            }
        }
        assertEquals(0.0, rateOf(old));
        Path lib = dir.resolve("Old");
        ok(CliTest.run("export", "--model", old.toString(), "--target", "arduino", "--sample-rate", "100", "--no-report", "-o", lib.toString()));
        Path keyedLib = dir.resolve("Keyed");
        ok(CliTest.run("export", "--model", q.toString(), "--target", "arduino", "--no-report", "-o", keyedLib.toString()));
        assertTrue(Files.readString(keyedLib.resolve("src/Keyed.h")).contains("#define KEYED_SAMPLE_HZ 1000.00f"), "the model's rate by default");
    }

    static final Pattern BUDGET = Pattern.compile("- \\**(Cortex-M4|Cortex-M3|ATmega328P) ([0-9.]+) MHz: (at least )?([0-9.]+) % of the ([0-9.]+) (ms|µs) "
            + "hop\\**.*? — ([0-9,]+) (cycles|instructions) per window \\(features ([0-9,]+), score ([0-9,]+)\\)");

    @Test
    void theBudgetIsTheMeasuredCostAgainstTheHopAndAModelThatCannotKeepUpIsRefused() throws Exception {
        for (String tool : new String[] {"make", "cc", "arm-none-eabi-gcc", "qemu-system-arm", "avr-gcc"})
            if (!Tools.onPath(tool)) {
                if (System.getenv("CI") != null) fail(tool + " is not installed");
                org.junit.jupiter.api.Assumptions.assumeTrue(false, tool + " is not installed (scripts/setup)");
            }
        // 1 kHz, 16 samples per window and hop: a 16 ms hop
        Path q = model("budget", data, "--window", "16", "--hop", "16");
        Path fw = dir.resolve("budget-fw");
        CliTest.Run e = CliTest.run("export", "--model", q.toString(), "--clock-hz", "avr=8000000", "-o", fw.toString());
        ok(e);
        String report = Files.readString(fw.resolve("report.md"));
        Matcher m = BUDGET.matcher(report);
        List<String> chips = new ArrayList<>();
        while (m.find()) {
            chips.add(m.group(1));
            double clock = Double.parseDouble(m.group(2)) * 1e6;
            long perWindow = Long.parseLong(m.group(7).replace(",", "")), features = Long.parseLong(m.group(9).replace(",", "")),
                    score = Long.parseLong(m.group(10).replace(",", ""));
            assertEquals(features + score, perWindow, m.group());
            assertTrue(features > 100 && score > 100, "real measurements: " + m.group());
            assertEquals("16", m.group(5), m.group());
            double share = 100.0 * perWindow / clock / 0.016;
            assertEquals(share, Double.parseDouble(m.group(4)), share >= 10 ? 0.5 : 0.05, m.group());
            assertEquals(m.group(1).startsWith("Cortex"), m.group(3) != null, "lower bound on the Cortex-M: " + m.group());
            assertEquals(m.group(1).equals("ATmega328P") ? 8e6 : 25e6, clock, m.group());
        }
        assertEquals(List.of("Cortex-M4", "Cortex-M3", "ATmega328P"), chips, report);
        assertTrue(report.contains("taken as cycles"), report);
        assertTrue(e.out().contains("% of the 16 ms hop"), "the report is printed too");

        // the same model sampled at 1 MHz: a 16 µs hop, which no board here keeps up with
        Path fast = model("fast", data, "--window", "16", "--hop", "16", "--sample-rate", "1000000");
        Path out = dir.resolve("fast-fw");
        java.util.Set<String> before = listing();
        CliTest.Run refused = CliTest.run("export", "--model", fast.toString(), "--target", "cortex-m", "-o", out.toString());
        badInput(refused, "fast: features + score do not keep up with the samples on the Cortex-M4 25 MHz: at least ");
        assertTrue(refused.err().contains("% of the 16 µs hop ("), refused.err());
        assertTrue(refused.err().contains("--force"), refused.err());
        assertFalse(Files.exists(out), "nothing written");
        assertEquals(before, listing(), "no staging directory left behind");

        CliTest.Run forced = CliTest.run("export", "--model", fast.toString(), "--target", "cortex-m", "--force", "-o", out.toString());
        ok(forced);
        String fr = Files.readString(out.resolve("report.md"));
        assertTrue(fr.contains("**does not keep up**"), fr);
        assertFalse(fr.contains("| avr |") || fr.contains("- ATmega328P") || fr.contains("- **ATmega328P"),
                "--target cortex-m measures the Cortex-M only: " + fr);
        assertTrue(forced.err().contains("tinyad: --force: fast: features + score do not keep up"), forced.err());

        Path lib = dir.resolve("Fast");
        badInput(CliTest.run("export", "--model", fast.toString(), "--target", "arduino", "-o", lib.toString()),
                "do not keep up with the samples on the ATmega328P 16 MHz: ");
        assertFalse(Files.exists(lib));
        CliTest.Run fl = CliTest.run("export", "--model", fast.toString(), "--target", "arduino", "--force", "-o", lib.toString());
        ok(fl);
        assertTrue(fl.out().contains("real-time budget: ATmega328P 16 MHz: ") && fl.out().contains("of the 16 µs hop (features + score per window): does not keep up"),
                fl.out());
    }
}
