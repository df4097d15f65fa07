package tinyad.devicebridge;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import tinyad.common.ToolException;

/** External tools (make, compilers, emulators): lookup on PATH and running them with a time limit. */
public final class Tools {
    private Tools() {}

    public record Result(int exitCode, String stdout, String stderr) {}

    public static boolean onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String dir : path.split(File.pathSeparator))
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) return true;
        return false;
    }

    /** Fails with one line naming every missing tool and how to install them. */
    public static void require(String... commands) {
        List<String> missing = new ArrayList<>();
        for (String c : commands) if (!onPath(c)) missing.add(c);
        if (!missing.isEmpty())
            throw new ToolException("missing tools: " + String.join(", ", missing) + " (install them with scripts/setup)");
    }

    public static Result run(List<String> command, Path dir, long timeoutSeconds) {
        try {
            Path out = Files.createTempFile("tinyad-out", ".txt"), err = Files.createTempFile("tinyad-err", ".txt");
            try {
                Process p = new ProcessBuilder(command).directory(dir == null ? null : dir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new ToolException(command.get(0) + " did not finish within " + timeoutSeconds + " s");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                        Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new ToolException("cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted while running " + command.get(0));
        }
    }
}
