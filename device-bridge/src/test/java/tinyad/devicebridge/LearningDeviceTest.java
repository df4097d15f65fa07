package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import tinyad.codegen.Exporter;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.datasets.TimeSplit;
import tinyad.quantizer.DeviceLearning;
import tinyad.quantizer.QuantizedModel;
import tinyad.quantizer.Quantizer;

/**
 * On-device learning on emulated boards (firmware exported with a learning plan): a k-means model trained on one
 * machine's counts boots on another machine (other gain, other offset), learns from its first live windows, and
 * then scores. Checked against the Java integer reference {@link DeviceLearning} fed the same windows: the learned
 * threshold and re-arm level and every later score bit for bit, nothing scored while learning. Then the board is
 * reset (a second run with the same store: the AVR's EEPROM image, the MPS2's and the host's store file): it
 * announces the stored state and scores with it from its first window; and with one byte of the store flipped it
 * says the store is corrupt and scores with the shipped model.
 */
class LearningDeviceTest {
    private static final int LEARN = 150;

    /** Another machine: 1.5x the gain and 60 counts of offset, clamped to the 10-bit ADC. */
    static int[][] otherMachine(SensorTable t) {
        int[][] r = LiveDeviceTest.recording(t);
        for (int[] row : r) for (int c = 0; c < row.length; c++) row[c] = Math.max(0, Math.min(1023, (int) Math.round(512 + 1.5 * (row[c] - 512)) + 60));
        return r;
    }

    static long rate(Target t) {
        return t == Target.HOST ? 500_000 : 1_000_000;   // the host's timer is real time on a shared machine: slower
    }

    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"HOST", "CORTEX_M4", "AVR"})
    void learnsBitExactlyKeepsItAcrossAResetAndFallsBackFromACorruptStore(Target target, @TempDir Path dir) throws Exception {
        if (target == Target.HOST) Toolchain.require("make", "cc");
        else if (target == Target.AVR) Toolchain.require("make", "cc", "avr-gcc", "simavr");
        else Toolchain.require("make", "arm-none-eabi-gcc", "qemu-system-arm");
        if (target == Target.HOST) dir = Path.of("").toAbsolutePath().relativize(dir.toAbsolutePath());
        TimeSplit s = LiveDeviceTest.split();
        Pipeline p = Pipeline.fit(s.train(), null, 32, 16, "stats");
        QuantizedModel q = Quantizer.quantize(TestDetectors.kmeans(s.train(), p, 8, true), p.normalInputs(s.train()));
        DeviceLearning.Plan plan = DeviceLearning.Plan.full(LEARN, 9500);
        Exporter.export(q, "live", plan, dir);
        LiveEmulator.build(dir, target, rate(target), null);
        int[][] feed = otherMachine(LiveDeviceTest.aroundFirstFault(s.test(), 3000, 4200));
        int avrMs = 4000;

        // 1. learning at boot, then scoring
        LiveEmulator.Run r1 = LiveEmulator.run(dir, target, feed, rate(target), avrMs);
        LiveEmulator.Check c1 = LiveEmulator.checkLearning(r1, q, plan);
        assertEquals(0, c1.mismatches(), target + " learning: " + c1.firstMismatch());
        assertTrue(c1.windows() > 40, "windows scored after learning: " + c1.windows());
        List<Protocol.Learn> l1 = LiveEmulator.learning(r1);
        assertEquals(new Protocol.Learn("progress", 0, LEARN, 0, 0, 0, false), l1.get(0), "learning announced at boot");
        Protocol.Learn end = l1.stream().filter(l -> l.state().equals("end")).findFirst().orElseThrow();
        assertTrue(end.kept(), "the learned state was stored");
        DeviceLearning ref = LiveEmulator.learnedReference(r1, q, plan);
        assertNotEquals(q.thresholdQ(), ref.thresholdQ(), "another machine: learning moved the threshold");
        assertTrue(Files.size(LiveEmulator.storeFile(dir, target)) > 0, "store written");

        // 2. a reset: the stored state, scoring from the first window
        LiveEmulator.Run r2 = LiveEmulator.run(dir, target, feed, rate(target), 1500);
        List<Protocol.Learn> l2 = LiveEmulator.learning(r2);
        assertEquals(List.of(new Protocol.Learn("stored", 0, 0, end.threshold(), end.rearm(), 0, true)), l2, "announces the stored state");
        LiveEmulator.Check c2 = LiveEmulator.check(r2, q.pipeline(), ref::score, ref.thresholdQ(), 0);
        assertEquals(0, c2.mismatches(), target + " after reset: " + c2.firstMismatch());
        assertTrue(c2.windows() > 40, "windows scored after the reset: " + c2.windows());
        assertEquals(0, r2.scores().get(0).seq(), "scores from window 0: no learning after a reset");

        // 3. one byte of the store flipped: the shipped model, and the device says so
        Path store = LiveEmulator.storeFile(dir, target);
        byte[] b = Files.readAllBytes(store);
        b[40] ^= 0x10;
        Files.write(store, b);
        LiveEmulator.Run r3 = LiveEmulator.run(dir, target, feed, rate(target), 1500);
        assertEquals(List.of(new Protocol.Learn("corrupt", 0, 0, 0, 0, 0, false)), LiveEmulator.learning(r3), "says the store is corrupt");
        LiveEmulator.Check c3 = LiveEmulator.check(r3, q);
        assertEquals(0, c3.mismatches(), target + " shipped model after a corrupt store: " + c3.firstMismatch());
        assertTrue(c3.windows() > 40, "windows scored: " + c3.windows());

        // 4. a record whose CRC is right but whose values learning never makes (sample shifts of 255: another firmware's
        // layout, or the 1 in 65,536 corruption CRC-16 lets through): corrupt too, never a shift by 255
        b[40] ^= 0x10;   // the valid record again
        int sampleShifts = 12 + 8 * 3 + 4 * q.inputSize() + 2 * q.inputSize(), len = 12 + (b[10] & 0xFF | (b[11] & 0xFF) << 8);
        for (int c = 0; c < 3; c++) b[sampleShifts + c] = (byte) 0xFF;
        int crc = Protocol.crc16(b, len);
        b[len] = (byte) (crc >> 8);
        b[len + 1] = (byte) crc;
        Files.write(store, b);
        LiveEmulator.Run r4 = LiveEmulator.run(dir, target, feed, rate(target), 1500);
        assertEquals(List.of(new Protocol.Learn("corrupt", 0, 0, 0, 0, 0, false)), LiveEmulator.learning(r4), "out-of-range values are corrupt");
        assertEquals(0, LiveEmulator.check(r4, q).mismatches(), target + ": the shipped model");
    }

    /**
     * The other code paths on the emulated Cortex-M4 and M3 (deterministic: their clocks are instruction counts): an
     * autoencoder over stats and spectral features (centring, normalisation, threshold; its weights kept), and a
     * k-means model over raw windows (one mean and std per channel) with squared-distance scores learning its
     * centroids from scratch, on the M3 (no DSP: the portable distance kernel).
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"autoencoder", "raw-scratch"})
    void otherModelsLearnBitExactly(String config, @TempDir Path dir) throws Exception {
        Toolchain.require("make", "arm-none-eabi-gcc", "qemu-system-arm");
        TimeSplit s = LiveDeviceTest.split();
        boolean ae = config.equals("autoencoder");
        Pipeline p = Pipeline.fit(s.train(), null, ae ? 32 : 16, ae ? 16 : 8, ae ? "stats+spectral:8" : "raw");
        QuantizedModel q = ae
                ? Quantizer.quantize(TestDetectors.autoencoder(s.train(), p, new int[] {16, 8, 16}, 3), p.normalInputs(s.train()))
                : Quantizer.quantize(TestDetectors.kmeans(s.train(), p, 6, false), p.normalInputs(s.train()));
        DeviceLearning.Plan plan = new DeviceLearning.Plan(ae ? 90 : 160, true, true,
                ae ? DeviceLearning.Centroids.KEEP : DeviceLearning.Centroids.SCRATCH, true, ae ? 9000 : 9900);
        Target t = ae ? Target.CORTEX_M4 : Target.CORTEX_M3;
        Exporter.export(q, "live", plan, dir);
        LiveEmulator.build(dir, t, 1_000_000, null);
        int[][] feed = otherMachine(LiveDeviceTest.aroundFirstFault(s.test(), 2500, 3500));
        LiveEmulator.LearningReport r = LiveEmulator.verifyLearning(dir, t, q, plan, feed, 1_000_000);
        assertEquals(0, r.learned().mismatches(), config + ": " + r.learned().firstMismatch());
        assertTrue(r.learned().windows() > 40, "windows scored after learning: " + r.learned().windows());
        assertTrue(r.storedAfterReset(), "the reset announced the stored state: " + r.resetSaid());
        assertEquals(0, r.afterReset().mismatches(), config + " after a reset: " + r.afterReset().firstMismatch());
    }

    /** What export prints as learning's cost (ModelSource.learnCost) is what the C macros and the store function give. */
    @org.junit.jupiter.api.Test
    void theLearningCostExportStatesIsTheCodesOwn(@TempDir Path dir) throws Exception {
        Toolchain.require("cc");
        TimeSplit s = LiveDeviceTest.split();
        for (String features : new String[] {"stats", "raw"}) {
            Pipeline p = Pipeline.fit(s.train(), null, 16, 8, features);
            QuantizedModel q = Quantizer.quantize(TestDetectors.kmeans(s.train(), p, 5, features.equals("stats")), p.normalInputs(s.train()));
            DeviceLearning.Plan plan = DeviceLearning.Plan.full(300, 9900);
            Path project = dir.resolve(features);
            Exporter.export(q, "live", plan, project);
            Files.writeString(project.resolve("probe.c"), "#include <stdio.h>\n#include \"live_model.h\"\nint main(void) {\n"
                    + "    static live_learn_t l;\n    live_learn_init(&l);\n"
                    + "    printf(\"%lu %u\\n\", (unsigned long)LIVE_LEARN_ARENA_BYTES, (unsigned)tinyad_learn_store_bytes(&l.state));\n    return 0;\n}\n");
            Tools.Result b = Tools.run(List.of("cc", "-std=c99", "-Iinclude", "-Imodel", "probe.c", "model/live_model.c", "src/tinyad_learn.c",
                    "src/tinyad_features.c", "src/tinyad_fixedpoint.c", "src/tinyad_kmeans.c", "src/tinyad_alarm.c", "src/tinyad_dense.c", "-o", "probe"),
                    project, 120);
            assertEquals(0, b.exitCode(), b.stderr());
            Tools.Result r = Tools.run(List.of(project.resolve("probe").toString()), project, 30);
            var cost = tinyad.codegen.ModelSource.learnCost(q, plan);
            assertEquals(cost.arenaBytes() + " " + cost.storeBytes(), r.stdout().strip(), features);
        }
    }

    /**
     * A host window sent while learning is under way (the host switched to replay mid-learning) is scored by the shipped
     * model, whose tables are whole, not by the half-made learning state; `L` then learns again from live window 0.
     */
    @org.junit.jupiter.api.Test
    void replayWhileLearningScoresWithTheShippedModelAndLRestartsLearning(@TempDir Path dir) throws Exception {
        Toolchain.require("make", "cc");
        TimeSplit s = LiveDeviceTest.split();
        Pipeline p = Pipeline.fit(s.train(), null, 32, 16, "stats");
        QuantizedModel q = Quantizer.quantize(TestDetectors.kmeans(s.train(), p, 8, true), p.normalInputs(s.train()));
        Exporter.export(q, "live", DeviceLearning.Plan.full(LEARN, 9500), dir);
        LiveEmulator.build(dir, Target.HOST, 500_000, null);
        java.nio.ByteBuffer feed = java.nio.ByteBuffer.allocate(3 * 2 * 4000).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int[] row : otherMachine(s.test().slice(0, 4000))) for (int v : row) feed.putShort((short) v);
        Files.write(dir.resolve("tinyad_feed.bin"), feed.array());
        byte[] input = new byte[q.inputSize()];
        for (int i = 0; i < input.length; i++) input[i] = (byte) (i * 37 - 100);
        Process app = new ProcessBuilder(dir.toAbsolutePath().resolve("build/host-live/tinyad_app").toString()).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<Protocol.Message> got = new java.util.ArrayList<>();
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(app.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
             var out = app.getOutputStream()) {
            // in the features phase (windows 30 .. 59 of 150 in five phases), whose sums lie over the centroids
            for (String line; (line = in.readLine()) != null; ) {
                got.add(Protocol.parse(line));
                if (got.get(got.size() - 1) instanceof Protocol.Learn l && l.learned() == 32) break;
            }
            out.write((Protocol.frame("M replay") + Protocol.window(input) + Protocol.frame("L")).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            got.clear();
            for (String line; got.size() < 4 && (line = in.readLine()) != null; ) {
                Protocol.Message m = Protocol.parse(line);
                if (!(m instanceof Protocol.Status)) got.add(m);
            }
        } finally {
            app.destroy();
            app.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertEquals(new Protocol.Ack("M replay"), got.get(0));
        assertEquals(new Protocol.Score(0, q.score(input), q.score(input) > q.thresholdQ()), got.get(1), "the shipped model's score");
        assertEquals(new Protocol.Ack("L " + LEARN), got.get(2), "L acknowledged");
        assertEquals(new Protocol.Learn("progress", 32, LEARN, 0, 0, 0, false), got.get(3), "learning again from live window 0: " + got);
    }

    /** verify --learn reads the plan from {@code <name>_model.h}, whatever order the directory lists it and tinyad_app_model.h in. */
    @org.junit.jupiter.api.Test
    void theProjectsPlanIsFoundWhateverTheModelsName(@TempDir Path dir) {
        TimeSplit s = LiveDeviceTest.split();
        Pipeline p = Pipeline.fit(s.train(), null, 32, 16, "stats");
        QuantizedModel q = Quantizer.quantize(TestDetectors.kmeans(s.train(), p, 4, false), p.normalInputs(s.train()));
        DeviceLearning.Plan plan = new DeviceLearning.Plan(120, true, false, DeviceLearning.Centroids.SCRATCH, true, 9900);
        for (String name : new String[] {"a", "b", "fan", "m8", "pump", "z"}) {
            Exporter.export(q, name, plan, dir.resolve(name));
            assertEquals(plan, LiveEmulator.projectLearnPlan(dir.resolve(name)), name);
            assertEquals(q.hash(), LiveEmulator.projectModelHash(dir.resolve(name)), name);
        }
    }
}
