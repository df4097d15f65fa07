package tinyad.devicebridge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Sits between a device's pty and a socat pty pair and damages the traffic on purpose: the host side
 * under test opens {@link #hostPort()} and sees the device through this relay.
 * Device-to-host traffic is handled line by line; {@link Fault} decides what happens to each line.
 */
final class FaultRelay implements AutoCloseable {
    /** What to do with one device line; {@code deviceOut} lets a fault talk to the device. */
    interface Fault {
        /** Returns the bytes to forward to the host instead of {@code line} (which includes its newline). */
        byte[] onDeviceLine(String line, SerialLink device) throws IOException, InterruptedException;

        /** Returns the bytes to forward to the device instead of {@code line}. */
        default byte[] onHostLine(String line) {
            return line.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    private final Path dir;
    private final SerialLink device;
    private final Fault fault;
    private Process socat;
    private SerialLink near;
    private volatile boolean running = true;
    private final Thread up, down;

    FaultRelay(String devicePort, Path dir, Fault fault) throws IOException, InterruptedException {
        this.dir = dir;
        this.fault = fault;
        this.device = JsscLink.open(devicePort, 115200);
        startSocat();
        down = new Thread(this::deviceToHost, "relay-down");
        up = new Thread(this::hostToDevice, "relay-up");
        down.setDaemon(true);
        up.setDaemon(true);
        down.start();
        up.start();
    }

    Path hostPort() {
        return dir.resolve("host");
    }

    private synchronized void startSocat() throws IOException, InterruptedException {
        Files.deleteIfExists(dir.resolve("near"));
        Files.deleteIfExists(dir.resolve("host"));
        socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + dir.resolve("near"), "pty,raw,echo=0,link=" + dir.resolve("host"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 200 && !(Files.exists(dir.resolve("near")) && Files.exists(dir.resolve("host"))); i++) Thread.sleep(10);
        near = JsscLink.open(dir.resolve("near").toString(), 115200);
    }

    /** Unplugs the host side (the host's port disappears), then plugs it back after {@code millis}. */
    void unplug(long millis) throws IOException, InterruptedException {
        SerialLink old;
        synchronized (this) {
            old = near;
            near = null;
            socat.destroy();
            socat.waitFor(2, TimeUnit.SECONDS);
        }
        old.close();
        Thread.sleep(millis);
        startSocat();
    }

    private synchronized SerialLink near() {
        return near;
    }

    private void deviceToHost() {
        byte[] buf = new byte[4096];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (running) {
                int n = device.read(buf, 50);
                if (n < 0) return;
                for (int i = 0; i < n; i++) {
                    line.write(buf[i]);
                    if (buf[i] != '\n') continue;
                    byte[] out = fault.onDeviceLine(line.toString(StandardCharsets.ISO_8859_1), device);
                    line.reset();
                    SerialLink h = near();
                    if (h != null && out.length > 0) h.write(out);
                }
            }
        } catch (IOException | InterruptedException e) {
            // relay stopped
        }
    }

    private void hostToDevice() {
        byte[] buf = new byte[4096];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (running) {
            try {
                SerialLink h = near();
                if (h == null) {
                    Thread.sleep(10);
                    continue;
                }
                int n = h.read(buf, 50);
                if (n <= 0) {
                    if (n < 0) Thread.sleep(10);
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    line.write(buf[i]);
                    if (buf[i] != '\n') continue;
                    device.write(fault.onHostLine(line.toString(StandardCharsets.ISO_8859_1)));
                    line.reset();
                }
            } catch (IOException | InterruptedException e) {
                if (!running) return;
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            up.join(1000);
            down.join(1000);
        } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
        }
        SerialLink h = near();
        if (h != null) h.close();
        device.close();
        socat.destroy();
    }

    /** Sequence number of a score line, or -1. */
    static long seqOf(String line) {
        if (!line.startsWith("S ")) return -1;
        String[] f = line.split(" ");
        try {
            return Long.parseLong(f[1]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
