package tinyad.devicebridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

import tinyad.datasets.DataException;
import tinyad.quantizer.QuantizedModel;

/** Runs built firmware (host binary or QEMU) with its UART on a pipe, and verifies a model through it. */
public final class Emulator implements AutoCloseable {
    private final Process process;

    private Emulator(Process process) {
        this.process = process;
    }

    public static Emulator start(Target target, Path firmware) {
        List<String> cmd = target.runCommand(firmware);
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
            // The host build runs under ASan; keep its reports on stderr from mixing with the serial stream.
            pb.environment().put("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1");
            return new Emulator(pb.start());
        } catch (IOException e) {
            throw new DataException("cannot start " + cmd.get(0) + ": " + e.getMessage());
        }
    }

    public InputStream fromDevice() {
        return process.getInputStream();
    }

    public OutputStream toDevice() {
        return process.getOutputStream();
    }

    /** Verifies every window through the firmware; pipelined, since emulator UARTs never drop bytes. */
    public static Verifier.Report verify(Target target, Path firmware, QuantizedModel model, byte[][] windows) {
        try (Emulator e = start(target, firmware)) {
            return Verifier.verify(e.fromDevice(), e.toDevice(), model, windows, 16, 120_000);
        } catch (IOException ex) {
            throw new DataException("serial link to the " + target.makeTarget + " firmware failed: " + ex.getMessage());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new DataException("interrupted");
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        process.destroyForcibly();
    }
}
