package tinyad.devicebridge;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tinyad.common.DataException;
import tinyad.common.ToolException;
import tinyad.quantizer.QuantizedModel;

/**
 * Runs built firmware as a device: the host binary, QEMU or simavr (tools/avrrun), with its UART either
 * on the process's stdio (tests, the demo) or on a pseudo-terminal that the other commands open like a
 * real serial port ({@code tinyad flash --emulator}).
 */
public final class Emulator implements AutoCloseable {
    private static final Pattern QEMU_PTY = Pattern.compile("char device redirected to (/dev/pts/\\d+)");
    private static final Pattern AVRRUN_PTY = Pattern.compile("avrrun: pty (/dev/pts/\\d+)");

    private final Process process;
    private final String pty;

    private Emulator(Process process, String pty) {
        this.process = process;
        this.pty = pty;
    }

    /** Starts the firmware with its UART on stdin/stdout. */
    public static Emulator start(Target target, Path firmware) {
        return launch(target.runCommand(firmware), false);
    }

    /** Starts the firmware with its UART on a new pseudo-terminal; {@link #port()} names it. */
    public static Emulator startOnPty(Target target, Path firmware) {
        return launch(target.runCommand(firmware, true), true);
    }

    /**
     * Starts a live build (LiveEmulator) with its UART on a new pseudo-terminal and its sensor played from
     * {@code recording} at {@code rateMillihz}: the AVR's ADC pins in simulated time (every conversion logged to
     * {@code project}/adc.log), the Cortex-M's port hook from {@code project}/tinyad_feed.bin (the device ends
     * with the recording).
     */
    public static Emulator startLiveOnPty(Target target, Path project, Path firmware, int[][] recording, long rateMillihz) {
        project = project.toAbsolutePath();   // the emulator runs in the project: relative paths would not resolve there
        try {
            return launch(LiveEmulator.prepare(project, target, firmware, recording, rateMillihz, 0, true), true, project);
        } catch (IOException e) {
            throw new ToolException("cannot write the sensor recording: " + e.getMessage());
        }
    }

    private static Emulator launch(List<String> cmd, boolean pty) {
        return launch(cmd, pty, null);
    }

    private static Emulator launch(List<String> cmd, boolean pty, Path dir) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            if (dir != null) pb.directory(dir.toFile());
            // The host build runs under ASan; keep its reports on stderr, away from the serial stream.
            pb.environment().put("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1");
            if (pty) pb.redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            else pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            if (!pty) return new Emulator(p, null);
            // QEMU prints the pty's name on stderr, avrrun on stdout; both are merged here
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            long deadline = System.currentTimeMillis() + 10_000;
            StringBuilder said = new StringBuilder();
            for (String line; System.currentTimeMillis() < deadline && (line = r.readLine()) != null; ) {
                said.append(line).append(' ');
                Matcher m = QEMU_PTY.matcher(line), a = AVRRUN_PTY.matcher(line);
                String name = m.find() ? m.group(1) : a.find() ? a.group(1) : null;
                if (name != null) {
                    Thread drain = new Thread(() -> {
                        try {
                            while (r.readLine() != null) { /* keep the emulator's stderr from blocking it */ }
                        } catch (IOException ignored) {
                            // exited
                        }
                    }, "tinyad-emulator-log");
                    drain.setDaemon(true);
                    drain.start();
                    return new Emulator(p, name);
                }
            }
            p.destroyForcibly();
            throw new ToolException(cmd.get(0) + " did not report its serial port: " + said.toString().strip());
        } catch (IOException e) {
            throw new ToolException("cannot start " + cmd.get(0) + ": " + e.getMessage());
        }
    }

    /** The pseudo-terminal of a {@link #startOnPty} emulator. */
    public String port() {
        return pty;
    }

    public SerialLink stdioLink() {
        return new StreamLink(String.join(" ", process.info().command().orElse("firmware")), process.getInputStream(),
                process.getOutputStream());
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** Verifies every window through the firmware on stdio; pipelined, since emulator pipes never drop bytes. */
    public static Verifier.Report verify(Target target, Path firmware, QuantizedModel model, byte[][] windows) {
        return verify(target, firmware, model, windows, null);
    }

    /** As above; {@code progress} (may be null) hears the number of windows answered. */
    public static Verifier.Report verify(Target target, Path firmware, QuantizedModel model, byte[][] windows,
                                         java.util.function.IntConsumer progress) {
        try (Emulator e = start(target, firmware); DeviceSession s = new DeviceSession(e.stdioLink())) {
            return Verifier.verify(s, model, windows, 16, 20_000, progress);
        } catch (IOException ex) {
            throw new ToolException("serial link to the " + target.makeTarget + " firmware failed: " + ex.getMessage());
        }
    }

    /** Makes {@code link} point at this emulator's pty, so that users can name a stable path. */
    public void linkPort(Path link) {
        try {
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of(pty));
        } catch (IOException e) {
            throw new DataException("cannot create the port link " + link + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        process.destroy();
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
