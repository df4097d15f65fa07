package tinyad.devicebridge;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import tinyad.common.DataException;
import tinyad.common.ToolException;

/**
 * The monitor's CSV log: {@code host_time_ms,seq,score,alarm}, one row per score, written whole (one write
 * of the complete row, no buffering) so a crash loses nothing that was already shown. Appends to an
 * existing log (a header only when new). A row that cannot be written completely (a full disk) is cut back
 * off the file, so the log always ends with a complete row, and the write fails with one line.
 */
public final class ScoreLog implements AutoCloseable {
    /** Where rows go; a test can make it fail half-way through a row. */
    interface Sink extends AutoCloseable {
        long size() throws IOException;

        void write(ByteBuffer b) throws IOException;

        void truncate(long size) throws IOException;

        @Override
        void close() throws IOException;
    }

    private final Path file;
    private final Sink out;
    private long rows;

    public ScoreLog(Path file) {
        this(file, open(file));
    }

    ScoreLog(Path file, Sink sink) {
        this.file = file;
        this.out = sink;
        try {
            if (out.size() == 0) append("host_time_ms,seq,score,alarm\n");
        } catch (ToolException e) {
            close();
            throw e;
        } catch (IOException e) {
            close();
            throw new DataException(file + ": cannot write the score log: " + e.getMessage());
        }
    }

    private static Sink open(Path file) {
        if (Files.isDirectory(file)) throw new DataException(file + ": is a directory, not a score log");
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            return new Sink() {
                @Override public long size() throws IOException { return ch.size(); }
                @Override public void write(ByteBuffer b) throws IOException { while (b.hasRemaining()) ch.write(b); }
                @Override public void truncate(long size) throws IOException { ch.truncate(size); }
                @Override public void close() throws IOException { ch.close(); }
            };
        } catch (IOException e) {
            throw new DataException(file + ": cannot write the score log: " + e.getMessage());
        }
    }

    /** Rows written so far (header excluded). */
    public long rows() {
        return rows;
    }

    public void write(long timeMillis, Protocol.Score s) {
        append(timeMillis + "," + s.seq() + "," + s.score() + "," + (s.alarm() ? 1 : 0) + "\n");
        rows++;
    }

    private void append(String row) {
        long before;
        try {
            before = out.size();
        } catch (IOException e) {
            throw failed(e);
        }
        try {
            out.write(ByteBuffer.wrap(row.getBytes(StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            try {
                out.truncate(before);   // no half row at the end of the log
            } catch (IOException ignored) {
                // a device file or a full disk that refuses this too: the message below still says what happened
            }
            throw failed(e);
        }
    }

    private ToolException failed(IOException e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ToolException(file + ": cannot write the score log (" + why + "); " + rows + " complete rows logged");
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException ignored) {
            // every row was written whole already
        }
    }
}
