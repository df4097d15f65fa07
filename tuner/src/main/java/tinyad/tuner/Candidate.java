package tinyad.tuner;

import java.util.Locale;

import tinyad.datasets.Pipeline;
import tinyad.datasets.SensorTable;
import tinyad.model.KMeansDetector;
import tinyad.trainer.KMeansTrainer;

/**
 * One point of the search: a {@link Structure}, a threshold percentile and an alarm {@link RuleShape}. A recipe, not a
 * model: {@link #train} makes the model from any training data, so a candidate chosen on some files carries to others.
 */
public record Candidate(Structure structure, double percentile, RuleShape rule) {
    /** Trains this candidate on {@code train} (its normal windows; held-out tail for the threshold as {@code tinyad train}). */
    public KMeansDetector train(SensorTable train, long seed, double sampleRateHz, String sha256) {
        Structure s = structure;
        Pipeline p = Pipeline.fit(train, null, s.window(), s.hop(), s.features()).withSampleRate(sampleRateHz);
        return withAlarm(KMeansTrainer.fit(train, p, new KMeansTrainer.Options(s.k(), seed, 100, percentile, s.radius()), sha256));
    }

    /** The fitted model thresholded at this percentile, with this rule. */
    KMeansDetector withAlarm(KMeansTrainer.Fitted f) {
        KMeansDetector d = f.thresholded(percentile);
        return new KMeansDetector(d.pipeline(), d.centroids(), d.threshold(), d.thresholdPercentile(), d.seed(), d.trainingSha256(),
                d.radii(), rule.apply(d.alarm()));
    }

    public String describe() {
        return structure.describe() + String.format(Locale.ROOT, ", threshold p%s, alarm %s", pct(percentile), rule.describe());
    }

    static String pct(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }
}
