package tinyad.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import tinyad.common.AtomicFiles;
import tinyad.common.DataException;
import tinyad.datasets.CsvLoader;
import tinyad.datasets.FeatureSet;
import tinyad.datasets.SampleRate;
import tinyad.datasets.SensorTable;
import tinyad.datasets.TimeSplit;
import tinyad.model.Detector;
import tinyad.quantizer.QuantizedModel;
import tinyad.quantizer.Quantizer;
import tinyad.tuner.CostModel;
import tinyad.tuner.RuleShape;
import tinyad.tuner.Tune;
import tinyad.tuner.TuneReport;
import tinyad.tuner.Tuner;

@Command(name = "tune", mixinStandardHelpOptions = true,
        header = "Finds the window, features, k and alarm rule that fit a board.",
        description = {"Tries windows, hops, feature sets, k-means sizes, scores and autoencoders that",
                "fit the target's flash, RAM and cycles per window (estimated, docs/tuning.md),",
                "each with every threshold percentile and alarm rule; writes the best as an",
                "ordinary float model. Candidates are judged only on the training part of",
                "--data (its held-out tail, as it is and with injected faults) or on labelled",
                "--validation recordings, never on the test part."})
final class TuneCommand implements Callable<Integer>, Validated {
    @Mixin
    DataOptions data;

    @Option(names = "--validation", split = ",", paramLabel = "FILE",
            description = "Labelled recordings (CSV with a 0/1 label column) to judge the candidates on: the F1 of their alarm.")
    List<Path> validation = new ArrayList<>();

    @Option(names = "--target", defaultValue = "cortex-m4", description = "uno, cortex-m4 or cortex-m3 (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--flash", paramLabel = "BYTES", description = "Flash the firmware may use (default: the target's: Uno 32256, Cortex-M 262144).")
    Long flash;

    @Option(names = "--ram", paramLabel = "BYTES", description = "RAM it may use (default: the target's: Uno 2048, Cortex-M 65536).")
    Long ram;

    @Option(names = "--clock-hz", paramLabel = "HZ", description = "Core clock (default: Uno 16 MHz, Cortex-M 25 MHz, as export).")
    Double clockHz;

    @Option(names = "--budget-ms", paramLabel = "MS", description = "Most milliseconds of features + score per window (default: the hop period).")
    Double budgetMs;

    @Option(names = "--sample-rate", paramLabel = "HZ", description = "Samples per second (default: from the timestamps, as train).")
    Double sampleRate;

    @Option(names = "--windows", split = ",", defaultValue = "8,16,32,64", description = "Window lengths to try (default: ${DEFAULT-VALUE}).")
    int[] windows;

    @Option(names = "--hops", split = ",", description = "Hops to try (default: the smallest of 1, window/4, window/2, window that keeps up; window/2 at an unknown rate).")
    int[] hops;

    @Option(names = "--feature-sets", split = ";", defaultValue = "raw;stats;stats+spectral:4",
            description = "Feature sets to try, ';'-separated (default: ${DEFAULT-VALUE}).")
    List<String> featureSets;

    @Option(names = "--models", split = ",", defaultValue = "kmeans,ae", description = "Detectors to try: kmeans, ae (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--k", split = ",", defaultValue = "2,4,8,16", description = "k-means sizes to try (default: ${DEFAULT-VALUE}).")
    int[] ks;

    @Option(names = "--layers", split = ";", defaultValue = "auto",
            description = "Autoencoder layer sizes to try, ';'-separated, as train --layers (default: ${DEFAULT-VALUE}: in/4-in/8-in/4).")
    List<String> layers;

    @Option(names = "--percentiles", split = ",", defaultValue = "95,98,99,99.5,100",
            description = "Threshold percentiles of the held-out normal scores to try (default: ${DEFAULT-VALUE}).")
    double[] percentiles;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}); the result does not depend on --threads.")
    long seed;

    @Option(names = "--threads", description = "Threads (default: every core).")
    Integer threads;

    @Option(names = "--report", paramLabel = "DIR", description = "Also write the leaderboard: report.md, leaderboard.csv, leaderboard.png.")
    Path report;

    @Option(names = "--int8", paramLabel = "FILE", description = "Also write the int8 model (as tinyad quantize --data <the same data> would).")
    Path int8;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Float model file to write (.tinyad).")
    Path output;

    @Override
    public void validate() {
        data.validate();
        CostModel.Device.parse(target);
        if (flash != null) Validated.range("--flash", flash, 1, 1L << 32);
        if (ram != null) Validated.range("--ram", ram, 1, 1L << 32);
        if (clockHz != null) Validated.finitePositive("--clock-hz", clockHz);
        if (budgetMs != null) Validated.finitePositive("--budget-ms", budgetMs);
        if (sampleRate != null) SampleRate.check("--sample-rate", sampleRate);
        for (int w : windows) Validated.range("--windows: each", w, 2, 4096);
        if (hops != null) for (int h : hops) Validated.range("--hops: each", h, 1, 4096);
        for (int k : ks) Validated.range("--k: each", k, 1, TrainCommand.MAX_K);
        for (double p : percentiles)
            if (!(p > 0 && p <= 100)) throw new DataException("--percentiles: each must be in (0, 100], got " + p);
        for (String f : featureSets) FeatureSet.parse(f);
        for (String m : models)
            if (!m.equals("kmeans") && !m.equals("ae")) throw new DataException("unknown --models entry '" + m + "'; known: kmeans, ae");
        for (String l : layers)
            if (!l.equals("auto") && !l.matches("\\d{1,4}(-\\d{1,4})*")) throw new DataException("bad --layers '" + l + "'; write layer sizes like 32-8-32, or auto");
        if (threads != null) Validated.range("--threads", threads, 1, 1024);
    }

    @Override
    public Integer call() {
        AtomicFiles.requireDistinct(output, data.data, data.labels);
        if (int8 != null) AtomicFiles.requireDistinct(int8, output, data.data, data.labels);
        for (Path v : validation) AtomicFiles.requireDistinct(output, v);
        DataOptions.Loaded l = data.load();
        double rate = sampleRate != null ? sampleRate : SampleRate.infer(l.name(), l.table());
        TimeSplit split = data.split(l.table());
        SensorTable train = data.channels != null && !data.channels.isEmpty() ? split.train().select(data.channels) : split.train();
        List<Tune.Validation> vals = new ArrayList<>();
        for (Path v : validation) vals.add(new Tune.Validation(v.getFileName().toString(), CsvLoader.load(v)));
        CostModel.Device dev = CostModel.Device.parse(target);
        CostModel cost = new CostModel(dev, flash != null ? flash : dev.defaultFlash(), ram != null ? ram : dev.defaultRam(),
                clockHz != null ? clockHz : dev.defaultClockHz(), budgetMs != null ? budgetMs : 0, rate);
        Tuner.Space space = new Tuner.Space(windows, hops != null ? hops : new int[0], featureSets, models.contains("kmeans") ? ks : new int[0],
                new boolean[] {false, true}, models.contains("ae") ? layers : List.of(), percentiles, RuleShape.defaults());
        boolean tty = System.console() != null;   // progress only on a terminal
        int[] shown = {0};   // workers report in any order: print only a count higher than the last one printed
        Tune.Outcome o = Tune.run(new Tune.Request(train, vals, space, cost, seed, threads != null ? threads : Runtime.getRuntime().availableProcessors(),
                rate, l.sha256()), (done, total) -> {
                    if (!tty) return;
                    synchronized (shown) {
                        if (done <= shown[0]) return;
                        shown[0] = done;
                        System.err.printf("\r  tune: %d/%d structures%s", done, total, done.equals(total) ? "\n" : "");
                    }
                });
        Detector d = o.model();
        QuantizedModel q = int8 != null ? Quantizer.quantize(d, d.pipeline().normalInputs(train)) : null;
        if (report != null) {
            Map<String, String> prov = new LinkedHashMap<>();
            prov.put("tinyad", tinyad.codegen.ModelSource.TINYAD_VERSION);
            prov.put("data", l.name() + " (sha256 " + l.sha256() + "), training part: first " + train.rows() + " rows");
            prov.put("judged on", o.judgedOn());
            prov.put("target", cost.describe());
            prov.put("seed", Long.toString(seed));
            TuneReport.write(report, o.result(), "tinyad tune: " + l.name(), prov);
        }
        d.save(output);
        if (q != null) q.save(int8);
        Tuner.Entry best = o.result().best();
        System.out.println("judged on " + o.judgedOn() + "; target " + cost.describe());
        System.out.printf(Locale.ROOT, "%d structures trained, %d dropped (--report lists why); the best:%n", o.result().leaderboard().size(),
                o.result().dropped().size());
        System.out.print(TuneReport.table(o.result().leaderboard(), 5));
        System.out.printf(Locale.ROOT, "wrote %s: %s (alarm F1 %.3f, FAR %.3f on the tuning data; estimated %s)%n", output, best.candidate().describe(),
                best.f1(), best.far(), best.cost().summary());
        System.out.println("same as: tinyad train " + best.candidate().structure().trainOptions() + " --threshold-percentile "
                + best.candidate().percentile() + " (then the alarm rule " + d.alarm() + ")");
        if (q != null) System.out.printf("wrote %s: int8, integer threshold %d%n", int8, q.thresholdQ());
        else System.out.println("int8: tinyad quantize --model " + output + " --data <the same data> -o <file>, or tune --int8 FILE");
        return 0;
    }
}
