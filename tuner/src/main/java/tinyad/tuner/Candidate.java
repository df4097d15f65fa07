package tinyad.tuner;

import java.util.Locale;

import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.model.AlarmRule;
import tinyad.model.AutoencoderDetector;
import tinyad.model.Detector;
import tinyad.model.KMeansDetector;
import tinyad.trainer.AutoencoderTrainer;
import tinyad.trainer.KMeansTrainer;

/**
 * One point of the search: a {@link Structure}, a threshold percentile and an alarm {@link RuleShape}. A recipe, not a
 * model: {@link #train} makes the model from any training data, so a candidate chosen on some files carries to others.
 */
public record Candidate(Structure structure, double percentile, RuleShape rule) {
    /** Autoencoder training as {@code tinyad train --model ae} with its defaults (epochs, patience, batch, rate). */
    static final int AE_EPOCHS = 200, AE_PATIENCE = 10, AE_BATCH = 64;
    static final double AE_LEARNING_RATE = 1e-3;

    /**
     * A trained structure before its threshold: {@code thresholded(p)} is the detector with the threshold at percentile
     * {@code p} of its held-out normal scores and the trainer's default rule, as {@code tinyad train} would make it.
     */
    public record Fit(Detector unthresholded, java.util.function.DoubleFunction<Detector> thresholded) {}

    /** Trains {@code s} on the normal windows of {@code train} (the trainer holds out their last 20 % for the threshold). */
    static Fit fit(Structure s, SensorTable train, long seed, double sampleRateHz, String sha256) {
        Pipeline p = Pipeline.fit(train, null, s.window(), s.hop(), s.features()).withSampleRate(sampleRateHz);
        if (s.isAutoencoder()) {
            AutoencoderTrainer.Fitted f = AutoencoderTrainer.fit(train, p, new AutoencoderTrainer.Options(s.layers(), seed, AE_EPOCHS, AE_PATIENCE,
                    AE_BATCH, AE_LEARNING_RATE, 0.2, 99.5, false), sha256);
            return new Fit(f.unthresholded(), f::thresholded);
        }
        KMeansTrainer.Fitted f = KMeansTrainer.fit(train, p, new KMeansTrainer.Options(s.k(), seed, 100, 99.5, s.radius()), sha256);
        return new Fit(f.unthresholded(), f::thresholded);
    }

    /** Trains this candidate on {@code train}: the model {@code tinyad train} makes with {@link Structure#trainOptions}, with this rule. */
    public Detector train(SensorTable train, long seed, double sampleRateHz, String sha256) {
        return withAlarm(fit(structure, train, seed, sampleRateHz, sha256));
    }

    /** The fitted model thresholded at this percentile, with this rule. */
    Detector withAlarm(Fit f) {
        return withRule(f.thresholded().apply(percentile), rule);
    }

    /** {@code d} with the rule of {@code shape} at its own threshold and trained re-arm level. */
    static Detector withRule(Detector d, RuleShape shape) {
        AlarmRule r = shape.apply(d.alarm());
        if (d instanceof KMeansDetector k)
            return new KMeansDetector(k.pipeline(), k.centroids(), k.threshold(), k.thresholdPercentile(), k.seed(), k.trainingSha256(), k.radii(), r);
        AutoencoderDetector a = (AutoencoderDetector) d;
        return new AutoencoderDetector(a.pipeline(), a.net(), a.threshold(), a.thresholdPercentile(), a.seed(), a.trainingSha256(), a.trainLoss(),
                a.validationLoss(), r);
    }

    public String describe() {
        return structure.describe() + String.format(Locale.ROOT, ", threshold p%s, alarm %s", pct(percentile), rule.describe());
    }

    static String pct(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }
}
