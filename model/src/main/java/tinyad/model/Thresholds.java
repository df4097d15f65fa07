package tinyad.model;

import java.util.Locale;

import tinyad.common.DataException;

/**
 * The alarm threshold from training scores, with a floor: a percentile of the held-out normal windows' scores,
 * unless those have (near) zero spread, when a threshold there would sit at ~0 and every window with any
 * noise would alarm (NAB rogue_agent_key_updown: constant held-out windows, threshold 1e-15). Then the
 * threshold comes from the scale of the fitted windows' scores, and when those have no spread either
 * training is refused with a message that says why.
 */
public final class Thresholds {
    /** Spread below which scores count as constant: relative to the fitted scores' spread, and absolute (normalised units). */
    static final double RELATIVE = 1e-6, ABSOLUTE = 1e-9;

    private Thresholds() {}

    static double spread(double[] v) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (double x : v) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
        return v.length == 0 ? 0 : hi - lo;
    }

    /**
     * @param heldOut  scores of the held-out normal windows (not fitted)
     * @param fitted   scores of the windows the detector was fitted on
     */
    public static double fromTraining(double[] heldOut, double[] fitted, double percentile) {
        double thr = Metrics.percentile(heldOut, percentile);
        double fitSpread = spread(fitted), heldSpread = spread(heldOut);
        if (heldSpread > ABSOLUTE && heldSpread > RELATIVE * fitSpread) return thr;
        if (fitSpread <= ABSOLUTE)
            throw new DataException(String.format(Locale.ROOT, "every training window scores alike (spread %.3g): the training "
                    + "data has no normal variation to set an alarm threshold from; train on a longer or livelier recording", Math.max(fitSpread, heldSpread)));
        return Math.max(thr, Metrics.percentile(fitted, percentile));
    }
}
