package tinyad.datasets;

import java.util.Arrays;
import java.util.List;

import tinyad.common.DataException;

/**
 * Rows of multichannel sensor samples in time order, as loaded from a CSV.
 *
 * @param channels   channel names, one per column of {@code values}
 * @param timestamps the timestamp column as written in the file, or {@code null} if there was none
 * @param values     {@code values[row][channel]}, all finite
 * @param labels     per-row 0/1 anomaly labels, or {@code null} for unlabelled data
 * @param starts     the first row of each recording when the table joins several (files of a directory), in
 *                   order from 0; {@code null} for one recording. No window spans two recordings.
 */
public record SensorTable(List<String> channels, String[] timestamps, double[][] values, int[] labels, int[] starts) {

    /** One recording. */
    public SensorTable(List<String> channels, String[] timestamps, double[][] values, int[] labels) {
        this(channels, timestamps, values, labels, null);
    }

    public SensorTable {
        channels = List.copyOf(channels);
        if (starts != null) {
            if (starts.length == 0 || starts[0] != 0) throw new IllegalArgumentException("recordings start at row 0");
            for (int i = 1; i < starts.length; i++)
                if (starts[i] <= starts[i - 1] || starts[i] >= values.length) throw new IllegalArgumentException("bad recording starts");
            if (starts.length == 1) starts = null;
        }
        if (timestamps != null && timestamps.length != values.length)
            throw new IllegalArgumentException("timestamps and values differ in length");
        if (labels != null && labels.length != values.length)
            throw new IllegalArgumentException("labels and values differ in length");
    }

    public int rows() {
        return values.length;
    }

    public int channelCount() {
        return channels.size();
    }

    public boolean hasLabels() {
        return labels != null;
    }

    /** The timestamp of a row as written in the file, or its index when the file had none. */
    public String timestampOf(int row) {
        return timestamps != null ? timestamps[row] : Integer.toString(row);
    }

    /** A table with only the named channels, in the order given. */
    public SensorTable select(List<String> names) {
        int[] idx = new int[names.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = channels.indexOf(names.get(i));
            if (idx[i] < 0)
                throw new DataException("no channel named '" + names.get(i) + "'; the data has " + channels);
        }
        double[][] v = new double[values.length][idx.length];
        for (int r = 0; r < values.length; r++)
            for (int i = 0; i < idx.length; i++) v[r][i] = values[r][idx[i]];
        return new SensorTable(names, timestamps, v, labels, starts);
    }

    /** The first row of every recording (one recording: just 0). */
    public int[] recordingStarts() {
        return starts != null ? starts.clone() : new int[] {0};
    }

    /** Rows [from, to). */
    public SensorTable slice(int from, int to) {
        int[] st = null;
        if (starts != null) {
            java.util.List<Integer> in = new java.util.ArrayList<>(List.of(0));
            for (int s : starts) if (s > from && s < to) in.add(s - from);
            st = in.stream().mapToInt(Integer::intValue).toArray();
        }
        return new SensorTable(channels,
                timestamps == null ? null : Arrays.copyOfRange(timestamps, from, to),
                Arrays.copyOfRange(values, from, to),
                labels == null ? null : Arrays.copyOfRange(labels, from, to), st);
    }

    /**
     * Several recordings as one table (a directory of files): the channels of the first, found by name in every other;
     * timestamps and labels kept when every part has them. Windows never span two recordings.
     */
    public static SensorTable join(List<String> names, List<SensorTable> parts) {
        if (parts.isEmpty()) throw new DataException("no recordings to join");
        if (parts.size() == 1) return parts.get(0);
        List<String> ch = parts.get(0).channels();
        int rows = 0;
        boolean ts = true, lab = true;
        for (int i = 0; i < parts.size(); i++) {
            SensorTable p = parts.get(i);
            if (!p.channels().containsAll(ch))
                throw new DataException(names.get(i) + ": has channels " + p.channels() + ", the first recording " + ch);
            rows += p.rows();
            ts &= p.timestamps() != null;
            lab &= p.hasLabels();
        }
        double[][] v = new double[rows][];
        String[] t = ts ? new String[rows] : null;
        int[] l = lab ? new int[rows] : null, st = new int[parts.size()];
        int r = 0;
        for (int i = 0; i < parts.size(); i++) {
            SensorTable p = parts.get(i).select(ch);
            st[i] = r;
            for (int j = 0; j < p.rows(); j++, r++) {
                v[r] = p.values()[j];
                if (t != null) t[r] = p.timestamps()[j];
                if (l != null) l[r] = p.labels()[j];
            }
        }
        return new SensorTable(ch, t, v, l, st);
    }
}
