package tinyad.codegen;

import tinyad.quantizer.FixedPoint;

/**
 * A cheaper form of one dense row's requantization for 8-bit CPUs, equal to the reference on every
 * accumulator the row can produce.
 *
 * <p>The device computes {@code out = clamp(mbqm(bias + sum, M, shift) + zp, activationMin, 127)} with
 * {@code sum = Σ w·x} over int8 inputs. Over the sums the row can reach ({@link #sumRange}), that function
 * is a non-decreasing step function with at most 255 steps. The plan replaces it by
 * {@code clamp(floor((sum·m + c) / 2^(8·q)), activationMin, 127)} with a 32-bit {@code m} of at least 24
 * significant bits and {@code c} one of two offsets, below and from {@code split = -bias} (where the
 * accumulator changes sign: the reference rounds ties away from zero, so its steps shift there): one
 * 24×32-bit product, one add, whole bytes taken. {@link #of} finds the smallest sum at which the reference
 * reaches each output level (binary search with {@link FixedPoint}, exact), then solves, on each side of the
 * split, the linear inequalities that put the plan's steps at exactly those sums; a plan exists only when
 * they have a solution, so plan and reference agree on the whole range by construction (and the tests check
 * it sum by sum).
 */
public record AvrRequantPlan(long multiplier, int split, long offsetBelow, long offsetAbove, int shiftBytes) {

    /** Bytes per row in the generated table: shift bytes (1), multiplier (4), split (3), two offsets (7 each). */
    public static final int BYTES = 22;
    /** sum * multiplier + offset must fit 7 bytes, signed. */
    static final long VALUE_LIMIT = 1L << 55;

    /** The plan's output for {@code sum}. */
    public int apply(long sum, int activationMin) {
        long v = Math.floorDiv(sum * multiplier + (sum < split ? offsetBelow : offsetAbove), 1L << (8 * shiftBytes));
        return (int) Math.max(activationMin, Math.min(127, v));
    }

    /** The reference output for {@code sum}. */
    static int reference(int bias, int multiplier, int shift, int zeroPoint, int activationMin, long sum) {
        int v = FixedPoint.multiplyByQuantizedMultiplier((int) (bias + sum), multiplier, shift) + zeroPoint;
        return Math.max(activationMin, Math.min(127, v));
    }

    /** {min, max} of Σ w·x over int8 x. */
    static long[] sumRange(byte[] w, int from, int length) {
        long lo = 0, hi = 0;
        for (int i = from; i < from + length; i++) {
            lo += Math.min(w[i] * -128L, w[i] * 127L);
            hi += Math.max(w[i] * -128L, w[i] * 127L);
        }
        return new long[] {lo, hi};
    }

    /**
     * The plan for one row (weights {@code w[from .. from+length)}), or null when none exists: sums past
     * 24 bits, values past 7 bytes, or no offset that matches every step.
     */
    public static AvrRequantPlan of(byte[] w, int from, int length, int bias, int multiplier, int shift, int zeroPoint,
                                    int activationMin) {
        long[] range = sumRange(w, from, length);
        long lo = range[0], hi = range[1];
        // sums and the split (up to hi + 1) are 24-bit signed on the device
        if (lo < -(1L << 23) || hi + 1 >= (1L << 23) || bias + lo < Integer.MIN_VALUE || bias + hi > Integer.MAX_VALUE) return null;
        double scale = multiplier * Math.pow(2, shift - 31);
        if (scale <= 0) return null;
        // the largest whole-byte shift that keeps the multiplier within 32 bits (so it has at least 24)
        int q = 0;
        while (q < 6 && Math.round(scale * Math.pow(2, 8 * (q + 1))) < (1L << 32)) q++;
        if (q == 0) return null;
        // first sum at which the reference reaches each level k in (activationMin, 127]; hi + 1 if it never does
        long[] first = new long[127 - activationMin];
        for (int k = activationMin + 1; k <= 127; k++) {
            long a = lo, b = hi + 1;
            while (a < b) {
                long mid = a + (b - a) / 2;
                if (reference(bias, multiplier, shift, zeroPoint, activationMin, mid) >= k) b = mid; else a = mid + 1;
            }
            first[k - activationMin - 1] = b;
        }
        long nominal = Math.round(scale * Math.pow(2, 8 * q));
        long split = Math.max(lo, Math.min(hi + 1, -(long) bias));   // first sum with a non-negative accumulator
        for (int i = 0; i <= 128; i++) {                               // nominal, +1, -1, +2, -2, ...
            long m = nominal + ((i & 1) == 1 ? (i + 1) / 2 : -i / 2);
            if (m <= 0 || m >= (1L << 32)) continue;
            Long below = split > lo ? solve(first, lo, split - 1, m, q, activationMin) : null;
            Long above = split <= hi ? solve(first, split, hi, m, q, activationMin) : null;
            if ((split > lo && below == null) || (split <= hi && above == null)) continue;
            long cb = below != null ? below : above, ca = above != null ? above : below;
            long c = Math.max(Math.abs(cb), Math.abs(ca));
            if (c >= VALUE_LIMIT / 2 || Math.max(-lo, hi) * m + c >= VALUE_LIMIT) continue;
            return new AvrRequantPlan(m, (int) split, cb, ca, q);
        }
        return null;
    }

    /**
     * For multiplier m and shift bytes q, an offset c with: g(s) >= k exactly when s >= first[k], for every
     * level k, on [a, b]; g(s) >= k means s*m + c >= k * 2^(8q) (k <= 127 and above activationMin). Null if none.
     */
    private static Long solve(long[] first, long a, long b, long m, int q, int activationMin) {
        long unit = 1L << (8 * q);
        long cLo = Long.MIN_VALUE / 4, cHi = Long.MAX_VALUE / 4;
        for (int i = 0; i < first.length; i++) {
            long k = activationMin + 1 + i, t = first[i], bound = k * unit;
            if (t <= a) cLo = Math.max(cLo, bound - a * m);                 // reached from a on
            else if (t > b) cHi = Math.min(cHi, bound - b * m - 1);         // not reached up to b
            else {
                cLo = Math.max(cLo, bound - t * m);                         // reached at t ...
                cHi = Math.min(cHi, bound - (t - 1) * m - 1);               // ... not before
            }
        }
        if (cLo > cHi) return null;
        return cLo == Long.MIN_VALUE / 4 ? cHi : cLo;   // the bound that exists: small offsets keep values in 7 bytes
    }

    /** The table row: shift bytes (1, never 0), multiplier (4), split (3), offset below, offset from split (7 each). */
    public void write(byte[] out, int at) {
        out[at] = (byte) shiftBytes;
        for (int i = 0; i < 4; i++) out[at + 1 + i] = (byte) (multiplier >>> (8 * i));
        for (int i = 0; i < 3; i++) out[at + 5 + i] = (byte) (split >>> (8 * i));
        for (int i = 0; i < 7; i++) out[at + 8 + i] = (byte) (offsetBelow >>> (8 * i));
        for (int i = 0; i < 7; i++) out[at + 15 + i] = (byte) (offsetAbove >>> (8 * i));
    }

    /** The table row of an output without a plan: 0, then bias (4), multiplier (4), shift (1), the rest unused. */
    public static void writeGeneral(byte[] out, int at, int bias, int multiplier, int shift) {
        out[at] = 0;
        for (int i = 0; i < 4; i++) out[at + 1 + i] = (byte) (bias >>> (8 * i));
        for (int i = 0; i < 4; i++) out[at + 5 + i] = (byte) (multiplier >>> (8 * i));
        out[at + 9] = (byte) shift;
    }
}
