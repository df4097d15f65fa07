package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test programs of an exported project (bench/features_main.c, bench/kernels_main.c) built by its Makefile and run
 * on a target, host or emulated (the emulator command lines are {@link Target#runCommand}'s), with a file on the
 * program's serial input; the program ends itself at the input's "." line.
 */
final class EmulatedPrograms {
    private EmulatedPrograms() {}

    static List<String> run(Path project, Target target, String makeTarget, String binary, Path input) throws Exception {
        List<String> make = new ArrayList<>(List.of("make", "-s", "-C", project.toString(), makeTarget));
        if (target == Target.AVR) make.add("avrrun");
        Tools.Result b = Tools.run(make, null, 300);
        assertEquals(0, b.exitCode(), b.stderr());
        Process proc = new ProcessBuilder(target.runCommand(project.resolve(binary)))
                .redirectInput(input.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = proc.getInputStream().readAllBytes();
        assertTrue(proc.waitFor(300, TimeUnit.SECONDS), makeTarget + " did not finish");
        return new String(out, StandardCharsets.US_ASCII).lines().map(String::strip).toList();
    }
}
