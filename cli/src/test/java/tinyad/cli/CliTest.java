package tinyad.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private Path csv(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private void assertBadInput(Run r, String expected) {
        assertEquals(Main.EXIT_BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    private void assertToolFailure(Run r, String expected) {
        assertEquals(Main.EXIT_TOOL_FAILED, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    private long filesIn(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    @Test
    void helpAndVersion() {
        Run h = run("--help");
        assertEquals(0, h.code());
        for (String cmd : new String[] {"generate", "train", "quantize", "export", "verify", "demo"})
            assertTrue(h.out().contains(cmd), cmd);
        assertTrue(h.out().contains("Exit codes"));
        assertTrue(run("--version").out().startsWith("tinyad "));
        assertEquals(Main.EXIT_BAD_INPUT, run("no-such-command").code());
    }

    @Test
    void generateTrainQuantizeExportOnAGeneratedFile() throws Exception {
        Path data = dir.resolve("d.csv");
        assertEquals(0, run("generate", "--rows", "20000", "--seed", "3", "-o", data.toString()).code());
        Path m = dir.resolve("m.tinyad"), q = dir.resolve("m.int8.tinyad");
        Run t = run("train", "--data", data.toString(), "--k", "8", "-o", m.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("test ROC-AUC (float)"));
        Run qr = run("quantize", "--model", m.toString(), "--data", data.toString(), "-o", q.toString());
        assertEquals(0, qr.code(), qr.err());
        assertTrue(qr.out().matches("(?s).*ROC-AUC float 0\\.\\d+, int8 0\\.\\d+.*"), qr.out());
        assertTrue(qr.out().contains("Spearman"), qr.out());
        assertTrue(qr.out().contains("int8 model size: " + 8 * 96 + " bytes"), qr.out());
        Path out = dir.resolve("fw");
        Run e = run("export", "--model", q.toString(), "--name", "pump", "-o", out.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(Files.exists(out.resolve("model/pump_model.c")));
        assertTrue(Files.exists(out.resolve("src/tinyad_dense.c")));
    }

    @Test
    void evaluateWritesTheReportAndAutoencodersTrainFromTheCli() throws Exception {
        Path data = dir.resolve("d.csv");
        assertEquals(0, run("generate", "--rows", "16000", "--seed", "5", "-o", data.toString()).code());
        Path ae = dir.resolve("ae.tinyad");
        Run t = run("train", "--data", data.toString(), "--model", "ae", "--features", "stats+spectral:4", "--layers", "8-4-8",
                "--epochs", "5", "--quiet", "-o", ae.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(t.out().contains("autoencoder [33, 8, 4, 8, 33]"), t.out());
        Path report = dir.resolve("report");
        Run e = run("evaluate", "--model", ae.toString(), "--data", data.toString(), "-o", report.toString());
        assertEquals(0, e.code(), e.err());
        for (String f : new String[] {"report.md", "metrics.json", "scores.csv", "loss.png", "histogram.png", "roc.png", "timeline.png"})
            assertTrue(Files.size(report.resolve(f)) > 0, f);
        var metrics = new com.fasterxml.jackson.databind.ObjectMapper().readTree(report.resolve("metrics.json").toFile());
        assertTrue(metrics.get("roc_auc").asDouble() > 0.5);
        long rows = Files.readAllLines(report.resolve("scores.csv")).size() - 1;
        assertEquals(metrics.get("windows").asLong(), rows);
        Path q = dir.resolve("ae.int8.tinyad");
        assertEquals(0, run("quantize", "--model", ae.toString(), "--data", data.toString(), "-o", q.toString()).code());
        Run eq = run("evaluate", "--model", q.toString(), "--data", data.toString(), "-o", dir.resolve("r8").toString());
        assertEquals(0, eq.code(), eq.err());
        assertTrue(Files.readString(dir.resolve("r8/report.md")).contains("int8 reference"));
    }

    @Test
    void flashDryRunPrintsTheFlasherCommandsAndMissingPortsAreOneLineErrorsWithTheirOwnCodes() throws Exception {
        Run uno = run("flash", "--board", "uno", "--port", "/dev/ttyACM0", "--project", "fw", "--dry-run");
        assertEquals(0, uno.code(), uno.err());
        assertTrue(uno.out().contains("avrdude -p atmega328p -c arduino -P /dev/ttyACM0 -b 115200 -D -U flash:w:fw/build/avr-live/tinyad_app.hex:i"), uno.out());
        Run lg = run("flash", "--logger", "--channels", "3", "--sample-rate", "250", "--board", "uno", "--port", "/dev/ttyACM0",
                "--project", "lg", "--dry-run");
        assertEquals(0, lg.code(), lg.err());
        assertTrue(lg.out().contains("make -C lg avr-logger CHANNELS=3 RATE_MILLIHZ=250000")
                && lg.out().contains("flash:w:lg/build/logger/avr-live/tinyad_app.hex:i"), lg.out());
        assertFalse(Files.exists(Path.of("lg")), "a dry run writes nothing");
        Run m = run("flash", "--board", "cortex-m", "--project", "fw", "--dry-run", "--interface", "cmsis-dap");
        assertTrue(m.out().contains("openocd -f interface/cmsis-dap.cfg -f target/stm32l4x.cfg -c 'program {fw/build/stm32l4/tinyad_app.elf} verify reset exit'"), m.out());
        assertBadInput(run("flash", "--board", "uno", "--project", "fw", "--dry-run"), "--port is needed");
        Path q = dir.resolve("none.tinyad");
        assertBadInput(run("verify", "--port", "/dev/tinyad-no-such-port", "--model", q.toString()), "no such model file");
        Path data = dir.resolve("d.csv"), m1 = dir.resolve("m.tinyad"), q1 = dir.resolve("q.tinyad");
        assertEquals(0, run("generate", "--rows", "4000", "-o", data.toString()).code());
        assertEquals(0, run("train", "--data", data.toString(), "--k", "4", "-o", m1.toString()).code());
        assertEquals(0, run("quantize", "--model", m1.toString(), "--data", data.toString(), "-o", q1.toString()).code());
        assertToolFailure(run("verify", "--port", "/dev/tinyad-no-such-port", "--model", q1.toString(), "--data", data.toString()),
                "serial port /dev/tinyad-no-such-port does not exist (unplugged?)");
    }

    @Test
    void badInputsExitWithCode2AndOneLine() throws Exception {
        Path m = dir.resolve("m.tinyad");
        assertBadInput(run("train", "--data", csv("e.csv", "").toString(), "-o", m.toString()), "empty file");
        assertBadInput(run("train", "--data", csv("n.csv", "x\n1\nNaN\n").toString(), "-o", m.toString()), "n.csv:3: column 'x' is NaN");
        assertBadInput(run("train", "--data", csv("i.csv", "x\n1\n-Infinity\n").toString(), "-o", m.toString()), "is -Infinity");
        assertBadInput(run("train", "--data", csv("s.csv", "x\n1\n2\n3\n4\n").toString(), "-o", m.toString()),
                "too few rows for one window");
        Path ok = dir.resolve("ok.csv");
        assertEquals(0, run("generate", "--rows", "2000", "-o", ok.toString()).code());
        assertBadInput(run("train", "--data", ok.toString(), "--channels", "ax,temp", "-o", m.toString()), "no channel named 'temp'");
        assertBadInput(run("train", "--data", ok.toString(), "--features", "wavelet", "-o", m.toString()), "unknown feature set 'wavelet'");
        assertBadInput(run("train", "--data", dir.resolve("absent.csv").toString(), "-o", m.toString()), "no such file");
        assertBadInput(run("quantize", "--model", ok.toString(), "-o", m.toString()), "not a tinyad model file");
        assertFalse(Files.exists(m), "no model written after errors");
        assertEquals(5, filesIn(dir), "only the five input files, no temp files left behind");
    }

    @Test
    void unsafeModelNamesAreRefusedBeforeWriting() throws Exception {
        Path data = dir.resolve("d.csv"), m = dir.resolve("m.tinyad"), q = dir.resolve("q.tinyad");
        assertEquals(0, run("generate", "--rows", "4000", "-o", data.toString()).code());
        assertEquals(0, run("train", "--data", data.toString(), "--k", "4", "-o", m.toString()).code());
        assertEquals(0, run("quantize", "--model", m.toString(), "--data", data.toString(), "-o", q.toString()).code());
        Path out = dir.resolve("out");
        assertBadInput(run("export", "--model", q.toString(), "--name", "../..", "-o", out.toString()), "has no letters or digits");
        assertBadInput(run("export", "--model", q.toString(), "--name", "int", "-o", out.toString()), "reserved");
        assertFalse(Files.exists(out));
    }

    /** Issue #20: a CSV header that tried to inject C, outputs that were inputs, a name that is the app's header. */
    @Test
    void hostileNamesAndOutputsAreRefusedOrNeutralised() throws Exception {
        Path clean = dir.resolve("clean.csv");
        assertEquals(0, run("generate", "--rows", "4000", "-o", clean.toString()).code());
        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(clean));
        lines.set(0, "timestamp,\"ax */ static const int injected = 1337; /* \",ay,az,label");
        Path data = csv("d.csv", String.join("\n", lines) + "\n");
        byte[] before = Files.readAllBytes(data);
        Path m = dir.resolve("m.tinyad"), q = dir.resolve("q.tinyad");
        assertBadInput(run("train", "--data", data.toString(), "--k", "4", "-o", data.toString()), "is also an input");
        assertArrayEquals(before, Files.readAllBytes(data), "the input is untouched");
        assertEquals(0, run("train", "--data", data.toString(), "--k", "4", "-o", m.toString()).code());
        assertBadInput(run("quantize", "--model", m.toString(), "--data", data.toString(), "-o", m.toString()), "is also an input");
        assertEquals(0, run("quantize", "--model", m.toString(), "--data", data.toString(), "-o", q.toString()).code());
        Path out = dir.resolve("fw");
        assertBadInput(run("export", "--model", q.toString(), "--name", "tinyad_app", "--no-report", "-o", out.toString()), "reserved");
        assertFalse(Files.exists(out));
        Run e = run("export", "--model", q.toString(), "--name", "pump", "--no-report", "-o", out.toString());
        assertEquals(0, e.code(), e.err());
        String header = Files.readString(out.resolve("model/pump_model.h"));
        assertTrue(header.contains("injected"), "the name is kept as comment text");
        assertFalse(header.replaceAll("(?s)/\\*.*?\\*/", " ").contains("injected"), header);
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList(), "no staging left");
        }
    }

    @Test
    void flashDryRunQuotesForTheShell() throws Exception {
        Path pwned = dir.resolve("pwned");
        String port = "/dev/ttyX; touch " + pwned + " 'q'";
        Run uno = run("flash", "--board", "uno", "--port", port, "--project", "my fw", "--dry-run");
        assertEquals(0, uno.code(), uno.err());
        String avrdude = uno.out().lines().filter(l -> l.startsWith("avrdude")).findFirst().orElseThrow();
        // the shell must see exactly the argument list tinyad would run
        Process p = new ProcessBuilder("sh", "-c", "set -- " + avrdude + "; for a; do printf '%s\\n' \"$a\"; done").start();
        List<String> args = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, p.waitFor());
        assertEquals(tinyad.devicebridge.Flasher.avrdude(Path.of("my fw/build/avr-live/tinyad_app.hex"), port), args);
        assertFalse(Files.exists(pwned));
        assertBadInput(run("flash", "--board", "cortex-m", "--project", "fw", "--dry-run", "--target-cfg", "x; exec rm"), "not a plain name");
        // only the STM32L4 image exists: another chip is refused, not flashed with it
        assertBadInput(run("flash", "--board", "cortex-m", "--project", "fw", "--dry-run", "--target-cfg", "stm32f4x"), "only the STM32L4 image");
        assertBadInput(run("flash", "--board", "cortex-m", "--project", "fw{x}", "--dry-run"), "braces");
    }

    @Test
    void dataFromAFifoIsReadOnceAndItsBytesAreWhatIsHashed() throws Exception {
        // was: the file was read twice, so a FIFO hung and --data <(...) recorded the hash of empty input
        Path clean = dir.resolve("clean.csv");
        assertEquals(0, run("generate", "--rows", "3000", "-o", clean.toString()).code());
        byte[] bytes = Files.readAllBytes(clean);
        Path fifo = dir.resolve("fifo.csv"), m = dir.resolve("m.tinyad");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Thread writer = new Thread(() -> {
            try {
                Files.write(fifo, bytes);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.setDaemon(true);
        writer.start();
        Run t = run("train", "--data", fifo.toString(), "--k", "4", "-o", m.toString());
        assertEquals(0, t.code(), t.err());
        String expected = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        assertEquals(expected, tinyad.model.ModelArchive.read(m).meta().path("training_sha256").asText());
    }

    @Test
    void everyCommandHasAOneLineSummaryAndNoHelpWarnings() {
        Run top = run("--help");
        assertEquals(0, top.code());
        assertFalse(top.out().contains("picocli WARN") || top.err().contains("picocli WARN"), top.err());
        String commands = top.out().substring(top.out().indexOf("Commands:"), top.out().indexOf("Exit codes:"));
        // a summary cut mid-sentence wraps onto an indented continuation line, or ends without a full stop
        for (String line : commands.lines().skip(1).toList()) {
            if (line.isBlank()) continue;
            assertTrue(line.startsWith("  ") && !line.startsWith("      "), "a wrapped summary: '" + line + "'");
            assertTrue(line.strip().endsWith("."), "a summary that does not end a sentence: '" + line + "'");
        }
        for (String c : new String[] {"generate", "train", "evaluate", "quantize", "export", "flash", "verify", "monitor", "tune", "demo", "benchmark",
                "benchmark skab", "benchmark nab", "benchmark speed", "benchmark serial", "benchmark firmware"}) {
            String[] words = (c + " --help").split(" ");
            Run r = run(words);
            assertEquals(0, r.code(), c);
            assertFalse(r.out().contains("picocli WARN") || r.err().contains("picocli WARN"), c + ": " + r.err());
        }
    }

    @Test
    void evaluateReportsUnlabelledDataWithoutTheMetricsThatNeedLabels() throws Exception {
        StringBuilder b = new StringBuilder("timestamp,a,b\n");
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 3000; i++) b.append(i).append(',').append(r.nextGaussian()).append(',').append(i % 500 == 499 ? 40 : r.nextGaussian()).append('\n');
        Path data = csv("unlabelled.csv", b.toString());
        Path m = dir.resolve("u.tinyad"), rep = dir.resolve("u-report");
        Run t = run("train", "--data", data.toString(), "--model", "kmeans", "--features", "stats", "--window", "16", "--hop", "8", "-o", m.toString());
        assertEquals(0, t.code(), t.err());
        Run e = run("evaluate", "--model", m.toString(), "--data", data.toString(), "-o", rep.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("over the threshold (the data has no labels"), e.out());
        // quantize --report keeps what it printed as a file
        Path q = dir.resolve("u.int8.tinyad"), qr = dir.resolve("u.quantize.md");
        Run qz = run("quantize", "--model", m.toString(), "--data", data.toString(), "-o", q.toString(), "--report", qr.toString());
        assertEquals(0, qz.code(), qz.err());
        String qtext = Files.readString(qr);
        assertTrue(qtext.contains(qz.out().strip()) && qtext.contains("Pearson") && qtext.startsWith("# Quantization of u.tinyad"), qtext);
        String metrics = Files.readString(rep.resolve("metrics.json"));
        assertTrue(metrics.contains("\"labelled\" : false") && !metrics.contains("roc_auc"), metrics);
        List<String> scores = Files.readAllLines(rep.resolve("scores.csv"));
        assertEquals("timestamp,score,alarm", scores.get(0));
        long over = scores.stream().skip(1).filter(l -> l.endsWith(",1")).count();
        assertTrue(metrics.contains("\"windows_over_threshold\" : " + over), metrics);
        assertTrue(over > 0, "the spikes every 500 rows go over the threshold");
        assertTrue(Files.readString(rep.resolve("report.md")).contains("The data has no labels"));
        // provenance: the data's own hash, the model's, the pipeline
        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(data)));
        assertTrue(metrics.contains("\"data sha256\" : \"" + sha + "\""), metrics);
        assertTrue(metrics.contains("\"model sha256\" : \"" + tinyad.model.ModelArchive.read(m).sha256() + "\""), metrics);
        assertTrue(metrics.contains("stats, window 16, hop 8 (2 channels: a, b)"), metrics);
        assertTrue(Files.readString(rep.resolve("report.md")).contains("## Provenance"));
        assertTrue(Files.exists(rep.resolve("timeline.png")) && Files.exists(rep.resolve("histogram.png")) && !Files.exists(rep.resolve("roc.png")));
    }

    @Test
    void evaluateOnLabelledDateTimeDataWritesRocPrAndTimeline() throws Exception {
        // NAB-like: ISO date-times every 5 minutes, a labelled fault of larger swings
        StringBuilder b = new StringBuilder("timestamp,value,label\n");
        java.util.Random r = new java.util.Random(11);
        java.time.LocalDateTime t0 = java.time.LocalDateTime.of(2014, 2, 14, 14, 30);
        for (int i = 0; i < 4000; i++) {
            boolean fault = i >= 3000 && i < 3300;
            b.append(t0.plusMinutes(5L * i).toString().replace('T', ' ')).append(":00,").append((fault ? 6 : 1) * r.nextGaussian()).append(',')
                    .append(fault ? 1 : 0).append('\n');
        }
        Path data = csv("nablike.csv", b.toString());
        Path m = dir.resolve("n.tinyad"), rep = dir.resolve("n-report");
        Run t = run("train", "--data", data.toString(), "--model", "kmeans", "--features", "stats", "--window", "16", "--hop", "8", "-o", m.toString());
        assertEquals(0, t.code(), t.err());
        Run e = run("evaluate", "--model", m.toString(), "--data", data.toString(), "-o", rep.toString());
        assertEquals(0, e.code(), e.err());
        for (String png : List.of("histogram.png", "roc.png", "pr.png", "timeline.png", "signal.png")) assertTrue(Files.size(rep.resolve(png)) > 5000, png);
        String md = Files.readString(rep.resolve("report.md"));
        assertTrue(md.contains("![pr](pr.png)") && md.contains("| data sha256 |"), md);
        assertTrue(Files.readString(rep.resolve("metrics.json")).contains("\"labelled\" : true"));
    }

    @Test
    void aDirectoryIsOneRecordingPerFile() throws Exception {
        Path d = dir.resolve("recordings");
        Files.createDirectories(d);
        java.util.Random r = new java.util.Random(3);
        for (String f : List.of("pump-a.csv", "pump-b.csv")) {
            StringBuilder b = new StringBuilder("timestamp,a,b\n");
            for (int i = 0; i < 1500; i++) b.append(String.format(java.util.Locale.ROOT, "%.2f,%f,%f%n", i * 0.01, r.nextGaussian(), r.nextGaussian()));
            Files.writeString(d.resolve(f), b.toString());
        }
        Files.writeString(d.resolve("notes.txt"), "not data");
        Path m = dir.resolve("dir.tinyad");
        Run t = run("train", "--data", d.toString(), "--model", "kmeans", "--features", "stats", "--window", "16", "--hop", "8", "-o", m.toString());
        assertEquals(0, t.code(), t.err());
        // both files restart at 0 s: a joined file would be irregular; per recording the rate is 100 Hz
        assertTrue((t.out() + t.err()).contains("100 Hz"), t.out() + t.err());
        Files.writeString(dir.resolve("empty.txt"), "");
        Path none = dir.resolve("none");
        Files.createDirectories(none);
        assertBadInput(run("train", "--data", none.toString(), "-o", dir.resolve("x.tinyad").toString()), "no .csv, .tsv, .wav, .json or .cbor files");
    }
}
