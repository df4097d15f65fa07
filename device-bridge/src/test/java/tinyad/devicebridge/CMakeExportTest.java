package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tinyad.codegen.Exporter;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.TimeSplit;
import tinyad.quantizer.QuantizedModel;
import tinyad.quantizer.Quantizer;

/**
 * The exported CMakeLists.txt: the serial app built by CMake on the host and, with the exported arm-none-eabi
 * toolchain file, for the Cortex-M4 (run in QEMU), each checked score by score against the Java reference; and a
 * user's own CMake project that adds two exported models with add_subdirectory and links both into one program.
 */
class CMakeExportTest {
    static Tools.Result cmake(Path dir, String... args) {
        Tools.Result r = Tools.run(List.of(args), dir, 300);
        assertEquals(0, r.exitCode(), String.join(" ", args) + ": " + r.stdout() + r.stderr());
        return r;
    }

    @Test
    void cmakeBuildsTheAppOnTheHostAndTheCortexM4AndTwoModelsLinkIntoOneProgram(@TempDir Path dir) throws Exception {
        Toolchain.require("cmake", "make", "cc", "arm-none-eabi-gcc", "qemu-system-arm");
        SensorTable t = SyntheticSensor.generate(new SyntheticSensor.Options(3, 12_000, 1000, 0.5, 400)).table();
        TimeSplit s = TimeSplit.of(t, 0.5);
        Pipeline p = Pipeline.fit(s.train(), null, 16, 8, "stats");
        QuantizedModel pump = Quantizer.quantize(TestDetectors.kmeans(s.train(), p, 8, false), p.normalInputs(s.train()));
        Pipeline p2 = Pipeline.fit(s.train(), null, 32, 16, Pipeline.RAW);
        QuantizedModel valve = Quantizer.quantize(TestDetectors.autoencoder(s.train(), p2, new int[] {24, 8, 24}, 2), p2.normalInputs(s.train()));
        Path fw = dir.resolve("pump"), fw2 = dir.resolve("valve");
        Exporter.export(pump, "pump", fw);
        Exporter.export(valve, "valve", fw2);
        byte[][] windows = java.util.Arrays.copyOf(pump.quantizedInputs(s.test()), 200);

        cmake(fw, "cmake", "-S", ".", "-B", "build-host", "-DCMAKE_BUILD_TYPE=Release");
        cmake(fw, "cmake", "--build", "build-host");
        Verifier.Report host = Emulator.verify(Target.HOST, fw.resolve("build-host/pump_app"), pump, windows);
        assertEquals(windows.length, host.matched(), "host (CMake): every score equal to the reference");

        cmake(fw, "cmake", "-S", ".", "-B", "build-m4", "-DCMAKE_TOOLCHAIN_FILE=cmake/arm-none-eabi.cmake", "-DCMAKE_BUILD_TYPE=Release");
        cmake(fw, "cmake", "--build", "build-m4");
        Verifier.Report m4 = Emulator.verify(Target.CORTEX_M4, fw.resolve("build-m4/pump_app.elf"), pump, windows);
        assertEquals(windows.length, m4.matched(), "Cortex-M4 (CMake, arm-none-eabi toolchain file, QEMU): every score equal");

        // a user's project: both models through add_subdirectory, one program calling both
        Path user = dir.resolve("user");
        Files.createDirectories(user);
        Files.writeString(user.resolve("CMakeLists.txt"), String.join("\n",
                "cmake_minimum_required(VERSION 3.13)", "project(user C)",
                "add_subdirectory(../pump pump)", "add_subdirectory(../valve valve)",
                "add_executable(both main.c)", "target_link_libraries(both PRIVATE tinyad_pump tinyad_valve)", ""));
        Files.writeString(user.resolve("main.c"), String.join("\n",
                "#include <stdio.h>", "#include \"pump_model.h\"", "#include \"valve_model.h\"",
                "int main(void) {",
                "    static int8_t a[PUMP_INPUT_LEN], b[VALVE_INPUT_LEN];",
                "    unsigned i;",
                "    for (i = 0; i < PUMP_INPUT_LEN; i++) a[i] = (int8_t)(i * 7 - 60);",
                "    for (i = 0; i < VALVE_INPUT_LEN; i++) b[i] = (int8_t)(i * 5 - 90);",
                "    printf(\"%ld %ld\\n\", (long)pump_score(a), (long)valve_score(b));",
                "    return 0;", "}", ""));
        cmake(user, "cmake", "-S", ".", "-B", "build");
        cmake(user, "cmake", "--build", "build");
        String out = Tools.run(List.of(user.resolve("build/both").toString()), user, 60).stdout().strip();
        byte[] a = new byte[pump.inputSize()], b = new byte[valve.inputSize()];
        for (int i = 0; i < a.length; i++) a[i] = (byte) (i * 7 - 60);
        for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 5 - 90);
        assertEquals(pump.score(a) + " " + valve.score(b), out, "two models in one program, each its reference's score");
    }
}
