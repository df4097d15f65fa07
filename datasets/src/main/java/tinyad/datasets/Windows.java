package tinyad.datasets;

import tinyad.common.DataException;

/**
 * Fixed-length windows cut from a {@link SensorTable}.
 *
 * <p>Window {@code w} covers rows {@code [start(w), start(w) + length)}; its flattened samples are
 * sample-major, {@code data[w][t * channels + c]}, the order in which a device receives them.
 * A window's label is the label of its last row: the score of a window is the detector's verdict
 * at that row, as it would be on a live stream.
 *
 * @param data     flattened windows
 * @param endRow   index in the source table of each window's last row
 * @param labels   per-window labels, or {@code null}
 */
public record Windows(double[][] data, int[] endRow, int[] labels, int length, int hop, int channels) {

    /** Most values (windows x window length x channels) cut at once: 256 MiB of doubles. */
    public static final long MAX_VALUES = 32L << 20;

    public int count() {
        return data.length;
    }

    public static Windows cut(SensorTable table, int length, int hop) {
        if (length < 1) throw new DataException("window length must be at least 1, got " + length);
        if (hop < 1) throw new DataException("hop must be at least 1, got " + hop);
        if (table.rows() < length)
            throw new DataException("too few rows for one window: " + table.rows() + " rows, window length " + length);
        int c = table.channelCount();
        // windows are cut in each recording on its own: none spans the join of two files
        int[] starts = table.recordingStarts();
        int n = 0;
        for (int i = 0; i < starts.length; i++) {
            int rows = (i + 1 < starts.length ? starts[i + 1] : table.rows()) - starts[i];
            if (rows >= length) n += (rows - length) / hop + 1;
        }
        if (n == 0) throw new DataException("too few rows for one window in any recording (window length " + length + ")");
        // every window is a copy of its samples: bound the copies, not only the table, so --hop 1 cannot fill the heap
        if ((long) n * length * c > MAX_VALUES)
            throw new DataException(n + " windows of " + length + " x " + c + " values are more than the " + MAX_VALUES
                    + " values tinyad holds at once; use a larger hop, a shorter window or less data");
        double[][] data = new double[n][length * c];
        int[] end = new int[n];
        int[] labels = table.hasLabels() ? new int[n] : null;
        int w = 0;
        for (int i = 0; i < starts.length; i++) {
            int stop = i + 1 < starts.length ? starts[i + 1] : table.rows();
            for (int start = starts[i]; start + length <= stop; start += hop, w++) {
                for (int t = 0; t < length; t++)
                    System.arraycopy(table.values()[start + t], 0, data[w], t * c, c);
                end[w] = start + length - 1;
                if (labels != null) labels[w] = table.labels()[end[w]];
            }
        }
        return new Windows(data, end, labels, length, hop, c);
    }

    /** The windows whose label is 0 (all of them when there are no labels): what detectors train on. */
    public Windows normalOnly() {
        if (labels == null) return this;
        int n = 0;
        for (int l : labels) if (l == 0) n++;
        double[][] d = new double[n][];
        int[] e = new int[n];
        int j = 0;
        for (int i = 0; i < labels.length; i++)
            if (labels[i] == 0) { d[j] = data[i]; e[j++] = endRow[i]; }
        return new Windows(d, e, new int[n], length, hop, channels);
    }
}
