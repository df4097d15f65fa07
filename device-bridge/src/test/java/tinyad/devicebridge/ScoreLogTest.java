package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.common.ToolException;

/** Issue #20: monitor --log on a full disk cut the last row and ended in a stack trace. */
class ScoreLogTest {
    /** A real file that fills up after {@code room} bytes, writing what fits first, as a full disk does. */
    static ScoreLog.Sink filling(Path file, long room) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return new ScoreLog.Sink() {
            @Override public long size() throws IOException { return ch.size(); }
            @Override public void truncate(long size) throws IOException { ch.truncate(size); }
            @Override public void close() throws IOException { ch.close(); }

            @Override
            public void write(ByteBuffer b) throws IOException {
                long left = room - ch.size();
                if (b.remaining() <= left) {
                    ch.write(b);
                    return;
                }
                b.limit(b.position() + (int) Math.max(0, left));
                ch.write(b);
                throw new IOException("No space left on device");
            }
        };
    }

    @Test
    void aFullDiskLeavesOnlyWholeRowsAndOneLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("log.csv");
        String header = "host_time_ms,seq,score,alarm\n";
        String row = "1000,0,17,0\n";
        ScoreLog log = new ScoreLog(f, filling(f, header.length() + 2L * row.length() + 5));
        log.write(1000, new Protocol.Score(0, 17, false));
        log.write(1000, new Protocol.Score(0, 17, false));
        ToolException e = assertThrows(ToolException.class, () -> log.write(1000, new Protocol.Score(0, 17, false)));
        log.close();
        assertEquals(f + ": cannot write the score log (No space left on device); 2 complete rows logged", e.getMessage());
        assertEquals(header + row + row, Files.readString(f), "the half row is cut back off");
    }

    @Test
    void devFullFailsWithOneLine() {
        Path full = Path.of("/dev/full");
        Assumptions.assumeTrue(Files.isWritable(full), "/dev/full");
        ToolException e = assertThrows(ToolException.class, () -> new ScoreLog(full));
        assertEquals("/dev/full: cannot write the score log (No space left on device); 0 complete rows logged", e.getMessage());
        assertTrue(Files.exists(full) && !Files.isRegularFile(full), "the device is left alone");
    }
}
