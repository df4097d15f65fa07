package tinyad.cli;

/**
 * A command whose options have ranges: {@link #validate()} runs right after parsing, before any file is read, so
 * a NaN learning rate or a hop of 0 is refused at once with one line (exit 2), not after minutes of training.
 */
interface Validated {
    /** Throws {@link tinyad.common.DataException} naming the option. */
    void validate();

    static void finitePositive(String option, double v) {
        if (!(v > 0) || !Double.isFinite(v)) throw new tinyad.common.DataException(option + " must be a positive finite number, got " + v);
    }

    static void range(String option, long v, long min, long max) {
        if (v < min || v > max) throw new tinyad.common.DataException(option + " must be in " + min + ".." + max + ", got " + v);
    }
}
