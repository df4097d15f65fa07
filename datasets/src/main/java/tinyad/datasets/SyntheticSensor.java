package tinyad.datasets;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import tinyad.common.AtomicFiles;
import tinyad.common.DataException;

/**
 * A seeded 3-axis vibration sensor on a rotating machine, the built-in data of every command.
 *
 * <p>Normal operation: shaft rotation at about 29.5 Hz (slow speed wander), its 1x/2x/3x harmonics
 * phase-locked to the shaft with different amplitudes per axis, slow load modulation, and sensor noise.
 * After the first {@code cleanFraction} of the recording, labelled fault segments are injected:
 * <ul>
 *   <li>{@code bearing}: an impulse train at the outer-race frequency (3.58x) ringing a 240 Hz resonance</li>
 *   <li>{@code imbalance}: the 1x component grows on the radial axes</li>
 *   <li>{@code spikes}: sparse large single-sample spikes (electrical interference, impacts)</li>
 *   <li>{@code drift}: a growing offset on one axis (a loosening mount, sensor drift)</li>
 *   <li>{@code stuck}: one axis freezes at its last value</li>
 * </ul>
 * The same seed always gives the same rows, byte for byte.
 */
public final class SyntheticSensor {
    public static final List<String> CHANNELS = List.of("ax", "ay", "az");
    public static final String[] FAULTS = {"bearing", "imbalance", "spikes", "drift", "stuck"};

    public record Options(long seed, int rows, double sampleRateHz, double cleanFraction, int faultLength) {
        public static Options defaults() {
            return new Options(42, 60_000, 1000.0, 0.6, 400);
        }
    }

    /** A fault segment [start, end) of a given kind, on a given axis where that matters. */
    public record Fault(String kind, int start, int end, int axis) {}

    public record Recording(SensorTable table, List<Fault> faults) {}

    private SyntheticSensor() {}

    public static Recording generate(Options o) {
        if (o.rows() < 100) throw new DataException("synthetic data needs at least 100 rows, got " + o.rows());
        SplittableRandom rnd = new SplittableRandom(o.seed());
        int n = o.rows(), c = CHANNELS.size();
        double fs = o.sampleRateHz();
        double[][] v = new double[n][c];
        int[] labels = new int[n];
        String[] ts = new String[n];
        double[][] amp = {{1.0, 0.35, 0.15}, {0.8, 0.45, 0.2}, {0.3, 0.6, 0.25}};   // [axis][harmonic]
        double[] axisPhase = {0.0, Math.PI / 2, 0.3};
        double shaft = 0, speed = 29.5, load = 1.0;
        String time = "%." + timeDecimals(fs) + "f";
        for (int i = 0; i < n; i++) {
            speed += 0.002 * rnd.nextDouble(-1, 1) + 0.0005 * (29.5 - speed);   // slow wander
            load += 0.001 * rnd.nextDouble(-1, 1) + 0.001 * (1.0 - load);
            shaft += 2 * Math.PI * speed / fs;
            for (int a = 0; a < c; a++) {
                double s = 0;
                for (int h = 0; h < 3; h++) s += amp[a][h] * Math.sin((h + 1) * shaft + axisPhase[a] * (h + 1));
                v[i][a] = load * s + 0.12 * gaussian(rnd) + (a == 2 ? 1.0 : 0.0);   // z axis carries gravity
            }
            ts[i] = String.format(Locale.ROOT, time, i / fs);
        }
        List<Fault> faults = new ArrayList<>();
        int first = (int) (n * o.cleanFraction());
        int len = o.faultLength();
        int gap = Math.max(len, (n - first) / 12);
        int k = 0;
        for (int start = first + gap / 2; start + len < n; start += len + gap, k++) {
            String kind = FAULTS[k % FAULTS.length];
            int axis = rnd.nextInt(c);
            faults.add(new Fault(kind, start, start + len, axis));
            inject(kind, v, start, start + len, axis, fs, rnd);
            for (int i = start; i < start + len; i++) labels[i] = 1;
        }
        return new Recording(new SensorTable(CHANNELS, ts, v, labels), faults);
    }

    /**
     * Decimals of the timestamps (seconds): 3 (milliseconds) when the period is a whole number of them (1 kHz: the
     * bytes of every earlier recording), else as many as make it exact, at most 9, so the rate a reader infers
     * from them ({@link SampleRate}) is the generator's.
     */
    static int timeDecimals(double fs) {
        for (int d = 3; d < 9; d++) {
            double steps = Math.pow(10, d) / fs;
            if (Math.abs(steps - Math.rint(steps)) < 1e-9 * steps) return d;
        }
        return 9;
    }

    private static void inject(String kind, double[][] v, int from, int to, int axis, double fs, SplittableRandom rnd) {
        switch (kind) {
            case "bearing" -> {
                double bpfo = 29.5 * 3.58, period = fs / bpfo;
                for (double hit = from; hit < to; hit += period) {
                    for (int i = (int) hit; i < Math.min(to, (int) hit + 40); i++) {
                        double t = (i - hit) / fs;
                        double ring = 1.2 * Math.exp(-t * 300) * Math.sin(2 * Math.PI * 240 * t);
                        v[i][0] += ring;
                        v[i][1] += 0.7 * ring;
                    }
                }
            }
            case "imbalance" -> {
                double shaft = rnd.nextDouble(0, 2 * Math.PI);
                for (int i = from; i < to; i++) {
                    shaft += 2 * Math.PI * 29.5 / fs;
                    v[i][0] += 0.9 * Math.sin(shaft);
                    v[i][1] += 0.9 * Math.cos(shaft);
                }
            }
            case "spikes" -> {
                for (int i = from; i < to; i++)
                    if (rnd.nextDouble() < 0.03) v[i][axis] += (rnd.nextBoolean() ? 1 : -1) * rnd.nextDouble(2.5, 4.5);
            }
            case "drift" -> {
                for (int i = from; i < to; i++) v[i][axis] += 1.5 * (i - from + 1) / (double) (to - from);
            }
            case "stuck" -> {
                double held = v[from - 1][axis];
                for (int i = from; i < to; i++) v[i][axis] = held;
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller: java.util.Random.nextGaussian is not on SplittableRandom in Java 17.
        double u = 1.0 - rnd.nextDouble(), w = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
    }

    /** Writes the recording in the generic CSV format ({@code timestamp,ax,ay,az,label}). */
    public static void write(SensorTable t, Writer out) throws IOException {
        StringBuilder line = new StringBuilder("timestamp");
        for (String ch : t.channels()) line.append(',').append(ch);
        if (t.hasLabels()) line.append(",label");
        out.write(line.append('\n').toString());
        for (int r = 0; r < t.rows(); r++) {
            line.setLength(0);
            line.append(t.timestampOf(r));
            for (double x : t.values()[r]) line.append(',').append(String.format(Locale.ROOT, "%.5f", x));
            if (t.hasLabels()) line.append(',').append(t.labels()[r]);
            out.write(line.append('\n').toString());
        }
    }

    public static void writeCsv(SensorTable t, Path file) {
        AtomicFiles.write(file, out -> {
            try (Writer w = new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8)) {
                write(t, w);
            }
        });
    }
}
