package tinyad.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;
import tinyad.datasets.SampleRate;
import tinyad.datasets.TimeSplit;
import tinyad.model.AutoencoderDetector;
import tinyad.model.Detector;
import tinyad.model.KMeansDetector;
import tinyad.model.Metrics;
import tinyad.trainer.AutoencoderTrainer;
import tinyad.trainer.KMeansTrainer;

@Command(name = "train", mixinStandardHelpOptions = true,
        header = "Fits a detector (k-means or autoencoder) on normal data.",
        description = {"Fits an unsupervised detector on the normal windows of the training part of the data",
                "and writes a .tinyad model file. The last 20%% of those windows (in time) are held out: the",
                "threshold is a percentile of their scores. With labels, prints ROC-AUC on the test part."})
final class TrainCommand implements Callable<Integer>, Validated {
    @Mixin
    DataOptions data;

    @Option(names = "--model", defaultValue = "kmeans", paramLabel = "KIND", description = "kmeans (default) or ae (dense autoencoder).")
    String kind;

    @Option(names = "--window", description = "Samples per window (default: 32, halved on a short recording; docs/tuning.md).")
    Integer window;

    @Option(names = "--hop", description = "Samples between window starts (default: window/2, halved until 100 windows).")
    Integer hop;

    @Option(names = "--features",
            description = "Feature blocks joined by '+': raw, stats, spectral[:N] (default: raw; stats for data sampled below 10 Hz, "
                    + "whose samples are levels rather than a waveform; docs/tuning.md).")
    String features;

    @Option(names = "--k", description = "k-means clusters; 0 chooses k by silhouette (default: 16, halved until 10 windows per cluster).")
    Integer k;

    @Option(names = "--kmeans-score", defaultValue = "distance",
            description = "k-means score: distance (squared, to the nearest centroid) or radius (distance minus the cluster's radius).")
    String kmeansScore;

    @Option(names = "--layers", defaultValue = "auto",
            description = "Autoencoder layer sizes, e.g. 32-8-32 (hidden) or 96-32-8-32-96; auto = in/4-in/8-in/4.")
    String layers;

    @Option(names = "--epochs", defaultValue = "200", description = "Autoencoder: most epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--patience", defaultValue = "10", description = "Autoencoder: early stopping patience in epochs (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--learning-rate", defaultValue = "0.001", description = "Autoencoder: Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--threshold-percentile", defaultValue = "99.5",
            description = "Threshold = this percentile of the held-out normal scores (default: ${DEFAULT-VALUE}).")
    double percentile;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--sample-rate", paramLabel = "HZ",
            description = {"Samples per second of the data, stored in the model for export and the firmware. Default: from the",
                    "timestamp column, one over the median interval (numbers are seconds; ISO date-times are read); irregular",
                    "timestamps (over 1%% of intervals off the median by over 1%%) are refused. No timestamp column: unknown (0)."})
    Double sampleRate;

    @Option(names = "--quiet", description = "No progress bar (there is none when the output is not a terminal).")
    boolean quiet;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Model file to write (.tinyad).")
    Path output;

    /** Largest hidden layer and most weights per layer: far above what a microcontroller holds (32 KB per table on AVR). */
    static final int MAX_LAYER = 4096, MAX_LAYER_WEIGHTS = 1 << 20, MAX_K = 4096, MAX_EPOCHS = 100_000;

    @Override
    public void validate() {
        if (!(percentile > 0 && percentile <= 100)) throw new DataException("--threshold-percentile must be in (0, 100], got " + percentile);
        if (k != null) Validated.range("--k", k, 0, MAX_K);
        if (window != null) Validated.range("--window", window, 1, 65_536);
        if (hop != null) Validated.range("--hop", hop, 1, window != null ? window : tinyad.trainer.TrainDefaults.WINDOW);
        Validated.range("--epochs", epochs, 1, MAX_EPOCHS);
        Validated.range("--patience", patience, 1, MAX_EPOCHS);
        Validated.finitePositive("--learning-rate", learningRate);
        if (learningRate > 1) throw new DataException("--learning-rate must be at most 1, got " + learningRate);
        if (sampleRate != null) SampleRate.check("--sample-rate", sampleRate);
        data.validate();
        if (!kind.equals("kmeans") && !kind.equals("ae")) throw new DataException("unknown model kind '" + kind + "'; known: kmeans, ae");
        if (!kmeansScore.equals("distance") && !kmeansScore.equals("radius"))
            throw new DataException("unknown --kmeans-score '" + kmeansScore + "'; known: distance, radius");
        if (features != null) {
            tinyad.datasets.FeatureSet fs = tinyad.datasets.FeatureSet.parse(features);   // before any data is read
            if (window != null) fs.check(window);
        }
        if (!layers.equals("auto")) {
            if (!layers.matches("\\d{1,9}(-\\d{1,9})*"))
                throw new DataException("bad --layers '" + layers + "'; write layer sizes like 32-8-32");
            for (String v : layers.split("-"))
                Validated.range("--layers: each size", Long.parseLong(v), 1, MAX_LAYER);
        }
    }

    @Override
    public Integer call() {
        tinyad.common.AtomicFiles.requireDistinct(output, data.data, data.labels);
        DataOptions.Loaded l = data.load();
        // before any training: irregular timestamps are refused at once
        double rate = sampleRate != null ? sampleRate : SampleRate.infer(l.name(), l.table());
        TimeSplit split = data.split(l.table());
        // the defaults fit the data: a short recording gets a shorter window, a smaller hop and fewer clusters
        String features = this.features != null ? this.features : tinyad.trainer.TrainDefaults.features(rate);
        tinyad.trainer.TrainDefaults def = tinyad.trainer.TrainDefaults.choose(split.train().rows(), features, window, hop, k);
        if (def.hop() > def.window()) throw new DataException("--hop must be in 1.." + def.window() + ", got " + def.hop());
        int window = def.window(), hop = def.hop(), k = def.k();
        tinyad.datasets.FeatureSet.parse(features).check(window);
        Pipeline p = Pipeline.fit(split.train(), data.channels, window, hop, features).withSampleRate(rate);
        // the int8 reference sums 255^2 per input in int32 (k-means), 2 x 128 x 127 per input (dense): no device
        // model exists past this, so the float model is refused here rather than at quantize
        if (p.inputSize() > tinyad.quantizer.QuantizedKMeans.MAX_FEATURES)
            throw new DataException(p.inputSize() + " inputs (" + p.features() + ", window " + window + " x " + p.channels().size()
                    + " channels): the int8 model holds at most " + tinyad.quantizer.QuantizedKMeans.MAX_FEATURES
                    + "; use a shorter window, fewer channels or stats/spectral features");
        if (kind.equals("ae")) {
            int[] sizes = AutoencoderTrainer.sizes(layers, p.inputSize());
            for (int i = 0; i + 1 < sizes.length; i++)
                if ((long) sizes[i] * sizes[i + 1] > MAX_LAYER_WEIGHTS)
                    throw new DataException("--layers: layer " + i + " (" + sizes[i] + " x " + sizes[i + 1] + ") has more than "
                            + MAX_LAYER_WEIGHTS + " weights");
        }
        Detector d = switch (kind) {
            case "kmeans" -> {
                if (!kmeansScore.equals("distance") && !kmeansScore.equals("radius"))
                    throw new DataException("unknown --kmeans-score '" + kmeansScore + "'; known: distance, radius");
                yield KMeansTrainer.train(split.train(), p, new KMeansTrainer.Options(k, seed, 100, percentile,
                        kmeansScore.equals("radius")), l.sha256());
            }
            case "ae" -> AutoencoderTrainer.train(split.train(), p, new AutoencoderTrainer.Options(layers, seed, epochs,
                    patience, 64, learningRate, 0.2, percentile, !quiet && System.console() != null), l.sha256());
            default -> throw new DataException("unknown model kind '" + kind + "'; known: kmeans, ae");
        };
        d.save(output);
        String what = d instanceof KMeansDetector km ? "k-means k=" + km.centroids().length
                : "autoencoder " + java.util.Arrays.toString(((AutoencoderDetector) d).net().sizes());
        System.out.printf("wrote %s: %s over %d inputs (%s), threshold %.6g%n", output, what, p.inputSize(), p.features(), d.threshold());
        if (def.window() != tinyad.trainer.TrainDefaults.WINDOW && this.window == null || this.hop == null && def.hop() != def.window() / 2
                || this.k == null && kind.equals("kmeans") && def.k() != tinyad.trainer.TrainDefaults.K)
            System.out.printf("defaults for %d training rows: window %d, hop %d%s (docs/tuning.md; tinyad tune searches further)%n", split.train().rows(),
                    window, hop, kind.equals("kmeans") ? ", k " + k : "");
        if (this.features == null && !features.equals("raw"))
            System.out.printf("features: %s (the default below %s; --features raw for the samples themselves)%n", features,
                    SampleRate.format(tinyad.trainer.TrainDefaults.SLOW_HZ));
        System.out.println("sample rate: " + (sampleRate != null ? SampleRate.format(rate) + " (--sample-rate)"
                : rate > 0 ? SampleRate.format(rate) + " (from the timestamps)"
                : "unknown (no timestamp column; export for a device will need --sample-rate HZ)"));
        if (split.test().hasLabels() && split.test().rows() >= window) {
            double auc = Metrics.rocAuc(d.scores(split.test()), p.windows(split.test()).labels());
            if (!Double.isNaN(auc)) System.out.printf("test ROC-AUC (float): %.4f%n", auc);
        }
        return 0;
    }
}
