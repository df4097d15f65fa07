package tinyad.devicebridge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jssc.SerialPort;
import jssc.SerialPortException;

import tinyad.common.ToolException;

/**
 * A serial port through jssc: USB-serial adapters and board ports, and pseudo-terminals (emulators,
 * socat). On a pty, jssc's {@code setParams} returns false because the line settings ioctls do not
 * apply; I/O works, so that is not an error.
 */
public final class JsscLink implements SerialLink {
    private final SerialPort port;
    private final String name;

    private JsscLink(SerialPort port, String name) {
        this.port = port;
        this.name = name;
    }

    public static JsscLink open(String name, int baud) {
        Path p = Path.of(name);
        if (!Files.exists(p)) throw new ToolException("serial port " + name + " does not exist (unplugged?)");
        // jssc opens the path it is given; resolve links (e.g. an emulator's port link) for its lock file
        String real;
        try {
            real = p.toRealPath().toString();
        } catch (IOException e) {
            throw new ToolException("serial port " + name + ": " + e.getMessage());
        }
        SerialPort port = new SerialPort(real);
        try {
            port.openPort();
        } catch (SerialPortException e) {
            throw new ToolException("cannot open serial port " + name + ": " + e.getExceptionType());
        }
        try {
            boolean isPty = real.startsWith("/dev/pts/");
            if (!port.setParams(baud, 8, 1, SerialPort.PARITY_NONE) && !isPty)
                throw new ToolException("serial port " + name + " refused " + baud + " baud 8N1");
            port.purgePort(SerialPort.PURGE_RXCLEAR | SerialPort.PURGE_TXCLEAR);
        } catch (SerialPortException e) {
            // purging or setting parameters is not possible on every pty; I/O still works
        }
        return new JsscLink(port, name);
    }

    @Override
    public void write(byte[] data) throws IOException {
        try {
            if (!port.writeBytes(data)) throw new IOException("write to " + name + " failed");
        } catch (SerialPortException e) {
            throw new IOException(name + ": " + e.getExceptionType());
        }
    }

    @Override
    public int read(byte[] buf, int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        try {
            while (true) {
                int avail = port.getInputBufferBytesCount();
                if (avail < 0) return -1;
                if (avail > 0) {
                    byte[] b = port.readBytes(Math.min(avail, buf.length));
                    if (b == null) return 0;
                    System.arraycopy(b, 0, buf, 0, b.length);
                    return b.length;
                }
                if (!Files.exists(Path.of(port.getPortName()))) return -1;
                if (System.nanoTime() >= deadline) return 0;
                Thread.sleep(1);
            }
        } catch (SerialPortException e) {
            return -1;   // the port went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        try {
            port.closePort();
        } catch (SerialPortException ignored) {
            // already closed or gone
        }
    }
}
