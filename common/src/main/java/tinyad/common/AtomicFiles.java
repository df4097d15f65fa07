package tinyad.common;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Writes files so that readers see either the old file or the whole new one, never half of it.
 * <ul>
 *   <li>Only a regular file is ever replaced: a device, FIFO, socket or directory at the target is refused.
 *       A symlink is written through: its target file is replaced, the link stays (a dangling link is
 *       refused).</li>
 *   <li>Temporary files and directories are deleted on failure and, through a shutdown hook, when the JVM
 *       is interrupted (Ctrl-C, SIGTERM) half-way.</li>
 *   <li>{@link #writeTree} builds a multi-file output in a temporary directory and moves it into place only
 *       when every file is complete: a failure half-way leaves nothing behind.</li>
 * </ul>
 */
public final class AtomicFiles {
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();

    static {
        Thread hook = new Thread(() -> {
            for (Path p : List.copyOf(PENDING)) deleteTree(p);
        }, "tinyad-temp-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private AtomicFiles() {}

    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    @FunctionalInterface
    public interface Tree {
        void writeInto(Path dir) throws IOException;
    }

    /**
     * The file a write to {@code target} replaces: {@code target} itself, or the file a symlink there
     * points to. Refuses anything that is not a regular file or absent.
     */
    public static Path replaceable(Path target) {
        Path abs = target.toAbsolutePath();
        if (Files.isSymbolicLink(abs)) {
            try {
                abs = abs.toRealPath();
            } catch (IOException e) {
                throw new DataException(target + ": is a symlink to a missing file; refusing to write through it");
            }
        }
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(abs, LinkOption.NOFOLLOW_LINKS))
            throw new DataException(target + ": is not a regular file (" + kind(abs)
                    + "); tinyad only replaces regular files, choose another output");
        return abs;
    }

    /** Refuses an output that is (or links to) one of the inputs: writing it would destroy the input. */
    public static void requireDistinct(Path output, Path... inputs) {
        if (output == null) return;
        for (Path in : inputs) {
            if (in == null) continue;
            try {
                if (Files.exists(output) && Files.exists(in) && Files.isSameFile(output, in))
                    throw new DataException(output + ": is also an input (" + in + "); write the output to another file");
            } catch (IOException e) {
                throw new DataException(output + ": cannot check against input " + in + ": " + e.getMessage());
            }
        }
    }

    public static void write(Path target, Body body) {
        Path abs = replaceable(target);
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
            PENDING.add(tmp);
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp))) {
                body.writeTo(out);
            }
            permissions(tmp, abs);
            move(tmp, abs);
        } catch (IOException e) {
            throw new DataException(target + ": cannot write: " + e.getMessage());
        } finally {
            if (tmp != null) {
                try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* best effort */ }
                PENDING.remove(tmp);
            }
        }
    }

    /**
     * A temporary file is created 0600; the file it becomes gets the permissions of the file it replaces, or a new
     * file's usual rw-r--r-- (what a umask of 022 gives), so that outputs are readable as a user expects.
     */
    private static void permissions(Path tmp, Path target) throws IOException {
        if (!Files.getFileStore(tmp).supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) return;
        Files.setPosixFilePermissions(tmp, Files.isRegularFile(target)
                ? Files.getPosixFilePermissions(target)
                : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }

    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * Writes a directory of files: {@code tree} fills a temporary directory next to {@code dir}; when it returns,
     * each file is moved to the same place under {@code dir} (files already there that the tree does not
     * name are kept). If {@code tree} throws, {@code dir} is untouched.
     */
    public static void writeTree(Path dir, Tree tree) {
        Path abs = dir.toAbsolutePath();
        if (Files.isSymbolicLink(abs)) {
            try {
                abs = abs.toRealPath();
            } catch (IOException e) {
                throw new DataException(dir + ": is a symlink to a missing directory");
            }
        }
        if (Files.exists(abs) && !Files.isDirectory(abs)) throw new DataException(dir + ": exists and is not a directory");
        Path stage = null;
        try {
            Files.createDirectories(abs.getParent());
            stage = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".tmp");
            PENDING.add(stage);
            tree.writeInto(stage);
            List<Path> files;
            try (Stream<Path> s = Files.walk(stage)) {
                files = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
            }
            for (Path f : files) replaceable(abs.resolve(stage.relativize(f).toString()));   // all checked before any moves
            for (Path f : files) {
                Path to = replaceable(abs.resolve(stage.relativize(f).toString()));
                Files.createDirectories(to.getParent());
                move(f, to);
            }
        } catch (IOException e) {
            throw new DataException(dir + ": cannot write: " + e.getMessage());
        } finally {
            if (stage != null) {
                deleteTree(stage);
                PENDING.remove(stage);
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String kind(Path p) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return "a directory";
        try {
            Object dev = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            int type = ((Integer) dev) & 0170000;
            return switch (type) {
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0010000 -> "a FIFO";
                case 0140000 -> "a socket";
                default -> "not a regular file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(q -> q.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // best effort: a writer may still be adding files while the JVM exits
        }
    }
}
