package tinyad.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.datasets.Windows;
import tinyad.model.AutoencoderDetector;
import tinyad.model.Detector;
import tinyad.model.ModelArchive;
import tinyad.quantizer.QuantizedModel;
import tinyad.report.EvaluationReport;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
        header = "Scores labelled data and writes a report with plots.",
        description = {"Scores labelled data with a float or int8 model and writes a report: report.md, PNG plots",
                "(loss, score histogram, ROC, scores over time), metrics.json and scores.csv.",
                "int8 models are scored by the Java integer reference, exactly as a device would."})
final class EvaluateCommand implements Callable<Integer>, Validated {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file (.tinyad), float or int8.")
    Path model;

    @Mixin
    DataOptions data;

    @Option(names = "--all", description = "Score every window of the data (default: only the test part after --train-fraction).")
    boolean all;

    @Option(names = "--hop", description = "Score a window every N rows (default: the model's hop; 1 scores every row).")
    Integer hop;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR", description = "Report directory.")
    Path output;

    @Override
    public Integer call() {
        String kind = ModelArchive.read(model).kind();
        DataOptions.Loaded loaded = data.load();
        SensorTable t = loaded.table();
        if (!all) t = data.split(t).test();
        boolean int8 = kind.endsWith("-int8");
        Pipeline p;
        double[] scores;
        double threshold;
        double[] trainLoss = null, valLoss = null;
        if (int8) {
            QuantizedModel q = QuantizedModel.load(model);
            p = withHop(q.pipeline());
            scores = q.scores(p, t);   // the device's integer features where the model has them
            threshold = q.thresholdQ();
        } else {
            Detector d = Detector.load(model);
            p = withHop(d.pipeline());
            scores = d.scores(p.inputs(t));
            threshold = d.threshold();
            if (d instanceof AutoencoderDetector ae) {
                trainLoss = ae.trainLoss();
                valLoss = ae.validationLoss();
            }
        }
        // the plots and metrics need finite scores; a model that overflows on this data is refused, not plotted
        for (int i = 0; i < scores.length; i++)
            if (!Double.isFinite(scores[i]))
                throw new DataException("window " + i + " scores " + scores[i] + ": the model overflows on this data "
                        + "(values far outside its training range, or a model with extreme weights)");
        Windows w = p.windows(t);
        String[] ts = new String[w.count()];
        for (int i = 0; i < ts.length; i++) ts[i] = t.timestampOf(w.endRow()[i]);
        java.util.Map<String, String> prov = new java.util.LinkedHashMap<>();
        prov.put("tinyad", tinyad.codegen.ModelSource.TINYAD_VERSION);
        prov.put("model", model.toString());
        prov.put("model kind", kind);
        prov.put("model sha256", ModelArchive.read(model).sha256());
        prov.put("features", p.features() + ", window " + p.window() + ", hop " + p.hop() + " (" + p.channels().size() + " channels: "
                + String.join(", ", p.channels()) + ")");
        prov.put("sample rate", p.sampleRateHz() > 0 ? tinyad.datasets.SampleRate.format(p.sampleRateHz()) : "unknown");
        prov.put("threshold", String.format(Locale.ROOT, "%.6g", threshold) + (int8 ? " (integer domain)" : "") + ", alarm when score > threshold");
        prov.put("data", loaded.name());
        prov.put("data sha256", loaded.sha256());
        prov.put("split", all ? "every window" : String.format(Locale.ROOT, "the test part: rows after the first %.0f %%", 100 * data.trainFraction));
        prov.put("date", java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).withNano(0).toString());
        String[] rowTimes = new String[t.rows()];
        for (int i = 0; i < rowTimes.length; i++) rowTimes[i] = t.timestampOf(i);
        tinyad.datasets.SensorTable sel = t.select(p.channels());
        EvaluationReport.Signal signal = new EvaluationReport.Signal(p.channels(), sel.values(), rowTimes, t.labels(), w.endRow());
        EvaluationReport r = new EvaluationReport(model.getFileName() + " on " + loaded.name() + (int8 ? " (int8 reference)" : ""),
                scores, t.hasLabels() ? w.labels() : null, ts, threshold, trainLoss, valLoss, prov, signal);
        EvaluationReport.Numbers n = r.write(output);
        if (!r.labelled()) {
            System.out.printf(Locale.ROOT, "%d windows, %d over the threshold (the data has no labels: no ROC-AUC, F1 or confusion matrix)%nreport: %s%n",
                    n.windows(), r.alarms(), output.resolve("report.md"));
            return 0;
        }
        System.out.printf(Locale.ROOT, "%d windows (%d anomalous): ROC-AUC %.4f, PR-AUC %.4f, F1 %.4f (precision %.4f, recall %.4f), "
                        + "false alarm rate %.4f; best-F1 threshold on this data %.6g gives F1 %.4f%nreport: %s%n",
                n.windows(), n.anomalous(), n.rocAuc(), n.prAuc(), n.confusion().f1(), n.confusion().precision(),
                n.confusion().recall(), n.confusion().falseAlarmRate(), n.bestF1().threshold(), n.bestF1().f1(),
                output.resolve("report.md"));
        return 0;
    }

    private Pipeline withHop(Pipeline p) {
        if (hop == null) return p;
        if (hop < 1) throw new DataException("--hop must be at least 1");
        return p.withHop(hop);
    }

    @Override
    public void validate() {
        if (hop != null) Validated.range("--hop", hop, 1, 65_536);
        data.validate();
    }
}
