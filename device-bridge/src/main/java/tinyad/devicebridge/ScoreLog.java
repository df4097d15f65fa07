package tinyad.devicebridge;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import tinyad.common.DataException;

/**
 * The monitor's CSV log: {@code host_time_ms,seq,score,alarm}, one row per score, flushed per row so a
 * crash loses nothing that was already shown. Appends to an existing log (a header only when new).
 */
public final class ScoreLog implements AutoCloseable {
    private final BufferedWriter out;

    public ScoreLog(Path file) {
        try {
            boolean fresh = !Files.exists(file) || Files.size(file) == 0;
            out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (fresh) {
                out.write("host_time_ms,seq,score,alarm\n");
                out.flush();
            }
        } catch (IOException e) {
            throw new DataException(file + ": cannot write the score log: " + e.getMessage());
        }
    }

    public void write(long timeMillis, Protocol.Score s) throws IOException {
        out.write(timeMillis + "," + s.seq() + "," + s.score() + "," + (s.alarm() ? 1 : 0) + "\n");
        out.flush();
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // flushed per row already
        }
    }
}
