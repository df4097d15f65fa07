package tinyad.datasets;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

import org.junit.jupiter.api.Test;

import tinyad.common.DataException;

class DataFilesTest {
    /** A WAV file written by the JDK's own writer: frames of int16 samples, little-endian. */
    static byte[] wav(short[][] frames, float rate, int bits) throws Exception {
        int ch = frames[0].length, bytesPer = bits / 8;
        byte[] pcm = new byte[frames.length * ch * bytesPer];
        for (int t = 0; t < frames.length; t++)
            for (int c = 0; c < ch; c++) {
                int o = (t * ch + c) * bytesPer;
                if (bits == 16) {
                    pcm[o] = (byte) frames[t][c];
                    pcm[o + 1] = (byte) (frames[t][c] >> 8);
                } else {
                    pcm[o] = (byte) frames[t][c];
                }
            }
        AudioFormat f = new AudioFormat(bits == 8 ? AudioFormat.Encoding.PCM_UNSIGNED : AudioFormat.Encoding.PCM_SIGNED, rate, bits, ch,
                ch * bytesPer, rate, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(pcm), f, frames.length), AudioFileFormat.Type.WAVE, out);
        return out.toByteArray();
    }

    @Test
    void wavChannelsAreCountsAtTheFilesRate() throws Exception {
        short[][] frames = new short[400][2];
        for (int t = 0; t < frames.length; t++) {
            frames[t][0] = (short) (t * 97 - 20000);
            frames[t][1] = (short) (t % 2 == 0 ? Short.MIN_VALUE : Short.MAX_VALUE);
        }
        SensorTable s = DataFiles.parse("v.wav", wav(frames, 8000, 16));
        assertEquals(List.of("ch0", "ch1"), s.channels());
        assertEquals(400, s.rows());
        for (int t = 0; t < frames.length; t++) {
            assertEquals(frames[t][0], s.values()[t][0]);
            assertEquals(frames[t][1], s.values()[t][1]);
        }
        assertEquals(8000.0, SampleRate.infer("v.wav", s), 1e-9, "the timestamps give the file's rate");
        assertFalse(s.hasLabels());
    }

    @Test
    void wavOtherThan16BitPcmIsRefusedInOneLine() throws Exception {
        short[][] frames = new short[10][1];
        DataException e = assertThrows(DataException.class, () -> DataFiles.parse("a.wav", wav(frames, 8000, 8)));
        assertTrue(e.getMessage().contains("16-bit signed PCM"), e.getMessage());
        byte[] cut = java.util.Arrays.copyOf(wav(frames, 8000, 16), 30);   // RIFF/WAVE but truncated
        e = assertThrows(DataException.class, () -> DataFiles.parse("b.wav", cut));
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void edgeImpulseJsonInAndOut() {
        String ei = """
                {"protected": {"ver": "v1", "alg": "HS256", "iat": 1564128599},
                 "signature": "b0ee0572a1984b93b6bc56e6b0a7a1c9a4a1d6ff1f9e1e7d0c0c6b5d8b1c5e3e",
                 "payload": {"device_name": "ac:87:a3:0a:2d:1b", "device_type": "DISCO-L475VG-IOT01A", "interval_ms": 10,
                   "sensors": [{"name": "accX", "units": "m/s2"}, {"name": "accY", "units": "m/s2"}, {"name": "accZ", "units": "m/s2"}],
                   "values": [[-9.81, 0.03, 1.21], [-9.83, 0.04, 1.27], [-9.12, 0.03, 1.23], [-9.14, 0.01, 1.25]]}}
                """;
        SensorTable s = DataFiles.parse("sample.json", ei.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("accX", "accY", "accZ"), s.channels());
        assertArrayEquals(new double[] {-9.83, 0.04, 1.27}, s.values()[1]);
        assertEquals(100.0, SampleRate.infer("sample.json", s), 1e-9, "interval_ms 10 is 100 Hz");
        SensorTable back = DataFiles.parse("back.json", DataFiles.toEdgeImpulseJson(s, 10, "tinyad").getBytes(StandardCharsets.UTF_8));
        assertEquals(s.channels(), back.channels());
        for (int r = 0; r < s.rows(); r++) assertArrayEquals(s.values()[r], back.values()[r]);
        assertEquals(100.0, SampleRate.infer("back.json", back), 1e-9);
    }

    /** CBOR written byte by byte from RFC 8949 (not by the library under test), then a round trip through the writer. */
    @Test
    void edgeImpulseCborInAndOut() {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        java.util.function.Consumer<String> text = t -> {
            b.write(0x60 + t.length());                       // major type 3, length < 24
            b.writeBytes(t.getBytes(StandardCharsets.US_ASCII));
        };
        b.write(0xA1);                                        // map of 1
        text.accept("payload");
        b.write(0xA3);                                        // map of 3
        text.accept("interval_ms");
        b.write(0x14);                                        // unsigned 20
        text.accept("sensors");
        b.write(0x82);                                        // array of 2
        b.write(0xA1); text.accept("name"); text.accept("x");
        b.write(0xA1); text.accept("name"); text.accept("y");
        text.accept("values");
        b.write(0x83);                                        // 3 rows
        b.write(0x82); b.write(0x01); b.write(0x20);          // [1, -1]
        b.write(0x82); b.write(0x18); b.write(100); b.write(0x39); b.write(0x01); b.write(0xF3);   // [100, -500]
        b.write(0x82); b.write(0xFB); b.writeBytes(java.nio.ByteBuffer.allocate(8).putDouble(2.5).array()); b.write(0x00);  // [2.5, 0]
        SensorTable s = DataFiles.parse("sample.cbor", b.toByteArray());
        assertEquals(List.of("x", "y"), s.channels());
        assertArrayEquals(new double[] {1, -1}, s.values()[0]);
        assertArrayEquals(new double[] {100, -500}, s.values()[1]);
        assertArrayEquals(new double[] {2.5, 0}, s.values()[2]);
        assertEquals(50.0, SampleRate.infer("sample.cbor", s), 1e-9, "interval_ms 20 is 50 Hz");
        byte[] out = DataFiles.toEdgeImpulseCbor(s, 20, "tinyad");
        assertTrue((out[0] & 0xFF) == 0xA3 || (out[0] & 0xFF) == 0xBF, "a map (of protected, signature, payload)");
        SensorTable back = DataFiles.parse("back.cbor", out);
        assertEquals(s.channels(), back.channels());
        for (int r = 0; r < s.rows(); r++) assertArrayEquals(s.values()[r], back.values()[r]);
        // a cut file is one line
        DataException e = assertThrows(DataException.class, () -> DataFiles.parse("cut.cbor", java.util.Arrays.copyOf(out, out.length / 2)));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains("CBOR"), e.getMessage());
    }

    @Test
    void anUnusedTextColumnIsLeftOut() {
        String csv = "timestamp,status,ax,ay,note\n0,ok,1,2,first shift\n1,ok,3,4,\n2,warn,5,6,x\n";
        SensorTable s = DataFiles.parse("d.csv", csv.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("ax", "ay"), s.channels());
        assertArrayEquals(new double[] {5, 6}, s.values()[2]);
        assertEquals(List.of("status", "note"), CsvLoader.textColumns(csv.getBytes(StandardCharsets.UTF_8), CsvLoader.Columns.BY_NAME));
        // a number column that later holds text is still an error, with its line
        DataException e = assertThrows(DataException.class,
                () -> DataFiles.parse("d.csv", "ax,ay\n1,2\n3,oops\n".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("'ay' is not a number"), e.getMessage());
    }

    @Test
    void edgeImpulseJsonThatIsNotAPayloadIsRefused() {
        for (String bad : List.of("{\"a\": 1}", "{\"payload\": {\"interval_ms\": 10, \"sensors\": [{\"name\": \"x\"}], \"values\": [[1, 2]]}}",
                "{\"payload\": {\"interval_ms\": 0, \"sensors\": [{\"name\": \"x\"}], \"values\": [[1]]}}",
                "{\"payload\": {\"interval_ms\": 10, \"sensors\": [{\"name\": \"x\"}], \"values\": [[\"1\"]]}}", "{ not json")) {
            DataException e = assertThrows(DataException.class, () -> DataFiles.parse("bad.json", bad.getBytes(StandardCharsets.UTF_8)), bad);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void tsvIsReadLikeCsv() {
        SensorTable s = DataFiles.parse("d.tsv", "timestamp\tax\tay\n0.0\t1\t2\n0.5\t3\t4\n1.0\t5\t6\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("ax", "ay"), s.channels());
        assertArrayEquals(new double[] {3, 4}, s.values()[1]);
        assertEquals(2.0, SampleRate.infer("d.tsv", s), 1e-9);
    }

    @Test
    void aHeaderlessCsvIsRefusedAndATimeColumnByAnotherNameIsNotAChannel() {
        DataException e = assertThrows(DataException.class, () -> DataFiles.parse("n.csv", "0.0,1,2\n0.5,3,4\n".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("not a header"), e.getMessage());
        for (String name : List.of("time_ms", "Date (UTC)", "ts", "epoch")) {
            SensorTable s = DataFiles.parse("t.csv", (name + ",ax\n0,1\n2,3\n4,5\n").getBytes(StandardCharsets.UTF_8));
            assertEquals(List.of("ax"), s.channels(), name + " is the time column");
            assertEquals("2", s.timestamps()[1]);
        }
        // an exact time column wins; another time-like column is then a channel as the user named it
        SensorTable s = DataFiles.parse("t.csv", "timestamp,uptime,ax\n0,7,1\n1,8,2\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of("uptime", "ax"), s.channels());
    }

    @Test
    void columnsNamedByTheUser() {
        byte[] csv = "when,machine,a,b,fault\n0,7,1,2,0\n1,7,3,4,1\n2,7,5,6,0\n".getBytes(StandardCharsets.UTF_8);
        SensorTable s = DataFiles.parse("c.csv", csv, new CsvLoader.Columns("when", "fault", java.util.Set.of("machine")));
        assertEquals(List.of("a", "b"), s.channels());
        assertEquals("1", s.timestamps()[1]);
        assertArrayEquals(new int[] {0, 1, 0}, s.labels());
        DataException e = assertThrows(DataException.class, () -> DataFiles.parse("c.csv", csv, new CsvLoader.Columns("time", null, java.util.Set.of())));
        assertTrue(e.getMessage().contains("no time column 'time'") && e.getMessage().contains("when, machine, a, b, fault"), e.getMessage());
        e = assertThrows(DataException.class, () -> DataFiles.parse("c.csv", csv, new CsvLoader.Columns(null, null, java.util.Set.of("nope"))));
        assertTrue(e.getMessage().contains("no column 'nope' to ignore"), e.getMessage());
        // without the options, the same file: "when" is not time-like, so it would be a channel
        assertEquals(List.of("when", "machine", "a", "b", "fault"), DataFiles.parse("c.csv", csv).channels());
    }

    @Test
    void joinedRecordingsAreWindowedOneByOne() {
        SensorTable a = DataFiles.parse("a.csv", "timestamp,x,y\n0,1,10\n1,2,20\n2,3,30\n3,4,40\n4,5,50\n".getBytes(StandardCharsets.UTF_8));
        SensorTable b = DataFiles.parse("b.csv", "timestamp,y,x\n100,60,6\n101,70,7\n102,80,8\n".getBytes(StandardCharsets.UTF_8));
        SensorTable j = SensorTable.join(List.of("a.csv", "b.csv"), List.of(a, b));
        assertEquals(List.of("x", "y"), j.channels());
        assertArrayEquals(new double[] {6, 60}, j.values()[5], "the second file's columns found by name");
        assertArrayEquals(new int[] {0, 5}, j.recordingStarts());
        Windows w = Windows.cut(j, 3, 1);
        assertEquals(3 + 1, w.count(), "3 windows in the first recording, 1 in the second, none across");
        assertArrayEquals(new int[] {2, 3, 4, 7}, w.endRow());
        assertArrayEquals(new double[] {6, 60, 7, 70, 8, 80}, w.data()[3]);
        assertEquals(1.0, SampleRate.infer("dir", j), 1e-12, "the jump from 4 to 100 between the files is no interval");
        SensorTable tail = j.slice(3, 8);
        assertArrayEquals(new int[] {0, 2}, tail.recordingStarts());
        assertEquals(1, Windows.cut(tail, 3, 1).count(), "a slice keeps the boundary: rows 3-4 are too few for a window");
        DataException e = assertThrows(DataException.class, () -> SensorTable.join(List.of("a.csv", "c.csv"),
                List.of(a, DataFiles.parse("c.csv", "z\n1\n".getBytes(StandardCharsets.UTF_8)))));
        assertTrue(e.getMessage().startsWith("c.csv: has channels [z]"), e.getMessage());
    }
}
