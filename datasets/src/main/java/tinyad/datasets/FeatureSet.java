package tinyad.datasets;

import java.util.ArrayList;
import java.util.List;

import tinyad.common.DataException;

/**
 * The features computed from one window, as a {@code +}-separated list of blocks:
 * <ul>
 *   <li>{@code raw}: the samples themselves, sample-major ({@code window x channels} values)</li>
 *   <li>{@code stats}: per channel, 7 time-domain statistics: mean, standard deviation, RMS, peak-to-peak,
 *       crest factor (peak |x| / RMS), skewness, kurtosis (not excess; 3 for a Gaussian)</li>
 *   <li>{@code spectral[:N]}: per channel, the RMS magnitude of the mean-removed window's DFT in N equal
 *       bands of bins 1..window/2 (default 8), as Edge Impulse's spectral block bins band power</li>
 * </ul>
 * e.g. {@code stats+spectral:4}. Features are laid out block by block, channel by channel.
 */
public final class FeatureSet {
    public static final int STATS_PER_CHANNEL = 7;
    public static final int DEFAULT_BINS = 8;

    /** One block of the feature vector: raw, stats or spectral (with its band count). */
    public record Block(String kind, int bins) {}

    public List<Block> blocks() {
        return List.copyOf(blocks);
    }

    private final String spec;
    private final List<Block> blocks;

    private FeatureSet(String spec, List<Block> blocks) {
        this.spec = spec;
        this.blocks = blocks;
    }

    public static FeatureSet parse(String spec) {
        if (spec == null || spec.isBlank()) throw new DataException("empty feature set; known: raw, stats, spectral[:N]");
        List<Block> blocks = new ArrayList<>();
        // split with -1 keeps empty parts, so "+", "raw+" and "raw++stats" are refused rather than giving fewer blocks
        for (String part : spec.split("\\+", -1)) {
            String p = part.trim();
            if (p.isEmpty()) throw new DataException("empty block in feature set '" + spec + "'; write blocks like raw+stats");
            if (p.equals("raw") || p.equals("stats")) blocks.add(new Block(p, 0));
            else if (p.equals("spectral")) blocks.add(new Block(p, DEFAULT_BINS));
            else if (p.startsWith("spectral:")) {
                int n;
                try {
                    n = Integer.parseInt(p.substring(9));
                } catch (NumberFormatException e) {
                    throw new DataException("bad spectral bin count in '" + p + "'");
                }
                if (n < 1) throw new DataException("spectral needs at least 1 bin, got " + n);
                blocks.add(new Block("spectral", n));
            } else {
                throw new DataException("unknown feature set '" + p + "'; known: raw, stats, spectral[:N]");
            }
        }
        return new FeatureSet(spec, blocks);
    }

    public String spec() {
        return spec;
    }

    /** Raw samples only: normalised per channel rather than per feature. */
    public boolean isRawOnly() {
        return blocks.size() == 1 && blocks.get(0).kind().equals("raw");
    }

    public void check(int window) {
        for (Block b : blocks)
            if (b.kind().equals("spectral") && b.bins() > window / 2)
                throw new DataException("spectral:" + b.bins() + " needs a window of at least " + 2 * b.bins() + " samples, got " + window);
    }

    public int size(int window, int channels) {
        int n = 0;
        for (Block b : blocks)
            n += switch (b.kind()) {
                case "raw" -> window * channels;
                case "stats" -> STATS_PER_CHANNEL * channels;
                default -> b.bins() * channels;
            };
        return n;
    }

    /** Features of one window given sample-major as {@code w[t * channels + c]}. */
    public double[] compute(double[] w, int channels) {
        int len = w.length / channels;
        double[] out = new double[size(len, channels)];
        int o = 0;
        double[] x = new double[len];
        for (Block b : blocks) {
            if (b.kind().equals("raw")) {
                System.arraycopy(w, 0, out, o, w.length);
                o += w.length;
                continue;
            }
            for (int c = 0; c < channels; c++) {
                for (int t = 0; t < len; t++) x[t] = w[t * channels + c];
                if (b.kind().equals("stats")) {
                    stats(x, out, o);
                    o += STATS_PER_CHANNEL;
                } else {
                    spectral(x, b.bins(), out, o);
                    o += b.bins();
                }
            }
        }
        return out;
    }

    static void stats(double[] x, double[] out, int o) {
        int n = x.length;
        double sum = 0, sq = 0, min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, peak = 0;
        for (double v : x) {
            sum += v;
            sq += v * v;
            min = Math.min(min, v);
            max = Math.max(max, v);
            peak = Math.max(peak, Math.abs(v));
        }
        double mean = sum / n, rms = Math.sqrt(sq / n);
        double m2 = 0, m3 = 0, m4 = 0;
        for (double v : x) {
            double d = v - mean, d2 = d * d;
            m2 += d2;
            m3 += d2 * d;
            m4 += d2 * d2;
        }
        m2 /= n;
        m3 /= n;
        m4 /= n;
        double std = Math.sqrt(m2);
        // "flat" relative to the signal: float32 on a device leaves ~1e-7 of noise in a constant window's
        // spread, so skewness and kurtosis of a (nearly) constant window are defined as 0 on both sides
        boolean flat = std <= 1e-5 * peak;
        out[o] = mean;
        out[o + 1] = std;
        out[o + 2] = rms;
        out[o + 3] = max - min;
        out[o + 4] = rms < 1e-12 ? 0 : peak / rms;
        out[o + 5] = flat ? 0 : m3 / (m2 * std);
        out[o + 6] = flat ? 0 : m4 / (m2 * m2);
    }

    static void spectral(double[] x, int bins, double[] out, int o) {
        int n = x.length, half = n / 2;
        double mean = 0;
        for (double v : x) mean += v;
        mean /= n;
        double[] power = new double[half];   // bins 1..half
        for (int k = 1; k <= half; k++) {
            double re = 0, im = 0;
            for (int t = 0; t < n; t++) {
                double a = 2 * Math.PI * k * t / n, v = x[t] - mean;
                re += v * Math.cos(a);
                im -= v * Math.sin(a);
            }
            power[k - 1] = (re * re + im * im) / ((double) n * n);
        }
        for (int b = 0; b < bins; b++) {
            int from = b * half / bins, to = (b + 1) * half / bins;
            double s = 0;
            for (int k = from; k < to; k++) s += power[k];
            out[o + b] = Math.sqrt(s / Math.max(1, to - from));
        }
    }
}
