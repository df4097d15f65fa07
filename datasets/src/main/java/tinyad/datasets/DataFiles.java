package tinyad.datasets;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import tinyad.common.DataException;

/**
 * Sensor data in the formats users have (docs/data-format.md): CSV/TSV ({@link CsvLoader}), WAV (PCM 16-bit, mono
 * or multichannel: audio and vibration recordings; each sample is an int16 count, channel names ch0, ch1, ...,
 * timestamps from the sample rate) and the Edge Impulse data acquisition format in JSON or CBOR ({@code payload} with
 * {@code interval_ms}, {@code sensors} and {@code values}). The format is told by the content, not the name.
 * WAV through the JDK's {@code javax.sound.sampled}; JSON and CBOR through Jackson (jackson-dataformat-cbor).
 */
public final class DataFiles {
    private DataFiles() {}

    public static SensorTable parse(String source, byte[] bytes) {
        return parse(source, bytes, CsvLoader.Columns.BY_NAME);
    }

    /** As {@link #parse(String, byte[])}; {@code columns} applies to CSV/TSV (WAV and JSON say what their columns are). */
    public static SensorTable parse(String source, byte[] bytes, CsvLoader.Columns columns) {
        if (bytes.length >= 12 && new String(bytes, 0, 4, StandardCharsets.ISO_8859_1).equals("RIFF")
                && new String(bytes, 8, 4, StandardCharsets.ISO_8859_1).equals("WAVE")) return wav(source, bytes);
        int i = 0;
        while (i < bytes.length && Character.isWhitespace(bytes[i])) i++;
        if (i < bytes.length && bytes[i] == '{') return edgeImpulse(source, bytes, new ObjectMapper(), "JSON");
        // a CBOR map (major type 5) starts with 0xA0..0xBB or 0xBF: continuation bytes that never start UTF-8 text
        if (bytes.length > 0 && ((bytes[0] & 0xFF) >= 0xA0 && (bytes[0] & 0xFF) <= 0xBB || (bytes[0] & 0xFF) == 0xBF))
            return edgeImpulse(source, bytes, new ObjectMapper(new com.fasterxml.jackson.dataformat.cbor.CBORFactory()), "CBOR");
        return CsvLoader.parse(source, bytes, columns);
    }

    static SensorTable wav(String source, byte[] bytes) {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(bytes))) {
            AudioFormat f = in.getFormat();
            if (f.getEncoding() != AudioFormat.Encoding.PCM_SIGNED || f.getSampleSizeInBits() != 16)
                throw new DataException(source + ": WAV must be 16-bit signed PCM (this is " + f.getSampleSizeInBits() + "-bit " + f.getEncoding() + ")");
            int ch = f.getChannels();
            byte[] pcm = in.readAllBytes();
            int frames = pcm.length / (2 * ch);
            if (frames == 0) throw new DataException(source + ": WAV has no samples");
            if (frames > CsvLoader.MAX_ROWS || (long) frames * ch > CsvLoader.MAX_VALUES)
                throw new DataException(source + ": " + frames + " frames of " + ch + " channels is more than tinyad reads ("
                        + CsvLoader.MAX_ROWS + " rows, " + CsvLoader.MAX_VALUES + " values)");
            boolean big = f.isBigEndian();
            double[][] v = new double[frames][ch];
            String[] ts = new String[frames];
            double rate = f.getSampleRate();
            for (int t = 0; t < frames; t++) {
                for (int c = 0; c < ch; c++) {
                    int o = 2 * (t * ch + c);
                    int lo = pcm[o + (big ? 1 : 0)] & 0xff, hi = pcm[o + (big ? 0 : 1)];
                    v[t][c] = (short) ((hi << 8) | lo);
                }
                ts[t] = String.format(Locale.ROOT, "%.9f", t / rate);
            }
            List<String> names = new ArrayList<>();
            for (int c = 0; c < ch; c++) names.add("ch" + c);
            return new SensorTable(names, ts, v, null);
        } catch (UnsupportedAudioFileException | IOException e) {
            throw new DataException(source + ": not a readable WAV file (" + e.getMessage() + ")");
        }
    }

    static SensorTable edgeImpulse(String source, byte[] bytes, ObjectMapper mapper, String format) {
        JsonNode root;
        try {
            root = mapper.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DataException(source + ": not valid " + format + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new DataException(source + ": cannot read: " + e.getMessage());
        }
        JsonNode payload = root.path("payload");
        JsonNode sensors = payload.path("sensors"), values = payload.path("values"), interval = payload.path("interval_ms");
        if (!sensors.isArray() || !values.isArray() || !interval.isNumber())
            throw new DataException(source + ": " + format + " without an Edge Impulse payload (payload.interval_ms, payload.sensors, payload.values)");
        double ms = interval.asDouble();
        if (!(ms > 0 && ms < 1e9)) throw new DataException(source + ": payload.interval_ms must be positive, not " + interval);
        List<String> names = new ArrayList<>();
        for (JsonNode s : sensors) {
            String n = s.path("name").asText("");
            if (n.isEmpty()) throw new DataException(source + ": a sensor without a name");
            names.add(n);
        }
        if (names.isEmpty()) throw new DataException(source + ": no sensors");
        int rows = values.size();
        if (rows == 0) throw new DataException(source + ": no values");
        if (rows > CsvLoader.MAX_ROWS || (long) rows * names.size() > CsvLoader.MAX_VALUES)
            throw new DataException(source + ": " + rows + " rows is more than tinyad reads");
        double[][] v = new double[rows][names.size()];
        String[] ts = new String[rows];
        for (int r = 0; r < rows; r++) {
            JsonNode row = values.get(r);
            // one sensor may be written as a plain number per row
            if (!row.isArray() && names.size() == 1 && row.isNumber()) {
                v[r][0] = check(source, r, row.asDouble());
            } else {
                if (!row.isArray() || row.size() != names.size())
                    throw new DataException(source + ": values row " + r + " has " + (row.isArray() ? row.size() : 1) + " values for " + names.size() + " sensors");
                for (int c = 0; c < names.size(); c++) {
                    if (!row.get(c).isNumber()) throw new DataException(source + ": values row " + r + " has a value that is not a number");
                    v[r][c] = check(source, r, row.get(c).asDouble());
                }
            }
            ts[r] = String.format(Locale.ROOT, "%.9f", r * ms / 1000);
        }
        return new SensorTable(names, ts, v, null);
    }

    private static double check(String source, int row, double x) {
        if (!Double.isFinite(x) || Math.abs(x) > CsvLoader.MAX_ABS) throw new DataException(source + ": values row " + row + ": " + x + " is out of range");
        return x;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    /** A table as Edge Impulse JSON (unsigned: {@code signature} is left empty, as for uploads without an HMAC key). */
    public static String toEdgeImpulseJson(SensorTable t, double intervalMs, String deviceType) {
        try {
            return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(edgeImpulseTree(t, intervalMs, deviceType));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same as Edge Impulse CBOR: the structure of its JSON, CBOR-encoded (what its ingestion service also takes). */
    public static byte[] toEdgeImpulseCbor(SensorTable t, double intervalMs, String deviceType) {
        try {
            return new ObjectMapper(new com.fasterxml.jackson.dataformat.cbor.CBORFactory()).writeValueAsBytes(edgeImpulseTree(t, intervalMs, deviceType));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode edgeImpulseTree(SensorTable t, double intervalMs, String deviceType) {
        ObjectMapper m = new ObjectMapper();
        var root = m.createObjectNode();
        var prot = root.putObject("protected");
        prot.put("ver", "v1");
        prot.put("alg", "none");
        root.put("signature", "");
        var payload = root.putObject("payload");
        payload.put("device_type", deviceType);
        payload.put("interval_ms", intervalMs);
        var sensors = payload.putArray("sensors");
        for (String c : t.channels()) sensors.addObject().put("name", c).put("units", "N/A");
        var values = payload.putArray("values");
        for (double[] row : t.values()) {
            var a = values.addArray();
            for (double x : row) {
                if (x == Math.rint(x) && Math.abs(x) < 1e15) a.add((long) x);
                else a.add(x);
            }
        }
        return root;
    }
}
