package tinyad.tuner;

import java.util.Locale;

/**
 * What a candidate model is before its alarm decision: how windows are cut, which features, the detector and its size
 * (k-means: {@code k} and the radius score; autoencoder: {@code layers} as {@code tinyad train --layers} takes them).
 * Everything here sets the device's cost ({@link CostModel}); the threshold and the alarm rule cost nothing there.
 */
public record Structure(int window, int hop, String features, String kind, int k, boolean radius, String layers) {
    public static final String KMEANS = "kmeans", AE = "ae";

    /** A k-means structure. */
    public Structure(int window, int hop, String features, int k, boolean radius) {
        this(window, hop, features, KMEANS, k, radius, "");
    }

    /** An autoencoder structure. */
    public static Structure autoencoder(int window, int hop, String features, String layers) {
        return new Structure(window, hop, features, AE, 0, false, layers);
    }

    public boolean isAutoencoder() {
        return kind.equals(AE);
    }

    public String describe() {
        String det = isAutoencoder() ? "autoencoder " + layers : String.format(Locale.ROOT, "kmeans k=%d %s", k, radius ? "radius" : "distance");
        return String.format(Locale.ROOT, "%s, window %d hop %d, %s", det, window, hop, features);
    }

    /** The train options that make this structure (the same as {@code tinyad train --window .. --hop .. --features ..}). */
    public String trainOptions() {
        String common = String.format(Locale.ROOT, "--window %d --hop %d --features %s", window, hop, features);
        return isAutoencoder() ? "--model ae " + common + " --layers " + layers
                : String.format(Locale.ROOT, "--model kmeans %s --k %d --kmeans-score %s", common, k, radius ? "radius" : "distance");
    }
}
