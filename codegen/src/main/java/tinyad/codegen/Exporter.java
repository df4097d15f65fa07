package tinyad.codegen;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import tinyad.common.AtomicFiles;
import tinyad.common.DataException;
import tinyad.quantizer.QuantizedModel;

/**
 * Writes a self-contained C project: the firmware-c runtime (from this jar), the generated model under
 * {@code model/}, and the runtime's Makefile ({@code make host|m4|m3|avr}).
 */
public final class Exporter {
    /** The runtime files shipped with every export (a test checks this list against firmware-c/). */
    public static final List<String> RUNTIME_FILES = List.of(
            "Makefile",
            "include/tinyad.h", "include/tinyad_config.h", "include/tinyad_fixedpoint.h", "include/tinyad_alarm.h",
            "include/tinyad_serial.h", "include/tinyad_port.h", "include/tinyad_live.h", "include/tinyad_learn.h",
            "src/tinyad_internal.h", "src/tinyad_fixedpoint.c", "src/tinyad_dense.c", "src/tinyad_kmeans.c", "src/tinyad_alarm.c",
            "src/tinyad_features.c", "src/tinyad_dense_m4.S", "src/tinyad_dense_avr.S", "src/tinyad_sqdiff_avr.S", "src/tinyad_features_avr.S",
            "src/tinyad_serial.c", "src/tinyad_live.c", "src/tinyad_learn.c",
            "app/tinyad_app.c", "app/logger/tinyad_app_model.h", "app/logger/logger_model.c", "bench/bench_main.c", "bench/features_main.c", "bench/kernels_main.c",
            "ports/host/port_stdio.c", "ports/host/port_feed_posix.c", "ports/host/port_store.c",
            "ports/mps2/port_uart.c", "ports/mps2/port_feed.c", "ports/mps2/port_store.c", "ports/mps2/startup.c", "ports/mps2/link.ld",
            "ports/avr/port_uart.c", "ports/avr/port_adc.c", "ports/avr/port_eeprom.c",
            "ports/stm32l4/port_usart2.c", "ports/stm32l4/startup.c", "ports/stm32l4/link.ld",
            "tools/avrrun.c");

    /** The scoring kernels alone (no serial protocol, no alarm rule): what the runtime code-size count measures. */
    public static final List<String> KERNEL_FILES = List.of(
            "include/tinyad.h", "include/tinyad_config.h", "include/tinyad_fixedpoint.h", "src/tinyad_internal.h",
            "src/tinyad_fixedpoint.c", "src/tinyad_dense.c", "src/tinyad_kmeans.c", "src/tinyad_features.c",
            "src/tinyad_dense_m4.S", "src/tinyad_dense_avr.S", "src/tinyad_sqdiff_avr.S", "src/tinyad_features_avr.S");

    /** The alarm rule (tinyad_alarm.h), which every generated model's descriptor and {@code <name>_alarm_init} use. */
    public static final List<String> ALARM_FILES = List.of("include/tinyad_alarm.h", "src/tinyad_alarm.c");

    private Exporter() {}

    /**
     * Writes the project into {@code outDir} and returns the generated model file names. Everything is written
     * into a temporary directory first and moved into place at the end: a failure leaves no partial project.
     */
    public static Map<String, String> export(QuantizedModel model, String name, Path outDir) {
        return export(model, name, null, outDir);
    }

    /** As {@link #export(QuantizedModel, String, Path)}, the device learning with {@code learn} (null: not). */
    public static Map<String, String> export(QuantizedModel model, String name, tinyad.quantizer.DeviceLearning.Plan learn, Path outDir) {
        Map<String, String> files = ModelSource.generate(model, name, model.pipeline().sampleRateHz(), learn);   // refuses a bad model before anything exists
        AtomicFiles.writeTree(outDir, stage -> writeProject(files, stage));
        removeOtherModels(outDir, files.keySet());
        return files;
    }

    /**
     * The runtime alone, without a model: what the data logger ({@code make avr-logger|m4-logger}) builds from, to
     * record training data before a model exists.
     */
    public static void exportRuntime(Path outDir) {
        AtomicFiles.writeTree(outDir, stage -> {
            for (String f : RUNTIME_FILES) put(stage.resolve(f), runtimeFile(f));
        });
    }

    /** The project's files written straight into {@code dir} (a staging directory of {@link AtomicFiles#writeTree}). */
    public static Map<String, String> exportInto(QuantizedModel model, String name, Path dir) throws IOException {
        return exportInto(model, name, model.pipeline().sampleRateHz(), dir);
    }

    /** As {@link #exportInto(QuantizedModel, String, Path)}, the headers stating {@code sampleRateHz} (ModelSource). */
    public static Map<String, String> exportInto(QuantizedModel model, String name, double sampleRateHz, Path dir) throws IOException {
        return exportInto(model, name, sampleRateHz, null, dir);
    }

    /** As {@link #exportInto(QuantizedModel, String, double, Path)}, the device learning with {@code learn} (null: not). */
    public static Map<String, String> exportInto(QuantizedModel model, String name, double sampleRateHz, tinyad.quantizer.DeviceLearning.Plan learn,
                                                 Path dir) throws IOException {
        Map<String, String> files = ModelSource.generate(model, name, sampleRateHz, learn);
        writeProject(files, dir);
        return files;
    }

    /**
     * A project re-exported with another --name would keep the old model's files in model/, and the Makefile and
     * CMakeLists build every model/*.c: the generated files this export did not write are removed.
     */
    public static void removeOtherModels(Path outDir, java.util.Set<String> written) {
        Path dir = outDir.resolve("model");
        try (var list = Files.list(dir)) {
            for (Path f : list.toList()) {
                String n = f.getFileName().toString();
                if (!written.contains(n) && n.matches("[A-Za-z_][A-Za-z0-9_]*_model\\.[ch]") && Files.isRegularFile(f)) Files.delete(f);
            }
        } catch (IOException e) {
            throw new DataException(dir + ": cannot remove the previous model's files: " + e.getMessage());
        }
    }

    private static void writeProject(Map<String, String> files, Path dir) throws IOException {
        for (String f : RUNTIME_FILES) put(dir.resolve(f), runtimeFile(f));
        for (var e : files.entrySet()) put(dir.resolve("model").resolve(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8));
        String id = files.keySet().stream().filter(f -> f.endsWith("_model.c")).findFirst().orElseThrow().replaceAll("_model\\.c$", "");
        for (var e : CMakeProject.files(id).entrySet()) put(dir.resolve(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8));
    }

    static void put(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, content);
    }

    public static byte[] runtimeFile(String path) {
        try (InputStream in = Exporter.class.getResourceAsStream("/tinyad/firmware/" + path)) {
            if (in == null) throw new DataException("runtime file " + path + " is missing from this tinyad build");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new DataException("cannot read runtime file " + path + ": " + e.getMessage());
        }
    }
}
