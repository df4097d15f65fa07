package tinyad.datasets;

import tinyad.common.DataException;

/**
 * Splits a table by time: the first part trains, the rest tests. Splitting rows (not windows) means no
 * window of the test part overlaps a training window, so test scores never see training samples.
 */
public record TimeSplit(SensorTable train, SensorTable test) {

    public static TimeSplit of(SensorTable table, double trainFraction) {
        if (!(trainFraction > 0 && trainFraction < 1))
            throw new DataException("train fraction must be between 0 and 1, got " + trainFraction);
        int cut = (int) Math.round(table.rows() * trainFraction);
        return new TimeSplit(table.slice(0, cut), table.slice(cut, table.rows()));
    }
}
