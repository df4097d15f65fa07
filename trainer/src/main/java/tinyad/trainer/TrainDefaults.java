package tinyad.trainer;

import tinyad.datasets.FeatureSet;

/**
 * {@code tinyad train}'s window, hop and k when the user gives none: 32, 16 and 16 (fit for a recording of thousands of
 * rows), made smaller on a short recording so that it still gives enough windows: the window is halved (down to 8, or
 * twice the largest spectral band count) until the training part holds 20 windows' worth of rows; the hop is halved
 * (down to 1) until it cuts 100 windows; k is halved (down to 2) until the fitted windows (80 % of them; the rest set the
 * threshold) number 10 per cluster. 400 training rows get window 16, hop 2, k 8; 200 get window 8, hop 1, k 8.
 */
public record TrainDefaults(int window, int hop, int k) {
    public static final int WINDOW = 32, K = 16, MIN_WINDOWS = 100, ROWS_PER_WINDOW = 20, WINDOWS_PER_CLUSTER = 10;
    /** Below this rate the default features are {@code stats}. */
    public static final double SLOW_HZ = 10;

    /**
     * {@code raw} (the waveform itself: vibration, sound) unless the data is sampled below {@link #SLOW_HZ}: then each
     * sample is a level of a slow process (SKAB's pressures and flows at 1 Hz, NAB's metrics) whose exact position in the
     * window is noise, and a window's statistics describe it better (BENCHMARKS.md: SKAB raw 0.789, stats 0.864 mean
     * ROC-AUC). An unknown rate (0) keeps {@code raw}.
     */
    public static String features(double rateHz) {
        return rateHz > 0 && rateHz < SLOW_HZ ? "stats" : "raw";
    }

    /** Defaults for {@code rows} training rows; a non-null argument is the user's choice and is kept. */
    public static TrainDefaults choose(int rows, String features, Integer window, Integer hop, Integer k) {
        int minWindow = 8;
        for (FeatureSet.Block b : FeatureSet.parse(features).blocks()) if (b.kind().equals("spectral")) minWindow = Math.max(minWindow, 2 * b.bins());
        int w = window != null ? window : WINDOW;
        if (window == null) while (w / 2 >= minWindow && rows < ROWS_PER_WINDOW * w) w /= 2;
        int h = hop != null ? hop : Math.max(1, w / 2);
        if (hop == null) while (h > 1 && windows(rows, w, h) < MIN_WINDOWS) h /= 2;
        int c = k != null ? k : K;
        if (k == null) while (c > 2 && 0.8 * windows(rows, w, h) < WINDOWS_PER_CLUSTER * c) c /= 2;
        return new TrainDefaults(w, h, c);
    }

    static long windows(int rows, int w, int h) {
        return rows < w ? 0 : (rows - w) / h + 1;
    }
}
