package tinyad.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import tinyad.common.DataException;
import tinyad.datasets.SensorTable;
import tinyad.datasets.TimeSplit;
import tinyad.model.AutoencoderDetector;
import tinyad.model.Detector;
import tinyad.quantizer.AutoencoderQuantizer;
import tinyad.quantizer.QatFineTuner;
import tinyad.quantizer.QuantizationReport;
import tinyad.quantizer.QuantizedModel;
import tinyad.quantizer.Quantizer;

@Command(name = "quantize", mixinStandardHelpOptions = true,
        header = "Quantizes a float model to int8 and reports what it costs.",
        description = {"Post-training int8 quantization. Input scale and zero point come from the training part",
                "of the calibration data; prints float vs int8 ROC-AUC on the test part when it has labels."})
final class QuantizeCommand implements Callable<Integer>, Validated {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Float model (.tinyad) from tinyad train.")
    Path model;

    @Mixin
    DataOptions data;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "int8 model file to write.")
    Path output;

    @Option(names = "--input-headroom", defaultValue = "4.0",
            description = "The int8 input range is the calibration range times this, so anomalies are not clipped (default: ${DEFAULT-VALUE}).")
    double headroom;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the float-vs-int8 report printed here to FILE (markdown).")
    java.nio.file.Path report;

    @Option(names = "--per-tensor", description = "Autoencoder: one weight scale per layer instead of one per output channel.")
    boolean perTensor;

    @Option(names = "--qat-epochs", defaultValue = "0",
            description = "Autoencoder: epochs of quantization-aware fine-tuning (fake-quant forward pass) before quantizing (default: ${DEFAULT-VALUE}).")
    int qatEpochs;

    @Option(names = "--activation-percentile", defaultValue = "100",
            description = "Autoencoder: activation ranges from this percentile of the calibration activations (100 = min/max).")
    double activationPercentile;

    @Override
    public Integer call() {
        tinyad.common.AtomicFiles.requireDistinct(output, model, data.data, data.labels);
        if (report != null) tinyad.common.AtomicFiles.requireDistinct(report, output, model, data.data, data.labels);
        Detector d = Detector.load(model);
        DataOptions.Loaded l = data.load();
        TimeSplit split = data.split(l.table());
        double[][] calibration = d.pipeline().normalInputs(split.train());
        AutoencoderQuantizer.Options qo = new AutoencoderQuantizer.Options(!perTensor, activationPercentile);
        Detector toQuantize = d;
        if (qatEpochs > 0) {
            if (!(d instanceof AutoencoderDetector ae)) throw new DataException("--qat-epochs applies to autoencoders only");
            toQuantize = QatFineTuner.fineTune(ae, calibration, Quantizer.inputParams(calibration, headroom), qo,
                    new QatFineTuner.Options(qatEpochs, 1e-4, 32, ae.seed()));
        }
        QuantizedModel q = Quantizer.quantize(toQuantize, calibration, headroom, qo);
        q.save(output);
        StringBuilder text = new StringBuilder();
        text.append(String.format("wrote %s: input scale %.6g, zero point %d, integer threshold %d, hash %s%n", output,
                q.inputQuant().scale(), q.inputQuant().zeroPoint(), q.thresholdQ(), q.hash()));
        SensorTable eval = split.test().rows() >= d.pipeline().window() ? split.test() : split.train();
        int[] labels = eval.hasLabels() ? d.pipeline().windows(eval).labels() : null;
        QuantizationReport.Result r = QuantizationReport.of(d, q, d.pipeline().inputs(eval), labels, calibration);
        text.append(QuantizationReport.format(r));
        if (q.hasIntegerFeatures()) {
            // what the device computes: features in integers from the sensor's counts (docs/features.md)
            double[] device = q.scores(eval);
            if (labels != null)
                text.append(String.format(java.util.Locale.ROOT, "device (integer features from counts): ROC-AUC %.4f (%+.4f vs float features), F1 %.4f (%+.4f)%n",
                        tinyad.model.Metrics.rocAuc(device, labels), tinyad.model.Metrics.rocAuc(device, labels) - r.intAuc(),
                        tinyad.model.Metrics.confusion(device, labels, q.thresholdQ()).f1(),
                        tinyad.model.Metrics.confusion(device, labels, q.thresholdQ()).f1() - r.intF1()));
            else
                text.append(String.format("device (integer features from counts): %d windows scored%n", device.length));
        } else {
            text.append(String.valueOf("no integer feature stage: " + (tinyad.datasets.IntStage.unsupported(d.pipeline().window(), d.pipeline().featureSet()) != null
                    ? tinyad.datasets.IntStage.unsupported(d.pipeline().window(), d.pipeline().featureSet())
                    : "the model was trained by an older tinyad; train it again") + " (the device cannot compute its features)")).append('\n');
        }
        System.out.print(text);
        // the same text as a file beside the model, for the record (what int8 changed, on which data)
        if (report != null)
            tinyad.common.AtomicFiles.writeString(report, "# Quantization of " + model.getFileName() + " on " + l.name() + "\n\n```\n" + text + "```\n");
        return 0;
    }

    @Override
    public void validate() {
        Validated.finitePositive("--input-headroom", headroom);
        if (headroom < 1 || headroom > 1000) throw new DataException("--input-headroom must be in 1..1000, got " + headroom);
        Validated.range("--qat-epochs", qatEpochs, 0, TrainCommand.MAX_EPOCHS);
        if (!(activationPercentile > 50 && activationPercentile <= 100))
            throw new DataException("--activation-percentile must be in (50, 100], got " + activationPercentile);
        data.validate();
    }
}
