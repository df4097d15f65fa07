package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import tinyad.common.DataException;
import tinyad.common.ToolException;

/** The emulator command lines and the benchmark result line, without any emulator. */
class TargetTest {
    @Test
    void qemuRunsTheKernelWithTheUartOnStdioOrAPty() {
        Path fw = Path.of("p/build/m4/tinyad_app.elf");
        List<String> stdio = Target.CORTEX_M4.runCommand(fw);
        assertEquals(List.of("qemu-system-arm", "-M", "mps2-an386"), stdio.subList(0, 3));
        assertEquals(Target.QEMU_ARGS, stdio.subList(3, 3 + Target.QEMU_ARGS.size()));
        assertEquals(List.of("-kernel", fw.toString()), stdio.subList(stdio.size() - 2, stdio.size()));
        List<String> pty = Target.CORTEX_M3.runCommand(Path.of("p/build/m3/tinyad_app.elf"), true);
        assertEquals("mps2-an385", pty.get(2));
        assertEquals("pty", pty.get(pty.indexOf("-serial") + 1));
        assertFalse(pty.contains("stdio"));
    }

    @Test
    void avrRunsInTheProjectsSimavrHarness() {
        Path fw = Path.of("p/build/avr/tinyad_app.elf");
        assertEquals(List.of(Path.of("p/build/tools/avrrun").toString(), "-m", "atmega328p", "-f", "16000000", fw.toString()),
                Target.AVR.runCommand(fw));
        assertEquals(List.of(Path.of("p/build/tools/avrrun").toString(), "-m", "atmega328p", "-f", "16000000", "-p", fw.toString()),
                Target.AVR.runCommand(fw, true));
    }

    @Test
    void theHostBuildHasNoPort() {
        assertEquals(List.of("p/build/host/tinyad_app"), Target.HOST.runCommand(Path.of("p/build/host/tinyad_app")));
        DataException e = assertThrows(DataException.class, () -> Target.HOST.runCommand(Path.of("x"), true));
        assertTrue(e.getMessage().contains("use m4, m3 or avr"));
    }

    @Test
    void benchLinesParseOnceForEveryCaller() {
        Target.Bench b = Target.Bench.parse("QEMU says hello\nB 1234 instructions 56789 312\n");
        assertEquals(new Target.Bench(1234, "instructions", 56789, 312, -1, -1), b);
        assertNull(Target.Bench.parse("no result here\n"));
        ToolException e = assertThrows(ToolException.class, () -> Target.Bench.parse("B 1 cycles many 3\n"));
        assertTrue(e.getMessage().contains("malformed"), e.getMessage());
    }
}
