/* tinyad runtime kernels: one small function per operation. */
#include "tinyad.h"

#if defined(__ARM_FEATURE_DSP) && !defined(TINYAD_NO_SIMD)
#include <arm_acle.h>
#define TINYAD_SIMD 1
#endif

/*
 * On AVR, products are formed in 16 bits where they fit (|int8 x int8| <= 16384, (int8 - int8)^2 <= 65025
 * as unsigned), so the 8-bit CPU uses its 8x8 multiplier instead of a 32-bit multiply call; 32-bit CPUs
 * multiply in 32 bits, where a 16-bit truncation would cost an extra instruction.
 */
#if defined(__AVR__)
#define TINYAD_MUL_S8(a, b) ((int16_t)((int16_t)(a) * (int16_t)(b)))
#else
#define TINYAD_MUL_S8(a, b) ((int32_t)(a) * (int32_t)(b))
#endif

static int32_t square_diff(int8_t a, int8_t b)
{
    const int16_t diff = (int16_t)((int16_t)a - (int16_t)b);
#if defined(__AVR__)
    const uint16_t magnitude = (uint16_t)(diff < 0 ? -diff : diff);
    return (int32_t)(uint16_t)(magnitude * magnitude);
#else
    return (int32_t)diff * diff;
#endif
}

static int32_t sqdist_s8(const int8_t *input, const int8_t *centroid, uint16_t input_len)
{
    int32_t acc = 0;
    uint16_t i;
    for (i = 0; i < input_len; i++) {
        acc += square_diff(input[i], TINYAD_READ_S8(&centroid[i]));
    }
    return acc;
}

static int32_t nearest_sqdist_s8(const int8_t *input, const int8_t *centroids, uint16_t num_centroids,
                                 uint16_t input_len, uint16_t *nearest)
{
    int32_t best = INT32_MAX;
    uint16_t k;
    *nearest = 0;
    for (k = 0; k < num_centroids; k++) {
        const int32_t d = sqdist_s8(input, &centroids[(uint32_t)k * input_len], input_len);
        if (d < best) {
            best = d;
            *nearest = k;
        }
    }
    return best;
}

int32_t tinyad_kmeans_min_sqdist_s8(const int8_t *input, const int8_t *centroids,
                                    uint16_t num_centroids, uint16_t input_len)
{
    uint16_t nearest;
    return nearest_sqdist_s8(input, centroids, num_centroids, input_len, &nearest);
}

uint32_t tinyad_isqrt_u32(uint32_t value)
{
    uint32_t root = 0;
    uint32_t bit = (uint32_t)1 << 30;
    while (bit > value) bit >>= 2;
    while (bit != 0) {
        if (value >= root + bit) {
            value -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    return root;
}

int32_t tinyad_kmeans_radius_s8(const int8_t *input, const int8_t *centroids, const int32_t *radii,
                                uint16_t num_centroids, uint16_t input_len)
{
    uint16_t nearest;
    const int32_t d2 = nearest_sqdist_s8(input, centroids, num_centroids, input_len, &nearest);
    return (int32_t)tinyad_isqrt_u32((uint32_t)d2) - TINYAD_READ_S32(&radii[nearest]);
}

#if defined(__AVR__) && !defined(TINYAD_SRDHM_64BIT)
#define TINYAD_SRDHM_32BIT 1
#endif

#if defined(TINYAD_SRDHM_32BIT)
/* 16 x 16 -> 32 unsigned multiply: four MULs on AVR instead of a 32-bit library multiply. */
static uint32_t mul_u16(uint16_t a, uint16_t b)
{
#if defined(__AVR__)
    uint32_t r;
    __asm__("mul %A1, %A2\n\t"
            "movw %A0, r0\n\t"
            "mul %B1, %B2\n\t"
            "movw %C0, r0\n\t"
            "mul %A1, %B2\n\t"
            "add %B0, r0\n\t"
            "adc %C0, r1\n\t"
            "clr r1\n\t" /* EOR leaves the carry alone */
            "adc %D0, r1\n\t"
            "mul %B1, %A2\n\t"
            "add %B0, r0\n\t"
            "adc %C0, r1\n\t"
            "clr r1\n\t"
            "adc %D0, r1"
            : "=&r"(r)
            : "r"(a), "r"(b));
    return r;
#else
    return (uint32_t)a * b;
#endif
}

/*
 * The same result without 64-bit arithmetic, for 8-bit CPUs where a 64-bit multiply is a slow library
 * call: the 64-bit product from four 16x16->32 products, corrected for the operands' signs; then
 * floor((product + 2^30) / 2^31), which is what the nudge-and-truncate form computes.
 */
int32_t tinyad_saturating_rounding_doubling_high_mul(int32_t a, int32_t b)
{
    const uint32_t ua = (uint32_t)a;
    const uint32_t ub = (uint32_t)b;
    const uint16_t al = (uint16_t)ua, ah = (uint16_t)(ua >> 16);
    const uint16_t bl = (uint16_t)ub, bh = (uint16_t)(ub >> 16);
    const uint32_t ll = mul_u16(al, bl);
    const uint32_t lh = mul_u16(al, bh);
    const uint32_t hl = mul_u16(ah, bl);
    uint32_t hi = mul_u16(ah, bh);
    uint32_t mid = lh + hl;
    uint32_t lo;
    if (a == INT32_MIN && b == INT32_MIN) {
        return INT32_MAX;
    }
    if (mid < lh) hi += (uint32_t)1 << 16;   /* carry out of the middle sum */
    hi += mid >> 16;
    lo = ll + (mid << 16);
    if (lo < ll) hi++;
    if (a < 0) hi -= ub;                     /* signed product from the unsigned one */
    if (b < 0) hi -= ua;
    mid = lo + ((uint32_t)1 << 30);          /* + 2^30, carrying into the high word */
    if (mid < lo) hi++;
    /* arithmetic floor division by 2^31; the top bit tested, not shifted down (a 31-step loop on AVR) */
    return (int32_t)((hi << 1) | ((mid & 0x80000000u) != 0u ? 1u : 0u));
}
#else
int32_t tinyad_saturating_rounding_doubling_high_mul(int32_t a, int32_t b)
{
    int64_t ab;
    int64_t nudge;
    if (a == INT32_MIN && b == INT32_MIN) {
        return INT32_MAX;
    }
    ab = (int64_t)a * (int64_t)b;
    nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
    ab += nudge;
    /* ab / 2^31 truncated toward zero, as the reference's division, without a 64-bit division call */
    if (ab < 0) ab += ((int64_t)1 << 31) - 1;
    return (int32_t)(ab >> 31);
}
#endif

#if defined(TINYAD_SRDHM_32BIT)
/* x >> n for n in [0, 31], whole bytes first: an 8-bit CPU shifts one bit per instruction per byte. */
static uint32_t shift_right_u32(uint32_t x, uint8_t n)
{
    while (n >= 8u) {
        x >>= 8;
        n = (uint8_t)(n - 8u);
    }
    while (n--) x >>= 1;
    return x;
}

/*
 * Half away from zero on the magnitude: (|x| + 2^(e-1)) >> e with the sign put back, which equals the
 * mask-and-threshold form below for every x (INT32_MIN included: its magnitude 2^31 fits uint32).
 */
int32_t tinyad_rounding_divide_by_pot(int32_t x, int32_t exponent)
{
    uint32_t magnitude;
    uint32_t q;
    if (exponent == 0) return x;
    magnitude = x < 0 ? (uint32_t)0 - (uint32_t)x : (uint32_t)x;
    q = shift_right_u32(magnitude + shift_right_u32(0x80000000u, (uint8_t)(32 - exponent)), (uint8_t)exponent);
    return x < 0 ? (int32_t)((uint32_t)0 - q) : (int32_t)q;
}
#else
int32_t tinyad_rounding_divide_by_pot(int32_t x, int32_t exponent)
{
    const int32_t mask = (int32_t)(((uint32_t)1 << exponent) - 1u); /* exponent in [0, 31] */
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}
#endif

int32_t tinyad_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift)
{
    const int32_t left = shift > 0 ? shift : 0;
    const int32_t right = shift > 0 ? 0 : -shift;
    /* a left shift wraps as in the Java reference instead of overflowing (undefined in C) */
    const int32_t shifted = (int32_t)((uint32_t)x << left);
    return tinyad_rounding_divide_by_pot(tinyad_saturating_rounding_doubling_high_mul(shifted, multiplier), right);
}

static int8_t requantize_output(int32_t acc, int32_t multiplier, int32_t shift, int32_t output_zero_point,
                                int32_t activation_min)
{
    acc = tinyad_multiply_by_quantized_multiplier(acc, multiplier, shift) + output_zero_point;
    if (acc < activation_min) acc = activation_min;
    if (acc > 127) acc = 127;
    return (int8_t)acc;
}

#if defined(__AVR__)
/* One output row of a weight block (AVR: one int32 accumulator fits its registers, four do not). */
static int32_t dot_row_blocked(const int8_t *input, const int8_t *block, uint8_t row, uint16_t full, uint8_t tail,
                               int32_t acc)
{
    const int8_t *w = block + 4u * row;
    uint8_t k;
    while (full--) {
        acc += TINYAD_MUL_S8(TINYAD_READ_S8(&w[0]), input[0]);
        acc += TINYAD_MUL_S8(TINYAD_READ_S8(&w[1]), input[1]);
        acc += TINYAD_MUL_S8(TINYAD_READ_S8(&w[2]), input[2]);
        acc += TINYAD_MUL_S8(TINYAD_READ_S8(&w[3]), input[3]);
        w += 16;
        input += 4;
    }
    for (k = 0; k < tail; k++) acc += TINYAD_MUL_S8(TINYAD_READ_S8(&w[k]), input[k]);
    return acc;
}
#elif defined(TINYAD_SIMD)
/* SXTB16 of the word rotated by 8: the odd bytes (1 and 3) sign-extended into two halfwords. */
static int32_t sxtb16_ror8(uint32_t x)
{
    int32_t r;
    __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(x));
    return r;
}

static uint32_t load_u32(const int8_t *p)
{
    uint32_t v;
    __builtin_memcpy(&v, p, 4); /* an unaligned word load; Cortex-M4 does these in one instruction */
    return v;
}

#define TINYAD_MAC4(acc, w_ptr)                                                  \
    do {                                                                         \
        const uint32_t w_ = load_u32(w_ptr);                                     \
        (w_ptr) += 4;                                                            \
        acc = __smlad((int32_t)__sxtb16(w_), x_even, acc);                       \
        acc = __smlad(sxtb16_ror8(w_), x_odd, acc);                              \
    } while (0)

/*
 * A block of four output rows, four inputs per step: each input word is sign-extended once into its even
 * and odd byte pairs (SXTB16) and shared by the four rows; the block's weights are consecutive, so one
 * pointer walks them and nothing spills; each weight word makes two SMLADs (2 MACs each).
 */
static void dense_block4(const int8_t *x, const int8_t *w, uint16_t full, uint8_t tail, int32_t acc[4])
{
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    uint8_t k;
    while (full--) {
        const uint32_t xv = load_u32(x);
        const int32_t x_even = (int32_t)__sxtb16(xv);
        const int32_t x_odd = sxtb16_ror8(xv);
        x += 4;
        TINYAD_MAC4(a0, w);
        TINYAD_MAC4(a1, w);
        TINYAD_MAC4(a2, w);
        TINYAD_MAC4(a3, w);
    }
    for (k = 0; k < tail; k++) {
        const int32_t xk = x[k];
        a0 += w[k] * xk;
        a1 += w[4 + k] * xk;
        a2 += w[8 + k] * xk;
        a3 += w[12 + k] * xk;
    }
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}
#else
/* One input of a block step: the four rows' weights for input k lie 4 bytes apart. */
#define TINYAD_BLOCK_INPUT(k)                      \
    do {                                           \
        const int32_t xk = x[k];                   \
        a0 += w[(k)] * xk;                         \
        a1 += w[4 + (k)] * xk;                     \
        a2 += w[8 + (k)] * xk;                     \
        a3 += w[12 + (k)] * xk;                    \
    } while (0)

/* A block of four output rows, unrolled over the four inputs of a step: every load has a constant offset. */
static void dense_block4(const int8_t *x, const int8_t *w, uint16_t full, uint8_t tail, int32_t acc[4])
{
    int32_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
    uint8_t k;
    while (full--) {
        TINYAD_BLOCK_INPUT(0);
        TINYAD_BLOCK_INPUT(1);
        TINYAD_BLOCK_INPUT(2);
        TINYAD_BLOCK_INPUT(3);
        w += 16;
        x += 4;
    }
    for (k = 0; k < tail; k++) TINYAD_BLOCK_INPUT(k);
    acc[0] = a0;
    acc[1] = a1;
    acc[2] = a2;
    acc[3] = a3;
}
#endif

void tinyad_dense_s8(const int8_t *input, int8_t *output, const int8_t *weights, const int32_t *bias,
                     const int32_t *multiplier, const int32_t *shift, uint16_t input_len, uint16_t output_len,
                     int32_t output_zero_point, int32_t activation_min)
{
    const uint16_t chunks = (uint16_t)((input_len + 3u) >> 2);
    const uint16_t full = (uint16_t)(input_len >> 2);
    const uint8_t tail = (uint8_t)(input_len & 3u);
    uint16_t c;
    uint8_t r;
    for (c = 0; c < output_len; c = (uint16_t)(c + 4u)) {
        const int8_t *block = &weights[(uint32_t)c * chunks * 4u];
        const uint16_t left = (uint16_t)(output_len - c);
        const uint8_t rows = (uint8_t)(left < 4u ? left : 4u);
#if defined(__AVR__)
        for (r = 0; r < rows; r++) {
            const int32_t acc = dot_row_blocked(input, block, r, full, tail, TINYAD_READ_S32(&bias[c + r]));
            output[c + r] = requantize_output(acc, TINYAD_READ_S32(&multiplier[c + r]), TINYAD_READ_S32(&shift[c + r]),
                                              output_zero_point, activation_min);
        }
#else
        int32_t acc[4];
        for (r = 0; r < 4u; r++) acc[r] = r < rows ? TINYAD_READ_S32(&bias[c + r]) : 0;
        dense_block4(input, block, full, tail, acc);
        for (r = 0; r < rows; r++) {
            output[c + r] = requantize_output(acc[r], TINYAD_READ_S32(&multiplier[c + r]), TINYAD_READ_S32(&shift[c + r]),
                                              output_zero_point, activation_min);
        }
#endif
    }
}

int32_t tinyad_sum_sqdiff_s8(const int8_t *a, const int8_t *b, uint16_t len)
{
    int32_t acc = 0;
    uint16_t i;
    for (i = 0; i < len; i++) {
        acc += square_diff(a[i], b[i]);
    }
    return acc;
}

int8_t tinyad_quantize_s8(float x, float scale, float offset, int32_t zero_point)
{
    const float v = x * scale + offset;
    int32_t q;
    if (v >= 1000.0f) return 127;     /* far outside int8 either way; avoids float -> int overflow */
    if (v <= -1000.0f) return -128;
    q = (v >= 0.0f ? (int32_t)(v + 0.5f) : -(int32_t)(-v + 0.5f)) + zero_point;
    if (q > 127) q = 127;
    if (q < -128) q = -128;
    return (int8_t)q;
}

/*
 * Square root by Newton's method from an exponent-halving first guess: no libm on any target, and the
 * same float operations everywhere. Four steps take the ~4 % first guess to float precision.
 */
static float sqrt_f32(float x)
{
    union {
        float f;
        uint32_t u;
    } guess;
    float y;
    uint8_t i;
    if (!(x > 0.0f)) return 0.0f;
    guess.f = x;
    guess.u = (guess.u >> 1) + 0x1FC00000u;
    y = guess.f;
    for (i = 0; i < 4u; i++) y = 0.5f * (y + x / y);
    return y;
}

void tinyad_stats_f32(const float *window, uint16_t len, uint16_t channels, uint16_t channel, float *out)
{
    float sum = 0.0f, sq = 0.0f, mn = window[channel], mx = window[channel], peak = 0.0f;
    float mean, rms, m2 = 0.0f, m3 = 0.0f, m4 = 0.0f, sd;
    int flat;
    uint16_t t;
    for (t = 0; t < len; t++) {
        const float v = window[(uint32_t)t * channels + channel];
        const float a = v < 0.0f ? -v : v;
        sum += v;
        sq += v * v;
        if (v < mn) mn = v;
        if (v > mx) mx = v;
        if (a > peak) peak = a;
    }
    mean = sum / (float)len;
    rms = sqrt_f32(sq / (float)len);
    for (t = 0; t < len; t++) {
        const float d = window[(uint32_t)t * channels + channel] - mean;
        const float d2 = d * d;
        m2 += d2;
        m3 += d2 * d;
        m4 += d2 * d2;
    }
    m2 /= (float)len;
    m3 /= (float)len;
    m4 /= (float)len;
    sd = sqrt_f32(m2);
    flat = sd <= 1e-5f * peak; /* as the Java pipeline: float noise in a constant window is not spread */
    out[0] = mean;
    out[1] = sd;
    out[2] = rms;
    out[3] = mx - mn;
    out[4] = rms < 1e-12f ? 0.0f : peak / rms;
    out[5] = flat ? 0.0f : m3 / (m2 * sd);
    out[6] = flat ? 0.0f : m4 / (m2 * m2);
}

void tinyad_spectral_f32(const float *window, uint16_t len, uint16_t channels, uint16_t channel, uint16_t bins,
                         const float *cos_table, const float *sin_table, float *out)
{
    const uint16_t half = (uint16_t)(len / 2u);
    float mean = 0.0f;
    uint16_t t, k, b;
    for (t = 0; t < len; t++) mean += window[(uint32_t)t * channels + channel];
    mean /= (float)len;
    for (b = 0; b < bins; b++) {
        const uint16_t from = (uint16_t)((uint32_t)b * half / bins);
        const uint16_t to = (uint16_t)((uint32_t)(b + 1u) * half / bins);
        float power = 0.0f;
        for (k = from; k < to; k++) {
            float re = 0.0f, im = 0.0f;
            uint32_t angle = 0;   /* (k + 1) * t mod len, stepped */
            for (t = 0; t < len; t++) {
                const float v = window[(uint32_t)t * channels + channel] - mean;
                re += v * TINYAD_READ_F32(&cos_table[angle]);
                im -= v * TINYAD_READ_F32(&sin_table[angle]);
                angle += (uint32_t)k + 1u;
                if (angle >= len) angle -= len;
            }
            power += (re * re + im * im) / ((float)len * (float)len);
        }
        const uint16_t count = to > from ? (uint16_t)(to - from) : (uint16_t)1u;
        out[b] = sqrt_f32(power / (float)count);
    }
}
