// SPDX-License-Identifier: Apache-2.0
package tinyad.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import tinyad.common.DataException;
import tinyad.importer.Imported;
import tinyad.importer.ModelImport;

@Command(name = "import", mixinStandardHelpOptions = true,
        header = "Imports a TFLite int8 or Keras model trained elsewhere.",
        description = {"--tflite: an int8 TFLite dense autoencoder (FULLY_CONNECTED layers, fused ReLU or none, QUANTIZE/DEQUANTIZE",
                "at the ends) becomes a tinyad int8 model whose arithmetic is TFLite's, for export, verify and the",
                "benchmarks. Its score is MLPerf Tiny's: the mean squared error between input and output, as an integer",
                "sum in units of the input scale squared. With --data, the alarm threshold comes from the scores of the",
                "data's training part (normal windows); without it the model never alarms until given one.",
                "--keras: a Keras .h5 dense autoencoder (Dense, BatchNormalization folded, ReLU, Dropout) becomes a float",
                "tinyad model; then tinyad quantize. It needs --data. See docs/import.md."})
final class ImportCommand implements Callable<Integer>, Validated {
    @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--tflite", required = true, paramLabel = "FILE", description = "The .tflite file (int8 weights and activations).")
        Path tflite;

        @Option(names = "--keras", required = true, paramLabel = "FILE", description = "The Keras .h5 file (float weights).")
        Path keras;

        Path file() {
            return tflite != null ? tflite : keras;
        }
    }

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "int8 model file to write (.tinyad).")
    Path output;

    @Option(names = "--window", defaultValue = "1", paramLabel = "N",
            description = "Frames per input vector: the model's n inputs are N frames of n/N channels, frame-major "
                    + "(MLPerf's AD model: 5 frames of 128 bands). 1: each data row is one whole input (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--hop", paramLabel = "N", description = "Frames between windows (default: the window, no overlap).")
    Integer hop;

    @Option(names = "--threshold-percentile", defaultValue = "99.5", paramLabel = "P",
            description = "With --data: the alarm threshold is this percentile of the normal windows' scores (default: ${DEFAULT-VALUE}).")
    double percentile;

    @Option(names = "--sample-rate", paramLabel = "HZ",
            description = "Frames per second the device takes (MLPerf's AD model: 31.25, 16 kHz audio in hops of 512); export needs it.")
    Double sampleRate;

    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        tinyad.common.AtomicFiles.requireDistinct(output, source.file(), data.data, data.labels);
        ModelImport.Options o = new ModelImport.Options(window, hop == null ? window : hop, percentile, sampleRate == null ? 0 : sampleRate);
        if (source.keras != null) {
            if (data.data == null) throw new DataException("--keras needs --data: the threshold and the device's sample scale come from normal data");
            DataOptions.Loaded l = data.load();
            tinyad.model.AutoencoderDetector d = ModelImport.keras(source.keras, o, data.split(l.table()).train(), data.channels);
            d.save(output);
            StringBuilder shape = new StringBuilder().append(d.net().sizes()[0]);
            for (int i = 1; i < d.net().sizes().length; i++) shape.append('-').append(d.net().sizes()[i]);
            System.out.printf(java.util.Locale.ROOT, "read %s: dense autoencoder %s (BatchNormalization folded), %,d MACs%n"
                            + "threshold %.6g (MSE, p%s of %s's normal windows)%nwrote %s (float; next: tinyad quantize --model %s --data ...)%n",
                    source.keras.getFileName(), shape, d.net().macs(), d.threshold(), percentile, l.name(), output, output);
            return 0;
        }
        Path tflite = source.tflite;
        Imported r;
        if (data.data == null) {
            r = ModelImport.tflite(tflite, o, null, null);
        } else {
            DataOptions.Loaded l = data.load();
            r = ModelImport.tflite(tflite, o, data.split(l.table()).train(), data.channels);
        }
        r.model().save(output);
        System.out.print(r.summary(output));
        return 0;
    }

    @Override
    public void validate() {
        Validated.range("--window", window, 1, 4096);
        if (hop != null) Validated.range("--hop", hop, 1, 4096);
        if (!(percentile > 50 && percentile <= 100)) throw new DataException("--threshold-percentile must be in (50, 100], got " + percentile);
        if (sampleRate != null) tinyad.datasets.SampleRate.check("--sample-rate", sampleRate);
        if (data.data != null) data.validate();
    }
}
