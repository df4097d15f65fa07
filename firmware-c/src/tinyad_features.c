/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tinyad window features on the device, in integers (include/tinyad.h; docs/features.md, "Integer features").
 * The Java reference is tinyad.datasets.IntFeatures: each line here has its twin there, with the same widths
 * and the same rounding (C99's and Java's division both truncate toward zero), so the features, and the int8
 * inputs folded from them, are bit-identical by construction. Bounds are stated with each quantity; the
 * generator only emits models within them (window <= 4096 samples).
 */
#include "tinyad.h"
#include "tinyad_internal.h"

/* Number of significant bits of a non-negative value (0 for 0). */
static uint8_t bit_length_u32(uint32_t v)
{
    uint8_t n = 0;
    while (v != 0u) {
        v >>= 1;
        n++;
    }
    return n;
}

/* x >> n for n in [0, 31], arithmetic: whole bytes first and the rest in 16 bits where the value allows, since an
   8-bit CPU shifts one bit per instruction per byte (the same value as the plain shift on every target) */
static int32_t shift_right_s32(int32_t x, uint8_t n)
{
    if (n >= 16u) return (int32_t)((int16_t)(x >> 16) >> (n - 16u));
    if (n >= 8u && x >= -8388608L && x <= 8388607L) return (int32_t)((int16_t)(x >> 8) >> (n - 8u));
    return x >> n;
}

/* a / b truncated toward zero (b > 0): a 32-bit division where both fit, the same quotient as the 64-bit one
   and far cheaper on 8- and 32-bit CPUs, whose 64-bit division is a library loop */
static int64_t div_s64(int64_t a, int64_t b)
{
    if (a >= INT32_MIN && a <= INT32_MAX && b <= INT32_MAX) return (int32_t)a / (int32_t)b;
    return a / b;
}

static uint64_t div_u64(uint64_t a, uint64_t b)
{
    if (a <= 0xFFFFFFFFu && b <= 0xFFFFFFFFu) return (uint32_t)a / (uint32_t)b;
    return a / b;
}

void tinyad_centre_s16(const int16_t *window, uint16_t len, uint16_t channels, uint16_t channel, int32_t center,
                       uint8_t shift, int16_t limit, int16_t *x)
{
    const int16_t *sample = window + channel;
    uint16_t t;
    for (t = 0; t < len; t++, sample += channels) {
        int32_t v = ((int32_t)*sample - center) >> shift;                /* arithmetic: floor */
        if (v > limit) v = limit;
        if (v < -limit) v = -limit;
        x[t] = (int16_t)v;
    }
}

void tinyad_moments_s16_reference(const int16_t *x, uint16_t len, int16_t n, int32_t offset, uint8_t k, int32_t *sums)
{
    uint32_t m2 = 0, m4 = 0;
    int32_t m3 = 0;
    uint16_t t;
    for (t = 0; t < len; t++) {
        const int16_t e = (int16_t)shift_right_s32((int32_t)n * x[t] - offset, k);
        const int16_t e2 = (int16_t)(e * e);                                     /* |e| <= 2^7 */
        m2 += (uint16_t)e2;
        m3 += (int32_t)e2 * e;
        m4 += (uint32_t)(uint16_t)e2 * (uint16_t)e2;                              /* n * e^4 <= 2^31 */
    }
    sums[0] = (int32_t)m2;
    sums[1] = m3;
    sums[2] = (int32_t)m4;
}

void tinyad_moments_s16(const int16_t *x, uint16_t len, int16_t n, int32_t offset, uint8_t k, int32_t *sums)
{
#if defined(TINYAD_ASM_AVR)
    tinyad_avr_moments(x, len, n, offset, k, sums);
#else
    tinyad_moments_s16_reference(x, len, n, offset, k, sums);
#endif
}

/*
 * Every 64-bit quantity below is one widening 32x32 product (or an exact identity of the Java reference's
 * expression: n sum (x - zero)^2 = n (s2 - zero (2 s1 - n zero))), so 8-bit CPUs make no 64x64 multiplies;
 * per-sample products stay 16x16 (|e| <= 2^7, e^2 <= 2^14).
 */
void tinyad_stats_s16(const int16_t *x, uint16_t len, uint8_t moment_bits, int32_t zero, int32_t *out)
{
    const int32_t n = (int32_t)len;
    const int16_t n16 = (int16_t)len;                  /* <= 4096 */
    int32_t s1 = 0;
    uint32_t s2 = 0;                                   /* < 2^30: |x| <= A */
    int16_t mn = x[0], mx = x[0];
    int64_t variance, rms_sum, peak_lo, peak_hi, peak;
    int32_t std, rms, dmax, half, m3 = 0;
    uint32_t m2 = 0, m4 = 0;
    uint8_t bits, k;
    uint16_t t;
    for (t = 0; t < len; t++) {
        const int16_t v = x[t];
        s1 += v;
        s2 += (uint32_t)((int32_t)v * v);
        if (v < mn) mn = v;
        if (v > mx) mx = v;
    }
    variance = (int64_t)((uint64_t)(uint32_t)n * s2) - (int64_t)s1 * s1;          /* n^2 var */
    rms_sum = (int64_t)((uint64_t)(uint32_t)n *
                        (uint64_t)((int64_t)s2 - (int64_t)zero * (2 * (int64_t)s1 - (int64_t)n * zero)));
    std = (int32_t)tinyad_isqrt_u64((uint64_t)variance);
    rms = (int32_t)tinyad_isqrt_u64((uint64_t)rms_sum);
    peak_lo = (int64_t)mn - zero;
    peak_hi = (int64_t)mx - zero;
    if (peak_lo < 0) peak_lo = -peak_lo;
    if (peak_hi < 0) peak_hi = -peak_hi;
    peak = peak_lo > peak_hi ? peak_lo : peak_hi;                                    /* < 2^31 */
    out[0] = s1;
    out[1] = std;
    out[2] = rms;
    out[3] = (int32_t)mx - mn;
    out[4] = rms == 0 ? 0 : (int32_t)div_s64((int64_t)((uint64_t)(uint32_t)peak * (uint32_t)(n * 256)), rms);
    out[5] = 0;
    out[6] = 0;
    if (variance == 0) return;
    /* deviations n*x - s1, rounded (half up) to at most 2^moment_bits in magnitude */
    dmax = n * mx - s1;
    if (s1 - n * mn > dmax) dmax = s1 - n * mn;
    bits = bit_length_u32((uint32_t)dmax);
    k = bits > moment_bits ? (uint8_t)(bits - moment_bits) : 0u;
    half = k == 0u ? 0 : (int32_t)1 << (k - 1u);
    {
        /* the sums land in out[4..6] (no array of their own: the Uno's live app with learning has ~20 B of stack to
           spare), the crest waits in a local */
        const int32_t crest = out[4];
        tinyad_moments_s16(x, len, n16, s1 - half, k, out + 4);
        m2 = (uint32_t)out[4];
        m3 = out[5];
        m4 = (uint32_t)out[6];
        out[4] = crest;
        out[5] = 0;
        out[6] = 0;
    }
    if (m2 == 0u) return;
    {
        const int64_t skew_den = (int64_t)((uint64_t)m2 * (uint32_t)tinyad_isqrt_u64((uint64_t)m2 * (uint32_t)n));
        out[5] = skew_den == 0 ? 0 : (int32_t)div_s64((int64_t)m3 * (n * 256), skew_den);
        out[6] = (int32_t)div_u64((uint64_t)m4 * (uint32_t)(n * 256), (uint64_t)m2 * m2);
    }
}

/*
 * The butterflies of one radix-2 stage that share a twiddle, halved: for a = 0, size, .., (count - 1) size and
 * c = a + h, t = c (wr + i wi) with wi = -ws, rounded to nearest (ties up) in Q15; then a = (a + t) >> 1,
 * c = (a - t) >> 1 (floor). 16x16 products; x >> 15 taken as (2x) >> 16, which is the same for |x| < 2^30 and takes
 * the high word on 8-bit CPUs. AVR builds use src/tinyad_features_avr.S, which computes the same.
 */
void tinyad_butterflies_s16_reference(int16_t *re, int16_t *im, uint16_t h, uint16_t size, uint16_t count, int16_t wr,
                                      int16_t ws)
{
    uint16_t a, i;
    for (i = 0, a = 0; i < count; i++, a = (uint16_t)(a + size)) {
        const uint16_t c = (uint16_t)(a + h);
        const int32_t tr = (((int32_t)re[c] * wr + (int32_t)im[c] * ws + 16384) * 2) >> 16;
        const int32_t ti = (((int32_t)im[c] * wr - (int32_t)re[c] * ws + 16384) * 2) >> 16;
        const int32_t xr = re[a], xi = im[a];
        re[a] = (int16_t)((xr + tr) >> 1);
        im[a] = (int16_t)((xi + ti) >> 1);
        re[c] = (int16_t)((xr - tr) >> 1);
        im[c] = (int16_t)((xi - ti) >> 1);
    }
}

void tinyad_butterflies_s16(int16_t *re, int16_t *im, uint16_t h, uint16_t size, uint16_t count, int16_t wr, int16_t ws)
{
#if defined(TINYAD_ASM_AVR)
    tinyad_avr_butterflies(re, im, (uint16_t)(2u * h), (uint16_t)(2u * size), count, wr, ws);
#else
    tinyad_butterflies_s16_reference(re, im, h, size, count, wr, ws);
#endif
}

void tinyad_spectral_s16(const int16_t *x, uint16_t len, uint8_t log2_len, uint16_t bins, const int16_t *cos_table,
                         const int16_t *sin_table, int16_t *re, int16_t *im, int32_t *out)
{
    const uint16_t half = (uint16_t)(len / 2u);
    int32_t s1 = 0, mean, m = 0;
    int8_t g, shift;
    int16_t scale;
    uint16_t t, size, b, r, to, to_remainder;
    const uint16_t band_quotient = (uint16_t)(half / bins), band_remainder = (uint16_t)(half % bins);
    for (t = 0; t < len; t++) s1 += x[t];
    /* s1 / len truncated toward zero, len = 2^log2_len: shifts, not a 32-bit division */
    mean = s1 >= 0 ? (int32_t)((uint32_t)s1 >> log2_len) : -(int32_t)((uint32_t)-s1 >> log2_len);
    for (t = 0; t < len; t++) {
        int32_t d = x[t] - mean;
        if (d < 0) d = -d;
        if (d > m) m = d;
    }
    if (m == 0) {
        for (b = 0; b < bins; b++) out[b] = 0;
        return;
    }
    g = (int8_t)(14 - (int8_t)bit_length_u32((uint32_t)m));            /* >= 1: |x - mean| < 2^13 */
    scale = (int16_t)(1 << g);
    for (t = 0, r = 0; t < len; t++) {                                 /* bit-reversed order, scaled below 2^14 */
        uint16_t bit = half;
        re[r] = (int16_t)((int16_t)(x[t] - mean) * scale);            /* < 2^14: a 16-bit product */
        im[r] = 0;
        while (r & bit) {                                              /* r = the next index bit-reversed */
            r ^= bit;
            bit >>= 1;
        }
        r |= bit;
    }
    for (size = 2; size <= len && size != 0u; size = (uint16_t)(size << 1)) {  /* radix-2 DIT, halved per stage */
        const uint16_t h = (uint16_t)(size >> 1), step = (uint16_t)(len / size);
        uint16_t j, w;
        /* one twiddle at a time over every group of the stage: the butterflies of a stage are independent, so the
           order does not change a value, and each twiddle is read once (no index product on 8-bit CPUs) */
        for (j = 0, w = 0; j < h; j++, w = (uint16_t)(w + step)) {
            /* e^(-2 pi i j / size) = wr + i wi with wi = -sin */
            const int16_t wr = TINYAD_READ_S16(&cos_table[w]);
            const int16_t ws = TINYAD_READ_S16(&sin_table[w]);
            tinyad_butterflies_s16(&re[j], &im[j], h, size, (uint16_t)(len / size), wr, ws);
        }
    }
    shift = (int8_t)(g - 4);                                           /* to units of 2^-4 centred samples */
    /* band b holds bins floor(b half / bins) + 1 .. floor((b + 1) half / bins): the edges stepped by the quotient
       and remainder of half / bins (no division per band) */
    to = 0;
    to_remainder = 0;
    for (b = 0; b < bins; b++) {
        const uint16_t from = to;
        uint32_t sum = 0, rms;
        uint16_t carries = 0, k;
        to = (uint16_t)(to + band_quotient);
        to_remainder = (uint16_t)(to_remainder + band_remainder);
        if (to_remainder >= bins) {
            to_remainder = (uint16_t)(to_remainder - bins);
            to++;
        }
        for (k = (uint16_t)(from + 1u); k <= to; k++) {               /* a 64-bit sum as 32 bits and a carry count */
            const uint32_t power = (uint32_t)((int32_t)re[k] * re[k]) + (uint32_t)((int32_t)im[k] * im[k]);
            sum += power;                                              /* power <= 2^31 */
            if (sum < power) carries++;
        }
        rms = carries == 0u ? tinyad_isqrt_u32(sum) : (uint32_t)tinyad_isqrt_u64(((uint64_t)carries << 32) | sum);
        out[b] = (int32_t)(shift >= 0 ? rms >> shift : rms << -shift);    /* the band's bin count: in the normalisation */
    }
}

int8_t tinyad_feature_s8(int32_t feature, int32_t offset, uint8_t pre_shift, int16_t multiplier, uint8_t shift,
                         int16_t zero_point)
{
    int32_t d, product, v;
    if ((offset < 0 && feature > INT32_MAX + offset) || (offset > 0 && feature < INT32_MIN + offset)) {
        const int64_t wide = ((int64_t)feature - offset) >> pre_shift;   /* beyond int32: rare */
        d = wide > 32767 ? 32767 : (wide < -32767 ? -32767 : (int32_t)wide);
    } else {
        d = shift_right_s32(feature - offset, pre_shift);
        if (d > 32767) d = 32767;
        if (d < -32767) d = -32767;
    }
    product = (int32_t)(int16_t)d * multiplier;                         /* |product| < 2^30 */
    /* (p + 2^(s-1)) >> s, computed as ((p >> (s-1)) + 1) >> 1: the same floor, without the variable 2^(s-1) */
    v = (shift == 0u ? product : (shift_right_s32(product, (uint8_t)(shift - 1u)) + 1) >> 1) + zero_point;
    if (v > 127) v = 127;
    if (v < -128) v = -128;
    return (int8_t)v;
}
