package tinyad.devicebridge;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import tinyad.common.ToolException;

/**
 * Records training data from a device: puts it in raw mode ({@code M raw}), asks its sample rate ({@code Q}) and
 * reads its {@code D} frames for a span of the device's own time (frame count / rate, not the host's clock, so
 * a slow link cannot shorten or stretch the recording). Every frame index is checked: a frame the device skipped
 * (its link could not keep up) or the link lost is a gap, and a recording with a gap is refused, because the
 * windows cut from it would join samples that were not adjacent in time.
 */
public final class Collector {
    private Collector() {}

    /** The recording: frames in order, their rate, and what was dropped on the way (bad lines are not frames). */
    public record Recording(long rateMillihz, List<int[]> frames, long badLines) {
        public double rateHz() {
            return rateMillihz / 1000.0;
        }

        /** The recording as a table: timestamps in seconds from the first frame (what {@link #csv} writes), no labels. */
        public tinyad.datasets.SensorTable table(List<String> channels) {
            String[] ts = new String[frames.size()];
            double[][] v = new double[frames.size()][];
            for (int i = 0; i < ts.length; i++) {
                ts[i] = String.format(Locale.ROOT, "%.6f", i * 1000.0 / rateMillihz);
                v[i] = java.util.Arrays.stream(frames.get(i)).asDoubleStream().toArray();
            }
            return new tinyad.datasets.SensorTable(channels, ts, v, null);
        }

        /** CSV that {@code tinyad train} reads: a timestamp column in seconds from the first frame, then the channels. */
        public String csv(List<String> channels) {
            StringBuilder b = new StringBuilder("timestamp");
            for (String c : channels) b.append(',').append(c);
            b.append('\n');
            for (int i = 0; i < frames.size(); i++) {
                b.append(String.format(Locale.ROOT, "%.6f", i * 1000.0 / rateMillihz));
                for (int v : frames.get(i)) b.append(',').append(v);
                b.append('\n');
            }
            return b.toString();
        }
    }

    /**
     * Collects {@code seconds} of the device's time (frames at its rate). {@code progress} gets the count now and then; the run ends with a
     * ToolException (one line) when the device stops sending for {@code timeoutMillis}, has no raw mode, or a frame
     * is missing.
     */
    public static Recording collect(DeviceSession session, double seconds, int timeoutMillis, Consumer<Long> progress)
            throws IOException {
        Protocol.Hello hello = session.requireHello(timeoutMillis);
        session.selectMode(hello, "raw", timeoutMillis);
        session.send(Protocol.frame("Q"));
        List<int[]> got = new ArrayList<>();
        long rate = 0, next = 0, frames = Long.MAX_VALUE, badBefore = session.counters().bad();
        int channels = -1;
        try {
            while (got.size() < frames) {
                Protocol.Message m = session.next(timeoutMillis);
                if (m == null) throw new ToolException("the device sent no frame for " + timeoutMillis + " ms (" + got.size() + " collected)");
                if (m instanceof Protocol.Status st && st.mode().equals("raw")) {
                    if (st.rateMillihz() == 0) throw new ToolException("the device reports no sample rate");
                    rate = st.rateMillihz();
                    frames = Math.max(1, (long) Math.ceil(seconds * rate / 1000.0));
                    if (st.skipped() > 0)
                        throw new ToolException("the device skipped " + st.skipped() + " frames its link could not carry: lower the sample rate or raise the baud rate");
                }
                if (!(m instanceof Protocol.Frame f)) continue;
                if (f.index() != next)
                    throw new ToolException("frame " + next + " is missing (the next was " + f.index() + "; "
                            + (session.counters().bad() - badBefore) + " bad lines): the recording would have a gap");
                if (channels < 0) channels = f.counts().length;
                if (f.counts().length != channels) throw new ToolException("frame " + next + " has " + f.counts().length + " channels, not " + channels);
                got.add(f.counts());
                next++;
                if (progress != null && (next & 255) == 0) progress.accept(next);
            }
        } finally {
            try {
                session.selectMode(hello, "live", timeoutMillis);   // back to what a deployed board does
            } catch (IOException | RuntimeException ignored) {
                // the recording (or its error) matters more than the device's mode afterwards
            }
        }
        if (rate == 0) throw new ToolException("the device never reported its sample rate (no Q line)");
        return new Recording(rate, got, session.counters().bad() - badBefore);
    }
}
