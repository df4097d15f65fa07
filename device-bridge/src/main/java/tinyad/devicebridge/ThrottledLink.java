package tinyad.devicebridge;

import java.io.IOException;

/**
 * Reads from another link no faster than a UART at {@code baud} (10 bits per byte, 8N1): over a pty or an
 * emulator pipe there is no baud rate, so benchmarks of "at 115200 baud" pace the host side instead and
 * let the device's UART see the backpressure.
 */
public final class ThrottledLink implements SerialLink {
    private final SerialLink inner;
    private final double bytesPerNano;
    private long start = System.nanoTime();
    private long bytesRead;

    /** Starts the budget afresh (no credit saved up while idle, as on a real line). */
    public void restart() {
        start = System.nanoTime();
        bytesRead = 0;
    }

    public ThrottledLink(SerialLink inner, int baud) {
        this.inner = inner;
        this.bytesPerNano = baud / 10.0 / 1e9;
    }

    @Override
    public void write(byte[] data) throws IOException {
        inner.write(data);
    }

    @Override
    public int read(byte[] buf, int timeoutMillis) throws IOException {
        long allowed = (long) ((System.nanoTime() - start) * bytesPerNano) - bytesRead;
        if (allowed <= 0) {
            long waitNanos = (long) ((1 - allowed) / bytesPerNano);
            try {
                Thread.sleep(Math.min(timeoutMillis, Math.max(1, waitNanos / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            allowed = (long) ((System.nanoTime() - start) * bytesPerNano) - bytesRead;
            if (allowed <= 0) return 0;
        }
        byte[] b = new byte[(int) Math.min(buf.length, allowed)];
        int n = inner.read(b, timeoutMillis);
        if (n > 0) {
            System.arraycopy(b, 0, buf, 0, n);
            bytesRead += n;
        }
        return n;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void close() {
        inner.close();
    }
}
