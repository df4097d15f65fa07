package tinyad.codegen;

import tinyad.common.DataException;
import tinyad.datasets.Pipeline;
import tinyad.quantizer.QuantizedAutoencoder;
import tinyad.quantizer.QuantizedKMeans;
import tinyad.quantizer.QuantizedModel;

/**
 * Proves, before any C is written, that the generated firmware's buffers are what the code indexes: the
 * feature blocks fill exactly the model's inputs, autoencoder layers chain from the inputs back to them, and
 * every count and every array fits its C type on every target. The binding target is AVR: {@code int} and
 * {@code size_t} are 16 bits there, so no object may exceed {@link #MAX_OBJECT} bytes and no count (a
 * {@code uint16_t} in the runtime, or {@code unsigned int} arithmetic in a macro) may exceed 65535.
 */
public final class FirmwareLimits {
    /** PTRDIFF_MAX on AVR: the largest array avr-gcc can address. */
    public static final int MAX_OBJECT = 32_767;
    public static final int MAX_COUNT = 65_535;

    private FirmwareLimits() {}

    public static void check(QuantizedModel m) {
        Pipeline p = m.pipeline();
        int n = m.inputSize(), w = p.window(), ch = p.channels().size();
        if (n < 1) throw refuse("the model has no inputs");
        if (w < 1 || ch < 1) throw refuse("the window is " + w + " samples x " + ch + " channels");
        if (p.inputSize() != n)
            throw refuse("the features fill " + p.inputSize() + " inputs, the model scores " + n);
        if (p.featureSet().size(w, ch) != n)
            throw refuse("the feature blocks fill " + p.featureSet().size(w, ch) + " inputs, the model scores " + n);
        // float f[INPUT_LEN] on the stack of <name>_features, float scale/offset tables; the serial line is 2n + 16 bytes
        object("the float feature buffer (4 x " + n + " inputs)", 4L * n);
        object("the serial line (2 x " + n + " inputs + 16)", 2L * n + 16);
        // the Arduino sketch's float window[WINDOW * CHANNELS]; cos/sin tables of WINDOW floats
        object("the float window (4 x " + w + " samples x " + ch + " channels)", 4L * w * ch);
        if (p.hop() < 1 || p.hop() > w) throw refuse("hop " + p.hop() + " is outside 1.." + w);
        if (m instanceof QuantizedKMeans k) {
            int c = k.centroids().length;
            if (c < 1) throw refuse("the model has no centroids");
            for (byte[] row : k.centroids()) if (row.length != n) throw refuse("a centroid has " + row.length + " values, not " + n);
            if (k.radiiQ() != null && k.radiiQ().length != c) throw refuse("there are " + k.radiiQ().length + " radii for " + c + " centroids");
            object("the centroid table (" + c + " x " + n + ")", (long) c * n);
            object("the radius table (4 x " + c + ")", 4L * c);
        } else if (m instanceof QuantizedAutoencoder a) {
            QuantizedAutoencoder.Layer[] layers = a.layers();
            if (layers.length == 0) throw refuse("the autoencoder has no layers");
            int expected = n;
            for (int l = 0; l < layers.length; l++) {
                QuantizedAutoencoder.Layer L = layers[l];
                if (L.in() != expected)
                    throw refuse("layer " + l + " takes " + L.in() + " inputs but " + (l == 0 ? "the model has " : "layer " + (l - 1) + " gives ") + expected);
                if (L.out() < 1) throw refuse("layer " + l + " has no outputs");
                object("layer " + l + " weights (" + L.in() + " x " + L.out() + ", blocked)", ModelSource.blockedLength(L));
                object("layer " + l + " int32 tables (4 x " + L.out() + ")", 4L * L.out());
                object("layer " + l + " AVR requantization plan", (long) L.out() * AvrRequantPlan.BYTES);
                expected = L.out();
            }
            if (expected != n) throw refuse("the last layer reconstructs " + expected + " values of " + n + " inputs");
        }
    }

    private static void object(String what, long bytes) {
        if (bytes > MAX_OBJECT)
            throw refuse(what + " needs " + bytes + " bytes; the largest C object on AVR (16-bit int and size_t) is " + MAX_OBJECT);
    }

    private static DataException refuse(String why) {
        return new DataException("cannot generate firmware for this model: " + why);
    }
}
