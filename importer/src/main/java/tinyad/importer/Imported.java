// SPDX-License-Identifier: Apache-2.0
package tinyad.importer;

import java.nio.file.Path;
import java.util.Locale;

import tinyad.quantizer.QuantizedAutoencoder;

/** An imported model and what the import found, for the command's summary. */
public record Imported(QuantizedAutoencoder model, String source, int operators, boolean perChannel, int calibrationWindows) {

    public String summary(Path output) {
        QuantizedAutoencoder m = model;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "read %s: %d operators, %d dense layers %s, %,d MACs, %s weights%n", source, operators,
                m.layers().length, shape(), m.macs(), perChannel ? "per-channel" : "per-tensor"));
        s.append(String.format(Locale.ROOT, "input scale %.6g zero point %d; output %s%n", m.inputQuant().scale(), m.inputQuant().zeroPoint(),
                m.outputRequant() == null ? "in the input's quantization"
                        : String.format(Locale.ROOT, "scale %.6g zero point %d, requantized to the input's for the score",
                        m.layers()[m.layers().length - 1].outputQuant().scale(), m.layers()[m.layers().length - 1].outputZeroPoint())));
        if (calibrationWindows > 0)
            s.append(String.format(Locale.ROOT, "threshold %d (MSE %.6g) from %d normal windows; alarm: %d of %d windows, hold-off %d%n",
                    m.thresholdQ(), m.threshold(), calibrationWindows, m.alarm().k(), m.alarm().n(), m.alarm().holdoff()));
        else
            s.append("no --data: the threshold is the largest score (the model never alarms); import again with --data to set one\n");
        s.append(String.format(Locale.ROOT, "wrote %s (hash %s)%n", output, m.hash()));
        return s.toString();
    }

    private String shape() {
        StringBuilder b = new StringBuilder().append(model.layers()[0].in());
        for (QuantizedAutoencoder.Layer l : model.layers()) b.append('-').append(l.out());
        return b.toString();
    }
}
