package tinyad.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import tinyad.common.AtomicFiles;
import tinyad.common.DataException;

/**
 * The {@code .tinyad} model container (spec: docs/model-format.md): a ZIP holding {@code model.json}
 * (metadata) and one entry per tensor under {@code tensors/}, little-endian. ZIP gives every entry a
 * CRC-32, so truncation and corruption are detected on read.
 */
public final class ModelArchive {
    public static final int FORMAT_VERSION = 1;
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final ObjectNode meta;
    private final Map<String, Object> tensors;   // float[], byte[] or int[]

    public ModelArchive(ObjectNode meta) {
        this(meta, new LinkedHashMap<>());
    }

    private ModelArchive(ObjectNode meta, Map<String, Object> tensors) {
        this.meta = meta;
        this.tensors = tensors;
    }

    public static ObjectNode newMeta(String kind) {
        ObjectNode m = JSON.createObjectNode();
        m.put("format", "tinyad");
        m.put("format_version", FORMAT_VERSION);
        m.put("kind", kind);
        return m;
    }

    public ObjectNode meta() {
        return meta;
    }

    public String kind() {
        return meta.path("kind").asText();
    }

    public ModelArchive put(String name, float[] t) { tensors.put(name, t.clone()); return this; }
    public ModelArchive put(String name, byte[] t) { tensors.put(name, t.clone()); return this; }
    public ModelArchive put(String name, int[] t) { tensors.put(name, t.clone()); return this; }

    public float[] floats(String name) { return get(name, float[].class); }
    public byte[] int8s(String name) { return get(name, byte[].class); }
    public int[] int32s(String name) { return get(name, int[].class); }

    private <T> T get(String name, Class<T> type) {
        Object t = tensors.get(name);
        if (t == null) throw new DataException("model file has no tensor '" + name + "'");
        if (!type.isInstance(t)) throw new DataException("model tensor '" + name + "' has the wrong type");
        return type.cast(t);
    }

    /** SHA-256 over the metadata and every tensor, in a fixed order: the model's identity on a device. */
    public String sha256() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(JSON.writeValueAsBytes(meta));
            for (Map.Entry<String, Object> e : tensors.entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(encode(e.getValue()));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void write(Path file) {
        // the check every reader runs: a model that would not load (a NaN threshold from training) is never written
        try {
            ModelCheck.check(meta, tensors);
        } catch (DataException e) {
            throw new DataException(file + ": not written, the model is not valid (" + e.getMessage()
                    + "); the training data or options give numbers tinyad cannot use");
        }
        ObjectNode m = meta.deepCopy();
        ObjectNode index = m.putObject("tensors");
        tensors.forEach((name, t) -> {
            ObjectNode d = index.putObject(name);
            d.put("dtype", dtype(t));
            d.put("length", length(t));
        });
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.putNextEntry(new ZipEntry("model.json"));
            zip.write(JSON.writeValueAsBytes(m));
            zip.closeEntry();
            for (Map.Entry<String, Object> e : tensors.entrySet()) {
                zip.putNextEntry(new ZipEntry("tensors/" + e.getKey()));
                zip.write(encode(e.getValue()));
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    /** Most bytes a model file may inflate to, over all entries: a ZIP bomb is refused, not inflated. */
    public static final long MAX_INFLATED = 128L << 20;
    static final int MAX_ENTRIES = 4096;
    /** Tensor names as tinyad writes them: no path separators, no "..", nothing a ZIP tool could write outside. */
    private static final java.util.regex.Pattern TENSOR_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*");

    /**
     * Reads and checks a model file: the container (entry names, sizes, CRCs, at most {@link #MAX_INFLATED} bytes
     * inflated), then what it means ({@link ModelCheck}). Any failure is one line naming the file and the field.
     */
    public static ModelArchive read(Path file) {
        try {
            return readChecked(file);
        } catch (DataException e) {
            throw e.getMessage().startsWith(file + ":") ? e : new DataException(file + ": " + e.getMessage());
        }
    }

    private static ModelArchive readChecked(Path file) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        // ZipFile needs the central directory at the end, so any truncation fails here; the CRC check
        // catches corrupted bytes (ZipFile does not verify CRCs itself).
        try (ZipFile zip = new ZipFile(file.toFile())) {
            long total = 0;
            for (var it = zip.entries(); it.hasMoreElements(); ) {
                ZipEntry e = it.nextElement();
                String name = e.getName();
                if (entries.size() >= MAX_ENTRIES) throw new DataException(file + ": bad model: more than " + MAX_ENTRIES + " entries");
                if (!name.equals("model.json") && !(name.startsWith("tensors/") && TENSOR_NAME.matcher(name.substring(8)).matches()))
                    throw new DataException(file + ": bad model: entry name '" + printable(name) + "' is not model.json or tensors/<name>");
                if (entries.containsKey(name)) throw new DataException(file + ": bad model: entry " + name + " appears twice");
                // the declared size is only a claim: read at most what is left of the cap, then compare
                long left = MAX_INFLATED - total;
                if (e.getSize() > left)
                    throw new DataException(file + ": bad model: entry " + name + " inflates to " + e.getSize()
                            + " bytes; a model file may hold at most " + MAX_INFLATED);
                byte[] bytes;
                try (InputStream in = zip.getInputStream(e)) {
                    bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, left + 1));
                }
                if (bytes.length > left)
                    throw new DataException(file + ": bad model: entry " + name + " inflates to more than the " + MAX_INFLATED
                            + " bytes a model file may hold");
                total += bytes.length;
                CRC32 crc = new CRC32();
                crc.update(bytes);
                if (crc.getValue() != e.getCrc() || bytes.length != e.getSize())
                    throw new DataException(file + ": corrupted model file (entry " + name + " fails its CRC)");
                entries.put(name, bytes);
            }
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new DataException(file + ": no such model file");
        } catch (ZipException | java.io.EOFException e) {
            throw new DataException(file + ": not a tinyad model file or corrupted (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new DataException(file + ": cannot read model: " + e.getMessage());
        }
        byte[] json = entries.get("model.json");
        if (json == null) throw new DataException(file + ": not a tinyad model file (no model.json)");
        ObjectNode meta;
        try {
            meta = (ObjectNode) JSON.readTree(json);
        } catch (IOException | ClassCastException e) {
            throw new DataException(file + ": corrupted model metadata");
        }
        if (meta == null || !"tinyad".equals(meta.path("format").asText()))
            throw new DataException(file + ": not a tinyad model file");
        int version = meta.path("format_version").asInt(-1);
        if (version > FORMAT_VERSION)
            throw new DataException(file + ": model format version " + version + " is newer than this tinyad reads ("
                    + FORMAT_VERSION + "); upgrade tinyad");
        if (version < 1) throw new DataException(file + ": bad model format version");
        JsonNode index = meta.remove("tensors");
        if (index != null && !index.isObject()) throw new DataException(file + ": bad model: tensors: not an object");
        Map<String, Object> tensors = new LinkedHashMap<>();
        if (index != null) {
            for (var it = index.fields(); it.hasNext(); ) {
                var e = it.next();
                byte[] raw = entries.get("tensors/" + e.getKey());
                String dtype = e.getValue().path("dtype").asText();
                JsonNode len = e.getValue().path("length");
                if (raw == null) throw new DataException(file + ": corrupted: tensor '" + e.getKey() + "' is missing");
                Object t = decode(dtype, raw);
                if (t == null || !len.canConvertToInt() || !len.isIntegralNumber() || length(t) != len.asInt())
                    throw new DataException(file + ": corrupted: tensor '" + e.getKey() + "' has the wrong size");
                tensors.put(e.getKey(), t);
            }
        }
        for (String name : entries.keySet())
            if (!name.equals("model.json") && !tensors.containsKey(name.substring(8)))
                throw new DataException(file + ": bad model: entry " + name + " is not in the tensor index");
        ModelCheck.check(meta, tensors);
        return new ModelArchive(meta, tensors);
    }

    /** A name from the file, safe to print on one line. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }

    private static String dtype(Object t) {
        if (t instanceof float[]) return "float32";
        if (t instanceof byte[]) return "int8";
        return "int32";
    }

    private static int length(Object t) {
        if (t instanceof float[] f) return f.length;
        if (t instanceof byte[] b) return b.length;
        return ((int[]) t).length;
    }

    private static byte[] encode(Object t) {
        if (t instanceof byte[] b) return b;
        ByteBuffer buf = ByteBuffer.allocate(4 * length(t)).order(ByteOrder.LITTLE_ENDIAN);
        if (t instanceof float[] f) for (float x : f) buf.putFloat(x);
        else for (int x : (int[]) t) buf.putInt(x);
        return buf.array();
    }

    private static Object decode(String dtype, byte[] raw) {
        ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case "int8": return raw;
            case "float32": {
                if (raw.length % 4 != 0) return null;
                float[] f = new float[raw.length / 4];
                buf.asFloatBuffer().get(f);
                return f;
            }
            case "int32": {
                if (raw.length % 4 != 0) return null;
                int[] i = new int[raw.length / 4];
                buf.asIntBuffer().get(i);
                return i;
            }
            default: return null;
        }
    }
}
