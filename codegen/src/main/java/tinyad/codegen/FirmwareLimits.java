package tinyad.codegen;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;
import tinyad.quantizer.QuantizedAutoencoder;
import tinyad.quantizer.QuantizedKMeans;
import tinyad.quantizer.QuantizedModel;

/**
 * Proves, before any C is written, that the generated firmware's buffers are what the code indexes: the
 * feature blocks fill exactly the model's inputs, autoencoder layers chain from the inputs back to them, and
 * every count fits its C type on every target (a {@code uint16_t} in the runtime, or {@code unsigned int}
 * arithmetic in a macro: at most 65535). Objects: AVR's {@code int} and {@code size_t} are 16 bits, so no object
 * there may exceed {@link #MAX_OBJECT} bytes; a model with a larger one (the MLPerf autoencoder's 80 KB layers)
 * is generated for 32-bit targets with an {@code #error} for AVR that names the object ({@link #avrProblem}).
 */
public final class FirmwareLimits {
    /** PTRDIFF_MAX on AVR: the largest array avr-gcc can address. */
    public static final int MAX_OBJECT = 32_767;
    public static final int MAX_COUNT = 65_535;

    private FirmwareLimits() {}

    /** Why this model cannot be built for AVR (an object over 32767 bytes), or null when it can. */
    public static String avrProblem(QuantizedModel m) {
        try {
            objects(m, true);
            return null;
        } catch (DataException e) {
            return e.getMessage().replace("cannot generate firmware for this model: ", "");
        }
    }

    public static void check(QuantizedModel m) {
        objects(m, false);
    }

    /** With {@code avr}, also each object against AVR's limit; always the counts and the chain. */
    private static void objects(QuantizedModel m, boolean avr) {
        Pipeline p = m.pipeline();
        int n = m.inputSize(), w = p.window(), ch = p.channels().size();
        if (n < 1) throw refuse("the model has no inputs");
        if (w < 1 || ch < 1) throw refuse("the window is " + w + " samples x " + ch + " channels");
        if (p.inputSize() != n)
            throw refuse("the features fill " + p.inputSize() + " inputs, the model scores " + n);
        if (p.featureSet().size(w, ch) != n)
            throw refuse("the feature blocks fill " + p.featureSet().size(w, ch) + " inputs, the model scores " + n);
        count("inputs", n);
        count("window samples x channels", (long) w * ch);
        // int32 feature tables of INPUT_LEN; the serial line is 2n + 16 bytes; the int16 window of WINDOW x CHANNELS
        object(avr, "the feature offset table (4 x " + n + " inputs)", 4L * n);
        object(avr, "the serial line (2 x " + n + " inputs + 16)", 2L * n + 16);
        object(avr, "the int16 window (2 x " + w + " samples x " + ch + " channels)", 2L * w * ch);
        if (p.hop() < 1 || p.hop() > w) throw refuse("hop " + p.hop() + " is outside 1.." + w);
        if (m instanceof QuantizedKMeans k) {
            int c = k.centroids().length;
            if (c < 1) throw refuse("the model has no centroids");
            for (byte[] row : k.centroids()) if (row.length != n) throw refuse("a centroid has " + row.length + " values, not " + n);
            if (k.radiiQ() != null && k.radiiQ().length != c) throw refuse("there are " + k.radiiQ().length + " radii for " + c + " centroids");
            count("centroids", c);
            object(avr, "the centroid table (" + c + " x " + n + ")", (long) c * n);
            object(avr, "the radius table (4 x " + c + ")", 4L * c);
        } else if (m instanceof QuantizedAutoencoder a) {
            QuantizedAutoencoder.Layer[] layers = a.layers();
            if (layers.length == 0) throw refuse("the autoencoder has no layers");
            int expected = n;
            for (int l = 0; l < layers.length; l++) {
                QuantizedAutoencoder.Layer L = layers[l];
                if (L.in() != expected)
                    throw refuse("layer " + l + " takes " + L.in() + " inputs but " + (l == 0 ? "the model has " : "layer " + (l - 1) + " gives ") + expected);
                if (L.out() < 1) throw refuse("layer " + l + " has no outputs");
                count("layer " + l + " outputs", L.out());
                object(avr, "layer " + l + " weights (" + L.in() + " x " + L.out() + ", blocked)", ModelSource.blockedLength(L));
                object(avr, "layer " + l + " int32 tables (4 x " + L.out() + ")", 4L * L.out());
                object(avr, "layer " + l + " AVR requantization plan", (long) L.out() * AvrRequantPlan.BYTES);
                expected = L.out();
            }
            if (expected != n) throw refuse("the last layer reconstructs " + expected + " values of " + n + " inputs");
        }
    }

    private static void object(boolean avr, String what, long bytes) {
        if (avr && bytes > MAX_OBJECT)
            throw refuse(what + " needs " + bytes + " bytes; the largest C object on AVR (16-bit int and size_t) is " + MAX_OBJECT);
        if (bytes > Integer.MAX_VALUE)
            throw refuse(what + " needs " + bytes + " bytes, more than a 32-bit target's C object can hold");
    }

    private static void count(String what, long n) {
        if (n > MAX_COUNT) throw refuse(what + ": " + n + ", more than the runtime's 16-bit counts hold (" + MAX_COUNT + ")");
    }

    private static DataException refuse(String why) {
        return new DataException("cannot generate firmware for this model: " + why);
    }
}
