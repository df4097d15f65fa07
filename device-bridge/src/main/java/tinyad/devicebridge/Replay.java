package tinyad.devicebridge;

import java.io.IOException;

/**
 * Streams quantized windows to a device at a fixed rate, round and round, on a daemon thread: the sensor an
 * emulator does not have. {@link #restart} follows a reconnecting session; {@link #stop} ends it.
 */
public final class Replay {
    private final byte[][] windows;
    private final long periodNanos;
    private Thread sender;

    /** @param windowsPerSecond the pace; at least 0.01 */
    public Replay(byte[][] windows, double windowsPerSecond) {
        this.windows = windows;
        this.periodNanos = (long) (1e9 / Math.max(0.01, windowsPerSecond));
    }

    /** Stops any earlier sender and starts one on {@code session}. */
    public synchronized void restart(DeviceSession session) {
        stop();
        Thread t = new Thread(() -> send(session), "tinyad-replay");
        t.setDaemon(true);
        t.start();
        sender = t;
    }

    public synchronized void stop() {
        if (sender != null) sender.interrupt();
        sender = null;
    }

    private void send(DeviceSession session) {
        long next = System.nanoTime();
        try {
            for (int i = 0; !Thread.currentThread().isInterrupted(); i = (i + 1) % windows.length) {
                session.send(Protocol.window(windows[i]));
                next += periodNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
        } catch (IOException | InterruptedException e) {
            // the port went away or the monitor stopped
        }
    }
}
