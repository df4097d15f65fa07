package tinyad.datasets;

import static org.junit.jupiter.api.Assertions.*;

import java.math.BigInteger;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import org.junit.jupiter.api.Test;

/**
 * The integer feature reference against independent oracles: BigInteger arithmetic for what is exact (sums,
 * integer roots, the crest quotient) and double arithmetic within stated bounds for what is scaled (moments,
 * spectral bands).
 */
class IntFeaturesTest {
    record Window(int[] x, long zero) {}

    @Provide
    Arbitrary<Window> windows() {
        Arbitrary<Integer> log2 = Arbitraries.integers().between(3, 8);
        return log2.flatMap(l -> {
            int n = 1 << l, a = IntFeatures.sampleLimit(n);
            long z = IntFeatures.zeroLimit(n);
            Arbitrary<Integer> amplitude = Arbitraries.integers().between(0, 11).map(b -> Math.min(a, 1 << b));
            return Combinators.combine(amplitude, Arbitraries.longs().between(-z, z), Arbitraries.longs())
                    .as((amp, zero, seed) -> {
                        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
                        int[] x = new int[n];
                        int base = r.nextInt(-a + amp, a - amp + 1);
                        for (int t = 0; t < n; t++) x[t] = base + r.nextInt(-amp, amp + 1);
                        return new Window(x, zero);
                    });
        });
    }

    @Property(tries = 500)
    void statsAreExactWhereExactAndCloseWhereScaled(@ForAll("windows") Window w) {
        int[] x = w.x();
        int n = x.length;
        int[] f = new int[7];
        IntFeatures.stats(x, w.zero(), f, 0);
        BigInteger s1 = BigInteger.ZERO, s2 = BigInteger.ZERO, sz = BigInteger.ZERO, bn = BigInteger.valueOf(n);
        int mn = Integer.MAX_VALUE, mx = Integer.MIN_VALUE;
        for (int v : x) {
            BigInteger b = BigInteger.valueOf(v), d = b.subtract(BigInteger.valueOf(w.zero()));
            s1 = s1.add(b);
            s2 = s2.add(b.multiply(b));
            sz = sz.add(d.multiply(d));
            mn = Math.min(mn, v);
            mx = Math.max(mx, v);
        }
        assertEquals(s1.intValueExact(), f[0], "sum");
        assertEquals(bn.multiply(s2).subtract(s1.multiply(s1)).sqrt().intValueExact(), f[1], "n * std");
        BigInteger rms = bn.multiply(sz).sqrt();
        assertEquals(rms.intValueExact(), f[2], "n * rms about zero");
        assertEquals(mx - mn, f[3], "peak-to-peak");
        long peak = Math.max(Math.abs(mn - w.zero()), Math.abs(mx - w.zero()));
        int crest = rms.signum() == 0 ? 0 : BigInteger.valueOf(peak).multiply(bn).shiftLeft(8).divide(rms).intValueExact();
        assertEquals(crest, f[4], "crest, Q8");
        // moments in double from the samples themselves
        double mean = s1.doubleValue() / n, m2 = 0, m3 = 0, m4 = 0;
        for (int v : x) {
            double d = v - mean;
            m2 += d * d / n;
            m3 += d * d * d / n;
            m4 += d * d * d * d / n;
        }
        if (m2 == 0) {
            assertEquals(0, f[5]);
            assertEquals(0, f[6]);
            return;
        }
        double skew = m3 / Math.pow(m2, 1.5), kurt = m4 / (m2 * m2);
        // deviations carry E = momentBits(n) bits (6 for n <= 128, 5 above), rounded: each is off by at most half a
        // unit of 2^-E of the largest, which bounds the moments' error (stated in docs/features.md)
        double unit = Math.pow(2, -IntFeatures.momentBits(n));
        assertEquals(skew, f[5] / 256.0, 6 * unit * (1 + Math.abs(skew)) + 1.0 / 128, "skewness");
        assertEquals(kurt, f[6] / 256.0, 8 * unit * kurt + 1.0 / 128, "kurtosis");
    }

    @Property(tries = 300)
    void spectralBandsFollowTheDft(@ForAll("windows") Window w) {
        int[] x = w.x();
        int n = x.length, half = n / 2, bins = Math.max(1, half / 4);
        int[] f = new int[bins];
        IntFeatures.spectral(x, bins, IntFeatures.twiddles(n), f, 0);
        int maxDev = 0;
        double mean = 0;
        for (int v : x) mean += v;
        mean /= n;
        for (int v : x) maxDev = Math.max(maxDev, (int) Math.ceil(Math.abs(v - mean)));
        for (int b = 0; b < bins; b++) {
            int from = b * half / bins, to = (b + 1) * half / bins;
            double sum = 0;
            for (int k = from + 1; k <= to; k++) {
                double re = 0, im = 0;
                for (int t = 0; t < n; t++) {
                    re += x[t] * Math.cos(2 * Math.PI * k * t / n);
                    im -= x[t] * Math.sin(2 * Math.PI * k * t / n);
                }
                sum += (re * re + im * im) / ((double) n * n);
            }
            double want = Math.sqrt(sum);                    // sqrt of the band's summed |X_k / n|^2
            // each of log2(n) stages rounds by at most one unit of 2^-g; bound: 1 % of the window's swing + 2^-2
            assertEquals(want, f[b] / 16.0, 0.01 * maxDev * Math.sqrt(to - from) + 0.25, "band " + b);
        }
    }

    @Test
    void handComputedStats() {
        // x = 1, 2, 3, 4 about zero 0: s1 10, n*std = isqrt(4*30 - 100) = isqrt(20) = 4, n*rms = isqrt(4*30) = 10,
        // p2p 3, crest = 4 * 4 * 256 / 10 = 409 (peak 4 / rms sqrt(7.5) = 1.46), skewness 0 (symmetric)
        int[] f = new int[7];
        IntFeatures.stats(new int[] {1, 2, 3, 4}, 0, f, 0);
        assertArrayEquals(new int[] {10, 4, 10, 3, 409, 0, f[6]}, f);
        // kurtosis of 1..4 is 1.64: within one step of the 6 scaled bits
        assertEquals(1.64, f[6] / 256.0, 0.05);
    }

    @Test
    void aConstantWindowHasNoSpreadAndNoSpectrum() {
        int[] x = new int[16];
        java.util.Arrays.fill(x, 300);
        int[] f = new int[7], s = new int[4];
        IntFeatures.stats(x, 0, f, 0);
        assertArrayEquals(new int[] {4800, 0, 4800, 0, 256, 0, 0}, f);
        IntFeatures.spectral(x, 4, IntFeatures.twiddles(16), s, 0);
        assertArrayEquals(new int[4], s);
    }

    @Test
    void aPureToneLandsInItsBand() {
        int n = 32;
        int[] x = new int[n];
        for (int t = 0; t < n; t++) x[t] = (int) Math.round(1000 * Math.cos(2 * Math.PI * 3 * t / n));
        int[] s = new int[4];
        IntFeatures.spectral(x, 4, IntFeatures.twiddles(n), s, 0);
        // bin 3 of 16 lies in band 0 (bins 1..4): |X_3| / n = 500, in units of 2^-4: 8000
        assertEquals(8000, s[0], 80);
        for (int b = 1; b < 4; b++) assertTrue(s[b] < 40, "band " + b + " = " + s[b]);
    }
}
