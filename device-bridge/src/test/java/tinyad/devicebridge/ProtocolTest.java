package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ProtocolTest {
    @Test
    void crcIsCcittFalseAsOnTheDevice() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0x29B1, Protocol.crc16(check, check.length));
    }

    @Test
    void framesWindowsAsUpperCaseHex() {
        String w = Protocol.window(new byte[] {0, -1, 127, -128});
        assertTrue(w.startsWith("W 00FF7F80*"));
        assertTrue(w.endsWith("\n"));
    }

    @Test
    void parsesDeviceLinesAndRejectsBadOnes() throws Exception {
        assertEquals(new Protocol.Score(12, -5, true), Protocol.parse(Protocol.frame("S 12 -5 1").strip()));
        assertEquals(new Protocol.Hello(1, "demo", "0123456789abcdef", 96, 1234, 7),
                Protocol.parse(Protocol.frame("H 1 demo 0123456789abcdef 96 1234 7").strip() + "\r"));
        assertEquals(new Protocol.Error("crc"), Protocol.parse(Protocol.frame("E crc").strip()));
        String good = Protocol.frame("S 1 2 0").strip();
        String corrupted = good.replace("S 1 2", "S 1 3");
        assertThrows(Protocol.BadLine.class, () -> Protocol.parse(corrupted));
        assertThrows(Protocol.BadLine.class, () -> Protocol.parse("S 1 2 0"));
        assertThrows(Protocol.BadLine.class, () -> Protocol.parse(Protocol.frame("S 1 x 0").strip()));
        assertThrows(Protocol.BadLine.class, () -> Protocol.parse(Protocol.frame("Z").strip()));
        assertThrows(Protocol.BadLine.class, () -> Protocol.parse("\u0000\u00ff garbage*ZZZZ"));
    }
}
