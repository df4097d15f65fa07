package tinyad.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import tinyad.datasets.TimeSplit;
import tinyad.quantizer.QuantizedModel;
import tinyad.quantizer.Quantizer;
import tinyad.trainer.Detector;
import tinyad.trainer.Metrics;

@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Post-training int8 quantization. Input scale and zero point come from the training part",
                "of the calibration data; prints float vs int8 ROC-AUC on the test part when it has labels."})
final class QuantizeCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Float model (.tinyad) from tinyad train.")
    Path model;

    @Mixin
    DataOptions data;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "int8 model file to write.")
    Path output;

    @Override
    public Integer call() {
        Detector d = Detector.load(model);
        DataOptions.Loaded l = data.load();
        TimeSplit split = data.split(l.table());
        QuantizedModel q = Quantizer.quantize(d, d.pipeline().normalInputs(split.train()));
        q.save(output);
        System.out.printf("wrote %s: input scale %.6g, zero point %d, integer threshold %d, hash %s%n", output,
                q.inputQuant().scale(), q.inputQuant().zeroPoint(), q.thresholdQ(), q.hash());
        if (split.test().hasLabels()) {
            int[] labels = d.pipeline().windows(split.test()).labels();
            double f = Metrics.rocAuc(d.scores(split.test()), labels);
            double i = Metrics.rocAuc(Reference.scores(q, split.test()), labels);
            if (!Double.isNaN(f)) System.out.printf("test ROC-AUC: float %.4f, int8 %.4f%n", f, i);
        }
        return 0;
    }
}
