package tinyad.common;

import java.nio.file.Path;

/** A child JVM for {@link AtomicFilesTest}: starts a write that never ends, so the test can interrupt it. */
public final class SlowWriter {
    public static void main(String[] args) {
        AtomicFiles.write(Path.of(args[0]), out -> {
            out.write(new byte[1 << 16]);
            out.flush();
            System.out.println("writing");
            System.out.flush();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
