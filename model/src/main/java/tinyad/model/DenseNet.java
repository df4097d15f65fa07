package tinyad.model;

/**
 * A stack of dense layers with ReLU between them and a linear last layer: the float reference forward
 * pass of an autoencoder, independent of DL4J (which only trains). {@code weights[l]} is row-major
 * {@code [in][out]} as DL4J stores it.
 */
public record DenseNet(int[] sizes, float[][] weights, float[][] biases) {

    public DenseNet {
        if (sizes.length < 2) throw new IllegalArgumentException("need at least one layer");
        for (int l = 0; l < sizes.length - 1; l++) {
            if (weights[l].length != sizes[l] * sizes[l + 1]) throw new IllegalArgumentException("layer " + l + " weights");
            if (biases[l].length != sizes[l + 1]) throw new IllegalArgumentException("layer " + l + " biases");
        }
    }

    public int layers() {
        return sizes.length - 1;
    }

    /** Activations of every layer, {@code [0]} = input, last = output. */
    public double[][] activations(double[] x) {
        double[][] a = new double[sizes.length][];
        a[0] = x;
        for (int l = 0; l < layers(); l++) {
            int in = sizes[l], out = sizes[l + 1];
            float[] w = weights[l];
            double[] y = new double[out];
            for (int j = 0; j < out; j++) y[j] = biases[l][j];
            for (int i = 0; i < in; i++) {
                double xi = a[l][i];
                if (xi == 0) continue;
                int row = i * out;
                for (int j = 0; j < out; j++) y[j] += xi * w[row + j];
            }
            if (l < layers() - 1) for (int j = 0; j < out; j++) y[j] = Math.max(0, y[j]);
            a[l + 1] = y;
        }
        return a;
    }

    public double[] forward(double[] x) {
        double[][] a = activations(x);
        return a[a.length - 1];
    }

    /** Mean squared reconstruction error. */
    public double reconstructionError(double[] x) {
        double[] y = forward(x);
        double s = 0;
        for (int i = 0; i < x.length; i++) { double d = y[i] - x[i]; s += d * d; }
        return s / x.length;
    }

    public long macs() {
        long m = 0;
        for (int l = 0; l < layers(); l++) m += (long) sizes[l] * sizes[l + 1];
        return m;
    }
}
