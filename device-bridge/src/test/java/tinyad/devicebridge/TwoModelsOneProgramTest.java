// SPDX-License-Identifier: Apache-2.0
package tinyad.devicebridge;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import tinyad.codegen.Exporter;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.datasets.SyntheticSensor;
import tinyad.datasets.TimeSplit;
import tinyad.quantizer.QuantizedModel;
import tinyad.quantizer.Quantizer;

/**
 * Two exported models in one firmware on every target: one runtime, both model sources, a program that scores one
 * input with each and prints both, built by the exported Makefile (MODEL_DIR and APP_SRC overridden) and run on the
 * host, QEMU (Cortex-M4) and simavr (ATmega328P). Each score must be its model's Java reference.
 */
class TwoModelsOneProgramTest {
    static final String MAIN = String.join("\n",
            "/* two models, one runtime: each scores its input, both printed on the port */",
            "#include \"tinyad_port.h\"",
            "#include \"pump_model.h\"",
            "#include \"valve_model.h\"",
            "#if defined(__AVR__)",
            "#include <avr/interrupt.h>",
            "#include <avr/sleep.h>",
            "#endif",
            "static void put_long(long v)",
            "{",
            "    char b[16];",
            "    int n = 0, neg = v < 0;",
            "    unsigned long u = neg ? 0ul - (unsigned long)v : (unsigned long)v;",
            "    do { b[15 - n++] = (char)('0' + (int)(u % 10u)); u /= 10u; } while (u != 0u);",
            "    if (neg) b[15 - n++] = '-';",
            "    tinyad_port_write(0, &b[16 - n], (uint16_t)n);",
            "}",
            "int main(void)",
            "{",
            "    static int8_t a[PUMP_INPUT_LEN], b[VALVE_INPUT_LEN];",
            "    unsigned i;",
            "    tinyad_port_init();",
            "    for (i = 0; i < PUMP_INPUT_LEN; i++) a[i] = (int8_t)(i * 7u - 60u);",
            "    for (i = 0; i < VALVE_INPUT_LEN; i++) b[i] = (int8_t)(i * 5u - 90u);",
            "    put_long((long)pump_score(a));",
            "    tinyad_port_write(0, \" \", 1);",
            "    put_long((long)valve_score(b));",
            "    tinyad_port_write(0, \"\\n\", 1);",
            "#if defined(__AVR__)",
            "    cli();",
            "    sleep_enable();",
            "    sleep_cpu();",
            "#endif",
            "    return 0;",
            "}", "");

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Target.class, names = {"HOST", "CORTEX_M4", "AVR"})
    void twoModelsScoreInOneFirmware(Target t, @TempDir Path dir) throws Exception {
        Toolchain.require(t.tools.toArray(String[]::new));
        SensorTable table = SyntheticSensor.generate(new SyntheticSensor.Options(5, 8_000, 1000, 0.5, 400)).table();
        TimeSplit s = TimeSplit.of(table, 0.5);
        Pipeline p = Pipeline.fit(s.train(), null, 16, 8, "stats");
        QuantizedModel pump = Quantizer.quantize(TestDetectors.kmeans(s.train(), p, 8, false), p.normalInputs(s.train()));
        Pipeline p2 = Pipeline.fit(s.train(), null, 16, 8, Pipeline.RAW);
        QuantizedModel valve = Quantizer.quantize(TestDetectors.autoencoder(s.train(), p2, new int[] {12, 6, 12}, 2), p2.normalInputs(s.train()));
        Path fw = dir.resolve("pump"), other = dir.resolve("valve");
        Exporter.export(pump, "pump", fw);
        Exporter.export(valve, "valve", other);
        Path both = fw.resolve("both");
        Files.createDirectories(both);
        for (Path m : List.of(fw.resolve("model/pump_model.c"), fw.resolve("model/pump_model.h"), other.resolve("model/valve_model.c"),
                other.resolve("model/valve_model.h")))
            Files.copy(m, both.resolve(m.getFileName()));
        Files.writeString(fw.resolve("app/both.c"), MAIN);
        List<String> make = new ArrayList<>(List.of("make", "-s", "-C", fw.toString(), "MODEL_DIR=both", "APP_SRC=app/both.c", "BUILD=build-both",
                t.makeTarget));
        if (t == Target.AVR) make.add("avrrun");
        Tools.Result built = Tools.run(make, null, 300);
        assertEquals(0, built.exitCode(), built.stdout() + built.stderr());
        Path elf = fw.resolve("build-both").resolve(t.binary.substring(t.binary.indexOf('/') + 1));
        List<String> cmd = new ArrayList<>(t.runCommand(elf));
        if (t == Target.AVR) cmd.add(cmd.size() - 1, "-s");   // no serial input: run until the program sleeps
        Tools.Result run = Tools.run(cmd, fw, 120);
        byte[] a = new byte[pump.inputSize()], b = new byte[valve.inputSize()];
        for (int i = 0; i < a.length; i++) a[i] = (byte) (i * 7 - 60);
        for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 5 - 90);
        assertEquals(pump.score(a) + " " + valve.score(b), run.stdout().strip(), "both models' scores, each its reference's: " + run.stderr());
        assertNotEquals(0, pump.score(a), "the inputs are not at a centroid");
    }
}
