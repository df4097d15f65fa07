package tinyad.model;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.common.DataException;

class ModelArchiveTest {
    @TempDir
    Path dir;

    ModelArchive sample() {
        var m = ModelArchive.newMeta("test");
        m.put("answer", 42);
        float[] f = new float[1000];
        for (int i = 0; i < f.length; i++) f[i] = (float) Math.sin(i);
        return new ModelArchive(m).put("f", f).put("b", new byte[] {-128, 0, 127}).put("i", new int[] {Integer.MIN_VALUE, 7});
    }

    @Test
    void roundTripsTensorsAndMetadata() {
        Path p = dir.resolve("m.tinyad");
        ModelArchive a = sample();
        a.write(p);
        ModelArchive b = ModelArchive.read(p);
        assertEquals("test", b.kind());
        assertEquals(42, b.meta().get("answer").asInt());
        assertArrayEquals(a.floats("f"), b.floats("f"));
        assertArrayEquals(new byte[] {-128, 0, 127}, b.int8s("b"));
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 7}, b.int32s("i"));
        assertEquals(a.sha256(), b.sha256());
    }

    private String readError(byte[] content) throws Exception {
        Path p = dir.resolve("bad.tinyad");
        Files.write(p, content);
        DataException e = assertThrows(DataException.class, () -> ModelArchive.read(p));
        assertFalse(e.getMessage().contains("\n"));
        return e.getMessage();
    }

    @Test
    void truncatedCorruptedAndForeignFilesAreRefused() throws Exception {
        Path p = dir.resolve("m.tinyad");
        sample().write(p);
        byte[] good = Files.readAllBytes(p);
        for (int cut : new int[] {10, good.length / 2, good.length - 30}) {
            String msg = readError(Arrays.copyOf(good, cut));
            assertTrue(msg.contains("corrupted") || msg.contains("not a tinyad model"), msg);
        }
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x55;
        assertTrue(readError(flipped).matches(".*(corrupted|not a tinyad model).*"));
        assertTrue(readError("hello".getBytes()).contains("not a tinyad model"));
        assertTrue(assertThrows(DataException.class, () -> ModelArchive.read(dir.resolve("missing.tinyad")))
                .getMessage().endsWith("no such model file"));
    }

    @Test
    void newerFormatVersionAsksForAnUpgrade() {
        var m = ModelArchive.newMeta("test");
        m.put("format_version", ModelArchive.FORMAT_VERSION + 1);
        Path p = dir.resolve("new.tinyad");
        new ModelArchive(m).write(p);
        DataException e = assertThrows(DataException.class, () -> ModelArchive.read(p));
        assertTrue(e.getMessage().contains("newer than this tinyad reads"), e.getMessage());
    }

    @Test
    void hashChangesWithAnyWeight() {
        ModelArchive a = sample();
        byte[] b = {-128, 0, 126};
        assertNotEquals(a.sha256(), sample().put("b", b).sha256());
        assertEquals(a.sha256(), sample().sha256());
    }
}
