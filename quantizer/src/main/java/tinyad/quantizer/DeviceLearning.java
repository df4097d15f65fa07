package tinyad.quantizer;

import java.util.ArrayList;
import java.util.List;

import tinyad.common.DataException;
import tinyad.datasets.FeatureSet;
import tinyad.datasets.IntFeatures;
import tinyad.datasets.IntStage;
import tinyad.datasets.Pipeline;

/**
 * On-device learning, the Java integer reference (docs/learning.md): a device that takes its next {@code windows}
 * windows of int16 counts as normal and re-learns, in integers only, what the shipped model assumed about the
 * machine. The windows are split evenly over the plan's phases, run in this order (the last phase takes the rest):
 * <ol>
 *   <li><b>channels</b>: per channel the smallest and largest count; then {@code center}, {@code shift} and {@code zero}
 *       by the rule {@link IntStage#fit} uses on the host;</li>
 *   <li><b>features</b>: per feature (per channel for raw windows) the exact integer mean and standard deviation of the
 *       integer features under the new centring; then each input's fold ({@link DeviceFeatures}) from them in integers,
 *       with the model's input scale as the constant {@code inv_scale_q16 = round(65536 / scale)};</li>
 *   <li><b>centroids</b> (k-means): sequential (MacQueen) k-means on the new inputs, the centroids in Q8, each window
 *       moving its nearest centroid by {@code (256 x - c) / n} (n its windows so far, capped at {@link #COUNT_CAP}),
 *       either from the shipped centroids (refine: they count as one window) or from the phase's first k windows (scratch);</li>
 *   <li><b>radii</b> (radius score with learned centroids): each centroid's radius the largest {@code isqrt} distance of
 *       the windows nearest to it (centroids no window chose keep the shipped radius);</li>
 *   <li><b>threshold</b>: the exact {@code percentile} (in hundredths of a percent) of the phase's scores, interpolated
 *       between order statistics in integers, from a buffer of the largest scores; the re-arm level moves with it.</li>
 * </ol>
 * Sequential k-means (not mini-batch Lloyd) because it needs no second pass and no per-window storage: one Q8
 * centroid table is the whole state, which a 2 KB AVR can hold; the rule is deterministic (nearest = first on ties,
 * division truncated toward zero as C99 does).
 */
public final class DeviceLearning {
    /** What a device re-learns. */
    public enum Centroids { KEEP, REFINE, SCRATCH }

    /** Phases, in the order they run. */
    public enum Phase { CHANNELS, FEATURES, CENTROIDS, RADII, THRESHOLD }

    /** A window count a centroid's step stops shrinking at: later windows still move it by 1/64. */
    public static final int COUNT_CAP = 64;
    /** Most learning windows (bounds every integer sum below). */
    public static final int MAX_WINDOWS = 16384;
    /** Feature deviations from the phase's first window are clamped to this many bits (their squares summed in int64). */
    public static final int DEVIATION_BITS = 23;
    /** Most scores the threshold phase keeps (the top of its order statistics). */
    public static final int MAX_TOP = 64;

    /**
     * @param windows    learning windows, 1 .. MAX_WINDOWS
     * @param channels   re-learn the centring of the counts
     * @param features   re-learn the normalisation of the features
     * @param centroids  what happens to a k-means model's centroids (KEEP for an autoencoder)
     * @param threshold  re-learn the alarm threshold
     * @param percentile the threshold's percentile in hundredths of a percent (9950 = p99.5)
     */
    public record Plan(int windows, boolean channels, boolean features, Centroids centroids, boolean threshold, int percentile) {
        public Plan {
            if (windows < 1 || windows > MAX_WINDOWS) throw new DataException("learning takes 1 to " + MAX_WINDOWS + " windows, not " + windows);
            if (percentile < 0 || percentile > 10000) throw new DataException("the learning percentile is in hundredths of a percent, 0 to 10000");
        }

        /** Everything: centring, normalisation, centroids refined, threshold. */
        public static Plan full(int windows, int percentile) {
            return new Plan(windows, true, true, Centroids.REFINE, true, percentile);
        }
    }

    /** The phases a plan runs on a model, with the windows each takes. */
    public static List<int[]> schedule(Plan plan, QuantizedModel model) {
        List<Phase> on = phases(plan, model);
        if (on.isEmpty()) throw new DataException("the learning plan learns nothing");
        if (plan.windows() < on.size()) throw new DataException(on.size() + " learning phases need at least " + on.size() + " windows");
        List<int[]> s = new ArrayList<>();
        int each = plan.windows() / on.size();
        for (int i = 0; i < on.size(); i++) s.add(new int[] {on.get(i).ordinal(), i == on.size() - 1 ? plan.windows() - each * i : each});
        return s;
    }

    static List<Phase> phases(Plan plan, QuantizedModel model) {
        boolean kmeans = model instanceof QuantizedKMeans;
        if (!kmeans && plan.centroids() != Centroids.KEEP) throw new DataException("only a k-means model has centroids to learn");
        if ((plan.channels() || plan.features()) && !model.hasIntegerFeatures())
            throw new DataException("the model has no integer feature stage to re-learn");
        List<Phase> on = new ArrayList<>();
        if (plan.channels()) on.add(Phase.CHANNELS);
        if (plan.features()) on.add(Phase.FEATURES);
        if (plan.centroids() != Centroids.KEEP) on.add(Phase.CENTROIDS);
        if (plan.centroids() != Centroids.KEEP && ((QuantizedKMeans) model).radiiQ() != null) on.add(Phase.RADII);
        if (plan.threshold()) on.add(Phase.THRESHOLD);
        return on;
    }

    /** Scores kept for the threshold of a phase of {@code m} windows at {@code percentile}. */
    public static int topScores(int m, int percentile) {
        return m - (int) ((long) percentile * (m - 1) / 10000);
    }

    /** {@code round(65536 / scale)}: the input scale as the integer the device folds with. */
    public static int invScaleQ16(double scale) {
        double v = Math.rint(65536.0 / scale);
        if (!(v >= 1 && v <= Integer.MAX_VALUE)) throw new DataException("input scale " + scale + " is outside what on-device learning can fold");
        return (int) v;
    }

    /** Per channel, the physical zero in counts: {@code clamp(rint(-offset / lsb))} (0 for a device's own counts). */
    public static int zeroCount(IntStage s, int c) {
        double v = Math.rint(-s.sampleOffset()[c] / s.sampleLsb()[c]);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
    }

    // ---- the state: what the device holds in RAM ----
    private final QuantizedModel model;
    private final Plan plan;
    private final List<int[]> schedule;
    private final FeatureSet set;
    private final int channels, window, invScale;
    private IntStage stage;
    private DeviceFeatures fold;
    private final int[][] centroidsQ8;   // k-means: Q8 centroids; null otherwise
    private final int[] counts;          // windows per centroid so far
    private int[] radii;
    private int thresholdQ, rearmQ;
    private int phase, inPhase, learned;
    // phase accumulators
    private int[] min, max;
    private long[] pivot, s1, s2;
    private int[] groupCount;
    private int[] top;
    private int topLen;
    private QuantizedModel scorer;

    public DeviceLearning(QuantizedModel model, Plan plan) {
        this.model = model;
        this.plan = plan;
        this.schedule = schedule(plan, model);
        Pipeline p = model.pipeline();
        this.set = p.featureSet();
        this.channels = p.channels().size();
        this.window = p.window();
        this.invScale = invScaleQ16(model.inputQuant().scale());
        this.stage = p.integer();
        this.fold = model.hasIntegerFeatures() ? DeviceFeatures.of(model) : null;
        if (model instanceof QuantizedKMeans k) {
            centroidsQ8 = new int[k.centroids().length][];
            for (int j = 0; j < centroidsQ8.length; j++) {
                centroidsQ8[j] = new int[k.inputSize()];
                for (int i = 0; i < k.inputSize(); i++) centroidsQ8[j][i] = k.centroids()[j][i] * 256;
            }
            counts = new int[centroidsQ8.length];
            radii = k.radiiQ() == null ? null : k.radiiQ().clone();
        } else {
            centroidsQ8 = null;
            counts = null;
        }
        thresholdQ = model.thresholdQ();
        rearmQ = (int) model.alarm().rearm();
        for (int[] ph : schedule) if (ph[0] == Phase.THRESHOLD.ordinal() && topScores(ph[1], plan.percentile()) > MAX_TOP)
            throw new DataException("a threshold at p" + plan.percentile() / 100.0 + " of " + ph[1] + " windows needs the top "
                    + topScores(ph[1], plan.percentile()) + " scores; the device keeps at most " + MAX_TOP + " (learn on fewer windows or a higher percentile)");
        begin();
    }

    public boolean done() {
        return phase >= schedule.size();
    }

    /** Learning windows taken so far. */
    public int learned() {
        return learned;
    }

    public Phase currentPhase() {
        return done() ? null : Phase.values()[schedule.get(phase)[0]];
    }

    /** Feeds one learning window of counts (sample-major); ignored once learning is done. */
    public void learn(int[] w) {
        if (done()) return;
        if (w.length != window * channels) throw new IllegalArgumentException("window of " + w.length + " counts, expected " + window * channels);
        switch (currentPhase()) {
            case CHANNELS -> {
                for (int i = 0; i < w.length; i++) {
                    int c = i % channels;
                    min[c] = Math.min(min[c], w[i]);
                    max[c] = Math.max(max[c], w[i]);
                }
            }
            case FEATURES -> {
                int[] f = stage.features(w, channels, set);
                for (int i = 0; i < f.length; i++) {
                    int g = group(i);
                    if (groupCount[g] == 0) pivot[g] = f[i];
                    long e = Math.max(-(1L << DEVIATION_BITS), Math.min(1L << DEVIATION_BITS, f[i] - pivot[g]));
                    s1[g] += e;
                    s2[g] += e * e;
                    groupCount[g]++;
                }
            }
            case CENTROIDS -> centroidStep(input(w));
            case RADII -> {
                byte[] x = input(w);
                int[] near = nearest(x);
                radii[near[0]] = Math.max(counts[near[0]] == 0 ? Integer.MIN_VALUE : radii[near[0]], QuantizedKMeans.isqrt(near[1]));
                counts[near[0]] = 1;
            }
            case THRESHOLD -> keepTop(scorer.score(input(w)));
        }
        learned++;
        if (++inPhase == schedule.get(phase)[1]) {
            end();
            phase++;
            begin();
        }
    }

    private int group(int i) {
        return set.isRawOnly() ? i % channels : i;
    }

    private void begin() {
        inPhase = 0;
        if (done()) return;
        switch (currentPhase()) {
            case CHANNELS -> {
                min = new int[channels];
                max = new int[channels];
                java.util.Arrays.fill(min, Integer.MAX_VALUE);
                java.util.Arrays.fill(max, Integer.MIN_VALUE);
            }
            case FEATURES -> {
                int groups = set.isRawOnly() ? channels : model.inputSize();
                pivot = new long[groups];
                s1 = new long[groups];
                s2 = new long[groups];
                groupCount = new int[groups];
            }
            case CENTROIDS -> java.util.Arrays.fill(counts, plan.centroids() == Centroids.REFINE ? 1 : 0);
            case RADII -> java.util.Arrays.fill(counts, 0);   // 1 once a window chose the centroid
            case THRESHOLD -> {
                top = new int[topScores(schedule.get(phase)[1], plan.percentile())];
                topLen = 0;
                scorer = model();   // nothing it holds changes during this phase
            }
        }
    }

    private void end() {
        switch (currentPhase()) {
            case CHANNELS -> endChannels();
            case FEATURES -> endFeatures();
            case CENTROIDS -> { }
            case RADII -> { }
            case THRESHOLD -> endThreshold(schedule.get(phase)[1]);
        }
    }

    private void endChannels() {
        int n = window, limit = IntFeatures.sampleLimit(n);
        int[] center = new int[channels], shift = new int[channels];
        long[] zero = new long[channels];
        long zl = IntFeatures.zeroLimit(n);
        for (int c = 0; c < channels; c++) {
            int[] cs = IntStage.centring(min[c], max[c], limit);
            center[c] = cs[0];
            shift[c] = cs[1];
            int s = cs[1];
            long z = (long) zeroCount(stage, c) - center[c];
            z = s == 0 ? z : (z + (1L << (s - 1))) >> s;   // nearest, halves up
            zero[c] = Math.max(-zl, Math.min(zl, z));
        }
        stage = new IntStage(stage.sampleOffset(), stage.sampleLsb(), center, shift, zero, stage.featureMean(), stage.featureStd());
    }

    private void endFeatures() {
        int n = model.inputSize();
        int[] off = new int[n], pre = new int[n], mult = new int[n], sh = new int[n];
        for (int i = 0; i < n; i++) {
            int g = group(i);
            long cnt = groupCount[g];
            long mean = divRound(s1[g], cnt);
            // sum of (e - mean)^2, exactly, from the two sums
            long m2 = s2[g] - 2 * mean * s1[g] + cnt * mean * mean;
            long std = Math.max(1, IntFeatures.isqrt(m2 / cnt));
            off[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, pivot[g] + mean));
            int[] f = foldInteger(std, invScale);
            pre[i] = f[0];
            mult[i] = f[1];
            sh[i] = f[2];
        }
        fold = new DeviceFeatures(off, pre, mult, sh, model.inputQuant().zeroPoint());
    }

    /** a / b rounded to nearest, halves away from zero (b > 0). */
    static long divRound(long a, long b) {
        return a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b);
    }

    /**
     * The fold of {@link DeviceFeatures#fold} in integers: {pre_shift, multiplier, shift} with
     * {@code multiplier * 2^-shift = 2^pre_shift * inv_scale_q16 / (std * 65536)}, multiplier in [2^14, 2^15) rounded
     * to nearest (halves up), pre_shift the smallest (at most 30) with {@code std * 2^24 < 32767 * inv_scale_q16 * 2^pre_shift}.
     */
    public static int[] foldInteger(long std, int invScaleQ16) {
        if (std < 1 || std >= (1L << 36) || invScaleQ16 < 1) throw new IllegalArgumentException("fold of std " + std);
        long lhs = std << 24, y = 32767L * invScaleQ16;
        int pre = 0;
        while (pre < 30 && (lhs >> pre) >= y) pre++;
        // multiplier = invScale * 2^t / std with t = pre + shift - 16, in [2^14, 2^15)
        long num = invScaleQ16;
        int t = 14 - (bits(num) - bits(std));
        while (ratioFloor(num, std, t) >= (1L << 15)) t--;
        while (ratioFloor(num, std, t) < (1L << 14)) t++;
        long m = ratioRound(num, std, t);
        if (m == (1L << 15)) { m = 1L << 14; t--; }
        int shift = t + 16 - pre;
        if (shift > 31) return new int[] {pre, 0, 0};
        if (shift < 0) return new int[] {pre, 32767, 0};
        return new int[] {pre, (int) m, shift};
    }

    private static int bits(long v) {
        return 64 - Long.numberOfLeadingZeros(v);
    }

    /** floor(num * 2^t / den); num * 2^t and den * 2^-t stay below 2^62 for the t the search visits. */
    private static long ratioFloor(long num, long den, int t) {
        return t >= 0 ? (num << t) / den : num / (den << -t);
    }

    private static long ratioRound(long num, long den, int t) {
        long a = t >= 0 ? num << t : num, b = t >= 0 ? den : den << -t;
        return (2 * a + b) / (2 * b);
    }

    private void centroidStep(byte[] x) {
        int j = plan.centroids() == Centroids.SCRATCH ? firstEmpty() : -1;
        if (j >= 0) {   // scratch: the phase's first k windows are the centroids
            for (int i = 0; i < x.length; i++) centroidsQ8[j][i] = x[i] * 256;
            counts[j] = 1;
            return;
        }
        j = nearest(x)[0];
        if (counts[j] < COUNT_CAP) counts[j]++;
        for (int i = 0; i < x.length; i++) centroidsQ8[j][i] += (x[i] * 256 - centroidsQ8[j][i]) / counts[j];
    }

    private int firstEmpty() {
        for (int j = 0; j < counts.length; j++) if (counts[j] == 0) return j;
        return -1;
    }

    /** The int8 centroid a Q8 one scores as: nearest, halves up, clamped. */
    static byte int8(int q8) {
        return (byte) Math.max(-128, Math.min(127, (q8 + 128) >> 8));
    }

    /** {nearest centroid (first on ties), its squared distance} with the int8 view of the Q8 centroids. */
    private int[] nearest(byte[] x) {
        int best = Integer.MAX_VALUE, at = 0;
        for (int j = 0; j < centroidsQ8.length; j++) {
            int acc = 0;
            for (int i = 0; i < x.length; i++) {
                int d = x[i] - int8(centroidsQ8[j][i]);
                acc += d * d;
            }
            if (acc < best) { best = acc; at = j; }
        }
        return new int[] {at, best};
    }

    private void keepTop(int s) {
        // top[0..topLen) ascending; the smallest drops out when full
        if (topLen == top.length) {
            if (s <= top[0]) return;
            System.arraycopy(top, 1, top, 0, topLen - 1);
            topLen--;
        }
        int i = topLen;
        while (i > 0 && top[i - 1] > s) { top[i] = top[i - 1]; i--; }
        top[i] = s;
        topLen++;
    }

    private void endThreshold(int m) {
        // the percentile by linear interpolation between order statistics lo and lo + 1 of m (ascending), floored
        long pos = (long) plan.percentile() * (m - 1);
        int lo = (int) (pos / 10000), rem = (int) (pos % 10000);
        int base = m - top.length;                 // order statistic of top[0]
        long a = top[lo - base], b = lo + 1 < m ? top[lo + 1 - base] : a;
        long thr = a + Math.floorDiv((b - a) * rem, 10000);
        int old = thresholdQ;
        thresholdQ = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, thr));
        long rearm = Math.min(thresholdQ, (long) rearmQ + ((long) thresholdQ - old));
        rearmQ = (int) Math.max(Integer.MIN_VALUE, rearm);
    }

    // ---- scoring with what was learned so far ----

    /** The int8 input of a window of counts with the current centring and fold. */
    public byte[] input(int[] w) {
        return fold.inputs(stage.features(w, channels, set));
    }

    /** The score of a window of counts with the current state. */
    public int score(int[] w) {
        return model().score(input(w));
    }

    /** The model as learned so far: centroids, radii, threshold and re-arm level (the centring and fold: {@link #input}). */
    public QuantizedModel model() {
        tinyad.model.AlarmRule a = model.alarm();
        tinyad.model.AlarmRule alarm = new tinyad.model.AlarmRule(a.k(), a.n(), a.holdoff(), thresholdQ, rearmQ);
        if (model instanceof QuantizedKMeans k) {
            byte[][] c = new byte[centroidsQ8.length][];
            for (int j = 0; j < c.length; j++) {
                c[j] = new byte[centroidsQ8[j].length];
                for (int i = 0; i < c[j].length; i++) c[j][i] = int8(centroidsQ8[j][i]);
            }
            return new QuantizedKMeans(k.pipeline(), k.inputQuant(), c, thresholdQ, k.threshold(), radii == null ? null : radii.clone(), alarm);
        }
        QuantizedAutoencoder ae = (QuantizedAutoencoder) model;
        return new QuantizedAutoencoder(ae.pipeline(), ae.inputQuant(), ae.layers(), thresholdQ, ae.threshold(), alarm, ae.outputRequant());
    }

    public IntStage stage() {
        return stage;
    }

    public DeviceFeatures fold() {
        return fold;
    }

    public int thresholdQ() {
        return thresholdQ;
    }
}
