package tinyad.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.datasets.SensorTable;
import tinyad.datasets.SyntheticSensor;
import tinyad.devicebridge.LiveEmulator;
import tinyad.quantizer.QuantizedModel;

/**
 * The real-device workflow of the README on an emulated board that samples a recording of the built-in vibration
 * data as 10-bit counts at 250 Hz: an Arduino Uno whose ADC pins play it (simavr, simulated time), and a Cortex-M4
 * whose timer interrupt reads it through the port hook (QEMU). Flash the data logger, collect its normal samples,
 * train, quantize, export, flash the model's live build, monitor it. Every score the monitor logs equals the Java
 * integer reference on the samples the board took (the AVR emulator's log of every conversion; the M4 reads the
 * recording in order), and the windows over the threshold lie in the recording's labelled faults.
 */
class LiveWorkflowTest {
    private static final int RATE_HZ = 250;   // three channels of D lines fit 115200 baud up to ~460 frames/s

    /** Runs a flash command in the background until it is interrupted (it serves its pseudo-terminal meanwhile). */
    static Thread background(String... args) {
        Thread t = new Thread(() -> Main.run(args), "flash");
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void awaitLink(Path link) throws InterruptedException {
        for (int i = 0; i < 600 && !Files.exists(link); i++) Thread.sleep(100);
        assertTrue(Files.exists(link), "the emulator's port " + link + " appeared");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"avr", "m4"})
    void collectTrainQuantizeExportFlashMonitorOnAnEmulatedBoard(String board, @TempDir Path dir) throws Exception {
        for (String tool : board.equals("avr") ? List.of("make", "cc", "avr-gcc", "simavr") : List.of("make", "arm-none-eabi-gcc", "qemu-system-arm"))
            org.junit.jupiter.api.Assumptions.assumeTrue(tinyad.devicebridge.Tools.onPath(tool), tool + " is not installed (scripts/setup installs it)");
        // 120 s of recording: the first half fault-free, then faults
        SensorTable data = LiveEmulator.adcCounts(
                SyntheticSensor.generate(new SyntheticSensor.Options(7, 120 * RATE_HZ, RATE_HZ, 0.5, 400)).table(), 80);
        Path sensor = dir.resolve("sensor.csv");
        StringBuilder b = new StringBuilder("ax,ay,az,label\n");
        for (int i = 0; i < data.rows(); i++) {
            double[] v = data.values()[i];
            b.append((int) v[0]).append(',').append((int) v[1]).append(',').append((int) v[2]).append(',').append(data.labels()[i]).append('\n');
        }
        Files.writeString(sensor, b);

        // 1. the data logger on the board, 2. collect 40 s of its samples (the recording's normal part)
        Path link = dir.resolve("uno-logger");
        Thread logger = background("flash", "--logger", "--channels", "3", "--sample-rate", Integer.toString(RATE_HZ), "--emulator", board,
                "--sensor", sensor.toString(), "--project", dir.resolve("logger").toString(), "--link", link.toString(), "--seconds", "300");
        awaitLink(link);
        Path normal = dir.resolve("normal.csv");
        CliTest.Run c = CliTest.run("collect", "--port", link.toString(), "--seconds", "40", "--channels", "ax,ay,az", "-o", normal.toString());
        logger.interrupt();
        logger.join(30_000);
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("10000 frames of ax, ay, az"), c.out());

        // 3. train on what the board recorded (its rate read from the timestamps), quantize, export
        Path m = dir.resolve("m.tinyad"), q = dir.resolve("m.int8.tinyad"), fw = dir.resolve("fw");
        CliTest.Run t = CliTest.run("train", "--data", normal.toString(), "--model", "kmeans", "--features", "stats", "--window", "32",
                "--hop", "16", "-o", m.toString());
        assertEquals(0, t.code(), t.err());
        CliTest.Run qz = CliTest.run("quantize", "--model", m.toString(), "--data", normal.toString(), "-o", q.toString());
        assertEquals(0, qz.code(), qz.err());
        CliTest.Run ex = CliTest.run("export", "--model", q.toString(), "--name", "pump", "--no-report", "-o", fw.toString());
        assertEquals(0, ex.code(), ex.err());

        // 4. the model's live build on the board, 5. monitor it
        Path link2 = dir.resolve("uno-live"), log = dir.resolve("scores.csv");
        Thread device = background("flash", "--emulator", board, "--project", fw.toString(), "--sensor", sensor.toString(),
                "--link", link2.toString(), "--seconds", "300");
        awaitLink(link2);
        CliTest.Run mon = CliTest.run("monitor", "--port", link2.toString(), "--model", q.toString(), "--seconds", "25", "--log", log.toString());
        device.interrupt();
        device.join(30_000);
        assertEquals(0, mon.code(), mon.err());

        // every logged score against the reference on the board's own samples
        QuantizedModel model = QuantizedModel.load(q);
        List<int[]> frames = new ArrayList<>();
        List<Long> rows = new ArrayList<>();
        if (board.equals("avr")) {
            LiveEmulator.logFrames(fw.resolve("adc.log"), 3, frames, rows);   // the ADC's conversions
        } else {
            for (int i = 0; i < data.rows(); i++) {   // the port hook reads the recording row by row from boot
                double[] v = data.values()[i];
                frames.add(new int[] {(int) v[0], (int) v[1], (int) v[2]});
                rows.add((long) i);
            }
        }
        int hop = model.pipeline().hop(), window = model.pipeline().window(), checked = 0, judged = 0, overInFault = 0, overNormal = 0;
        for (String line : Files.readAllLines(log).subList(1, Files.readAllLines(log).size())) {
            String[] f = line.split(",");
            long seq = Long.parseLong(f[1]);
            int score = Integer.parseInt(f[2]);
            int start = (int) (seq * hop);
            if (start + window > frames.size()) continue;   // the log of conversions ends when the board is stopped
            int[] w = new int[window * 3];
            for (int i = 0; i < window; i++) System.arraycopy(frames.get(start + i), 0, w, i * 3, 3);
            assertEquals(model.score(model.deviceInput(w)), score, "window " + seq + ": the board's score vs the Java reference");
            checked++;
            // past the recording's end the emulated sensor holds its last row: a flat signal, not the recording
            if (rows.get(start + window - 1) >= data.rows() - 1) continue;
            judged++;
            boolean fault = false;
            for (long r = rows.get(start); r < rows.get(start) + window && r < data.rows(); r++) fault |= data.labels()[(int) r] != 0;
            if (f[3].equals("1") && fault) overInFault++;
            if (f[3].equals("1") && !fault) overNormal++;
        }
        System.out.printf("live workflow (" + board + "): %d frames sampled from row %d, %d logged scores equal to the reference; of the %d "
                + "windows inside the recording, over the threshold: %d in faults, %d outside%n", frames.size(), rows.get(0), checked, judged, overInFault, overNormal);
        assertTrue(checked >= 100, "scores checked: " + checked);
        // every row in turn until the recording ends (the emulated sensor then holds its last row)
        for (int i = 1; i < rows.size() && rows.get(i - 1) < data.rows() - 1; i++)
            assertEquals(rows.get(0) + i, rows.get(i), "the board sampled every row in turn (no drift)");
        assertTrue(overInFault > 0 || rows.get(0) + frames.size() < data.rows() / 2,
                "a board that reached the faults alarms in them: " + overInFault);
        assertTrue(overNormal <= judged / 20 + 1, "over the threshold outside the faults: " + overNormal + " of " + judged);
    }
}
