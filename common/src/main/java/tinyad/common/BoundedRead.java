package tinyad.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads an input file whole, with bounds: at most {@code max} bytes (so {@code /dev/zero} or a runaway pipe is
 * refused with one line instead of filling the heap), and for anything that is not a regular file (a FIFO,
 * {@code <(...)}, a device) at most {@link #idleSeconds()} without a byte (so a FIFO nobody writes to is refused
 * instead of hanging forever).
 */
public final class BoundedRead {
    private BoundedRead() {}

    /** Seconds a pipe may stay silent: property {@code tinyad.read.idle.seconds}, default 60. */
    public static long idleSeconds() {
        return Long.getLong("tinyad.read.idle.seconds", 60);
    }

    public static byte[] readAll(Path file, long max, String what) {
        try {
            if (Files.isRegularFile(file)) {
                long size = Files.size(file);
                if (size > max) throw tooLarge(file, max, what);
                try (InputStream in = Files.newInputStream(file)) {
                    byte[] b = in.readNBytes((int) max + 1);   // the file may grow while we read
                    if (b.length > max) throw tooLarge(file, max, what);
                    return b;
                }
            }
        } catch (NoSuchFileException e) {
            throw new DataException(file + ": no such file");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read: " + e.getMessage());
        }
        if (!Files.exists(file)) throw new DataException(file + ": no such file");
        return readStream(file, max, what);
    }

    /** A pipe or device, read on a daemon thread that the caller watches: open() of a FIFO blocks until a writer comes. */
    private static byte[] readStream(Path file, long max, String what) {
        AtomicLong progress = new AtomicLong();
        Object[] result = new Object[1];
        Thread reader = new Thread(() -> {
            Object r;
            try (InputStream in = Files.newInputStream(file)) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                byte[] buf = new byte[1 << 20];
                int n;
                while ((n = in.read(buf)) > 0) {
                    out.write(buf, 0, n);
                    progress.incrementAndGet();
                    if (out.size() > max) break;
                }
                r = out.size() > max ? tooLarge(file, max, what) : out.toByteArray();
            } catch (IOException e) {
                r = new DataException(file + ": cannot read: " + e.getMessage());
            } catch (OutOfMemoryError e) {
                r = e;
            }
            synchronized (result) {
                result[0] = r;
                result.notifyAll();
            }
        }, "tinyad-read " + file);
        reader.setDaemon(true);   // a reader stuck in open() must not keep the JVM alive
        reader.start();
        long idleMs = idleSeconds() * 1000, seen = -1, since = System.currentTimeMillis();
        synchronized (result) {
            while (result[0] == null) {
                long p = progress.get(), now = System.currentTimeMillis();
                if (p != seen) { seen = p; since = now; }
                if (now - since >= idleMs) {
                    reader.interrupt();
                    throw new DataException(file + ": no data for " + idleSeconds() + " s (a pipe or FIFO that nobody writes to?)");
                }
                try {
                    result.wait(Math.min(200, idleMs));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new DataException(file + ": interrupted while reading");
                }
            }
        }
        if (result[0] instanceof RuntimeException e) throw e;
        if (result[0] instanceof Error e) throw e;
        return (byte[]) result[0];
    }

    private static DataException tooLarge(Path file, long max, String what) {
        return new DataException(file + ": larger than " + (max >> 20) + " MiB, the most tinyad reads as " + what
                + "; use a part of it (e.g. head -n)");
    }
}
