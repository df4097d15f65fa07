/* tinyad runtime kernels: one small function per operation. */
#include "tinyad.h"

#if defined(__ARM_FEATURE_DSP) && !defined(TINYAD_NO_SIMD) && defined(__GNUC__) && defined(__thumb2__)
#define TINYAD_DENSE_ASM 1 /* the Cortex-M4/M7 dense layer below */
#include <arm_acle.h>
#endif

#if defined(__AVR__)
/*
 * Sums of squared differences on AVR, in assembly: |a - b| <= 255 is squared with one unsigned MUL
 * and added to a 32-bit sum (~20 cycles per element against ~36 for the C), from RAM (ld) or flash (lpm).
 */
int32_t tinyad_avr_sqdiff(const int8_t *a, const int8_t *b, uint16_t len);
int32_t tinyad_avr_sqdist(const int8_t *x, const int8_t *centroid_in_flash, uint16_t len);
__asm__(
    ".macro tinyad_avr_sqdiff_body load\n"
    "    movw   r26, r24\n"
    "    movw   r30, r22\n"
    "    clr    r22\n"
    "    clr    r23\n"
    "    clr    r24\n"
    "    clr    r25\n"
    "    clr    r19\n"
    "    cp     r20, r19\n"
    "    cpc    r21, r19\n"
    "    breq   3f\n"
    "1:  ld     r18, X+\n"
    "    \\load\n"
    "    cp     r18, r0\n"
    "    brge   2f\n"
    "    sub    r0, r18\n"                  /* b > a: b - a in 1..255 */
    "    mov    r18, r0\n"
    "    rjmp   4f\n"
    "2:  sub    r18, r0\n"                  /* a >= b: a - b in 0..255 */
    "4:  mul    r18, r18\n"
    "    add    r22, r0\n"
    "    adc    r23, r1\n"
    "    adc    r24, r19\n"
    "    adc    r25, r19\n"
    "    subi   r20, 1\n"
    "    sbci   r21, 0\n"
    "    brne   1b\n"
    "3:  clr    r1\n"
    "    ret\n"
    ".endm\n"
    ".section .text.tinyad_avr_sqdiff,\"ax\",@progbits\n"
    ".global tinyad_avr_sqdiff\n"
    ".type tinyad_avr_sqdiff, @function\n"
    "tinyad_avr_sqdiff:\n"
    "    tinyad_avr_sqdiff_body \"ld r0, Z+\"\n"
    ".size tinyad_avr_sqdiff, .-tinyad_avr_sqdiff\n"
    ".section .text.tinyad_avr_sqdist,\"ax\",@progbits\n"
    ".global tinyad_avr_sqdist\n"
    ".type tinyad_avr_sqdist, @function\n"
    "tinyad_avr_sqdist:\n"
    "    tinyad_avr_sqdiff_body \"lpm r0, Z+\"\n"
    ".size tinyad_avr_sqdist, .-tinyad_avr_sqdist\n"
    ".purgem tinyad_avr_sqdiff_body\n"
    ".text\n");

int32_t tinyad_sum_sqdiff_s8(const int8_t *a, const int8_t *b, uint16_t len)
{
    return tinyad_avr_sqdiff(a, b, len);
}

static int32_t sqdist_s8(const int8_t *input, const int8_t *centroid, uint16_t input_len)
{
    return tinyad_avr_sqdist(input, centroid, input_len);
}
#else
#if defined(TINYAD_DENSE_ASM) && !defined(__OPTIMIZE_SIZE__)
/* Four differences per step: bytes sign-extended in even/odd pairs, SSUB16 (|d| <= 255 fits a halfword),
   SMLAD squares and adds two at a time; the same sum as the loop below, in a third of the instructions. */
static int32_t sum_sqdiff_dsp(const int8_t *a, const int8_t *b, uint16_t words)
{
    int32_t acc = 0;
    while (words--) {
        uint32_t va, vb, a_odd, b_odd;
        int16x2_t d_even, d_odd;
        __builtin_memcpy(&va, a, 4);
        __builtin_memcpy(&vb, b, 4);
        a += 4;
        b += 4;
        __asm__("sxtb16 %0, %1, ror #8" : "=r"(a_odd) : "r"(va));
        __asm__("sxtb16 %0, %1, ror #8" : "=r"(b_odd) : "r"(vb));
        d_even = __ssub16(__sxtb16(va), __sxtb16(vb));
        d_odd = __ssub16((int16x2_t)a_odd, (int16x2_t)b_odd);
        acc = __smlad(d_even, d_even, acc);
        acc = __smlad(d_odd, d_odd, acc);
    }
    return acc;
}
#endif

int32_t tinyad_sum_sqdiff_s8(const int8_t *a, const int8_t *b, uint16_t len)
{
    int32_t acc = 0;
    uint16_t i = 0;
#if defined(TINYAD_DENSE_ASM) && !defined(__OPTIMIZE_SIZE__)
    i = (uint16_t)(len & ~3u);
    acc = sum_sqdiff_dsp(a, b, (uint16_t)(len >> 2));
#endif
    for (; i < len; i++) {
        const int32_t d = (int32_t)a[i] - (int32_t)b[i];
        acc += d * d;
    }
    return acc;
}

/* Centroids in flash are ordinary memory on these targets. */
static int32_t sqdist_s8(const int8_t *input, const int8_t *centroid, uint16_t input_len)
{
    return tinyad_sum_sqdiff_s8(input, centroid, input_len);
}
#endif

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

#if !defined(__AVR__) && !defined(TINYAD_DENSE_ASM)
/*
 * mbqm for the generated layers on 32-bit CPUs, whose multiplier is never negative: the doubling high
 * multiply cannot saturate then, and its nudge-and-truncate form equals floor((a * b + 2^30) / 2^31)
 * (docs/quantization.md), one 32x32->64 multiply-accumulate and a 64-bit shift; the rounding divide in
 * its mask form, which cannot overflow.
 */
static int8_t requantize_output(int32_t acc, int32_t multiplier, int32_t shift, int32_t output_zero_point,
                                int32_t activation_min)
{
    const int32_t left = shift > 0 ? shift : 0;
    const int32_t right = shift > 0 ? 0 : -shift;
    const int32_t shifted = (int32_t)((uint32_t)acc << left);
    const int32_t high = (int32_t)(((int64_t)shifted * multiplier + ((int64_t)1 << 30)) >> 31);
    const int32_t mask = (int32_t)(((uint32_t)1 << right) - 1u);
    const int32_t threshold = (mask >> 1) - (high >> 31);
    int32_t out = (high >> right) + ((high & mask) > threshold ? 1 : 0) + output_zero_point;
    if (out < activation_min) out = activation_min;
    if (out > 127) out = 127;
    return (int8_t)out;
}
#endif

#if defined(__AVR__)
/*
 * ATmega (AVR) dense layer, all in assembly: one function per layer keeps the block loop, the
 * multiply-accumulate and the requantization in registers and one frame (18 saved registers + 35 bytes).
 *
 * Multiply-accumulate, a block of four rows: four inputs are loaded once per step and shared by the rows;
 * weights stream from flash with LPM Z+ (the block layout is their reading order); two MULS products are
 * summed in 16 bits (|w| <= 127, so |w * x| <= 16256 and a pair fits), then added to a 24-bit accumulator
 * as an unsigned number (+32768; each pass subtracts the offsets at its end): 8.5 cycles per MAC. 24 bits
 * hold 128 steps (512 * 16256 < 2^23): longer rows run in passes added into the 32-bit accumulators in
 * the frame, which start at the biases. Inputs past input_len % 4 are zero in the last step, so the
 * padding's weights never count.
 *
 * Layers of at most 127 steps (+ the tail step) with a generated table (tinyad_dense_t.avr_plan) take one
 * pass without biases: the four sums are kept as 24-bit values and each row's plan gives its output from one
 * 24x32-bit product, an add of one of two 56-bit offsets and whole bytes (docs/quantization.md; the generator
 * proves each plan equal to the reference on every reachable sum). A row without a plan carries its bias,
 * multiplier and shift in the table and goes through the exact core below.
 *
 * Requantization, exact for multiplier 0 or in [2^30, 2^31) (docs/quantization.md): the product acc * M
 * from 12 MULs when acc fits 24 bits (16 otherwise), unsigned, then 2^24 * M (2^32 * M) subtracted for a
 * negative acc; + 2^30; bits 31..62 are the doubling high multiply. The rounding divide by 2^e: a shift by
 * e - 1 (whole bytes, then one multiply by 2^(8 - n) for the remaining n bits) that records whether a one
 * was shifted out; the last bit then decides: half rounds up for r >= 0, only more than half for r < 0.
 *
 * Frame (Y+): 1 weights, 3 bias, 5 multiplier, 7 shift (pointers, advancing), 9 input_len,
 * 11 rows left, 13 output zero point (14: rows of this block), 15 activation min (low byte), 16 input,
 * 18 output, 20..35 the block's four int32 accumulators (table route: 20..31 the 24-bit sums, 32 the table
 * pointer). r15 is zero throughout.
 */
int32_t tinyad_avr_requant(int32_t acc, int32_t multiplier, int8_t shift); /* the core, for the tests */
__asm__(
    ".section .progmem.data,\"a\",@progbits\n"
    "tinyad_avr_pow2:\n"
    "    .byte 0, 128, 64, 32, 16, 8, 4, 2\n"
    ".section .text.tinyad_dense_s8,\"ax\",@progbits\n"
    ".global tinyad_dense_s8\n"
    ".type tinyad_dense_s8, @function\n"
    "    .macro tinyad_avr_pair xa, xb, a0, a1, a2\n"
    "    lpm    r23, Z+\n"
    "    muls   \\xa, r23\n"
    "    movw   r24, r0\n"
    "    lpm    r23, Z+\n"
    "    muls   \\xb, r23\n"
    "    add    r24, r0\n"
    "    adc    r25, r1\n"
    "    subi   r25, 0x80\n"
    "    add    \\a0, r24\n"
    "    adc    \\a1, r25\n"
    "    adc    \\a2, r15\n"
    "    .endm\n"
    "    .macro tinyad_avr_row a0, a1, a2\n"
    "    tinyad_avr_pair r16, r17, \\a0, \\a1, \\a2\n"
    "    tinyad_avr_pair r21, r22, \\a0, \\a1, \\a2\n"
    "    .endm\n"
    "    .macro tinyad_avr_addacc a0, a1, a2, k\n"
    "    mov    r24, \\a2\n"
    "    lsl    r24\n"
    "    sbc    r25, r25\n"
    "    ldd    r24, Y+\\k\n"
    "    add    r24, \\a0\n"
    "    std    Y+\\k, r24\n"
    "    ldd    r24, Y+\\k+1\n"
    "    adc    r24, \\a1\n"
    "    std    Y+\\k+1, r24\n"
    "    ldd    r24, Y+\\k+2\n"
    "    adc    r24, \\a2\n"
    "    std    Y+\\k+2, r24\n"
    "    ldd    r24, Y+\\k+3\n"
    "    adc    r24, r25\n"
    "    std    Y+\\k+3, r24\n"
    "    .endm\n"
    "    .macro tinyad_avr_rows4\n"
    "    tinyad_avr_row r3, r4, r5\n"
    "    tinyad_avr_row r6, r7, r8\n"
    "    tinyad_avr_row r9, r10, r11\n"
    "    tinyad_avr_row r12, r13, r14\n"
    "    .endm\n"
    "    .macro tinyad_avr_step\n"
    "    ld     r16, X+\n"
    "    ld     r17, X+\n"
    "    ld     r21, X+\n"
    "    ld     r22, X+\n"
    "    tinyad_avr_rows4\n"
    "    .endm\n"
    "    .macro tinyad_avr_add7\n"
    "    lpm    r0, Z+\n"
    "    add    r2, r0\n"
    "    lpm    r0, Z+\n"
    "    adc    r3, r0\n"
    "    lpm    r0, Z+\n"
    "    adc    r4, r0\n"
    "    lpm    r0, Z+\n"
    "    adc    r5, r0\n"
    "    lpm    r0, Z+\n"
    "    adc    r6, r0\n"
    "    lpm    r0, Z+\n"
    "    adc    r7, r0\n"
    "    lpm    r0, Z+\n"
    "    adc    r8, r0\n"
    "    .endm\n"
    "    .macro tinyad_avr_mul24x32\n"
    "    mul    r22, r18\n"
    "    movw   r2, r0\n"
    "    mul    r23, r19\n"
    "    movw   r4, r0\n"
    "    mul    r24, r20\n"
    "    movw   r6, r0\n"
    "    clr    r8\n"
    "    mul    r22, r19\n"
    "    add    r3, r0\n"
    "    adc    r4, r1\n"
    "    adc    r5, r15\n"
    "    adc    r6, r15\n"
    "    adc    r7, r15\n"
    "    adc    r8, r15\n"
    "    mul    r23, r18\n"
    "    add    r3, r0\n"
    "    adc    r4, r1\n"
    "    adc    r5, r15\n"
    "    adc    r6, r15\n"
    "    adc    r7, r15\n"
    "    adc    r8, r15\n"
    "    mul    r22, r20\n"
    "    add    r4, r0\n"
    "    adc    r5, r1\n"
    "    adc    r6, r15\n"
    "    adc    r7, r15\n"
    "    adc    r8, r15\n"
    "    mul    r24, r18\n"
    "    add    r4, r0\n"
    "    adc    r5, r1\n"
    "    adc    r6, r15\n"
    "    adc    r7, r15\n"
    "    adc    r8, r15\n"
    "    mul    r22, r21\n"
    "    add    r5, r0\n"
    "    adc    r6, r1\n"
    "    adc    r7, r15\n"
    "    adc    r8, r15\n"
    "    mul    r23, r20\n"
    "    add    r5, r0\n"
    "    adc    r6, r1\n"
    "    adc    r7, r15\n"
    "    adc    r8, r15\n"
    "    mul    r24, r19\n"
    "    add    r5, r0\n"
    "    adc    r6, r1\n"
    "    adc    r7, r15\n"
    "    adc    r8, r15\n"
    "    mul    r23, r21\n"
    "    add    r6, r0\n"
    "    adc    r7, r1\n"
    "    adc    r8, r15\n"
    "    mul    r24, r21\n"
    "    add    r7, r0\n"
    "    adc    r8, r1\n"
    "    .endm\n"
    "tinyad_dense_s8:\n"
    "    push   r2\n"
    "    push   r3\n"
    "    push   r4\n"
    "    push   r5\n"
    "    push   r6\n"
    "    push   r7\n"
    "    push   r8\n"
    "    push   r9\n"
    "    push   r10\n"
    "    push   r11\n"
    "    push   r12\n"
    "    push   r13\n"
    "    push   r14\n"
    "    push   r15\n"
    "    push   r16\n"
    "    push   r17\n"
    "    push   r28\n"
    "    push   r29\n"
    "    in     r28, __SP_L__\n"
    "    in     r29, __SP_H__\n"
    "    sbiw   r28, 35\n"
    "    in     r0, __SREG__\n"
    "    cli\n"
    "    out    __SP_H__, r29\n"
    "    out    __SREG__, r0\n"
    "    out    __SP_L__, r28\n"
    "    clr    r15\n"
    "    movw   r30, r24\n"
    "    lpm    r0, Z+\n"
    "    std    Y+1, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+2, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+3, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+4, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+5, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+6, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+7, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+8, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+9, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+10, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+11, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+12, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+13, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+14, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+15, r0\n"
    "    std    Y+16, r22\n"
    "    std    Y+17, r23\n"
    "    std    Y+18, r20\n"
    "    std    Y+19, r21\n"
    "    lpm    r0, Z+\n"
    "    lpm    r24, Z+\n"
    "    lpm    r25, Z+\n"
    "    sbiw   r24, 0\n"
    "    breq   .Ltinyad_block\n"
    "    std    Y+32, r24\n"
    "    std    Y+33, r25\n"
    "    rjmp   .Ltinyad_fblock\n"
    ".Ltinyad_block:\n"
    "    ldd    r24, Y+11\n"
    "    ldd    r25, Y+12\n"
    "    sbiw   r24, 0\n"
    "    brne   .Ltinyad_rows_left\n"
    "    rjmp   .Ltinyad_done\n"
    ".Ltinyad_rows_left:\n"
    "    ldi    r17, 4\n"
    "    cpi    r24, 4\n"
    "    cpc    r25, r15\n"
    "    brsh   .Ltinyad_four_rows\n"
    "    mov    r17, r24\n"
    ".Ltinyad_four_rows:\n"
    "    sub    r24, r17\n"
    "    sbc    r25, r15\n"
    "    std    Y+11, r24\n"
    "    std    Y+12, r25\n"
    "    std    Y+14, r17\n"
    "    ldd    r30, Y+3\n"
    "    ldd    r31, Y+4\n"
    "    cpi    r17, 4\n"
    "    brne   .Ltinyad_bias_few\n"
    "    lpm    r0, Z+\n"
    "    std    Y+20, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+21, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+22, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+23, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+24, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+25, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+26, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+27, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+28, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+29, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+30, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+31, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+32, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+33, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+34, r0\n"
    "    lpm    r0, Z+\n"
    "    std    Y+35, r0\n"
    "    rjmp   .Ltinyad_bias_done\n"
    ".Ltinyad_bias_few:\n"
    "    .irp k, 20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35\n"
    "    std    Y+\\k, r15\n"
    "    .endr\n"
    "    movw   r26, r28\n"
    "    adiw   r26, 20\n"
    "    mov    r16, r17\n"
    "    lsl    r16\n"
    "    lsl    r16\n"
    ".Ltinyad_bias:\n"
    "    lpm    r0, Z+\n"
    "    st     X+, r0\n"
    "    dec    r16\n"
    "    brne   .Ltinyad_bias\n"
    ".Ltinyad_bias_done:\n"
    "    std    Y+3, r30\n"
    "    std    Y+4, r31\n"
    "    ldd    r26, Y+16\n"
    "    ldd    r27, Y+17\n"
    "    ldd    r30, Y+1\n"
    "    ldd    r31, Y+2\n"
    "    ldd    r18, Y+9\n"
    "    ldd    r19, Y+10\n"
    "    lsr    r19\n"
    "    ror    r18\n"
    "    lsr    r19\n"
    "    ror    r18\n"
    ".Ltinyad_pass:\n"
    "    cp     r18, r15\n"
    "    cpc    r19, r15\n"
    "    brne   .Ltinyad_pass_go\n"
    "    rjmp   .Ltinyad_tail\n"
    ".Ltinyad_pass_go:\n"
    "    ldi    r20, 128\n"
    "    cpi    r18, 128\n"
    "    cpc    r19, r15\n"
    "    brsh   .Ltinyad_pass_n\n"
    "    mov    r20, r18\n"
    ".Ltinyad_pass_n:\n"
    "    sub    r18, r20\n"
    "    sbc    r19, r15\n"
    "    mov    r2, r20\n"
    "    .irp r, 3,4,5,6,7,8,9,10,11,12,13,14\n"
    "    clr    r\\r\n"
    "    .endr\n"
    ".Ltinyad_step:\n"
    "    tinyad_avr_step\n"
    "    dec    r20\n"
    "    breq   .Ltinyad_pass_end\n"
    "    rjmp   .Ltinyad_step\n"
    ".Ltinyad_pass_end:\n"
    "    sub    r5, r2\n"
    "    sub    r8, r2\n"
    "    sub    r11, r2\n"
    "    sub    r14, r2\n"
    "    tinyad_avr_addacc r3, r4, r5, 20\n"
    "    tinyad_avr_addacc r6, r7, r8, 24\n"
    "    tinyad_avr_addacc r9, r10, r11, 28\n"
    "    tinyad_avr_addacc r12, r13, r14, 32\n"
    "    rjmp   .Ltinyad_pass\n"
    ".Ltinyad_tail:\n"
    "    ldd    r24, Y+9\n"
    "    andi   r24, 3\n"
    "    brne   .Ltinyad_tail_go\n"
    "    rjmp   .Ltinyad_mac_done\n"
    ".Ltinyad_tail_go:\n"
    "    .irp r, 3,4,5,6,7,8,9,10,11,12,13,14\n"
    "    clr    r\\r\n"
    "    .endr\n"
    "    ld     r16, X+\n"
    "    clr    r17\n"
    "    clr    r21\n"
    "    clr    r22\n"
    "    cpi    r24, 2\n"
    "    brlo   .Ltinyad_tail_x\n"
    "    ld     r17, X+\n"
    "    cpi    r24, 3\n"
    "    brlo   .Ltinyad_tail_x\n"
    "    ld     r21, X+\n"
    ".Ltinyad_tail_x:\n"
    "    tinyad_avr_rows4\n"
    "    dec    r5\n"
    "    dec    r8\n"
    "    dec    r11\n"
    "    dec    r14\n"
    "    tinyad_avr_addacc r3, r4, r5, 20\n"
    "    tinyad_avr_addacc r6, r7, r8, 24\n"
    "    tinyad_avr_addacc r9, r10, r11, 28\n"
    "    tinyad_avr_addacc r12, r13, r14, 32\n"
    ".Ltinyad_mac_done:\n"
    "    std    Y+1, r30\n"
    "    std    Y+2, r31\n"
    "    ldd    r26, Y+18\n"
    "    ldd    r27, Y+19\n"
    "    ldd    r12, Y+5\n"
    "    ldd    r13, Y+6\n"
    "    ldd    r17, Y+14\n"
    "    ldd    r22, Y+20\n"
    "    ldd    r23, Y+21\n"
    "    ldd    r24, Y+22\n"
    "    ldd    r25, Y+23\n"
    "    rcall  .Ltinyad_row\n"
    "    cpi    r17, 2\n"
    "    brsh   .Ltinyad_row1\n"
    "    rjmp   .Ltinyad_rows_done\n"
    ".Ltinyad_row1:\n"
    "    ldd    r22, Y+24\n"
    "    ldd    r23, Y+25\n"
    "    ldd    r24, Y+26\n"
    "    ldd    r25, Y+27\n"
    "    rcall  .Ltinyad_row\n"
    "    cpi    r17, 3\n"
    "    brsh   .Ltinyad_row2\n"
    "    rjmp   .Ltinyad_rows_done\n"
    ".Ltinyad_row2:\n"
    "    ldd    r22, Y+28\n"
    "    ldd    r23, Y+29\n"
    "    ldd    r24, Y+30\n"
    "    ldd    r25, Y+31\n"
    "    rcall  .Ltinyad_row\n"
    "    cpi    r17, 4\n"
    "    brsh   .Ltinyad_row3\n"
    "    rjmp   .Ltinyad_rows_done\n"
    ".Ltinyad_row3:\n"
    "    ldd    r22, Y+32\n"
    "    ldd    r23, Y+33\n"
    "    ldd    r24, Y+34\n"
    "    ldd    r25, Y+35\n"
    "    rcall  .Ltinyad_row\n"
    ".Ltinyad_rows_done:\n"
    "    std    Y+18, r26\n"
    "    std    Y+19, r27\n"
    "    std    Y+5, r12\n"
    "    std    Y+6, r13\n"
    "    rjmp   .Ltinyad_block\n"
    ".Ltinyad_fblock:\n"
    "    ldd    r24, Y+11\n"
    "    ldd    r25, Y+12\n"
    "    sbiw   r24, 0\n"
    "    brne   .Ltinyad_f_rows_left\n"
    "    rjmp   .Ltinyad_done\n"
    ".Ltinyad_f_rows_left:\n"
    "    ldi    r17, 4\n"
    "    cpi    r24, 4\n"
    "    cpc    r25, r15\n"
    "    brsh   .Ltinyad_f_four\n"
    "    mov    r17, r24\n"
    ".Ltinyad_f_four:\n"
    "    sub    r24, r17\n"
    "    sbc    r25, r15\n"
    "    std    Y+11, r24\n"
    "    std    Y+12, r25\n"
    "    std    Y+14, r17\n"
    "    ldd    r26, Y+16\n"
    "    ldd    r27, Y+17\n"
    "    ldd    r30, Y+1\n"
    "    ldd    r31, Y+2\n"
    "    ldd    r20, Y+9\n"
    "    ldd    r19, Y+10\n"
    "    lsr    r19\n"
    "    ror    r20\n"
    "    lsr    r19\n"
    "    ror    r20\n"
    "    mov    r2, r20\n"
    "    .irp r, 3,4,5,6,7,8,9,10,11,12,13,14\n"
    "    clr    r\\r\n"
    "    .endr\n"
    "    tst    r20\n"
    "    brne   .Ltinyad_f_step\n"
    "    rjmp   .Ltinyad_f_tail\n"
    ".Ltinyad_f_step:\n"
    "    tinyad_avr_step\n"
    "    dec    r20\n"
    "    breq   .Ltinyad_f_tail\n"
    "    rjmp   .Ltinyad_f_step\n"
    ".Ltinyad_f_tail:\n"
    "    ldd    r24, Y+9\n"
    "    andi   r24, 3\n"
    "    brne   .Ltinyad_f_tail_go\n"
    "    rjmp   .Ltinyad_f_sums\n"
    ".Ltinyad_f_tail_go:\n"
    "    ld     r16, X+\n"
    "    clr    r17\n"
    "    clr    r21\n"
    "    clr    r22\n"
    "    cpi    r24, 2\n"
    "    brlo   .Ltinyad_f_tail_x\n"
    "    ld     r17, X+\n"
    "    cpi    r24, 3\n"
    "    brlo   .Ltinyad_f_tail_x\n"
    "    ld     r21, X+\n"
    ".Ltinyad_f_tail_x:\n"
    "    tinyad_avr_rows4\n"
    "    inc    r2\n"
    ".Ltinyad_f_sums:\n"
    "    sub    r5, r2\n"
    "    sub    r8, r2\n"
    "    sub    r11, r2\n"
    "    sub    r14, r2\n"
    "    std    Y+1, r30\n"
    "    std    Y+2, r31\n"
    "    std    Y+20, r3\n"
    "    std    Y+21, r4\n"
    "    std    Y+22, r5\n"
    "    std    Y+23, r6\n"
    "    std    Y+24, r7\n"
    "    std    Y+25, r8\n"
    "    std    Y+26, r9\n"
    "    std    Y+27, r10\n"
    "    std    Y+28, r11\n"
    "    std    Y+29, r12\n"
    "    std    Y+30, r13\n"
    "    std    Y+31, r14\n"
    "    ldd    r26, Y+18\n"
    "    ldd    r27, Y+19\n"
    "    ldd    r12, Y+32\n"
    "    ldd    r13, Y+33\n"
    "    ldd    r17, Y+14\n"
    "    ldd    r22, Y+20\n"
    "    ldd    r23, Y+21\n"
    "    ldd    r24, Y+22\n"
    "    rcall  .Ltinyad_f_row\n"
    "    cpi    r17, 2\n"
    "    brsh   .Ltinyad_f_row1\n"
    "    rjmp   .Ltinyad_f_rows_done\n"
    ".Ltinyad_f_row1:\n"
    "    ldd    r22, Y+23\n"
    "    ldd    r23, Y+24\n"
    "    ldd    r24, Y+25\n"
    "    rcall  .Ltinyad_f_row\n"
    "    cpi    r17, 3\n"
    "    brsh   .Ltinyad_f_row2\n"
    "    rjmp   .Ltinyad_f_rows_done\n"
    ".Ltinyad_f_row2:\n"
    "    ldd    r22, Y+26\n"
    "    ldd    r23, Y+27\n"
    "    ldd    r24, Y+28\n"
    "    rcall  .Ltinyad_f_row\n"
    "    cpi    r17, 4\n"
    "    brsh   .Ltinyad_f_row3\n"
    "    rjmp   .Ltinyad_f_rows_done\n"
    ".Ltinyad_f_row3:\n"
    "    ldd    r22, Y+29\n"
    "    ldd    r23, Y+30\n"
    "    ldd    r24, Y+31\n"
    "    rcall  .Ltinyad_f_row\n"
    ".Ltinyad_f_rows_done:\n"
    "    std    Y+18, r26\n"
    "    std    Y+19, r27\n"
    "    std    Y+32, r12\n"
    "    std    Y+33, r13\n"
    "    rjmp   .Ltinyad_fblock\n"
    ".Ltinyad_f_row:\n"
    "    movw   r30, r12\n"
    "    lpm    r16, Z+\n"
    "    tst    r16\n"
    "    brne   .Ltinyad_f_plan\n"
    "    mov    r25, r24\n"
    "    lsl    r25\n"
    "    sbc    r25, r25\n"
    "    lpm    r0, Z+\n"
    "    add    r22, r0\n"
    "    lpm    r0, Z+\n"
    "    adc    r23, r0\n"
    "    lpm    r0, Z+\n"
    "    adc    r24, r0\n"
    "    lpm    r0, Z+\n"
    "    adc    r25, r0\n"
    "    lpm    r18, Z+\n"
    "    lpm    r19, Z+\n"
    "    lpm    r20, Z+\n"
    "    lpm    r21, Z+\n"
    "    lpm    r16, Z+\n"
    "    adiw   r30, 12\n"
    "    movw   r12, r30\n"
    "    rcall  .Ltinyad_core\n"
    "    rjmp   .Ltinyad_row_out\n"
    ".Ltinyad_f_plan:\n"
    "    lpm    r18, Z+\n"
    "    lpm    r19, Z+\n"
    "    lpm    r20, Z+\n"
    "    lpm    r21, Z+\n"
    "    lpm    r9, Z+\n"
    "    lpm    r10, Z+\n"
    "    lpm    r11, Z+\n"
    "    tinyad_avr_mul24x32\n"
    "    sbrs   r24, 7\n"
    "    rjmp   .Ltinyad_f_pos\n"
    "    sub    r5, r18\n"
    "    sbc    r6, r19\n"
    "    sbc    r7, r20\n"
    "    sbc    r8, r21\n"
    ".Ltinyad_f_pos:\n"
    "    cp     r22, r9\n"
    "    cpc    r23, r10\n"
    "    cpc    r24, r11\n"
    "    brge   .Ltinyad_f_above\n"
    "    tinyad_avr_add7\n"
    "    adiw   r30, 7\n"
    "    rjmp   .Ltinyad_f_sum\n"
    ".Ltinyad_f_above:\n"
    "    adiw   r30, 7\n"
    "    tinyad_avr_add7\n"
    ".Ltinyad_f_sum:\n"
    "    movw   r12, r30\n"
    "    ldi    r30, 2\n"
    "    add    r30, r16\n"
    "    clr    r31\n"
    "    ld     r24, Z+\n"
    "    mov    r25, r24\n"
    "    lsl    r25\n"
    "    sbc    r25, r25\n"
    ".Ltinyad_f_high:\n"
    "    cpi    r30, 9\n"
    "    brsh   .Ltinyad_f_clamp\n"
    "    ld     r23, Z+\n"
    "    cp     r23, r25\n"
    "    breq   .Ltinyad_f_high\n"
    "    ldi    r24, 127\n"
    "    sbrc   r8, 7\n"
    "    ldi    r24, 0x80\n"
    ".Ltinyad_f_clamp:\n"
    "    ldd    r23, Y+15\n"
    "    cp     r24, r23\n"
    "    brge   .Ltinyad_f_store\n"
    "    mov    r24, r23\n"
    ".Ltinyad_f_store:\n"
    "    st     X+, r24\n"
    "    clr    r1\n"
    "    ret\n"
    ".Ltinyad_done:\n"
    "    adiw   r28, 35\n"
    "    in     r0, __SREG__\n"
    "    cli\n"
    "    out    __SP_H__, r29\n"
    "    out    __SREG__, r0\n"
    "    out    __SP_L__, r28\n"
    "    pop    r29\n"
    "    pop    r28\n"
    "    pop    r17\n"
    "    pop    r16\n"
    "    pop    r15\n"
    "    pop    r14\n"
    "    pop    r13\n"
    "    pop    r12\n"
    "    pop    r11\n"
    "    pop    r10\n"
    "    pop    r9\n"
    "    pop    r8\n"
    "    pop    r7\n"
    "    pop    r6\n"
    "    pop    r5\n"
    "    pop    r4\n"
    "    pop    r3\n"
    "    pop    r2\n"
    "    clr    r1\n"
    "    ret\n"
    ".Ltinyad_row:\n"
    "    movw   r30, r12\n"
    "    lpm    r18, Z+\n"
    "    lpm    r19, Z+\n"
    "    lpm    r20, Z+\n"
    "    lpm    r21, Z+\n"
    "    movw   r12, r30\n"
    "    ldd    r30, Y+7\n"
    "    ldd    r31, Y+8\n"
    "    lpm    r16, Z\n"
    "    adiw   r30, 4\n"
    "    std    Y+7, r30\n"
    "    std    Y+8, r31\n"
    "    rcall  .Ltinyad_core\n"
    ".Ltinyad_row_out:\n"
    "    mov    r0, r7\n"
    "    lsl    r0\n"
    "    sbc    r0, r0\n"
    "    cp     r8, r0\n"
    "    cpc    r9, r0\n"
    "    breq   .Ltinyad_in16\n"
    "    ldi    r22, 0xFF\n"
    "    ldi    r23, 0x01\n"
    "    sbrs   r9, 7\n"
    "    rjmp   .Ltinyad_big\n"
    "    ldi    r22, 0x00\n"
    "    ldi    r23, 0xFE\n"
    ".Ltinyad_big:\n"
    "    movw   r6, r22\n"
    ".Ltinyad_in16:\n"
    "    ldd    r22, Y+13\n"
    "    mov    r23, r22\n"
    "    lsl    r23\n"
    "    sbc    r23, r23\n"
    "    add    r6, r22\n"
    "    adc    r7, r23\n"
    "    ldd    r22, Y+15\n"
    "    mov    r23, r22\n"
    "    lsl    r23\n"
    "    sbc    r23, r23\n"
    "    cp     r6, r22\n"
    "    cpc    r7, r23\n"
    "    brge   .Ltinyad_above\n"
    "    movw   r6, r22\n"
    ".Ltinyad_above:\n"
    "    ldi    r22, 127\n"
    "    cp     r22, r6\n"
    "    cpc    r15, r7\n"
    "    brge   .Ltinyad_below\n"
    "    mov    r6, r22\n"
    ".Ltinyad_below:\n"
    "    st     X+, r6\n"
    "    ret\n"
    /* requantization core: acc r22-r25, M r18-r21, shift r16 -> r6-r9; uses r2-r11, r16, r30, r31 */
    ".Ltinyad_core:\n"
    "    tst    r16\n"
    "    breq   2f\n"
    "    brmi   1f\n"
    "0:\n"
    "    lsl    r22\n"
    "    rol    r23\n"
    "    rol    r24\n"
    "    rol    r25\n"
    "    dec    r16\n"
    "    brne   0b\n"
    "    rjmp   2f\n"
    "1:\n"
    "    neg    r16\n"
    "2:\n"
    "    mov    r0, r24\n"
    "    lsl    r0\n"
    "    sbc    r0, r0\n"
    "    cp     r0, r25\n"
    "    breq   3f\n"
    "    rjmp   .Ltinyad_full\n"
    "3:\n"
    "    tinyad_avr_mul24x32\n"
    "    clr    r9\n"
    "    sbrs   r24, 7\n"
    "    rjmp   .Ltinyad_plus\n"
    "    sub    r5, r18\n"
    "    sbc    r6, r19\n"
    "    sbc    r7, r20\n"
    "    sbc    r8, r21\n"
    "    sbc    r9, r15\n"
    "    rjmp   .Ltinyad_plus\n"
    ".Ltinyad_full:\n"
    "    tinyad_avr_mul24x32\n"
    "    clr    r9\n"
    "    mul    r25, r18\n"
    "    add    r5, r0\n"
    "    adc    r6, r1\n"
    "    adc    r7, r15\n"
    "    adc    r8, r15\n"
    "    adc    r9, r15\n"
    "    mul    r25, r19\n"
    "    add    r6, r0\n"
    "    adc    r7, r1\n"
    "    adc    r8, r15\n"
    "    adc    r9, r15\n"
    "    mul    r25, r20\n"
    "    add    r7, r0\n"
    "    adc    r8, r1\n"
    "    adc    r9, r15\n"
    "    mul    r25, r21\n"
    "    add    r8, r0\n"
    "    adc    r9, r1\n"
    "    sbrs   r25, 7\n"
    "    rjmp   .Ltinyad_plus\n"
    "    sub    r6, r18\n"
    "    sbc    r7, r19\n"
    "    sbc    r8, r20\n"
    "    sbc    r9, r21\n"
    ".Ltinyad_plus:\n"
    "    ldi    r22, 0x40\n"
    "    add    r5, r22\n"
    "    adc    r6, r15\n"
    "    adc    r7, r15\n"
    "    adc    r8, r15\n"
    "    adc    r9, r15\n"
    "    lsl    r5\n"
    "    rol    r6\n"
    "    rol    r7\n"
    "    rol    r8\n"
    "    rol    r9\n"
    "    tst    r16\n"
    "    breq   .Ltinyad_core_end\n"
    "    dec    r16\n"
    "    clr    r11\n"
    "4:\n"
    "    cpi    r16, 8\n"
    "    brlo   5f\n"
    "    or     r11, r6\n"
    "    mov    r6, r7\n"
    "    mov    r7, r8\n"
    "    mov    r8, r9\n"
    "    lsl    r9\n"
    "    sbc    r9, r9\n"
    "    subi   r16, 8\n"
    "    rjmp   4b\n"
    "5:\n"
    "    tst    r16\n"
    "    breq   6f\n"
    "    ldi    r30, lo8(tinyad_avr_pow2)\n"
    "    ldi    r31, hi8(tinyad_avr_pow2)\n"
    "    add    r30, r16\n"
    "    adc    r31, r15\n"
    "    lpm    r10, Z\n"
    "    mul    r6, r10\n"
    "    or     r11, r0\n"
    "    mov    r2, r1\n"
    "    mul    r7, r10\n"
    "    add    r2, r0\n"
    "    mov    r3, r1\n"
    "    adc    r3, r15\n"
    "    mul    r8, r10\n"
    "    add    r3, r0\n"
    "    mov    r4, r1\n"
    "    adc    r4, r15\n"
    "    mul    r9, r10\n"
    "    add    r4, r0\n"
    "    mov    r5, r1\n"
    "    adc    r5, r15\n"
    "    sbrc   r9, 7\n"
    "    sub    r5, r10\n"
    "    movw   r6, r2\n"
    "    movw   r8, r4\n"
    "6:\n"
    "    asr    r9\n"
    "    ror    r8\n"
    "    ror    r7\n"
    "    ror    r6\n"
    "    brcc   .Ltinyad_core_end\n"
    "    sbrs   r9, 7\n"
    "    rjmp   7f\n"
    "    tst    r11\n"
    "    breq   .Ltinyad_core_end\n"
    "7:\n"
    "    sec\n"
    "    adc    r6, r15\n"
    "    adc    r7, r15\n"
    "    adc    r8, r15\n"
    "    adc    r9, r15\n"
    ".Ltinyad_core_end:\n"
    "    ret\n"
    ".size tinyad_dense_s8, .-tinyad_dense_s8\n"
    ".section .text.tinyad_avr_requant,\"ax\",@progbits\n"
    ".global tinyad_avr_requant\n"
    ".type tinyad_avr_requant, @function\n"
    "tinyad_avr_requant:\n"
    "    push   r2\n    push   r3\n    push   r4\n    push   r5\n    push   r6\n    push   r7\n"
    "    push   r8\n    push   r9\n    push   r10\n    push   r11\n    push   r15\n    push   r16\n"
    "    clr    r15\n"
    "    rcall  .Ltinyad_core\n"
    "    movw   r22, r6\n"
    "    movw   r24, r8\n"
    "    pop    r16\n    pop    r15\n    pop    r11\n    pop    r10\n    pop    r9\n    pop    r8\n"
    "    pop    r7\n    pop    r6\n    pop    r5\n    pop    r4\n    pop    r3\n    pop    r2\n"
    "    clr    r1\n"
    "    ret\n"
    ".size tinyad_avr_requant, .-tinyad_avr_requant\n"
    ".purgem tinyad_avr_pair\n"
    ".purgem tinyad_avr_row\n"
    ".purgem tinyad_avr_addacc\n"
    ".purgem tinyad_avr_add7\n"
    ".purgem tinyad_avr_mul24x32\n"
    ".purgem tinyad_avr_step\n"
    ".purgem tinyad_avr_rows4\n"
    ".text\n");
#else
#if defined(TINYAD_DENSE_ASM)
/*
 * Cortex-M4/M7 dense layer, in assembly: the block loop needs all 14 registers (LDM wants its four in
 * ascending order, and GCC neither pairs the loads nor frees that many around inline assembly), and a
 * layer-long function keeps the stack at one 52-byte frame. The arithmetic is the portable path's below,
 * bit for bit (the tests run both and compare every score with the Java reference).
 *
 * Block of four output rows, step of four inputs: the input word is sign-extended once into its even and
 * odd byte pairs (SXTB16) and shared by the four rows; one LDM brings the step's four weight words; each
 * weight word makes two SMLADs (2 MACs each): 20 instructions per 16 MACs, steps unrolled by four.
 *
 * Requantization, shift <= -2 (e = -shift >= 2, the usual case), exact: with s = acc, M >= 0,
 *   RDBPOT(SRDHM(s, M), e) = floor((s*M + 2^30 + 2^(30+e) - [s<0]*2^31) / 2^(31+e))
 * (the doubling high multiply is floor((s*M + 2^30) / 2^31) as M >= 0; the rounding divide adds 2^(e-1)
 * minus one for negative values, whose sign is s's: docs/quantization.md), so one SMLAL onto a 64-bit
 * constant and one arithmetic shift of its high word by e - 1. shift >= -1 takes the general route.
 *
 * Registers in the block loop: r0 input, r1 weights, r2 count, r3 scratch, r4-r7 accumulators,
 * r8-r11 weight words, r12 even inputs, lr odd inputs. Frame: [sp] input, [sp+4] output, [sp+8] layer,
 * [sp+12] first row of the block. tinyad_dense_t offsets: weights 0, bias 4, multiplier 8, shift 12,
 * input_len 16, output_len 18, output_zero_point 20, activation_min 22.
 */
#if defined(__OPTIMIZE_SIZE__)
#define TINYAD_DSP_UNROLL "0"
#else
#define TINYAD_DSP_UNROLL "1"
#endif
__asm__(
    ".syntax unified\n"
    ".set tinyad_dsp_unroll, " TINYAD_DSP_UNROLL "\n"
    /* one step: 4 inputs x 4 rows */
    ".macro tinyad_step\n"
    "    ldr    lr, [r0], #4\n"
    "    sxtb16 r12, lr\n"
    "    sxtb16 lr, lr, ror #8\n"
    "    ldmia  r1!, {r8, r9, r10, r11}\n"
    "    sxtb16 r3, r8\n"
    "    sxtb16 r8, r8, ror #8\n"
    "    smlad  r4, r3, r12, r4\n"
    "    smlad  r4, r8, lr, r4\n"
    "    sxtb16 r3, r9\n"
    "    sxtb16 r9, r9, ror #8\n"
    "    smlad  r5, r3, r12, r5\n"
    "    smlad  r5, r9, lr, r5\n"
    "    sxtb16 r3, r10\n"
    "    sxtb16 r10, r10, ror #8\n"
    "    smlad  r6, r3, r12, r6\n"
    "    smlad  r6, r10, lr, r6\n"
    "    sxtb16 r3, r11\n"
    "    sxtb16 r11, r11, ror #8\n"
    "    smlad  r7, r3, r12, r7\n"
    "    smlad  r7, r11, lr, r7\n"
    ".endm\n"
    /* requantize accumulator \acc in place and store it: r8 multiplier ptr, r9 shift ptr, r10 output zero
       point, r11 activation min, r2 output ptr, \one a register holding 1 (blank: made here); scratch
       r0, r1, r3, r12 */
    ".macro tinyad_requant acc, one\n"
    "    ldr    r0, [r8], #4\n"             /* M */
    "    ldr    r1, [r9], #4\n"             /* shift */
    "    cmn    r1, #2\n"
    "    bgt    1f\n"
    "    mvn    r1, r1\n"                   /* e - 1 */
    "    and    r3, \\acc, #0x80000000\n"
    "    orr    r3, r3, #0x40000000\n"      /* low word: 2^30 + [s<0] * 2^31 */
    ".ifb \\one\n"
    "    movs   r12, #1\n"
    "    lsls   r12, r12, r1\n"
    ".else\n"
    "    lsl    r12, \\one, r1\n"
    ".endif\n"
    "    lsrs   r12, r12, #1\n"
    "    add    r12, r12, \\acc, asr #31\n" /* high word: 2^(e-2) - [s<0] */
    "    smlal  r3, r12, \\acc, r0\n"
    "    asr    \\acc, r12, r1\n"
    "3:  add    \\acc, \\acc, r10\n"
    "    ssat   \\acc, #8, \\acc\n"
    "    cmp    \\acc, r11\n"
    "    it     lt\n"
    "    movlt  \\acc, r11\n"
    "    strb   \\acc, [r2], #1\n"
    "    b      4f\n"
    "1:  cmp    r1, #0\n"
    "    blt    2f\n"
    "    lsl    \\acc, \\acc, r1\n"         /* shift >= 0: left shift (wraps, as the reference), e = 0 */
    "    mov    r3, #0x40000000\n"
    "    movs   r12, #0\n"
    "    smlal  r3, r12, \\acc, r0\n"
    "    lsls   \\acc, r12, #1\n"
    "    orr    \\acc, \\acc, r3, lsr #31\n"
    "    b      3b\n"
    "2:  mvn    r3, \\acc\n"                /* shift == -1: e = 1 */
    "    and    r3, r3, #0x80000000\n"
    "    orr    r3, r3, #0x40000000\n"
    "    movs   r12, #0\n"
    "    smlal  r3, r12, \\acc, r0\n"
    "    mov    \\acc, r12\n"
    "    b      3b\n"
    "4:\n"
    ".endm\n"
    ".section .text.tinyad_dense_s8,\"ax\",%progbits\n"
    ".balign 4\n"
    ".global tinyad_dense_s8\n"
    ".thumb\n"
    ".thumb_func\n"
    ".type tinyad_dense_s8, %function\n"
    "tinyad_dense_s8:\n"
    "    push   {r4, r5, r6, r7, r8, r9, r10, r11, lr}\n"
    "    sub    sp, sp, #16\n"
    "    str    r1, [sp, #0]\n"
    "    str    r2, [sp, #4]\n"
    "    str    r0, [sp, #8]\n"
    "    movs   r3, #0\n"
    "    str    r3, [sp, #12]\n"
    ".Ltinyad_block:\n"
    "    ldr    r3, [sp, #8]\n"
    "    ldr    r12, [sp, #12]\n"
    "    ldrh   lr, [r3, #18]\n"
    "    subs   lr, lr, r12\n"              /* rows left */
    "    ble    .Ltinyad_done\n"
    "    ldr    r4, [r3, #4]\n"
    "    add    r4, r4, r12, lsl #2\n"
    "    cmp    lr, #4\n"
    "    blt    .Ltinyad_partial\n"
    "    ldmia  r4, {r4, r5, r6, r7}\n"     /* the block's four biases */
    "    b      .Ltinyad_weights\n"
    ".Ltinyad_partial:\n"                   /* last block with 1-3 rows: no bias read past the array */
    "    movs   r5, #0\n"
    "    movs   r6, #0\n"
    "    movs   r7, #0\n"
    "    cmp    lr, #2\n"
    "    it     ge\n"
    "    ldrge  r5, [r4, #4]\n"
    "    cmp    lr, #3\n"
    "    it     ge\n"
    "    ldrge  r6, [r4, #8]\n"
    "    ldr    r4, [r4]\n"
    ".Ltinyad_weights:\n"
    "    ldrh   r2, [r3, #16]\n"
    "    adds   r2, r2, #3\n"
    "    lsrs   r2, r2, #2\n"               /* chunks */
    "    mul    r2, r2, r12\n"
    "    ldr    r1, [r3, #0]\n"
    "    add    r1, r1, r2, lsl #2\n"       /* weights + row * chunks * 4: this block */
    "    ldr    r0, [sp, #0]\n"
    "    ldrh   r2, [r3, #16]\n"
    ".if tinyad_dsp_unroll\n"
    "    ubfx   r2, r2, #2, #2\n"           /* (input_len / 4) % 4 single steps, then fours */
    "    cbz    r2, .Ltinyad_fours\n"
    ".Ltinyad_single:\n"
    "    tinyad_step\n"
    "    subs   r2, r2, #1\n"
    "    bne    .Ltinyad_single\n"
    ".Ltinyad_fours:\n"
    "    ldr    r2, [sp, #8]\n"
    "    ldrh   r2, [r2, #16]\n"
    "    lsrs   r2, r2, #4\n"
    "    beq    .Ltinyad_tail\n"
    ".Ltinyad_four:\n"
    "    tinyad_step\n"
    "    tinyad_step\n"
    "    tinyad_step\n"
    "    tinyad_step\n"
    "    subs   r2, r2, #1\n"
    "    bne    .Ltinyad_four\n"
    ".else\n"
    "    lsrs   r2, r2, #2\n"
    "    beq    .Ltinyad_tail\n"
    ".Ltinyad_one:\n"
    "    tinyad_step\n"
    "    subs   r2, r2, #1\n"
    "    bne    .Ltinyad_one\n"
    ".endif\n"
    ".Ltinyad_tail:\n"                      /* input_len % 4 inputs, byte by byte */
    "    ldr    r3, [sp, #8]\n"
    "    ldrh   r2, [r3, #16]\n"
    "    ands   r2, r2, #3\n"
    "    beq    .Ltinyad_requant\n"
    ".Ltinyad_tail_input:\n"
    "    ldrsb  r12, [r0], #1\n"
    "    ldrsb  r8, [r1, #0]\n"
    "    ldrsb  r9, [r1, #4]\n"
    "    ldrsb  r10, [r1, #8]\n"
    "    ldrsb  r11, [r1, #12]\n"
    "    adds   r1, r1, #1\n"
    "    smlabb r4, r12, r8, r4\n"
    "    smlabb r5, r12, r9, r5\n"
    "    smlabb r6, r12, r10, r6\n"
    "    smlabb r7, r12, r11, r7\n"
    "    subs   r2, r2, #1\n"
    "    bne    .Ltinyad_tail_input\n"
    ".Ltinyad_requant:\n"
    "    ldr    r3, [sp, #8]\n"
    "    ldr    r12, [sp, #12]\n"
    "    ldr    r8, [r3, #8]\n"
    "    add    r8, r8, r12, lsl #2\n"
    "    ldr    r9, [r3, #12]\n"
    "    add    r9, r9, r12, lsl #2\n"
    "    ldrsh  r10, [r3, #20]\n"
    "    ldrsh  r11, [r3, #22]\n"
    "    ldr    r2, [sp, #4]\n"
    "    add    r2, r2, r12\n"
    "    ldrh   lr, [r3, #18]\n"
    "    sub    lr, lr, r12\n"              /* rows in this block, if below 4 */
    "    adds   r12, r12, #4\n"
    "    str    r12, [sp, #12]\n"
    ".if tinyad_dsp_unroll\n"
    "    cmp    lr, #4\n"
    "    blt    .Ltinyad_rows\n"
    "    movs   lr, #1\n"
    "    tinyad_requant r4, lr\n"
    "    tinyad_requant r5, lr\n"
    "    tinyad_requant r6, lr\n"
    "    tinyad_requant r7, lr\n"
    "    b      .Ltinyad_block\n"
    ".Ltinyad_rows:\n"                      /* the last 1-3 rows rotate through r4; r7 is free */
    "    movs   r7, #1\n"
    "    tinyad_requant r4, r7\n"
    "    subs   lr, lr, #1\n"
    "    beq    .Ltinyad_block\n"
    "    mov    r4, r5\n"
    "    mov    r5, r6\n"
    "    b      .Ltinyad_rows\n"
    ".else\n"
    "    cmp    lr, #4\n"
    "    it     gt\n"
    "    movgt  lr, #4\n"
    ".Ltinyad_rows:\n"                      /* every row rotates through r4 */
    "    tinyad_requant r4\n"
    "    subs   lr, lr, #1\n"
    "    beq    .Ltinyad_block\n"
    "    mov    r4, r5\n"
    "    mov    r5, r6\n"
    "    mov    r6, r7\n"
    "    b      .Ltinyad_rows\n"
    ".endif\n"
    ".Ltinyad_done:\n"
    "    add    sp, sp, #16\n"
    "    pop    {r4, r5, r6, r7, r8, r9, r10, r11, pc}\n"
    ".size tinyad_dense_s8, .-tinyad_dense_s8\n"
    ".purgem tinyad_step\n"
    ".purgem tinyad_requant\n"
    ".text\n");
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

/*
 * Blocks of four output rows, unrolled over the four inputs of a step: every load has a constant offset.
 * One pointer walks the weights, one index the rows, and the four sums stay in locals, so few values live
 * across the loops (measured: a 64-byte frame on the Cortex-M3, against 88 with the sums in an array).
 */
void tinyad_dense_s8(const tinyad_dense_t *layer, const int8_t *input, int8_t *output)
{
    const int8_t *w = layer->weights;
    uint16_t c;
    for (c = 0; c < layer->output_len; c = (uint16_t)(c + 4u)) {
        const uint16_t left = (uint16_t)(layer->output_len - c);
        const int32_t *bias = &layer->bias[c];
        const int8_t *x = input;
        uint16_t n = (uint16_t)(layer->input_len >> 2);
        uint8_t k;
        int32_t a0 = bias[0];
        int32_t a1 = left > 1u ? bias[1] : 0;
        int32_t a2 = left > 2u ? bias[2] : 0;
        int32_t a3 = left > 3u ? bias[3] : 0;
        while (n--) {
            TINYAD_BLOCK_INPUT(0);
            TINYAD_BLOCK_INPUT(1);
            TINYAD_BLOCK_INPUT(2);
            TINYAD_BLOCK_INPUT(3);
            w += 16;
            x += 4;
        }
        if ((layer->input_len & 3u) != 0u) {
            for (k = 0; k < (layer->input_len & 3u); k++) TINYAD_BLOCK_INPUT(k);
            w += 16;
        }
        output[c] = requantize_output(a0, layer->multiplier[c], layer->shift[c], layer->output_zero_point, layer->activation_min);
        if (left > 1u) output[c + 1u] = requantize_output(a1, layer->multiplier[c + 1u], layer->shift[c + 1u], layer->output_zero_point, layer->activation_min);
        if (left > 2u) output[c + 2u] = requantize_output(a2, layer->multiplier[c + 2u], layer->shift[c + 2u], layer->output_zero_point, layer->activation_min);
        if (left > 3u) output[c + 3u] = requantize_output(a3, layer->multiplier[c + 3u], layer->shift[c + 3u], layer->output_zero_point, layer->activation_min);
    }
}
#endif /* TINYAD_DENSE_ASM */
#endif

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
