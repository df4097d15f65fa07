package tinyad.devicebridge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A fake device on one end of a socat pty pair: the host under test opens {@link #hostPort()} like a board's
 * port; every line the host sends goes to {@link Script#onHostLine}, whose answer (any bytes, framed or not)
 * goes back. The script plays a device that lies, jumps, wraps, reboots or vanishes.
 */
final class ScriptedDevice implements AutoCloseable {
    interface Script {
        /** The device's reply to one host line (payload without CRC; null for a damaged line), or "" for none. */
        String onHostLine(String payload, ScriptedDevice device) throws Exception;
    }

    private final Path dir;
    private final Process socat;
    private final SerialLink device;
    private final Thread thread;
    private volatile boolean running = true;

    ScriptedDevice(Path dir, Script script, String boot) throws IOException, InterruptedException {
        this.dir = dir;
        socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + dir.resolve("dev"), "pty,raw,echo=0,link=" + dir.resolve("host"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 300 && !(Files.exists(dir.resolve("dev")) && Files.exists(dir.resolve("host"))); i++) Thread.sleep(10);
        device = JsscLink.open(dir.resolve("dev").toString(), 115200);
        if (boot != null) say(boot);
        thread = new Thread(() -> {
            byte[] buf = new byte[4096];
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                while (running) {
                    int n = device.read(buf, 50);
                    if (n < 0) return;
                    for (int i = 0; i < n; i++) {
                        if (buf[i] != '\n') {
                            line.write(buf[i]);
                            continue;
                        }
                        String l = line.toString(StandardCharsets.ISO_8859_1);
                        line.reset();
                        if (l.isEmpty()) continue;
                        String payload;
                        try {
                            Protocol.parse(l);   // throws for host lines too: only the frame matters here
                            payload = l.substring(0, l.length() - 5);
                        } catch (Protocol.BadLine e) {
                            payload = e.getMessage().startsWith("unknown line type") ? l.substring(0, l.length() - 5) : null;
                        }
                        String reply = script.onHostLine(payload, this);
                        if (reply != null && !reply.isEmpty()) device.write(reply.getBytes(StandardCharsets.ISO_8859_1));
                    }
                }
            } catch (Exception e) {
                // the device was unplugged or closed
            }
        }, "scripted-device");
        thread.setDaemon(true);
        thread.start();
    }

    Path hostPort() {
        return dir.resolve("host");
    }

    void say(String framedLines) throws IOException {
        device.write(framedLines.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The port disappears, as when a board is unplugged or its emulator is killed. */
    void unplug() throws InterruptedException {
        running = false;
        socat.destroy();
        socat.waitFor(2, TimeUnit.SECONDS);
    }

    static String hello(QuantizedModelInfo m, int threshold, long nextSeq) {
        return Protocol.frame("H 1 " + m.name() + " " + m.hash() + " " + m.inputs() + " " + threshold + " " + nextSeq);
    }

    record QuantizedModelInfo(String name, String hash, int inputs) {}

    /** The window bytes of a {@code W <hex>} payload. */
    static byte[] window(String payload) {
        String hex = payload.substring(2);
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        return b;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        device.close();
        socat.destroy();
    }
}
