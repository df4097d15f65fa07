package tinyad.devicebridge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import tinyad.datasets.DataException;
import tinyad.quantizer.QuantizedModel;

/**
 * Streams quantized windows through a device and checks every score against the Java integer
 * reference. The device must announce the same model hash and input length first.
 */
public final class Verifier {
    private static final String EOF_MARK = "\u0000EOF";

    public record Mismatch(int window, int expected, int actual) {}

    public record Report(Protocol.Hello hello, int windows, int matched, List<Mismatch> mismatches, int lost,
                         int badLines, int[] deviceScores, long elapsedNanos) {
        public boolean ok() {
            return matched == windows && mismatches.isEmpty() && lost == 0;
        }
    }

    private Verifier() {}

    /**
     * @param maxInFlight windows sent before their score came back (1 = stop-and-wait, safe for any UART)
     */
    public static Report verify(InputStream fromDevice, OutputStream toDevice, QuantizedModel model, byte[][] windows,
                                int maxInFlight, long timeoutMillis) throws IOException, InterruptedException {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> readLines(fromDevice, lines), "tinyad-serial-reader");
        reader.setDaemon(true);
        reader.start();
        long start = System.nanoTime(), deadline = System.currentTimeMillis() + timeoutMillis;
        int badLines = 0;
        Protocol.Hello hello = null;
        while (hello == null) {
            String line = poll(lines, deadline, "the device's announcement");
            try {
                if (Protocol.parse(line) instanceof Protocol.Hello h) hello = h;
            } catch (Protocol.BadLine e) {
                badLines++;
            }
        }
        if (!hello.hash().equals(model.hash()))
            throw new DataException("device runs model " + hello.model() + " (hash " + hello.hash() + "), expected hash " + model.hash());
        if (hello.inputLen() != model.inputSize())
            throw new DataException("device expects " + hello.inputLen() + " inputs per window, the model has " + model.inputSize());

        Semaphore credit = new Semaphore(maxInFlight);
        Thread writer = new Thread(() -> {
            try {
                for (byte[] w : windows) {
                    credit.acquire();
                    toDevice.write(Protocol.window(w).getBytes(StandardCharsets.US_ASCII));
                    toDevice.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the reader side reports what went missing
            }
        }, "tinyad-serial-writer");
        writer.setDaemon(true);
        writer.start();

        int[] got = new int[windows.length];
        boolean[] seen = new boolean[windows.length];
        List<Mismatch> mismatches = new ArrayList<>();
        int matched = 0, received = 0;
        try {
            while (received < windows.length) {
                String line = lines.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
                if (line == null || line.equals(EOF_MARK)) break;
                Protocol.Message msg;
                try {
                    msg = Protocol.parse(line);
                } catch (Protocol.BadLine e) {
                    badLines++;
                    continue;
                }
                if (msg instanceof Protocol.Score s) {
                    received++;
                    credit.release();
                    if (s.seq() < 0 || s.seq() >= windows.length || seen[(int) s.seq()]) { badLines++; continue; }
                    int i = (int) s.seq();
                    seen[i] = true;
                    got[i] = s.score();
                    int expected = model.score(windows[i]);
                    if (expected == s.score()) matched++;
                    else mismatches.add(new Mismatch(i, expected, s.score()));
                } else if (msg instanceof Protocol.Error e) {
                    throw new DataException("device answered error '" + e.code() + "'");
                }
            }
        } finally {
            writer.interrupt();
        }
        int lost = 0;
        for (boolean b : seen) if (!b) lost++;
        return new Report(hello, windows.length, matched, mismatches, lost, badLines, got, System.nanoTime() - start);
    }

    private static String poll(BlockingQueue<String> lines, long deadline, String what) throws InterruptedException {
        String line = lines.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
        if (line == null) throw new DataException("timed out waiting for " + what);
        if (line.equals(EOF_MARK)) throw new DataException("the device closed its port before " + what);
        return line;
    }

    private static void readLines(InputStream in, BlockingQueue<String> lines) {
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        try {
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        lines.add(cur.toString(StandardCharsets.ISO_8859_1));
                        cur.reset();
                    } else if (cur.size() < 4096) {
                        cur.write(buf[i]);
                    }
                }
            }
        } catch (IOException e) {
            // port closed: fall through to EOF
        }
        lines.add(EOF_MARK);
    }
}
