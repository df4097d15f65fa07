package tinyad.tuner;

import java.util.Locale;

/**
 * What a candidate model is before its alarm decision: how windows are cut, which features, the k-means size and score.
 * Everything here sets the device's cost ({@link CostModel}); the threshold and the alarm rule cost nothing there.
 */
public record Structure(int window, int hop, String features, int k, boolean radius) {
    public String describe() {
        return String.format(Locale.ROOT, "kmeans k=%d %s, window %d hop %d, %s", k, radius ? "radius" : "distance", window, hop, features);
    }

    /** The train options that make this structure (the same as {@code tinyad train --window .. --hop .. --features .. --k ..}). */
    public String trainOptions() {
        return String.format(Locale.ROOT, "--model kmeans --window %d --hop %d --features %s --k %d --kmeans-score %s", window, hop, features, k,
                radius ? "radius" : "distance");
    }
}
