package tinyad.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import tinyad.datasets.DataException;
import tinyad.datasets.Pipeline;
import tinyad.datasets.TimeSplit;
import tinyad.trainer.KMeansDetector;
import tinyad.trainer.Metrics;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Fits an unsupervised detector on the normal windows of the training part of the data",
                "and writes a .tinyad model file. With labels, prints ROC-AUC on the test part."})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Option(names = "--model", defaultValue = "kmeans", paramLabel = "KIND", description = "Detector: kmeans (default).")
    String kind;

    @Option(names = "--window", defaultValue = "32", description = "Samples per window (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--hop", defaultValue = "16", description = "Samples between window starts (default: ${DEFAULT-VALUE}).")
    int hop;

    @Option(names = "--features", defaultValue = "raw", description = "Feature set: raw (default).")
    String features;

    @Option(names = "--k", defaultValue = "16", description = "k-means clusters (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--threshold-percentile", defaultValue = "99.5",
            description = "Threshold = this percentile of the training scores (default: ${DEFAULT-VALUE}).")
    double percentile;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Model file to write (.tinyad).")
    Path output;

    @Override
    public Integer call() {
        KMeansDetector d = train(data, kind, window, hop, features, k, percentile, seed);
        d.save(output);
        System.out.printf("wrote %s: k-means k=%d over %d inputs, threshold %.4f%n", output, d.centroids().length,
                d.pipeline().inputSize(), d.threshold());
        return 0;
    }

    static KMeansDetector train(DataOptions data, String kind, int window, int hop, String features, int k,
                                double percentile, long seed) {
        if (!"kmeans".equals(kind)) throw new DataException("unknown model kind '" + kind + "'; known: kmeans");
        if (k < 1) throw new DataException("--k must be at least 1");
        if (!(percentile > 0 && percentile <= 100)) throw new DataException("--threshold-percentile must be in (0, 100]");
        DataOptions.Loaded l = data.load();
        TimeSplit split = data.split(l.table());
        Pipeline p = Pipeline.fit(split.train(), data.channels, window, hop, features);
        KMeansDetector d = KMeansDetector.train(split.train(), p,
                new KMeansDetector.Options(k, seed, 100, percentile), l.sha256());
        if (split.test().hasLabels() && split.test().rows() >= window) {
            double auc = Metrics.rocAuc(d.scores(split.test()), p.windows(split.test()).labels());
            if (!Double.isNaN(auc)) System.out.printf("test ROC-AUC (float): %.4f%n", auc);
        }
        return d;
    }
}
