package tinyad.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;
import tinyad.datasets.TimeSplit;
import tinyad.model.AutoencoderDetector;
import tinyad.model.Detector;
import tinyad.model.KMeansDetector;
import tinyad.model.Metrics;
import tinyad.trainer.AutoencoderTrainer;
import tinyad.trainer.KMeansTrainer;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Fits an unsupervised detector on the normal windows of the training part of the data",
                "and writes a .tinyad model file. The last 20% of those windows (in time) are held out: the",
                "threshold is a percentile of their scores. With labels, prints ROC-AUC on the test part."})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Option(names = "--model", defaultValue = "kmeans", paramLabel = "KIND", description = "kmeans (default) or ae (dense autoencoder).")
    String kind;

    @Option(names = "--window", defaultValue = "32", description = "Samples per window (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--hop", defaultValue = "16", description = "Samples between window starts (default: ${DEFAULT-VALUE}).")
    int hop;

    @Option(names = "--features", defaultValue = "raw",
            description = "Feature blocks joined by '+': raw, stats, spectral[:N] (default: ${DEFAULT-VALUE}).")
    String features;

    @Option(names = "--k", defaultValue = "16", description = "k-means clusters; 0 chooses k by silhouette (default: ${DEFAULT-VALUE}).")
    int k;

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

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE", description = "Model file to write (.tinyad).")
    Path output;

    @Override
    public Integer call() {
        tinyad.common.AtomicFiles.requireDistinct(output, data.data, data.labels);
        if (!(percentile > 0 && percentile <= 100)) throw new DataException("--threshold-percentile must be in (0, 100]");
        if (k < 0) throw new DataException("--k must be 0 (choose) or positive");
        if (epochs < 1 || patience < 1) throw new DataException("--epochs and --patience must be positive");
        DataOptions.Loaded l = data.load();
        TimeSplit split = data.split(l.table());
        Pipeline p = Pipeline.fit(split.train(), data.channels, window, hop, features);
        Detector d = switch (kind) {
            case "kmeans" -> {
                if (!kmeansScore.equals("distance") && !kmeansScore.equals("radius"))
                    throw new DataException("unknown --kmeans-score '" + kmeansScore + "'; known: distance, radius");
                yield KMeansTrainer.train(split.train(), p, new KMeansTrainer.Options(k, seed, 100, percentile,
                        kmeansScore.equals("radius")), l.sha256());
            }
            case "ae" -> AutoencoderTrainer.train(split.train(), p, new AutoencoderTrainer.Options(layers, seed, epochs,
                    patience, 64, learningRate, 0.2, percentile, !quiet), l.sha256());
            default -> throw new DataException("unknown model kind '" + kind + "'; known: kmeans, ae");
        };
        d.save(output);
        String what = d instanceof KMeansDetector km ? "k-means k=" + km.centroids().length
                : "autoencoder " + java.util.Arrays.toString(((AutoencoderDetector) d).net().sizes());
        System.out.printf("wrote %s: %s over %d inputs (%s), threshold %.6g%n", output, what, p.inputSize(), p.features(), d.threshold());
        if (split.test().hasLabels() && split.test().rows() >= window) {
            double auc = Metrics.rocAuc(d.scores(split.test()), p.windows(split.test()).labels());
            if (!Double.isNaN(auc)) System.out.printf("test ROC-AUC (float): %.4f%n", auc);
        }
        return 0;
    }
}
