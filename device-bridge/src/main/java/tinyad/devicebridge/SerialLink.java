package tinyad.devicebridge;

import java.io.IOException;

/** A byte link to a device: a serial port, a pseudo-terminal, or an emulator's stdio. */
public interface SerialLink extends AutoCloseable {
    void write(byte[] data) throws IOException;

    /**
     * Reads what is available, waiting at most {@code timeoutMillis} for the first byte.
     * Returns the count read, 0 on timeout, -1 when the link is gone (port removed, emulator exited).
     */
    int read(byte[] buf, int timeoutMillis) throws IOException;

    String name();

    @Override
    void close();
}
