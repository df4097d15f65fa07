package tinyad.quantizer;

import tinyad.datasets.DataException;
import tinyad.trainer.Detector;
import tinyad.trainer.KMeansDetector;

/** Post-training quantization: float detector + calibration inputs -> int8 model. */
public final class Quantizer {
    private Quantizer() {}

    /** @param calibration normalised input vectors, typically the training windows */
    public static QuantizedModel quantize(Detector detector, double[][] calibration) {
        if (calibration.length == 0) throw new DataException("no calibration windows");
        QuantParams in = inputParams(calibration);
        if (detector instanceof KMeansDetector k) return QuantizedKMeans.quantize(k, in);
        throw new DataException("cannot quantize a " + detector.getClass().getSimpleName() + " yet");
    }

    /** Min/max over every calibration value. */
    public static QuantParams inputParams(double[][] calibration) {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double[] row : calibration)
            for (double v : row) { min = Math.min(min, v); max = Math.max(max, v); }
        return QuantParams.fromRange(min, max);
    }
}
