package tinyad.datasets;

/**
 * The integer feature arithmetic a device runs, from int16 sensor counts to int32 feature values: the
 * reference that defines it (docs/features.md, "Integer features") and that firmware-c's
 * {@code tinyad_features.c} computes bit for bit. Every operation is an integer one whose C twin has the
 * same width and rounding (Java's {@code /} and C99's both truncate toward zero).
 *
 * <p>Bounds: a window of {@code n} samples ({@code L = ceil(log2 n)}, n &lt;= 4096) keeps its centred samples
 * within {@code +-A}, {@code A = 2^min(11, (30 - L) / 2) - 1}, so {@code sum x^2 < 2^30}; moments use deviations
 * scaled to at most {@code 2^E}, {@code E = min(7, (31 - L) / 4)}, so {@code n * e^4 <= 2^31}.
 */
public final class IntFeatures {
    public static final int MAX_WINDOW = 4096;
    /** Fractional bits of the crest factor, skewness and kurtosis. */
    public static final int RATIO_BITS = 8;
    /** Fractional bits of a spectral band's RMS magnitude (in centred-sample units). */
    public static final int SPECTRAL_BITS = 4;
    /** Samples enter the FFT scaled to below 2^14, so that each radix-2 stage's sum fits before its halving. */
    public static final int FFT_BITS = 14;

    private IntFeatures() {}

    /** ceil(log2 n). */
    public static int log2Ceil(int n) {
        return 32 - Integer.numberOfLeadingZeros(n - 1);
    }

    /** Largest |centred sample| for a window of n samples. */
    public static int sampleLimit(int n) {
        return (1 << Math.min(11, (30 - log2Ceil(n)) / 2)) - 1;
    }

    /** Bits a scaled deviation may take in the moment sums. */
    public static int momentBits(int n) {
        return Math.min(7, (31 - log2Ceil(n)) / 4);
    }

    /** Largest |physical zero| in centred-sample units that the RMS sums can hold in 64 bits. */
    public static long zeroLimit(int n) {
        return 1L << (30 - log2Ceil(n));
    }

    /** The centred sample: {@code clamp((count - center) >> shift, -A, A)} (arithmetic shift: floor). */
    public static int centred(int count, int center, int shift, int limit) {
        int v = (count - center) >> shift;
        return Math.max(-limit, Math.min(limit, v));
    }

    /** Floor of the square root of a non-negative long, exact (bit by bit, as the C). */
    public static long isqrt(long value) {
        if (value < 0) throw new IllegalArgumentException("isqrt of a negative value");
        long root = 0, bit = 1L << 62;
        while (bit > value) bit >>>= 2;
        while (bit != 0) {
            if (value >= root + bit) {
                value -= root + bit;
                root = (root >>> 1) + bit;
            } else {
                root >>>= 1;
            }
            bit >>>= 2;
        }
        return root;
    }

    /** Number of significant bits of a non-negative value (0 for 0). */
    static int bitLength(long v) {
        return 64 - Long.numberOfLeadingZeros(v);
    }

    /**
     * The 7 stats of one channel's centred samples {@code x}, written to {@code out[o..o+6]}: mean (as the sum),
     * standard deviation and RMS (times n), peak-to-peak, crest factor, skewness, kurtosis (Q8).
     * {@code zero} is the physical zero in centred-sample units: RMS and crest factor are taken about it.
     */
    public static void stats(int[] x, long zero, int[] out, int o) {
        int n = x.length;
        int s1 = 0, mn = x[0], mx = x[0];
        long s2 = 0;
        for (int v : x) {
            s1 += v;
            s2 += v * v;
            mn = Math.min(mn, v);
            mx = Math.max(mx, v);
        }
        long variance = n * s2 - (long) s1 * s1;                       // n^2 var, >= 0
        long rmsSum = n * s2 - 2L * n * zero * s1 + (long) n * n * zero * zero; // n * sum (x - zero)^2
        int std = (int) isqrt(variance);
        int rms = (int) isqrt(rmsSum);
        long peak = Math.max(Math.abs(mn - zero), Math.abs(mx - zero));
        out[o] = s1;
        out[o + 1] = std;
        out[o + 2] = rms;
        out[o + 3] = mx - mn;
        out[o + 4] = rms == 0 ? 0 : (int) ((peak * n << RATIO_BITS) / rms);
        out[o + 5] = 0;
        out[o + 6] = 0;
        if (variance == 0) return;
        // deviations n*x - s1 = n * (x - mean), scaled (rounding half up) to at most 2^E
        int limitBits = momentBits(n);
        int dmax = Math.max(n * mx - s1, s1 - n * mn);
        int k = Math.max(0, bitLength(dmax) - limitBits);
        int m2 = 0, m3 = 0, m4 = 0;
        for (int v : x) {
            int d = n * v - s1;
            int e = k == 0 ? d : (d + (1 << (k - 1))) >> k;
            int e2 = e * e;
            m2 += e2;
            m3 += e2 * e;
            m4 += e2 * e2;                                               // <= 2^31 - 1 by the bounds above
        }
        if (m2 == 0) return;
        long m2l = Integer.toUnsignedLong(m2), m4l = Integer.toUnsignedLong(m4);
        long skewDen = m2l * isqrt(n * m2l);
        out[o + 5] = skewDen == 0 ? 0 : (int) (((long) m3 * n << RATIO_BITS) / skewDen);
        out[o + 6] = (int) ((m4l * n << RATIO_BITS) / (m2l * m2l));
    }

    /**
     * Q15 twiddles for an n-point FFT: {@code cos[m] = round(32768 cos(2 pi m / n))} and the same for sin,
     * m < n/2, clamped to 32767 (the generator writes this table into the model).
     */
    public static short[][] twiddles(int n) {
        return TWIDDLES.computeIfAbsent(n, IntFeatures::makeTwiddles);   // once per window length, not per window
    }

    private static final java.util.Map<Integer, short[][]> TWIDDLES = new java.util.concurrent.ConcurrentHashMap<>();

    private static short[][] makeTwiddles(int n) {
        short[] cos = new short[n / 2], sin = new short[n / 2];
        for (int m = 0; m < n / 2; m++) {
            cos[m] = (short) Math.min(32767, Math.round(32768 * Math.cos(2 * Math.PI * m / n)));
            sin[m] = (short) Math.min(32767, Math.round(32768 * Math.sin(2 * Math.PI * m / n)));
        }
        return new short[][] {cos, sin};
    }

    /**
     * Spectral bands of one channel's centred samples (n a power of two): the mean removed (integer mean,
     * truncated), block-scaled below 2^14, a radix-2 decimation-in-time FFT in Q15 that halves every stage
     * (as CMSIS-DSP's q15 FFTs), then per band the integer root of the summed |X_k|^2 over its bins (the band's
     * RMS times the square root of its bin count, a constant the normalisation absorbs), in units of 2^-4
     * centred samples. Written to {@code out[o..o+bins-1]}.
     */
    public static void spectral(int[] x, int bins, short[][] twiddles, int[] out, int o) {
        spectral(x, bins, twiddles, out, o, 1 << 14);
    }

    /**
     * As above with the butterflies' rounding constant given: tests use another constant to find the windows
     * where the FFT's rounding ties decide a band (so that those windows are among the vectors a device is checked on).
     */
    public static void spectral(int[] x, int bins, short[][] twiddles, int[] out, int o, int rounding) {
        int n = x.length, half = n / 2, log2 = log2Ceil(n);
        if (Integer.bitCount(n) != 1) throw new IllegalArgumentException("integer spectral features need a power-of-two window");
        int s1 = 0;
        for (int v : x) s1 += v;
        int mean = s1 / n;
        int m = 0;
        for (int v : x) m = Math.max(m, Math.abs(v - mean));
        if (m == 0) {
            for (int b = 0; b < bins; b++) out[o + b] = 0;
            return;
        }
        int g = FFT_BITS - bitLength(m);                                 // >= 1: |x - mean| < 2^13
        int[] re = new int[n], im = new int[n];
        for (int t = 0; t < n; t++) re[Integer.reverse(t) >>> (32 - log2)] = (x[t] - mean) << g;
        short[] cos = twiddles[0], sin = twiddles[1];
        for (int size = 2; size <= n; size <<= 1) {
            int h = size >> 1, step = n / size;
            for (int start = 0; start < n; start += size) {
                for (int j = 0; j < h; j++) {
                    int wr = cos[j * step], wi = -sin[j * step];         // e^(-2 pi i j / size)
                    int a = start + j, b = a + h;
                    int tr = (re[b] * wr - im[b] * wi + rounding) >> 15;
                    int ti = (re[b] * wi + im[b] * wr + rounding) >> 15;
                    int ar = re[a], ai = im[a];
                    re[a] = (ar + tr) >> 1;
                    im[a] = (ai + ti) >> 1;
                    re[b] = (ar - tr) >> 1;
                    im[b] = (ai - ti) >> 1;
                }
            }
        }
        for (int b = 0; b < bins; b++) {
            int from = b * half / bins, to = (b + 1) * half / bins;
            long sum = 0;
            for (int k = from + 1; k <= to; k++) sum += (long) re[k] * re[k] + (long) im[k] * im[k];
            long rms = isqrt(sum);                                     // 1/sqrt(bins in the band): folded into the normalisation
            int shift = g - SPECTRAL_BITS;
            out[o + b] = (int) (shift >= 0 ? rms >> shift : rms << -shift);
        }
    }
}
