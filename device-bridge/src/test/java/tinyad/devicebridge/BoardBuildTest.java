package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.codegen.Exporter;

/** Builds that cannot run here: the STM32L4 board image and the Cortex-M0+ objects compile with the strict flags. */
class BoardBuildTest {
    @Test
    void stm32l4ImageStartsAtFlashAndCortexM0PlusCompiles(@TempDir Path dir) throws Exception {
        Toolchain.require("make", "arm-none-eabi-gcc");
        Exporter.export(FaultInjectionTestModels.small(), "board", dir);
        Tools.Result r = Tools.run(List.of("make", "-s", "-C", dir.toString(), "stm32l4", "m0"), null, 300);
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        Path elf = dir.resolve("build/stm32l4/tinyad_app.elf");
        assertTrue(Files.size(dir.resolve("build/stm32l4/tinyad_app.bin")) > 1000);
        Tools.Result h = Tools.run(List.of("arm-none-eabi-objdump", "-h", elf.toString()), null, 60);
        assertTrue(h.stdout().lines().anyMatch(l -> l.contains(".text") && l.contains("08000000")), h.stdout());
        assertTrue(Files.exists(dir.resolve("build/m0/tinyad_dense.c.o")));
    }
}
