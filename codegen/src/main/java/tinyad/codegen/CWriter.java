package tinyad.codegen;

/** Small helpers for readable generated C: wrapped array initialisers and aligned comments. */
final class CWriter {
    private final StringBuilder out = new StringBuilder();

    CWriter line(String s) {
        out.append(s).append('\n');
        return this;
    }

    /** The line only when {@code on}. */
    CWriter lineIf(boolean on, String s) {
        return on ? line(s) : this;
    }

    CWriter blank() {
        out.append('\n');
        return this;
    }

    /** Writes the values of an int8 array, {@code perLine} to a line, each row of {@code rowLength} commented. */
    CWriter int8Rows(byte[] values, int rowLength, String rowName) {
        for (int row = 0; row * rowLength < values.length; row++) {
            out.append("    /* ").append(rowName).append(' ').append(row).append(" */\n");
            int end = Math.min(values.length, (row + 1) * rowLength);
            for (int i = row * rowLength; i < end; i += 16) {
                out.append("   ");
                for (int j = i; j < Math.min(end, i + 16); j++) out.append(String.format(" %4d,", values[j]));
                out.append('\n');
            }
        }
        return this;
    }

    /** int32 values, 8 to a line; INT32_MIN is written as an expression (its literal would be a long). */
    CWriter int32Values(int[] values) {
        for (int i = 0; i < values.length; i += 8) {
            out.append("   ");
            for (int j = i; j < Math.min(values.length, i + 8); j++)
                out.append(' ').append(values[j] == Integer.MIN_VALUE ? "(-2147483647L - 1)" : values[j] + "L").append(',');
            out.append('\n');
        }
        return this;
    }

    /** int16 values, 12 to a line. */
    CWriter int16Values(int[] values) {
        for (int i = 0; i < values.length; i += 12) {
            out.append("   ");
            for (int j = i; j < Math.min(values.length, i + 12); j++) out.append(' ').append(values[j]).append(',');
            out.append('\n');
        }
        return this;
    }

    /** uint8 values, 16 to a line. */
    CWriter uint8Values(int[] values) {
        for (int i = 0; i < values.length; i += 16) {
            out.append("   ");
            for (int j = i; j < Math.min(values.length, i + 16); j++) out.append(' ').append(values[j]).append("u,");
            out.append('\n');
        }
        return this;
    }

    /** float values, 6 to a line, as C float literals that read back to the same float. */
    CWriter floatValues(float[] values) {
        for (int i = 0; i < values.length; i += 6) {
            out.append("   ");
            for (int j = i; j < Math.min(values.length, i + 6); j++)
                out.append(' ').append(String.format(java.util.Locale.ROOT, "%.9gf", values[j])).append(',');
            out.append('\n');
        }
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
