package tinyad.codegen;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tinyad.datasets.Normaliser;
import tinyad.datasets.Pipeline;
import tinyad.quantizer.QuantParams;
import tinyad.quantizer.QuantizedAutoencoder;

/**
 * Golden files for the autoencoder C generator: a fixed 5-3-5 model with patterned weights (odd sizes, so the
 * blocked layout pads rows and columns), biases, per-channel multipliers and shifts, and zero points, generated
 * and compared byte for byte with codegen/src/test/resources/golden/. A change to the generated C shows up here
 * as a diff to review; after a deliberate change, regenerate with -Dtinyad.golden.update=true and read the diff
 * before committing it. Checked by hand when written: dense 0's first block holds w[0..3] = -117, -80, -43, -6 (output 0,
 * inputs 0-3; w[i] = (37 i + 11) mod 256 - 128, row-major [out][in]), output 1's 68, 105, -114, -77, the second chunk
 * input 4 of each row (31, -40, -111) then zero padding, in the blocked order of docs/firmware.md; bias 0 is
 * -1499 + 3 x (-215) = -2144 (the input zero point -3 folded in). The firmware's scores are checked against the Java
 * reference elsewhere (device-bridge BitExactFirmwareTest); this test pins the text.
 */
class GoldenSourceTest {
    static QuantizedAutoencoder.Layer layer(int in, int out, int seed, int inputZp, int outputZp, int activationMin) {
        byte[] w = new byte[in * out];
        for (int i = 0; i < w.length; i++) w[i] = (byte) ((i * 37 + seed * 11) % 256 - 128);
        int[] bias = new int[out], mult = new int[out], shift = new int[out];
        double[] scale = new double[out];
        for (int j = 0; j < out; j++) {
            bias[j] = j * 1000 - 1500 + seed;
            mult[j] = (1 << 30) + j * 12345 + seed;
            shift[j] = -(j % 3) - 1;
            scale[j] = 0.01 * (j + 1);
        }
        return new QuantizedAutoencoder.Layer(in, out, w, bias, mult, shift, inputZp, outputZp, activationMin, scale,
                new QuantParams(0.05, inputZp), new QuantParams(0.07, outputZp));
    }

    static QuantizedAutoencoder model() {
        Pipeline p = new Pipeline(List.of("x"), 5, 1, "raw", new Normaliser(new double[5], new double[] {1, 1, 1, 1, 1}));
        return new QuantizedAutoencoder(p, new QuantParams(0.05, -3),
                new QuantizedAutoencoder.Layer[] {layer(5, 3, 1, -3, -128, -128), layer(3, 5, 2, -128, -3, -128)}, 4321, 1.5);
    }

    @Test
    void theAutoencoderSourceIsTheGoldenOne() throws Exception {
        Map<String, String> files = ModelSource.generate(model(), "golden");
        Path dir = Path.of(System.getProperty("tinyad.root", "..")).resolve("codegen/src/test/resources/golden");
        for (String name : List.of("golden_model.h", "golden_model.c")) {
            Path golden = dir.resolve(name);
            if (Boolean.getBoolean("tinyad.golden.update")) Files.writeString(golden, files.get(name), StandardCharsets.UTF_8);
            assertTrue(Files.exists(golden), golden + " is missing: run with -Dtinyad.golden.update=true and review it");
            assertEquals(Files.readString(golden, StandardCharsets.UTF_8), files.get(name),
                    name + " differs from the golden file: review the change; regenerate with -Dtinyad.golden.update=true");
        }
    }
}
