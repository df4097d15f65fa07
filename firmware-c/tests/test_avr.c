/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The AVR kernels on the ATmega328P itself (simavr: make test-avr), the assembly ones and, built with
 * -DTINYAD_NO_ASM, the portable C, against the reference primitives and kernels:
 *   - the requantization on random (acc, multiplier, shift) over the whole int32 range, every shift in
 *     [-31, 30], multipliers 0 and in [2^30, 2^31), against tinyad_multiply_by_quantized_multiplier
 *     (whose 32-bit-only form the host tests check against the 64-bit one);
 *   - whole layers (tails, several passes, saturation, ReLU) from flash on random inputs, against a plain C
 *     sum of the same flash bytes and the reference requantization;
 *   - the squared distances of the autoencoder score (RAM) and of k-means (flash centroids);
 *   - the feature kernels (the stats' moment sums over every shift path k = 0..23, FFT butterflies with random
 *     twiddles and strides) against their reference kernels.
 * Prints "PASS <cases>" or the first failing case on the UART.
 */
#include <avr/interrupt.h>
#include <avr/pgmspace.h>
#include <avr/sleep.h>
#include <string.h>
#include "tinyad.h"
#include "tinyad_port.h"

#if defined(TINYAD_ASM_AVR)
int32_t tinyad_avr_requant(int32_t acc, int32_t multiplier, int8_t shift);
#endif

/* Weights: a pseudo-random pool in [-127, 127] that the test layers read in the blocked layout. */
#define B(s) ((int8_t)((((s)*73L + 41) % 255) - 127))
#define W4(s) B(s), B((s) + 1), B((s) + 2), B((s) + 3)
#define W16(s) W4(s), W4((s) + 4), W4((s) + 8), W4((s) + 12)
#define W64(s) W16(s), W16((s) + 16), W16((s) + 32), W16((s) + 48)
#define W256(s) W64(s), W64((s) + 64), W64((s) + 128), W64((s) + 192)
#define W1024(s) W256(s), W256((s) + 256), W256((s) + 512), W256((s) + 768)
static const int8_t pool[4864] PROGMEM = {W1024(0), W1024(1024), W1024(2048), W1024(3072), W256(4096), W256(4352), W256(4608)};

/* 7 -> 5 (tails both ways, ReLU), 32 -> 16, 600 -> 6 (150 steps: two passes, 32-bit accumulators) */
static const int32_t bias_a[5] PROGMEM = {-200, 5000, 0, 123456, -99};
static const int32_t mult_a[5] PROGMEM = {1073741824L, 1518500250L, 0, 2147483647L, 1200000000L};
static const int32_t shift_a[5] PROGMEM = {-4, -1, -3, 0, 2};
static const int32_t bias_b[16] PROGMEM = {0, 1, -1, 40000, -40000, 8388607L, -8388608L, 268435456L, -268435456L, 77, 7, -7, 1000, -1000, 3, -3};
static const int32_t mult_b[16] PROGMEM = {1073741824L, 1073741825L, 2147483647L, 1234567890L, 1987654321L, 1518500250L, 1073741824L,
                                           1800000000L, 1300000000L, 0, 2000000000L, 1111111111L, 1500000000L, 1600000000L, 1700000000L, 1900000000L};
static const int32_t shift_b[16] PROGMEM = {-7, -8, -9, -10, -12, -15, -16, -20, -24, -5, -2, -31, -6, -11, -13, -1};
static const int32_t bias_c[6] PROGMEM = {12, -5000000L, 5000000L, 0, 99999, -1};
static const int32_t mult_c[6] PROGMEM = {1518500250L, 1073741824L, 2000000000L, 1400000000L, 1234567890L, 1999999999L};
static const int32_t shift_c[6] PROGMEM = {-14, -16, -17, -12, -15, -18};
static const tinyad_dense_t layer_a PROGMEM = {pool + 16, bias_a, mult_a, shift_a, 7, 5, 3, 3, 0, 0};
static const tinyad_dense_t layer_b PROGMEM = {pool + 1000, bias_b, mult_b, shift_b, 32, 16, -10, -128, 0, 0};
/* the same two layers through the one-pass route, every row with the record that sends it to the exact core
   (the generator writes these for rows without a plan; plans themselves are checked in AvrRequantPlanTest
   and by every autoencoder test on this target) */
#define U8(v, n) (uint8_t)(((uint32_t)(v)) >> (8 * (n)))
#define REC(b, m, s) 0, U8(b, 0), U8(b, 1), U8(b, 2), U8(b, 3), U8(m, 0), U8(m, 1), U8(m, 2), U8(m, 3), (uint8_t)(s), \
                     0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
static const uint8_t table_a[5 * 22] PROGMEM = {REC(-200, 1073741824L, -4), REC(5000, 1518500250L, -1), REC(0, 0, -3),
                                               REC(123456, 2147483647L, 0), REC(-99, 1200000000L, 2)};
static const uint8_t table_b[16 * 22] PROGMEM = {
    REC(0, 1073741824L, -7), REC(1, 1073741825L, -8), REC(-1, 2147483647L, -9), REC(40000, 1234567890L, -10),
    REC(-40000, 1987654321L, -12), REC(8388607L, 1518500250L, -15), REC(-8388608L, 1073741824L, -16),
    REC(268435456L, 1800000000L, -20), REC(-268435456L, 1300000000L, -24), REC(77, 0, -5), REC(7, 2000000000L, -2),
    REC(-7, 1111111111L, -31), REC(1000, 1500000000L, -6), REC(-1000, 1600000000L, -11), REC(3, 1700000000L, -13),
    REC(-3, 1900000000L, -1)};
static const tinyad_dense_t layer_a1 PROGMEM = {pool + 16, bias_a, mult_a, shift_a, 7, 5, 3, 3, table_a, 0};
static const tinyad_dense_t layer_b1 PROGMEM = {pool + 1000, bias_b, mult_b, shift_b, 32, 16, -10, -128, table_b, 0};
static const tinyad_dense_t layer_c PROGMEM = {pool + 64, bias_c, mult_c, shift_c, 600, 6, 0, -128, 0, 0};

static uint32_t state = 12345u;
static uint32_t next(void)
{
    state = state * 1664525u + 1013904223u;
    return state;
}

static void put(const char *s)
{
    uint16_t n = 0;
    while (s[n]) n++;
    tinyad_port_write(0, s, n);
}

static void put_i32(int32_t v)
{
    char d[12];
    uint8_t n = 0;
    uint32_t u = v < 0 ? (uint32_t)0 - (uint32_t)v : (uint32_t)v;
    if (v < 0) put("-");
    do {
        d[n++] = (char)('0' + (uint8_t)(u % 10u));
        u /= 10u;
    } while (u);
    while (n) tinyad_port_write(0, &d[--n], 1);
}

#if defined(TINYAD_ASM_AVR)
static int check_requant(uint16_t cases)
{
    uint16_t i;
    for (i = 0; i < cases; i++) {
        const uint32_t kind = next() >> 29;
        const int8_t shift = (int8_t)((int16_t)((next() >> 8) % 62u) - 31);
        const int32_t mult = kind == 0u ? 0 : (kind == 1u ? ((int32_t)1 << 30) : (int32_t)((1ul << 30) | (next() >> 2)));
        int32_t acc = (int32_t)next();
        int32_t got, want;
        if (i % 4u == 1u) acc >>= 8;
        if (i % 4u == 2u) acc >>= 20;
        if (i % 8u == 3u) acc = (next() & 1u) ? INT32_MAX - (int32_t)(next() >> 28) : INT32_MIN + (int32_t)(next() >> 28);
        got = tinyad_avr_requant(acc, mult, shift);
        want = tinyad_multiply_by_quantized_multiplier(acc, mult, shift);
        if (got != want) {
            put("FAIL requant acc ");
            put_i32(acc);
            put(" multiplier ");
            put_i32(mult);
            put(" shift ");
            put_i32(shift);
            put(": ");
            put_i32(got);
            put(" want ");
            put_i32(want);
            put("\n");
            return 0;
        }
    }
    return 1;
}

#else
static int check_requant(uint16_t cases)
{
    (void)cases; /* the portable kernels requantize with tinyad_multiply_by_quantized_multiplier itself */
    return 1;
}
#endif

static int8_t x[600];
static int8_t y[16];
static int8_t y_ref[16];

/* The layer against the C reference: acc from the same flash bytes in the blocked layout, mbqm, clamp. */
static int check_layer(const tinyad_dense_t *flash_layer, uint8_t cases)
{
    tinyad_dense_t L;
    uint16_t i, o, chunks;
    memcpy_P(&L, flash_layer, sizeof L);
    chunks = (uint16_t)((L.input_len + 3u) / 4u);
    while (cases--) {
        for (i = 0; i < L.input_len; i++) x[i] = (int8_t)(next() >> 24);
        if (cases == 0) for (i = 0; i < L.input_len; i++) x[i] = (i & 1) ? 127 : -128;
        tinyad_dense_s8(flash_layer, x, y);
        tinyad_dense_s8_reference(flash_layer, x, y_ref);
        for (o = 0; o < L.output_len; o++) {
            int32_t acc = (int32_t)pgm_read_dword(&L.bias[o]), want;
            for (i = 0; i < L.input_len; i++) {
                const uint16_t at = (uint16_t)((((o / 4u) * chunks + i / 4u) * 4u + o % 4u) * 4u + i % 4u);
                acc += (int32_t)(int8_t)pgm_read_byte(&L.weights[at]) * x[i];
            }
            want = tinyad_multiply_by_quantized_multiplier(acc, (int32_t)pgm_read_dword(&L.multiplier[o]),
                                                           (int32_t)pgm_read_dword(&L.shift[o]));
            want = (int32_t)((uint32_t)want + (uint32_t)L.output_zero_point); /* wrapping, as Java */
            if (want < L.activation_min) want = L.activation_min;
            if (want > 127) want = 127;
            if (y[o] != want || y_ref[o] != want) {
                put(y[o] != want ? "FAIL dense " : "FAIL dense reference ");
                put_i32(L.input_len);
                put("x");
                put_i32(L.output_len);
                put(" output ");
                put_i32(o);
                put(": ");
                put_i32(y[o]);
                put(" want ");
                put_i32(want);
                put("\n");
                return 0;
            }
        }
    }
    return 1;
}

/* Squared distances: RAM x RAM (the autoencoder's score) and RAM x flash (k-means), lengths 0..40, then to 300. */
static int check_sqdist(void)
{
    static int8_t b[300];
    uint16_t len, i;
    for (len = 0; len <= 300u; len = (uint16_t)(len + (len < 40u ? 1u : 52u))) {
        int32_t want_ram = 0, want_flash = 0;
        for (i = 0; i < len; i++) {
            x[i] = (len % 3u == 0u) ? -128 : (int8_t)(next() >> 24); /* all |d| = 255: sums past 2^24 */
            b[i] = (len % 3u == 0u) ? 127 : (int8_t)(next() >> 24);
            want_ram += ((int32_t)x[i] - b[i]) * ((int32_t)x[i] - b[i]);
            want_flash += ((int32_t)x[i] - (int8_t)pgm_read_byte(&pool[i])) * ((int32_t)x[i] - (int8_t)pgm_read_byte(&pool[i]));
        }
        if (tinyad_sum_sqdiff_s8(x, b, len) != want_ram || tinyad_kmeans_min_sqdist_s8(x, pool, 1, len) != want_flash) {
            put("FAIL squared distance, length ");
            put_i32(len);
            put("\n");
            return 0;
        }
    }
    return 1;
}

static uint8_t bit_length(uint32_t v)
{
    uint8_t n = 0;
    while (v) {
        v >>= 1;
        n++;
    }
    return n;
}

/* tinyad_moments_s16 against its reference: deviations bounded as tinyad_stats_s16 bounds them (|e| <= 2^E,
   E = min(7, (31 - log2 n) / 4)), for multipliers n from 8 to 4096, so every shift path (k = 0, 1..7, 8..15,
   16..23) is taken with at most 32 samples in RAM. Then the butterflies on 32 points, every stage and twiddle
   index, random Q15 twiddles and values below 2^14 in magnitude. */
static int check_feature_kernels(void)
{
    static int16_t re[32], im[32], re_ref[32], im_ref[32];
    int16_t *const v = re;                                              /* the moments' samples */
    uint16_t c, i, seen_k = 0;
    for (c = 0; c < 3000u; c++) {
        const uint8_t log2_n = (uint8_t)(3u + c % 10u);                 /* n = 8 .. 4096 */
        const int16_t n = (int16_t)(1 << log2_n);
        const uint8_t moment_bits = (uint8_t)((31u - log2_n) / 4u > 7u ? 7u : (31u - log2_n) / 4u);
        const uint16_t len = (uint16_t)(1u + next() % 32u);
        const int16_t amplitude = (int16_t)(1 << (next() % 12u));       /* 1 .. 2048 counts */
        int32_t s1, dmax, offset, got[3], want[3];
        int16_t mn = 32767, mx = -32768;
        uint8_t bits, k;
        for (i = 0; i < len; i++) {
            v[i] = (int16_t)((int32_t)(next() % (2u * (uint16_t)amplitude + 1u)) - amplitude);
            if (v[i] < mn) mn = v[i];
            if (v[i] > mx) mx = v[i];
        }
        s1 = (int32_t)n * mn + (int32_t)(next() % ((uint32_t)((int32_t)n * (mx - mn)) + 1u));   /* n mn .. n mx */
        dmax = (int32_t)n * mx - s1;
        if (s1 - (int32_t)n * mn > dmax) dmax = s1 - (int32_t)n * mn;
        bits = bit_length((uint32_t)dmax);
        k = bits > moment_bits ? (uint8_t)(bits - moment_bits) : 0u;
        offset = k == 0u ? s1 : s1 - ((int32_t)1 << (k - 1u));
        seen_k |= (uint16_t)(k == 0u ? 1u : k < 8u ? 2u : k < 16u ? 4u : 8u);
        tinyad_moments_s16(v, len, n, offset, k, got);
        tinyad_moments_s16_reference(v, len, n, offset, k, want);
        if (memcmp(got, want, sizeof got) != 0) {
            put("FAIL moments, case ");
            put_i32(c);
            put("\n");
            return 0;
        }
    }
    if (seen_k != 15u) {
        put("FAIL moments: not every shift path taken\n");
        return 0;
    }
    for (c = 0; c < 400u; c++) {
        const uint16_t size = (uint16_t)(2u << (c % 5u)), h = (uint16_t)(size / 2u), j = (uint16_t)(next() % h);
        const int16_t wr = (int16_t)((int32_t)(next() % 65535u) - 32767), ws = (int16_t)((int32_t)(next() % 65535u) - 32767);
        for (i = 0; i < 32u; i++) {
            re[i] = re_ref[i] = (int16_t)((int32_t)(next() % 32767u) - 16383);
            im[i] = im_ref[i] = (int16_t)((int32_t)(next() % 32767u) - 16383);
        }
        tinyad_butterflies_s16(&re[j], &im[j], h, size, (uint16_t)(32u / size), wr, ws);
        tinyad_butterflies_s16_reference(&re_ref[j], &im_ref[j], h, size, (uint16_t)(32u / size), wr, ws);
        if (memcmp(re, re_ref, sizeof re) != 0 || memcmp(im, im_ref, sizeof im) != 0) {
            put("FAIL butterflies, case ");
            put_i32(c);
            put("\n");
            return 0;
        }
    }
    return 1;
}

int main(void)
{
    tinyad_port_init();
    if (check_requant(20000u) && check_layer(&layer_a, 200u) && check_layer(&layer_b, 100u) && check_layer(&layer_c, 5u) &&
        check_layer(&layer_a1, 200u) && check_layer(&layer_b1, 100u) && check_sqdist() && check_feature_kernels())
#if defined(TINYAD_ASM_AVR)
        put("PASS assembly: 20000 requantizations, 605 layers on both routes and the reference kernel, squared distances, feature kernels\n");
#else
        put("PASS portable C: 605 layers and the reference kernel, squared distances, feature kernels\n");
#endif
    cli(); /* sleeping with interrupts off ends the simulation */
    sleep_cpu();
    return 0;
}
