package tinyad.common;

import static org.junit.jupiter.api.Assertions.*;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #20: output writing that only ever replaces a regular file and leaves no temporary files behind. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFifoIsRefusedAndStaysAFifo() throws Exception {
        // a FIFO stands for every non-regular target (a character device like /dev/null behaves the same)
        Path fifo = dir.resolve("pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        DataException e = assertThrows(DataException.class, () -> AtomicFiles.writeString(fifo, "x"));
        assertTrue(e.getMessage().contains("is not a regular file (a FIFO)"), e.getMessage());
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo));
        assertEquals(List.of("pipe"), names());
    }

    @Test
    void aSymlinkIsWrittenThroughAndStaysALink() throws Exception {
        Path real = dir.resolve("real.tinyad"), link = dir.resolve("link.tinyad");
        Files.writeString(real, "old");
        Files.createSymbolicLink(link, real);
        AtomicFiles.writeString(link, "new");
        assertTrue(Files.isSymbolicLink(link), "the link is kept");
        assertEquals("new", Files.readString(real));
        assertEquals(List.of("link.tinyad", "real.tinyad"), names());
    }

    @Test
    void aSymlinkToADeviceOrToNothingIsRefused() throws Exception {
        Path dev = dir.resolve("dev"), dangling = dir.resolve("dangling");
        Files.createSymbolicLink(dev, Path.of("/dev/null"));
        Files.createSymbolicLink(dangling, dir.resolve("missing"));
        DataException e = assertThrows(DataException.class, () -> AtomicFiles.writeString(dev, "x"));
        assertTrue(e.getMessage().contains("a character device"), e.getMessage());
        e = assertThrows(DataException.class, () -> AtomicFiles.writeString(dangling, "x"));
        assertTrue(e.getMessage().contains("symlink to a missing file"), e.getMessage());
        assertTrue(Files.isSymbolicLink(dev) && Files.isSymbolicLink(dangling));
        assertFalse(Files.exists(dir.resolve("missing")));
    }

    @Test
    void anOutputThatIsAnInputIsRefused() throws Exception {
        Path in = dir.resolve("d.csv"), alias = dir.resolve("alias.csv");
        Files.writeString(in, "a");
        Files.createSymbolicLink(alias, in);
        assertThrows(DataException.class, () -> AtomicFiles.requireDistinct(in, in));
        assertThrows(DataException.class, () -> AtomicFiles.requireDistinct(alias, dir.resolve("./d.csv")));
        AtomicFiles.requireDistinct(dir.resolve("new.csv"), in);
        AtomicFiles.requireDistinct(dir.resolve("other.csv"), null, in);
    }

    @Test
    void aTreeThatFailsHalfWayLeavesTheDirectoryAsItWas() throws Exception {
        Path out = dir.resolve("project");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep.txt"), "mine");
        Files.writeString(out.resolve("Makefile"), "old");
        assertThrows(IllegalStateException.class, () -> AtomicFiles.writeTree(out, stage -> {
            Files.writeString(stage.resolve("Makefile"), "new");
            Files.createDirectories(stage.resolve("model"));
            Files.writeString(stage.resolve("model/a.h"), "x");
            throw new IllegalStateException("report build failed");
        }));
        assertEquals("old", Files.readString(out.resolve("Makefile")));
        assertFalse(Files.exists(out.resolve("model")));
        assertEquals(List.of("project"), names(), "no staging directory left");
        AtomicFiles.writeTree(out, stage -> {
            Files.createDirectories(stage.resolve("model"));
            Files.writeString(stage.resolve("model/a.h"), "x");
            Files.writeString(stage.resolve("Makefile"), "new");
        });
        assertEquals("new", Files.readString(out.resolve("Makefile")));
        assertEquals("mine", Files.readString(out.resolve("keep.txt")));
        assertEquals("x", Files.readString(out.resolve("model/a.h")));
        assertEquals(List.of("project"), names());
    }

    @Test
    void interruptingAWriteRemovesItsTemporaryFile() throws Exception {
        Path target = dir.resolve("data.csv");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SlowWriter.class.getName(), target.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
            assertEquals("writing", r.readLine());
            assertTrue(names().stream().anyMatch(n -> n.startsWith(".data.csv") && n.endsWith(".tmp")), names().toString());
            assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the writer stops on SIGINT");
            assertEquals(List.of(), names(), "no hidden temporary file and no half-written target");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aRegularFileIsReplacedWhole() throws Exception {
        Path f = dir.resolve("m.tinyad");
        Files.writeString(f, "old");
        AtomicFiles.writeString(f, "new");
        assertEquals("new", Files.readString(f));
        assertTrue(Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS));
        assertEquals(List.of("m.tinyad"), names());
    }

    @Test
    void newFilesAreWorldReadableAndReplacedFilesKeepTheirPermissions(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path fresh = dir.resolve("new.csv");
        AtomicFiles.writeString(fresh, "a\n");
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)),
                "a new output is readable as with umask 022, not the temporary file's 0600");
        Path kept = dir.resolve("kept.csv");
        Files.writeString(kept, "old\n");
        Files.setPosixFilePermissions(kept, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        AtomicFiles.writeString(kept, "new\n");
        assertEquals("new\n", Files.readString(kept));
        assertEquals("rw-r-----", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)),
                "a replaced file keeps its permissions");
    }
}
