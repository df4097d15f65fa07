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
 */
public record SensorTable(List<String> channels, String[] timestamps, double[][] values, int[] labels) {

    public SensorTable {
        channels = List.copyOf(channels);
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
        return new SensorTable(names, timestamps, v, labels);
    }

    /** Rows [from, to). */
    public SensorTable slice(int from, int to) {
        return new SensorTable(channels,
                timestamps == null ? null : Arrays.copyOfRange(timestamps, from, to),
                Arrays.copyOfRange(values, from, to),
                labels == null ? null : Arrays.copyOfRange(labels, from, to));
    }
}
