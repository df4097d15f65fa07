package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import tinyad.common.ToolException;

/** The handshake every host-side run starts with (verify, benchmarks): hello, then a sequence reset. */
class DeviceSessionTest {
    /** A device that says {@code deviceSays} and then stays connected but silent. */
    static DeviceSession session(String deviceSays, ByteArrayOutputStream hostSaid) {
        byte[] said = deviceSays.getBytes(StandardCharsets.US_ASCII);
        InputStream in = new InputStream() {
            int pos;

            @Override
            public int read() throws IOException {
                if (pos < said.length) return said[pos++] & 0xFF;
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos >= said.length) return read() < 0 ? -1 : 0;
                int n = Math.min(len, said.length - pos);
                System.arraycopy(said, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        return new DeviceSession(new StreamLink("test", in, hostSaid));
    }

    @Test
    void resetWaitsForItsAcknowledgementAndRestartsTheSequenceAtZero() throws Exception {
        ByteArrayOutputStream host = new ByteArrayOutputStream();
        String device = Protocol.frame("H 1 m 0123456789abcdef 4 10 57") + Protocol.frame("S 57 3 0") + Protocol.frame("K R")
                + Protocol.frame("S 0 5 0");
        try (DeviceSession s = session(device, host)) {
            Protocol.Hello h = s.requireHello(1000);
            assertEquals(57, h.nextSeq());
            s.resetSequence(1000);
            assertTrue(host.toString(StandardCharsets.US_ASCII).endsWith(Protocol.frame("R")));
            assertEquals(new Protocol.Score(0, 5, false), s.next(1000));
            assertEquals(0, s.counters().lost());
            assertEquals(0, s.counters().duplicates());
        }
    }

    @Test
    void aSilentDeviceIsAToolFailureWithOneLine() {
        ToolException hello = assertThrows(ToolException.class, () -> session("", new ByteArrayOutputStream()).requireHello(300));
        assertTrue(hello.getMessage().contains("no announcement from test"), hello.getMessage());
        ToolException reset = assertThrows(ToolException.class, () -> session(Protocol.frame("S 0 1 0"), new ByteArrayOutputStream())
                .resetSequence(300));
        assertEquals("device did not acknowledge the counter reset", reset.getMessage());
    }
}
