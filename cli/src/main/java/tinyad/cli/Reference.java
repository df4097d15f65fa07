package tinyad.cli;

import tinyad.datasets.SensorTable;
import tinyad.quantizer.QuantizedModel;

/** Integer reference scores of every window of a table, as doubles for the metrics. */
final class Reference {
    private Reference() {}

    static double[] scores(QuantizedModel q, SensorTable t) {
        byte[][] in = q.quantizedInputs(t);
        double[] s = new double[in.length];
        for (int i = 0; i < in.length; i++) s[i] = q.score(in[i]);
        return s;
    }
}
