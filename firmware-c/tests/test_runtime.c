/* SPDX-License-Identifier: Apache-2.0 */
/* Runtime unit tests on hand-computed vectors; built with ASan + UBSan by `make test`. */
#include <stdio.h>
#include <string.h>
#include "tinyad.h"
#include "tinyad_serial.h"

static int failures;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); failures++; } } while (0)

static void test_kmeans(void)
{
    static const int8_t centroids[3 * 4] = {0, 0, 0, 0, 10, -10, 10, -10, -128, 127, -128, 127};
    const int8_t a[4] = {1, 2, 3, 4};          /* to c0: 1+4+9+16 = 30 */
    const int8_t b[4] = {10, -9, 12, -10};     /* to c1: 0+1+4+0 = 5 */
    const int8_t extreme[4] = {127, -128, 127, -128}; /* nearest c1: 117^2*2 + 118^2*2 = 55226 */
    const int8_t far[4] = {-128, 127, -128, 127};
    CHECK(tinyad_kmeans_min_sqdist_s8(a, centroids, 3, 4) == 30);
    CHECK(tinyad_kmeans_min_sqdist_s8(b, centroids, 3, 4) == 5);
    CHECK(tinyad_kmeans_min_sqdist_s8(extreme, centroids, 3, 4) == 55226);
    CHECK(tinyad_kmeans_min_sqdist_s8(far, centroids, 3, 4) == 0);
    /* the largest difference, 255, squared and summed without overflow */
    CHECK(tinyad_kmeans_min_sqdist_s8(extreme, centroids + 8, 1, 4) == 4 * 65025);
}

static void test_radius(void)
{
    static const int8_t centroids[2 * 2] = {0, 0, 10, 10};
    static const int32_t radii[2] = {3, 1};
    const int8_t near0[2] = {4, 3};   /* d2 = 25 to c0 (nearest): 5 - 3 = 2 */
    const int8_t near1[2] = {10, 11}; /* d2 = 1 to c1: 1 - 1 = 0 */
    const int8_t inside[2] = {1, 1};  /* d2 = 2: isqrt 1 - 3 = -2 */
    uint32_t v;
    CHECK(tinyad_kmeans_radius_s8(near0, centroids, radii, 2, 2) == 2);
    CHECK(tinyad_kmeans_radius_s8(near1, centroids, radii, 2, 2) == 0);
    CHECK(tinyad_kmeans_radius_s8(inside, centroids, radii, 2, 2) == -2);
    CHECK(tinyad_isqrt_u32(0) == 0);
    CHECK(tinyad_isqrt_u32(15) == 3);
    CHECK(tinyad_isqrt_u32(16) == 4);
    CHECK(tinyad_isqrt_u32(4294967295u) == 65535u);
    for (v = 0; v < 200000u; v += 7) {
        const uint32_t r = tinyad_isqrt_u32(v);
        CHECK(r * r <= v && (r + 1) * (r + 1) > v);
    }
}

static void test_requantization(void)
{
    /* hand vectors, the same as the Java FixedPointTest */
    CHECK(tinyad_saturating_rounding_doubling_high_mul(INT32_MIN, INT32_MIN) == INT32_MAX);
    CHECK(tinyad_saturating_rounding_doubling_high_mul(1 << 30, 1 << 30) == (1 << 29));
    CHECK(tinyad_saturating_rounding_doubling_high_mul(3, 1 << 30) == 2);   /* 1.5 -> 2 */
    CHECK(tinyad_saturating_rounding_doubling_high_mul(-3, 1 << 30) == -1); /* -1.5 -> -1 */
    CHECK(tinyad_saturating_rounding_doubling_high_mul(-1, 1 << 30) == 0);  /* -0.5 -> 0 */
    CHECK(tinyad_saturating_rounding_doubling_high_mul(-7, 1 << 29) == -2); /* -1.75 -> -2 */
    CHECK(tinyad_saturating_rounding_doubling_high_mul(INT32_MIN, INT32_MAX) == -INT32_MAX);
    CHECK(tinyad_rounding_divide_by_pot(5, 1) == 3);
    CHECK(tinyad_rounding_divide_by_pot(-5, 1) == -3);
    CHECK(tinyad_rounding_divide_by_pot(-6, 2) == -2);
    CHECK(tinyad_rounding_divide_by_pot(-5, 2) == -1);
    CHECK(tinyad_rounding_divide_by_pot(INT32_MIN, 31) == -1);
    CHECK(tinyad_rounding_divide_by_pot(INT32_MAX, 31) == 1);
    CHECK(tinyad_multiply_by_quantized_multiplier(1000, 1 << 30, 0) == 500);   /* x * 0.5 */
    /* 1001 * 0.25 = 250.25, but rounding twice (500.5 -> 501, then 250.5 -> 251) gives 251, as TFLite does */
    CHECK(tinyad_multiply_by_quantized_multiplier(1001, 1 << 30, -1) == 251);
    CHECK(tinyad_multiply_by_quantized_multiplier(-1002, 1 << 30, -1) == -251); /* -250.5 -> -251 */
    CHECK(tinyad_multiply_by_quantized_multiplier(3, 1 << 30, 2) == 6);        /* x * 2 */
}

/* the 64-bit rule, computed here independently, against the kernel (either implementation) */
static void test_high_mul_random(void)
{
    uint32_t state = 1u;
    int i;
    for (i = 0; i < 200000; i++) {
        int32_t a, b;
        int64_t p, floor_q;
        state = state * 1664525u + 1013904223u;
        a = (int32_t)state;
        state = state * 1664525u + 1013904223u;
        b = (int32_t)(state >> (state & 31u));
        if (i % 7 == 0) b = -b;
        p = (int64_t)a * b + ((int64_t)1 << 30);
        floor_q = p >= 0 ? p / ((int64_t)1 << 31) : -((-p + ((int64_t)1 << 31) - 1) / ((int64_t)1 << 31));
        if (a == INT32_MIN && b == INT32_MIN) floor_q = INT32_MAX;
        CHECK(tinyad_saturating_rounding_doubling_high_mul(a, b) == (int32_t)floor_q);
    }
}

/* rounding divide by 2^e against its definition: x / 2^e rounded half away from zero */
static void test_divide_random(void)
{
    uint32_t state = 7u;
    int i;
    for (i = 0; i < 200000; i++) {
        int32_t x, e, got;
        int64_t num, den, q;
        state = state * 1664525u + 1013904223u;
        x = (int32_t)state;
        if (i % 5 == 0) x >>= (state >> 27);
        if (i == 1) x = INT32_MIN;
        if (i == 2) x = INT32_MAX;
        state = state * 1664525u + 1013904223u;
        e = (int32_t)(state >> 27);
        num = x < 0 ? -(int64_t)x : (int64_t)x;
        den = (int64_t)1 << e;
        q = (2 * num + den) / (2 * den); /* round half up on the magnitude */
        got = tinyad_rounding_divide_by_pot(x, e);
        CHECK(got == (int32_t)(x < 0 ? -q : q));
    }
}

/* 7 inputs -> 5 outputs (tails in both directions) against a plain [out][in] computation: the target's
   kernel and the reference kernel */
static void test_dense_blocked_layout(void (*kernel)(const tinyad_dense_t *, const int8_t *, int8_t *))
{
    enum { IN = 7, OUT = 5, CHUNKS = 2, ROWS = 8 };
    int8_t plain[OUT][IN];
    int8_t blocked[ROWS * CHUNKS * 4] TINYAD_ALIGN4; /* word loads on the Cortex-M4 */
    int32_t bias[OUT], mult[OUT], shift[OUT];
    int8_t x[IN], y[OUT];
    int o, i;
    uint32_t state = 99u;
    memset(blocked, 0, sizeof blocked);
    for (o = 0; o < OUT; o++) {
        for (i = 0; i < IN; i++) {
            state = state * 1664525u + 1013904223u;
            plain[o][i] = (int8_t)((int)(state >> 24) % 127);
            blocked[(((o / 4) * CHUNKS + i / 4) * 4 + o % 4) * 4 + i % 4] = plain[o][i];
        }
        bias[o] = o * 100 - 200;
        mult[o] = 1 << 30;
        shift[o] = -4;
    }
    for (i = 0; i < IN; i++) x[i] = (int8_t)(i * 37 - 120);
    {
        const tinyad_dense_t layer = {blocked, bias, mult, shift, IN, OUT, -5, -128, 0, 0};
        kernel(&layer, x, y);
    }
    for (o = 0; o < OUT; o++) {
        int32_t acc = bias[o];
        int32_t q;
        for (i = 0; i < IN; i++) acc += plain[o][i] * x[i];
        q = tinyad_multiply_by_quantized_multiplier(acc, mult[o], shift[o]) - 5;
        if (q > 127) q = 127;
        if (q < -128) q = -128;
        CHECK(y[o] == q);
    }
}

/* A per-tensor layer (one multiplier and shift, stored as 4 copies) equals the same layer with one entry per
   output, through the reference: 9 inputs -> 11 outputs (three row blocks, a tail of 3), random everything. */
static void test_dense_per_tensor(void (*kernel)(const tinyad_dense_t *, const int8_t *, int8_t *))
{
    enum { IN = 9, OUT = 11, CHUNKS = 3, ROWS = 12 };
    int8_t blocked[ROWS * CHUNKS * 4] TINYAD_ALIGN4;
    int32_t bias[OUT], mult[OUT], shift[OUT], mult4[4], shift4[4];
    int8_t x[IN], want[OUT], got[OUT];
    uint32_t state = 7u;
    int round, i;
    for (round = 0; round < 200; round++) {
        for (i = 0; i < (int)sizeof blocked; i++) {
            state = state * 1664525u + 1013904223u;
            blocked[i] = (int8_t)((int)(state >> 24) % 127);
        }
        for (i = 0; i < IN; i++) {
            state = state * 1664525u + 1013904223u;
            x[i] = (int8_t)(state >> 24);
        }
        state = state * 1664525u + 1013904223u;
        mult4[0] = (int32_t)(0x40000000u | (state >> 2));
        shift4[0] = -(int32_t)(state % 12u) + 1;   /* 1 .. -10: both routes of the M4 kernel */
        for (i = 1; i < 4; i++) {
            mult4[i] = mult4[0];
            shift4[i] = shift4[0];
        }
        for (i = 0; i < OUT; i++) {
            state = state * 1664525u + 1013904223u;
            bias[i] = (int32_t)(state >> 16) - 32768;
            mult[i] = mult4[0];
            shift[i] = shift4[0];
        }
        {
            const tinyad_dense_t full = {blocked, bias, mult, shift, IN, OUT, 7, -128, 0, 0};
            const tinyad_dense_t per_tensor = {blocked, bias, mult4, shift4, IN, OUT, 7, -128, 0, 1};
            tinyad_dense_s8_reference(&full, x, want);
            kernel(&per_tensor, x, got);
        }
        for (i = 0; i < OUT; i++) CHECK(got[i] == want[i]);
    }
}

/*
 * The dense layers' own requantization (a faster form on some targets) against the reference primitives:
 * one input with weight 0, so acc = bias; accumulators over the whole int32 range (the extremes, around
 * rounding ties, random), multipliers 0 and in [2^30, 2^31), every shift in [-31, 30], ReLU and linear.
 */
static void test_dense_requantization(void)
{
    static const int8_t w[16] TINYAD_ALIGN4 = {0};
    const int8_t x[4] = {0, 0, 0, 0};
    int32_t bias[4], mult[4], shift[4];
    int8_t y[4];
    uint32_t state = 4242u;
    long n;
    for (n = 0; n < 200000L; n++) {
        int r;
        int16_t zp;
        tinyad_dense_t layer;
        state = state * 1664525u + 1013904223u;
        zp = (int16_t)((int32_t)(state >> 24) - 128);
        for (r = 0; r < 4; r++) {
            uint32_t kind;
            state = state * 1664525u + 1013904223u;
            kind = state >> 29;
            shift[r] = (int32_t)((state >> 8) % 62u) - 31;
            state = state * 1664525u + 1013904223u;
            mult[r] = (kind == 0u) ? 0 : (kind == 1u ? (1 << 30) : (int32_t)((1u << 30) | (state >> 2)));
            state = state * 1664525u + 1013904223u;
            switch (n % 5) {
            case 0: bias[r] = (int32_t)state; break;
            case 1: bias[r] = (int32_t)(state >> 8) - (1 << 23); break;
            case 2: bias[r] = (int32_t)(state >> 20) - (1 << 11); break;
            case 3: bias[r] = (state & 1u) ? INT32_MAX - (int32_t)(state >> 28) : INT32_MIN + (int32_t)(state >> 28); break;
            default: /* near a rounding tie of the final shift: with multiplier 2^30, acc / 2 ~ (k + 1/2) * 2^right */
                bias[r] = (int32_t)(((int32_t)(state >> 24) - 128) * 2 + 1) * ((int32_t)1 << (-shift[r] > 0 ? (-shift[r] < 23 ? -shift[r] : 23) : 0)) +
                          (int32_t)((state >> 16) & 3u) - 1;
                mult[r] = 1 << 30;
                break;
            }
        }
        layer.weights = w;
        layer.bias = bias;
        layer.multiplier = mult;
        layer.shift = shift;
        layer.input_len = 1;
        layer.output_len = 4;
        layer.output_zero_point = zp;
        layer.activation_min = (n & 1) ? zp : -128;
        layer.avr_plan = 0;
        layer.per_tensor = 0;
        tinyad_dense_s8(&layer, x, y);
        for (r = 0; r < 4; r++) {
            int32_t want = tinyad_multiply_by_quantized_multiplier(bias[r], mult[r], shift[r]);
            want = (int32_t)((uint32_t)want + (uint32_t)zp); /* wrapping, as Java */
            if (want < layer.activation_min) want = layer.activation_min;
            if (want > 127) want = 127;
            if (y[r] != want) {
                printf("FAIL dense requantization: acc %ld multiplier %ld shift %ld zp %d -> %d, want %ld\n", (long)bias[r],
                       (long)mult[r], (long)shift[r], zp, y[r], (long)want);
                failures++;
                return;
            }
        }
    }
}

/*
 * The target's kernel (assembly, or the portable C with -DTINYAD_NO_ASM) against the reference kernel on
 * random layers: every size 1..70 inputs x 1..13 outputs class (tails of both), random zero points, ReLU
 * and linear; every other layer at full scale (weights over [-127, 127], inputs over [-128, 127], shifts
 * -17..2), the others small (weights -2..2, inputs -8..8, shifts -3..0), where one unit of an accumulator
 * moves an output: an off-by-one anywhere in a kernel shows.
 */
static void test_dense_against_reference(void)
{
    static int8_t w[16 * 18 * 4] TINYAD_ALIGN4; /* up to 16 rows x 72 inputs */
    int32_t bias[16], mult[16], shift[16];
    int8_t x[72], got[16], want[16];
    uint32_t state = 31337u;
    int n;
    for (n = 0; n < 3000; n++) {
        const uint16_t in = (uint16_t)(1 + n % 70), out = (uint16_t)(1 + (n / 7) % 13);
        const uint32_t bytes = ((uint32_t)(out + 3u) / 4u) * 4u * ((uint32_t)(in + 3u) / 4u) * 4u;
        tinyad_dense_t layer;
        uint32_t i;
        int16_t zp;
        const int small = n & 2;
        for (i = 0; i < bytes; i++) {
            state = state * 1664525u + 1013904223u;
            w[i] = small ? (int8_t)((int32_t)((state >> 16) % 5u) - 2) : (int8_t)((int32_t)((state >> 16) % 255u) - 127);
        }
        for (i = 0; i < in; i++) {
            state = state * 1664525u + 1013904223u;
            x[i] = small ? (int8_t)((int32_t)((state >> 16) % 17u) - 8) : (int8_t)(state >> 24);
        }
        for (i = 0; i < out; i++) {
            state = state * 1664525u + 1013904223u;
            bias[i] = small ? (int32_t)((state >> 16) % 129u) - 64 : (int32_t)(state >> 12) - (1 << 19);
            state = state * 1664525u + 1013904223u;
            mult[i] = (i % 5u == 4u) ? 0 : (int32_t)((1u << 30) | (state >> 2));
            shift[i] = small ? (int32_t)(state % 4u) - 3 : (int32_t)(state % 20u) - 17;
        }
        state = state * 1664525u + 1013904223u;
        zp = (int16_t)((int32_t)(state >> 24) - 128);
        layer.weights = w;
        layer.bias = bias;
        layer.multiplier = mult;
        layer.shift = shift;
        layer.input_len = in;
        layer.output_len = out;
        layer.output_zero_point = zp;
        layer.activation_min = (n & 1) ? zp : -128;
        layer.avr_plan = 0;
        layer.per_tensor = 0;
        tinyad_dense_s8(&layer, x, got);
        tinyad_dense_s8_reference(&layer, x, want);
        if (memcmp(got, want, out) != 0) {
            printf("FAIL dense %ux%u (case %d): kernel and reference differ\n", in, out, n);
            failures++;
            return;
        }
    }
}

/* Sum of squared differences (a SIMD path on some targets) against the plain sum: lengths 0..40, extremes. */
static void test_sum_sqdiff(void)
{
    int8_t a[41], b[41];
    uint32_t state = 777u;
    int len, i;
    for (len = 0; len <= 40; len++) {
        int32_t want = 0;
        for (i = 0; i < len + 1; i++) {
            state = state * 1664525u + 1013904223u;
            a[i] = (int8_t)(state >> 24);
            b[i] = (len % 3 == 0) ? (int8_t)(a[i] < 0 ? 127 : -128) : (int8_t)(state >> 16);
        }
        for (i = 0; i < len; i++) want += (a[i] - b[i]) * (a[i] - b[i]);
        CHECK(tinyad_sum_sqdiff_s8(a + 1, b + 1, (uint16_t)len) == want - (len ? (a[0] - b[0]) * (a[0] - b[0]) : 0) +
              (len ? (a[len] - b[len]) * (a[len] - b[len]) : 0));
    }
}

/* TFLite's int8 -> int8 QUANTIZE: hand vectors, then the table route equal to the arithmetic for every value */
static void test_requantize(void)
{
    int8_t x[4] = {-128, 96, 97, 127}, y[4], table[256];
    int v;
    /* ad01's output (scale 0.36449847, zero point 96) into its input's (0.39101523, 89): multiplier 2001851674, shift 0 */
    tinyad_requantize_s8(x, y, 4, 96, 2001851674, 0, 89);
    CHECK(y[0] == -120);              /* -224 * 0.93218 = -208.8 -> -209, + 89 */
    CHECK(y[1] == 89);                /* the zero point maps to the zero point */
    CHECK(y[2] == 90);                /* 1 * 0.932 = 0.93 -> 1 */
    CHECK(y[3] == 118);               /* 31 * 0.93218 = 28.9 -> 29 */
    tinyad_requantize_s8(x, y, 4, 0, 1 << 30, 2, 0);  /* x * 2, saturating */
    CHECK(y[0] == -128 && y[1] == 127 && y[2] == 127 && y[3] == 127);
    for (v = -128; v < 128; v++) x[0] = (int8_t)v, tinyad_requantize_s8(x, &table[v + 128], 1, -5, 1518500250, -1, 7);
    for (v = -128; v < 128; v++) {
        int8_t got = (int8_t)v, want;
        x[0] = (int8_t)v;
        tinyad_requantize_s8(x, &want, 1, -5, 1518500250, -1, 7);
        tinyad_lookup_s8(table, &got, 1);
        CHECK(got == want);
    }
}

static void test_dense(void)
{
    /* 2 inputs -> 2 outputs, weights {{1, 2}, {-3, 4}} in the blocked layout (rows and inputs padded to 4);
       multiplier 0.5; bias folded by the caller */
    static const int8_t w[16] TINYAD_ALIGN4 = {1, 2, 0, 0, -3, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    static const int32_t bias[2] = {10, -10};
    static const int32_t mult[2] = {1 << 30, 1 << 30};
    static const int32_t shift[2] = {0, 0};
    const int8_t x[2] = {20, -5};
    int8_t y[2];
    /* acc0 = 10 + 20 - 10 = 20 -> 10 + zp 3 = 13;  acc1 = -10 - 60 - 20 = -90 -> -45 + 3 = -42 -> ReLU min 3 */
    const tinyad_dense_t relu = {w, bias, mult, shift, 2, 2, 3, 3, 0, 0};
    const tinyad_dense_t linear = {w, bias, mult, shift, 2, 2, 3, -128, 0, 0};
    tinyad_dense_s8(&relu, x, y);
    CHECK(y[0] == 13);
    CHECK(y[1] == 3);
    tinyad_dense_s8(&linear, x, y);
    CHECK(y[1] == -42);
    CHECK(tinyad_sum_sqdiff_s8(x, y, 2) == 49 + 37 * 37);
    tinyad_dense_s8_reference(&relu, x, y);
    CHECK(y[0] == 13);
    CHECK(y[1] == 3);
    tinyad_dense_s8_reference(&linear, x, y);
    CHECK(y[1] == -42);
    CHECK(tinyad_sum_sqdiff_s8_reference(x, y, 2) == 49 + 37 * 37);
    test_dense_blocked_layout(tinyad_dense_s8);
    test_dense_blocked_layout(tinyad_dense_s8_reference);
    test_dense_per_tensor(tinyad_dense_s8);
    test_dense_per_tensor(tinyad_dense_s8_reference);
    test_dense_against_reference();
    test_dense_requantization();
    test_sum_sqdiff();
    test_requantize();
}

static void test_crc(void)
{
    CHECK(tinyad_crc16("123456789", 9) == 0x29B1u); /* CRC-16/CCITT-FALSE check value */
    CHECK(tinyad_crc16("", 0) == 0xFFFFu);
}

static char out[4096];
static size_t out_len;
static void capture(void *port, const char *data, uint16_t len)
{
    (void)port;
    if (out_len + len < sizeof out) {
        memcpy(out + out_len, data, len);
        out_len += len;
        out[out_len] = 0;
    }
}

static int32_t sum_score(const int8_t *input)
{
    return (int32_t)input[0] + input[1];
}

static void feed(tinyad_serial_t *s, const char *text)
{
    out_len = 0;
    out[0] = 0;
    while (*text) tinyad_serial_feed(s, *text++);
}

static void framed(char *dst, const char *payload)
{
    sprintf(dst, "%s*%04X\n", payload, tinyad_crc16(payload, (uint16_t)strlen(payload)));
}

/* Feeds scores to a fresh rule; writes one char per window: '.' idle, 'a' alarm on, 'S' start, 'E' end. */
static void run_alarm(const tinyad_alarm_config_t *c, const int32_t *scores, int n, char *trace)
{
    tinyad_alarm_t a;
    int i;
    tinyad_alarm_init(&a, c);
    for (i = 0; i < n; i++) {
        const uint8_t e = tinyad_alarm_update(&a, scores[i]);
        trace[i] = e == TINYAD_ALARM_START ? 'S' : e == TINYAD_ALARM_END ? 'E' : a.active ? 'a' : '.';
    }
    trace[n] = 0;
}

/* The cases of tinyad.model.AlarmRuleTest, worked out by hand from the rule's definition. */
static void test_alarm(void)
{
    static const int32_t legacy_scores[] = {0, 5, 6, 0, 0, 7, 1, 9};
    static const int32_t kofn_scores[] = {11, 0, 12, 0, 0, 13, 0, 0, 14};
    static const int32_t hold_scores[] = {20, 0, 0, 6, 4, 11, 30, 3};
    static const tinyad_alarm_config_t legacy = {1, 1, 0, 1, 1};
    static const tinyad_alarm_config_t kofn = {10, 10, 0, 2, 3};
    static const tinyad_alarm_config_t hold = {10, 4, 2, 1, 1};
    static const tinyad_alarm_config_t wide = {0, 0, 0, 2, 32};
    static const tinyad_alarm_config_t zero = {5, 5, 0, 0, 0};
    int32_t spaced[33] = {0};
    char trace[40];
    tinyad_alarm_t a;
    run_alarm(&legacy, legacy_scores, 8, trace);
    CHECK(strcmp(trace, ".SaE.SES") == 0);
    run_alarm(&kofn, kofn_scores, 9, trace);
    CHECK(strcmp(trace, "..SE.....") == 0);
    run_alarm(&hold, hold_scores, 8, trace);
    CHECK(strcmp(trace, "SaaaESaa") == 0);
    tinyad_alarm_init(&a, &hold);
    CHECK(tinyad_alarm_update(&a, 20) == TINYAD_ALARM_START);
    CHECK(tinyad_alarm_update(&a, 25) == TINYAD_ALARM_NONE && a.peak == 25);
    /* n = 32: two overs 31 windows apart are 2 of the last 32; 32 apart they are not */
    spaced[0] = 1;
    spaced[31] = 1;
    run_alarm(&wide, spaced, 32, trace);
    CHECK(trace[31] == 'S');
    spaced[31] = 0;
    spaced[32] = 1;
    run_alarm(&wide, spaced, 33, trace);
    CHECK(strchr(trace, 'S') == 0);
    /* a zero config (an older descriptor) runs as k = n = 1 */
    tinyad_alarm_init(&a, &zero);
    CHECK(a.config.k == 1 && a.config.n == 1);
    CHECK(tinyad_alarm_update(&a, 6) == TINYAD_ALARM_START);
    CHECK(tinyad_alarm_update(&a, 5) == TINYAD_ALARM_END);
}

static void test_serial(void)
{
    static const tinyad_model_t model = {"unit", "0123456789abcdef", 2, 10, sum_score, {10, 4, 1, 2, 3}};
    char line[TINYAD_SERIAL_LINE_CAP(2)];
    int8_t input[2];
    char cmd[64], expect[128];
    tinyad_serial_t s;
    tinyad_serial_init(&s, &model, line, sizeof line, input, capture, 0);

    feed(&s, "");
    tinyad_serial_hello(&s);
    framed(expect, "H 3 unit 0123456789abcdef 2 10 0");
    CHECK(strcmp(out, expect) == 0);

    framed(cmd, "W 05FF"); /* 5 + (-1) = 4, below threshold 10 */
    feed(&s, cmd);
    framed(expect, "S 0 4 0");
    CHECK(strcmp(out, expect) == 0);

    framed(cmd, "W 7F7F"); /* 254 > 10: alarm, next sequence number */
    feed(&s, cmd);
    framed(expect, "S 1 254 1");
    CHECK(strcmp(out, expect) == 0);

    framed(cmd, "I"); /* the announcement carries the next sequence number */
    feed(&s, cmd);
    framed(expect, "H 3 unit 0123456789abcdef 2 10 2");
    CHECK(strcmp(out, expect) == 0);

    framed(cmd, "W 8080"); /* -256 */
    feed(&s, cmd);
    framed(expect, "S 2 -256 0");
    CHECK(strcmp(out, expect) == 0);

    feed(&s, "W 0101*0000\n");
    framed(expect, "E crc");
    CHECK(strcmp(out, expect) == 0);

    framed(cmd, "W 010");
    feed(&s, cmd);
    framed(expect, "E len");
    CHECK(strcmp(out, expect) == 0);

    framed(cmd, "W 01G1");
    feed(&s, cmd);
    framed(expect, "E hex");
    CHECK(strcmp(out, expect) == 0);

    feed(&s, "garbage without frame\n");
    framed(expect, "E long"); /* longer than the line buffer (2*2+16 bytes) */
    CHECK(strcmp(out, expect) == 0);

    feed(&s, "xyz\n");
    framed(expect, "E frame");
    CHECK(strcmp(out, expect) == 0);

    framed(cmd, "T -2147483648");
    feed(&s, cmd);
    framed(expect, "K T -2147483648");
    CHECK(strcmp(out, expect) == 0);

    framed(cmd, "T 2147483648");
    feed(&s, cmd);
    framed(expect, "E arg");
    CHECK(strcmp(out, expect) == 0);

    framed(cmd, "R");
    feed(&s, cmd);
    framed(cmd, "W 0000");
    feed(&s, cmd);
    framed(expect, "S 0 0 1"); /* counters reset; 0 > INT32_MIN is an alarm */
    CHECK(strcmp(out, expect) == 0);

    framed(cmd, "G 3"); /* three generated windows, numbered on */
    feed(&s, cmd);
    CHECK(strncmp(out, "S 1 ", 4) == 0);
    CHECK(strstr(out, "\nS 3 ") != NULL);
    CHECK(strstr(out, "\nS 4 ") == NULL);
    framed(cmd, "G -1");
    feed(&s, cmd);
    framed(expect, "E arg");
    CHECK(strcmp(out, expect) == 0);

    framed(cmd, "Z");
    feed(&s, cmd);
    framed(expect, "E cmd");
    CHECK(strcmp(out, expect) == 0);

    /* a replay-only device (no live attached) has one mode */
    framed(cmd, "Q");
    feed(&s, cmd);
    framed(expect, "Q replay 0 0 0 0 0 0");
    CHECK(strcmp(out, expect) == 0);
    framed(cmd, "M live");
    feed(&s, cmd);
    framed(expect, "E arg");
    CHECK(strcmp(out, expect) == 0);
    framed(cmd, "M replayx");
    feed(&s, cmd);
    CHECK(strcmp(out, expect) == 0);
    framed(cmd, "M replay");
    feed(&s, cmd);
    framed(expect, "K M replay");
    CHECK(strcmp(out, expect) == 0);

    feed(&s, "\r\n\n"); /* blank lines are ignored */
    CHECK(out_len == 0);

    /* protocol 2: the acknowledgement carries the rule (k 2, n 3, hold-off 1, re-arm 4); S lines the alarm state;
       A lines the events. T 10 restores the threshold; R resets the counter and the rule. */
    framed(cmd, "T 10");
    feed(&s, cmd);
    framed(cmd, "R");
    feed(&s, cmd);
    framed(cmd, "V 2");
    feed(&s, cmd);
    framed(expect, "K V 2 2 3 1 4");
    CHECK(strcmp(out, expect) == 0);
    framed(cmd, "W 7F7F"); /* 254 > 10: 1 of the last 3, no onset yet */
    feed(&s, cmd);
    framed(expect, "S 0 254 1 0");
    CHECK(strcmp(out, expect) == 0);
    framed(cmd, "W 7F7F"); /* 2 of 3: an event starts */
    feed(&s, cmd);
    framed(expect, "S 1 254 1 1");
    framed(expect + strlen(expect), "A 1 S 254");
    CHECK(strcmp(out, expect) == 0);
    framed(cmd, "W 0101"); /* 2 <= 4 but inside the hold-off: still on */
    feed(&s, cmd);
    framed(expect, "S 2 2 0 1");
    CHECK(strcmp(out, expect) == 0);
    framed(cmd, "W 0101"); /* after the hold-off, 2 <= 4 ends it; the end reports the peak */
    feed(&s, cmd);
    framed(expect, "S 3 2 0 0");
    framed(expect + strlen(expect), "A 3 E 254");
    CHECK(strcmp(out, expect) == 0);
    framed(cmd, "V 4");
    feed(&s, cmd);
    framed(expect, "E arg");
    CHECK(strcmp(out, expect) == 0);
    framed(cmd, "V 1"); /* back to version 1 lines: the rule still runs, nothing of it is sent */
    feed(&s, cmd);
    framed(expect, "K V 1");
    CHECK(strcmp(out, expect) == 0);
    framed(cmd, "W 7F7F");
    feed(&s, cmd);
    framed(cmd, "W 7F7F");
    feed(&s, cmd);
    framed(expect, "S 5 254 1");
    CHECK(strcmp(out, expect) == 0);
}


/* Live sampling: a fake port records the sampling switch; frame t holds counts (t, -t). */
static int sampling_on = -1;
static uint32_t sampling_rate;
static int fake_sampling(tinyad_live_t *live, uint32_t rate_millihz, uint8_t on)
{
    (void)live;
    sampling_on = on;
    sampling_rate = rate_millihz;
    return 0;
}

static void push_frames(tinyad_live_t *l, int16_t first, int16_t count)
{
    int16_t t;
    for (t = first; t < first + count; t++) {
        int16_t *slot = tinyad_live_slot(l);
        slot[0] = t;
        slot[1] = (int16_t)-t;
        tinyad_live_commit(l);
    }
}

/* inputs: the window's first and last channel-0 counts, so window n (frames 2n .. 2n+3) scores 4n + 3 */
static void ends_features(const int16_t *window, int8_t *input)
{
    input[0] = (int8_t)window[0];
    input[1] = (int8_t)window[3 * 2];
}

static void poll_all(tinyad_serial_t *s)
{
    int i;
    out_len = 0;
    out[0] = 0;
    for (i = 0; i < 64; i++) tinyad_serial_poll(s);
}

static void test_live(void)
{
    static const tinyad_model_t model = {"unit", "0123456789abcdef", 2, 10, sum_score, {10, 10, 0, 1, 1}};
    char line[TINYAD_SERIAL_LINE_CAP(2)];
    int8_t input[2];
    int16_t ring[8 * 2], window[4 * 2];
    char cmd[64], expect[256];
    tinyad_live_t live;
    tinyad_serial_t s;
    tinyad_serial_init(&s, &model, line, sizeof line, input, capture, 0);
    tinyad_live_init(&live, ring, 8, 2, 4, 2);   /* 8 frames of 2 channels; window 4, hop 2 */
    CHECK(tinyad_serial_attach_live(&s, &live, ends_features, window, fake_sampling, 250000u) == 0);

    framed(cmd, "M live");
    feed(&s, cmd);
    framed(expect, "K M live");
    CHECK(strcmp(out, expect) == 0);
    CHECK(sampling_on == 1 && sampling_rate == 250000u);
    framed(cmd, "W 0101"); /* the host's windows are refused while the device scores its own */
    feed(&s, cmd);
    framed(expect, "E mode");
    CHECK(strcmp(out, expect) == 0);

    push_frames(&live, 0, 3);
    poll_all(&s);
    CHECK(out_len == 0);               /* 3 of 4 frames: no window yet */
    push_frames(&live, 3, 1);
    poll_all(&s);
    framed(expect, "S 0 3 0");
    CHECK(strcmp(out, expect) == 0);
    push_frames(&live, 4, 2);
    poll_all(&s);
    framed(expect, "S 1 7 0");
    CHECK(strcmp(out, expect) == 0);

    /* six frames arrive before the loop looks: windows 2 and 3 finish after their successor was due */
    push_frames(&live, 6, 6);
    poll_all(&s);
    framed(expect, "S 2 11 1");
    framed(expect + strlen(expect), "S 3 15 1");
    framed(expect + strlen(expect), "S 4 19 1");
    CHECK(strcmp(out, expect) == 0);
    CHECK(live.overruns == 2u);

    /* twenty more: windows 5..13 were overwritten and are skipped; 14 (frames 28..31) is scored */
    push_frames(&live, 12, 20);
    poll_all(&s);
    framed(expect, "S 14 59 1");
    CHECK(strcmp(out, expect) == 0);
    framed(cmd, "Q");
    feed(&s, cmd);
    framed(expect, "Q live 250000 32 6 2 9 0");
    CHECK(strcmp(out, expect) == 0);
    tinyad_live_miss(&live);
    CHECK(live.missed == 1u);

    /* raw: the mode change restarts sampling at frame 0 */
    framed(cmd, "M raw");
    feed(&s, cmd);
    framed(expect, "K M raw");
    CHECK(strcmp(out, expect) == 0);
    CHECK(sampling_on == 1 && tinyad_live_written(&live) == 0u);
    push_frames(&live, 0, 3);
    poll_all(&s);
    framed(expect, "D 0 0 0");
    framed(expect + strlen(expect), "D 1 1 -1");
    framed(expect + strlen(expect), "D 2 2 -2");
    CHECK(strcmp(out, expect) == 0);
    push_frames(&live, 3, 10);         /* frames 3 and 4 are overwritten before they are sent */
    poll_all(&s);
    CHECK(strncmp(out, "D 5 5 -5*", 9) == 0);
    CHECK(live.skipped == 2u);

    framed(cmd, "M replay");
    feed(&s, cmd);
    CHECK(sampling_on == 0);
    framed(cmd, "W 0102");
    feed(&s, cmd);
    framed(expect, "S 0 3 0");
    CHECK(strcmp(out, expect) == 0);
}

int main(void)
{
    test_kmeans();
    test_radius();
    test_requantization();
    test_high_mul_random();
    test_divide_random();
    test_dense();
    test_crc();
    test_alarm();
    test_serial();
    test_live();
    if (failures) {
        printf("%d failed\n", failures);
        return 1;
    }
    printf("firmware-c runtime: all tests passed\n");
    return 0;
}
