package tinyad.devicebridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** A link over a process's stdin/stdout (the host build, QEMU -serial stdio, avrrun). */
public final class StreamLink implements SerialLink {
    private static final byte[] EOF = new byte[0];
    private final OutputStream out;
    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(1024);
    private final String name;
    private byte[] pending;
    private int pendingOff;
    private boolean closed;

    public StreamLink(String name, InputStream in, OutputStream out) {
        this.name = name;
        this.out = out;
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0; ) chunks.put(Arrays.copyOf(buf, n));
            } catch (IOException | InterruptedException e) {
                // the process is gone
            }
            try {
                chunks.put(EOF);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "tinyad-stream-reader");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void write(byte[] data) throws IOException {
        out.write(data);
        out.flush();
    }

    @Override
    public int read(byte[] buf, int timeoutMillis) throws IOException {
        if (closed) return -1;
        if (pending == null) {
            try {
                pending = chunks.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            pendingOff = 0;
            if (pending == null) return 0;
            if (pending == EOF) {
                closed = true;
                return -1;
            }
        }
        int n = Math.min(buf.length, pending.length - pendingOff);
        System.arraycopy(pending, pendingOff, buf, 0, n);
        pendingOff += n;
        if (pendingOff == pending.length) pending = null;
        return n;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
