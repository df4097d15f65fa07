package tinyad.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The corpus of issue #14: crafted model files (made here from good ones, with valid CRCs, so only their meaning is
 * wrong) and crafted data, each run through the CLI. Every case must end with exit 2, one line naming what is
 * wrong, and no output left behind.
 */
class BadInputCorpusTest {
    @TempDir
    static Path dir;
    static Path data, kmeans, ae, kmeans8, ae8;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void goodModels() {
        data = dir.resolve("d.csv");
        kmeans = dir.resolve("k.tinyad");
        ae = dir.resolve("a.tinyad");
        kmeans8 = dir.resolve("k8.tinyad");
        ae8 = dir.resolve("a8.tinyad");
        assertEquals(0, CliTest.run("generate", "--rows", "6000", "-o", data.toString()).code());
        assertEquals(0, CliTest.run("train", "--data", data.toString(), "--k", "4", "-o", kmeans.toString()).code());
        assertEquals(0, CliTest.run("train", "--data", data.toString(), "--model", "ae", "--layers", "8-4-8", "--epochs", "2",
                "--quiet", "-o", ae.toString()).code());
        assertEquals(0, CliTest.run("quantize", "--model", kmeans.toString(), "--data", data.toString(), "-o", kmeans8.toString()).code());
        assertEquals(0, CliTest.run("quantize", "--model", ae.toString(), "--data", data.toString(), "-o", ae8.toString()).code());
    }

    /** A copy of {@code good} with its metadata edited and entries replaced or added; ZipOutputStream writes valid CRCs. */
    static Path craft(String name, Path good, Consumer<ObjectNode> edit, UnaryOperator<String> text, Map<String, byte[]> entries)
            throws Exception {
        Map<String, byte[]> all = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(good.toFile())) {
            for (var it = z.entries(); it.hasMoreElements(); ) {
                ZipEntry e = it.nextElement();
                try (InputStream in = z.getInputStream(e)) {
                    all.put(e.getName(), in.readAllBytes());
                }
            }
        }
        ObjectNode meta = (ObjectNode) JSON.readTree(all.get("model.json"));
        edit.accept(meta);
        all.put("model.json", text.apply(JSON.writeValueAsString(meta)).getBytes(StandardCharsets.UTF_8));
        all.putAll(entries);
        Path p = dir.resolve(name + ".tinyad");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(p))) {
            for (var e : all.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return p;
    }

    static Path craft(String name, Path good, Consumer<ObjectNode> edit) throws Exception {
        return craft(name, good, edit, s -> s, Map.of());
    }

    static ObjectNode pipeline(ObjectNode m) {
        return (ObjectNode) m.get("pipeline");
    }

    static ObjectNode layer(ObjectNode m, int l) {
        return (ObjectNode) m.get("layers").get(l);
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    static byte[] tensor(Path model, String name) throws Exception {
        try (ZipFile z = new ZipFile(model.toFile()); InputStream in = z.getInputStream(z.getEntry("tensors/" + name))) {
            return in.readAllBytes();
        }
    }

    record Case(String name, Path model, String command, String expected) {}

    /** Runs a command on a crafted model: exit 2, one line that names the field, nothing written, nothing left over. */
    static void refused(Path model, String command, String expected) throws Exception {
        Path out = dir.resolve("out-" + model.getFileName());
        Set<String> before = listing();
        CliTest.Run r = switch (command) {
            case "export" -> CliTest.run("export", "--model", model.toString(), "--no-report", "-o", out.toString());
            case "evaluate" -> CliTest.run("evaluate", "--model", model.toString(), "--data", data.toString(), "-o", out.toString());
            case "quantize" -> CliTest.run("quantize", "--model", model.toString(), "--data", data.toString(), "-o", out.toString());
            default -> throw new IllegalArgumentException(command);
        };
        assertEquals(Main.EXIT_BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().startsWith("tinyad: "), r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertFalse(Files.exists(out), "nothing written");
        assertEquals(before, listing(), "no temporary files left behind");
    }

    static Set<String> listing() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            Set<String> names = new TreeSet<>();
            s.forEach(p -> names.add(p.getFileName().toString()));
            return names;
        }
    }

    @TestFactory
    List<DynamicTest> craftedModelsAreRefusedWithOneLineNamingTheField() throws Exception {
        List<Case> cases = new ArrayList<>();
        // the pipeline, as every kind stores it
        cases.add(new Case("hop 0", craft("hop0", kmeans8, m -> pipeline(m).put("hop", 0)), "export", "pipeline.hop: 0 is outside 1..32"));
        cases.add(new Case("hop -1", craft("hopneg", kmeans8, m -> pipeline(m).put("hop", -1)), "export", "pipeline.hop"));
        cases.add(new Case("hop 0, float model", craft("hop0f", kmeans, m -> pipeline(m).put("hop", 0)), "evaluate", "pipeline.hop"));
        cases.add(new Case("window that overflows", craft("win", kmeans8, m -> pipeline(m).put("window", Integer.MAX_VALUE)),
                "export", "pipeline.window"));
        cases.add(new Case("mean Infinity", craft("meaninf", kmeans8, m -> ((ArrayNode) pipeline(m).get("normaliser").get("mean")).set(0, 12345.5),
                s -> s.replace("12345.5", "1e999"), Map.of()), "export", "pipeline.normaliser.mean[0]: Infinity"));
        cases.add(new Case("mean as a string", craft("meanstr", kmeans, m -> ((ArrayNode) pipeline(m).get("normaliser").get("mean")).set(0, "NaN")),
                "evaluate", "pipeline.normaliser.mean[0]: not a number"));
        cases.add(new Case("std 0", craft("std0", ae, m -> ((ArrayNode) pipeline(m).get("normaliser").get("std")).set(3, 0)),
                "quantize", "pipeline.normaliser.std[3]"));
        cases.add(new Case("features of 0 inputs", craft("feat", kmeans8, m -> pipeline(m).put("features", "+")), "export", "pipeline.features"));
        cases.add(new Case("duplicate channel", craft("dupch", kmeans8, m -> ((ArrayNode) pipeline(m).get("channels")).set(1, pipeline(m).get("channels").get(0))),
                "export", "pipeline.channels[1]"));
        // thresholds
        cases.add(new Case("negative sample rate", craft("rateneg", kmeans8, m -> pipeline(m).put("sample_rate_hz", -1000)), "export",
                "pipeline.sample_rate_hz: -1000.0 is outside 0.0..1000000.0"));
        cases.add(new Case("sample rate above 1 MHz", craft("ratebig", kmeans8, m -> pipeline(m).put("sample_rate_hz", 2e6)), "export",
                "pipeline.sample_rate_hz: 2000000.0 is outside"));
        cases.add(new Case("sample rate as a string", craft("ratestr", kmeans8, m -> pipeline(m).put("sample_rate_hz", "NaN")), "export",
                "pipeline.sample_rate_hz: not a number"));
        cases.add(new Case("sample rate 1e999", craft("rateinf", kmeans8, m -> {}, s -> s.replace("\"sample_rate_hz\":1000.0", "\"sample_rate_hz\":1e999"),
                Map.of()), "export", "pipeline.sample_rate_hz: Infinity is outside"));
        cases.add(new Case("threshold as a string", craft("thrstr", kmeans8, m -> m.put("threshold", "0.5")), "export", "threshold: not a number"));
        cases.add(new Case("threshold 1e300", craft("thrbig", kmeans8, m -> m.put("threshold", 1e300)), "export", "threshold: 1.0E300 is outside"));
        cases.add(new Case("threshold NaN, float", craft("thrnan", kmeans, m -> m.put("threshold", Double.NaN)), "evaluate", "threshold: not a number"));
        cases.add(new Case("threshold_q 1e300", craft("thrq", kmeans8, m -> m.put("threshold_q", 1e300)), "export", "threshold_q"));
        cases.add(new Case("alarm rule n 99", craft("alarmn", kmeans8, m -> ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("alarm")).put("n", 99)),
                "export", "alarm.n: 99 is outside 1..32"));
        cases.add(new Case("alarm rule k > n", craft("alarmk", kmeans, m -> ((com.fasterxml.jackson.databind.node.ObjectNode) m.get("alarm")).put("k", 40)),
                "evaluate", "alarm.k"));
        // k-means
        cases.add(new Case("oversized k-means", craft("bigk", kmeans8, m -> m.put("k", 1_000_000)), "export", "k: 1000000 is outside 1..4096"));
        cases.add(new Case("k that does not match the centroids", craft("k5", kmeans8, m -> m.put("k", 5)), "export", "tensors.centroids"));
        cases.add(new Case("zero point 300", craft("zp", kmeans8, m -> ((ObjectNode) m.get("input_quant")).put("zero_point", 300)),
                "export", "input_quant.zero_point"));
        cases.add(new Case("score kind", craft("score", kmeans8, m -> m.put("score", "manhattan")), "export", "score"));
        // the integer stage (datasets IntStage)
        cases.add(new Case("integer shift 40", craft("ishift", kmeans8, m -> ((ArrayNode) pipeline(m).get("integer").get("shift")).set(0, 40)),
                "export", "pipeline.integer.shift[0]: 40 is outside 0..16"));
        cases.add(new Case("integer lsb 0", craft("ilsb", kmeans8, m -> ((ArrayNode) pipeline(m).get("integer").get("sample_lsb")).set(2, 0.0)),
                "export", "pipeline.integer.sample_lsb[2]"));
        cases.add(new Case("integer center 1e6", craft("icenter", kmeans8, m -> ((ArrayNode) pipeline(m).get("integer").get("center")).set(1, 1_000_000)),
                "export", "pipeline.integer.center[1]"));
        cases.add(new Case("integer feature std 0", craft("istd", kmeans8, m -> ((ArrayNode) pipeline(m).get("integer").get("feature_std")).set(0, 0)),
                "export", "pipeline.integer.feature_std[0]"));
        cases.add(new Case("integer zero out of range", craft("izero", kmeans8, m -> ((ArrayNode) pipeline(m).get("integer").get("zero")).set(0, Long.MAX_VALUE)),
                "export", "pipeline.integer.zero[0]"));
        cases.add(new Case("integer stage, one channel short", craft("ich", kmeans8, m -> ((ArrayNode) pipeline(m).get("integer").get("center")).remove(0)),
                "export", "pipeline.integer.center: has 2 entries"));
        // int8 autoencoder layers
        cases.add(new Case("layer chain that does not connect", craft("chain", ae8, m -> layer(m, 1).put("in", 5)), "export",
                "layers[1].in: is 5 but layers[0].out is 8"));
        cases.add(new Case("activation bound out of range", craft("act", ae8, m -> layer(m, 0).put("activation_min", 200)), "export",
                "layers[0].activation_min: 200 is outside -128..127"));
        cases.add(new Case("activation bound that is not the ReLU", craft("act2", ae8,
                m -> layer(m, 0).put("activation_min", Math.max(-128, layer(m, 0).get("output_zero_point").asInt()) + 1)), "export",
                "layers[0].activation_min"));
        cases.add(new Case("inconsistent zero point", craft("izp", ae8, m -> layer(m, 1).put("input_zero_point",
                layer(m, 0).get("output_zero_point").asInt() + 1)), "export", "layers[1].input_zero_point"));
        cases.add(new Case("empty weight-scale list", craft("ws", ae8, m -> layer(m, 0).putArray("weight_scale")), "export",
                "layers[0].weight_scale"));
        byte[] mult = tensor(ae8, "dense0.multiplier");
        ByteBuffer.wrap(mult).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 5);
        cases.add(new Case("multiplier outside QuantizeMultiplier's range", craft("mult", ae8, m -> {}, s -> s,
                Map.of("tensors/dense0.multiplier", mult)), "export", "dense0.multiplier[0]: 5 is not 0 or in [2^30, 2^31)"));
        // float autoencoder
        cases.add(new Case("layer sizes that do not connect, float", craft("fchain", ae, m -> ((ArrayNode) m.get("layers")).set(1, 9)),
                "quantize", "tensors.dense0.weight"));
        byte[] w = tensor(ae, "dense0.weight");
        System.arraycopy(floats(Float.NaN), 0, w, 0, 4);
        cases.add(new Case("a NaN weight", craft("fnan", ae, m -> {}, s -> s, Map.of("tensors/dense0.weight", w)), "quantize",
                "tensors.dense0.weight[0]: is NaN"));
        // the container
        cases.add(new Case("../ entry name", craft("dotdot", kmeans8, m -> {}, s -> s, Map.of("tensors/../../evil.sh", new byte[4])),
                "export", "entry name 'tensors/../../evil.sh'"));
        cases.add(new Case("entry not in the index", craft("extra", kmeans8, m -> {}, s -> s, Map.of("tensors/extra", new byte[4])),
                "export", "entry tensors/extra is not in the tensor index"));
        cases.add(new Case("declared length that differs", craft("len", kmeans8,
                m -> ((ObjectNode) m.get("tensors").get("centroids")).put("length", 7)), "export", "tensor 'centroids' has the wrong size"));

        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases)
            tests.add(DynamicTest.dynamicTest(c.name(), () -> refused(c.model(), c.command(), c.expected())));
        return tests;
    }

    @Test
    void aZipBombIsRefusedBeforeItIsInflated() throws Exception {
        // 160 MiB of zeros deflate to about 160 KB; the reader stops at its 128 MiB cap instead of inflating them
        Path bomb = dir.resolve("bomb.tinyad");
        Files.copy(kmeans8, bomb);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(kmeans8.toFile())) {
            for (var it = z.entries(); it.hasMoreElements(); ) {
                ZipEntry e = it.nextElement();
                try (InputStream in = z.getInputStream(e)) { entries.put(e.getName(), in.readAllBytes()); }
            }
        }
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(bomb))) {
            for (var e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
            zip.putNextEntry(new ZipEntry("tensors/pad"));
            byte[] mib = new byte[1 << 20];
            for (int i = 0; i < 160; i++) zip.write(mib);
            zip.closeEntry();
        }
        assertTrue(Files.size(bomb) < 1 << 20, "a small file");
        refused(bomb, "export", "entry tensors/pad inflates to 167772160 bytes");
    }

    @Test
    void aValidCopyIsAccepted() throws Exception {
        // the crafting itself changes nothing that matters: an unedited copy exports
        Path copy = craft("copy", ae8, m -> {});
        Path out = dir.resolve("out-copy");
        CliTest.Run r = CliTest.run("export", "--model", copy.toString(), "--no-report", "-o", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(out.resolve("model/copy_model.c")));
    }

    /** Runs a command that writes {@code out}: exit 2, one line containing {@code expected}, {@code out} never written. */
    static void refusedRun(String expected, Path out, String... args) throws Exception {
        Set<String> before = listing();
        CliTest.Run r = CliTest.run(args);
        assertEquals(Main.EXIT_BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertFalse(Files.exists(out), "nothing written");
        assertEquals(before, listing(), "no temporary files left behind");
    }

    static Path csvWithCell(String name, int row, String value) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(data));
        String[] cols = lines.get(row).split(",", -1);
        cols[1] = value;   // column 0 is the timestamp
        lines.set(row, String.join(",", cols));
        Path p = dir.resolve(name);
        Files.write(p, lines);
        return p;
    }

    @Test
    void hugeValuesAreRefusedWhereTheyAreRead() throws Exception {
        Path out = dir.resolve("huge.tinyad");
        // one cell of 1e308 used to train a model with threshold NaN (exit 0)
        refusedRun("d308.csv:101: column 'ax' is 1e308; values must be within +-1.0E30", out,
                "train", "--data", csvWithCell("d308.csv", 100, "1e308").toString(), "-o", out.toString());
        // 1e200 in the test part used to crash evaluate's plots (exit 70)
        Path report = dir.resolve("huge-report");
        refusedRun("column 'ax' is 1e200", report,
                "evaluate", "--model", kmeans.toString(), "--data", csvWithCell("d200.csv", 5000, "1e200").toString(), "-o", report.toString());
        refusedRun("column 'ax' is -1e200", report,
                "evaluate", "--model", kmeans8.toString(), "--data", csvWithCell("dm200.csv", 5000, "-1e200").toString(), "-o", report.toString());
    }

    @Test
    void numericOptionsAreCheckedBeforeAnyDataIsRead() throws Exception {
        Path out = dir.resolve("opt.tinyad");
        // --data names a FIFO nobody writes to: reaching the data would hang, so these fail before reading it
        Path fifo = dir.resolve("never.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        try {
            String d = fifo.toString();
            refusedRun("--learning-rate must be a positive finite number, got NaN", out, "train", "--model", "ae", "--learning-rate", "NaN", "--data", d, "-o", out.toString());
            refusedRun("--learning-rate must be a positive finite number, got -0.1", out, "train", "--learning-rate", "-0.1", "--data", d, "-o", out.toString());
            refusedRun("--layers: each size must be in 1..4096, got 100000", out, "train", "--model", "ae", "--layers", "100000-1", "--data", d, "-o", out.toString());
            refusedRun("empty block in feature set '+'", out, "train", "--features", "+", "--data", d, "-o", out.toString());
            refusedRun("--hop must be in 1..32, got 0", out, "train", "--hop", "0", "--data", d, "-o", out.toString());
            refusedRun("--window must be in 1..65536, got -4", out, "train", "--window", "-4", "--data", d, "-o", out.toString());
            refusedRun("--threshold-percentile must be in (0, 100], got NaN", out, "train", "--threshold-percentile", "NaN", "--data", d, "-o", out.toString());
            refusedRun("--train-fraction must be between 0 and 1", out, "train", "--train-fraction", "1.5", "--data", d, "-o", out.toString());
            refusedRun("--input-headroom must be a positive finite number, got Infinity", out,
                    "quantize", "--model", kmeans.toString(), "--input-headroom", "Infinity", "--data", d, "-o", out.toString());
            refusedRun("--hop must be in 1..65536, got 0", out, "evaluate", "--model", kmeans.toString(), "--hop", "0", "--data", d, "-o", out.toString());
            refusedRun("Invalid value for option '--epochs': 'many' is not an int", out, "train", "--epochs", "many", "--data", d, "-o", out.toString());
            for (String bad : new String[] {"NaN", "-1", "0", "2e6", "Infinity"})
                refusedRun("--sample-rate must be a positive finite number of Hz at most 1000000, got ", out,
                        "train", "--sample-rate", bad, "--data", d, "-o", out.toString());
            Path fw = dir.resolve("opt-fw");
            refusedRun("--sample-rate must be a positive finite number of Hz at most 1000000, got NaN", fw,
                    "export", "--model", kmeans8.toString(), "--sample-rate", "NaN", "-o", fw.toString());
            for (String bad : new String[] {"NaN", "-5", "avr=0", "m4=1e11", "Infinity"})
                refusedRun("--clock-hz must be a positive finite number of Hz at most 10000000000, got ", fw,
                        "export", "--model", kmeans8.toString(), "--clock-hz", bad, "-o", fw.toString());
            refusedRun("--clock-hz: unknown target 'x86'; known: m4, m3, avr", fw,
                    "export", "--model", kmeans8.toString(), "--clock-hz", "x86=3e9", "-o", fw.toString());
            refusedRun("--clock-hz: 'fast' is not [TARGET=]HZ", fw, "export", "--model", kmeans8.toString(), "--clock-hz", "fast", "-o", fw.toString());
        } finally {
            Files.delete(fifo);
        }
    }

    @Test
    void aFifoWithNoWriterAndDevZeroEndWithOneLine() throws Exception {
        Path out = dir.resolve("fifo.tinyad");
        Path fifo = dir.resolve("silent.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        String old = System.getProperty("tinyad.read.idle.seconds");
        System.setProperty("tinyad.read.idle.seconds", "1");
        try {
            long t0 = System.nanoTime();
            refusedRun("silent.fifo: no data for 1 s (a pipe or FIFO that nobody writes to?)", out,
                    "train", "--data", fifo.toString(), "-o", out.toString());
            assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "ends by the idle timeout, not a hang");
        } finally {
            if (old == null) System.clearProperty("tinyad.read.idle.seconds"); else System.setProperty("tinyad.read.idle.seconds", old);
            Files.delete(fifo);
        }
        if (Files.exists(Path.of("/dev/zero")))
            refusedRun("/dev/zero: larger than 256 MiB, the most tinyad reads as sensor data", out,
                    "train", "--data", "/dev/zero", "-o", out.toString());
    }

    @Test
    void modelsTooLargeForAnyDeviceAreRefusedEarly() throws Exception {
        // 40,000 inputs (4000 samples x 10 channels): the int8 k-means distance would overflow int32; refused at train
        StringBuilder b = new StringBuilder("c0,c1,c2,c3,c4,c5,c6,c7,c8,c9\n");
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < 8200; i++) {
            for (int c = 0; c < 10; c++) b.append(c == 0 ? "" : ",").append(r.nextInt(100));
            b.append('\n');
        }
        Path wide = dir.resolve("wide.csv");
        Files.writeString(wide, b);
        Path out = dir.resolve("wide.tinyad");
        refusedRun("40000 inputs (raw, window 4000 x 10 channels): the int8 model holds at most 33025", out,
                "train", "--data", wide.toString(), "--window", "4000", "--hop", "1000", "-o", out.toString());

        // a 66,000-input autoencoder (valid as a model file: its int32 sums fit) used to export C that failed
        // -Werror=overflow; export refuses it before any C is written
        int n = 66_000;
        double[] zeros = new double[n], ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        tinyad.datasets.Pipeline p = new tinyad.datasets.Pipeline(List.of("a", "b"), n / 2, 1, "raw",
                new tinyad.datasets.Normaliser(zeros, ones));
        tinyad.quantizer.QuantParams q = new tinyad.quantizer.QuantParams(0.05, 0);
        var l0 = new tinyad.quantizer.QuantizedAutoencoder.Layer(n, 1, new byte[n], new int[1], new int[] {1 << 30}, new int[1],
                0, 0, 0, new double[] {1}, q, q);
        int[] mult = new int[n];
        java.util.Arrays.fill(mult, 1 << 30);
        var l1 = new tinyad.quantizer.QuantizedAutoencoder.Layer(1, n, new byte[n], new int[n], mult, new int[n],
                0, 0, -128, new double[] {1}, q, q);
        Path big = dir.resolve("big8.tinyad");
        new tinyad.quantizer.QuantizedAutoencoder(p, q, new tinyad.quantizer.QuantizedAutoencoder.Layer[] {l0, l1}, 100, 1.0).save(big);
        Path project = dir.resolve("big-project");
        refusedRun("cannot generate firmware for this model: inputs: 66000, more than the runtime's 16-bit counts hold (65535)", project,
                "export", "--model", big.toString(), "--no-report", "-o", project.toString());
    }
}
