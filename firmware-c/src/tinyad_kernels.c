/* tinyad runtime kernels: one small function per operation. */
#include "tinyad.h"

#if defined(__ARM_FEATURE_DSP) && !defined(TINYAD_NO_SIMD) && defined(__GNUC__) && defined(__thumb2__)
#define TINYAD_DENSE_ASM 1 /* the Cortex-M4/M7 dense layer below */
#include <arm_acle.h>
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
 * ATmega (AVR) dense layer: the multiply-accumulate loop and the requantization in assembly, the loop
 * over blocks in C. Both are exact: the C tests run on the ATmega328P in simavr (make test-avr) and
 * compare the layer's requantization with the reference primitives on 200,000 random rows.
 *
 * tinyad_avr_block4: `steps` (1..128) steps of four inputs for a block of four rows, added to acc[4].
 * Four inputs are loaded once per step and shared by the rows; weights stream from flash with LPM Z+
 * (the block layout is their reading order). Two MULS products are summed in 16 bits (|w| <= 127, so
 * |w * x| <= 16256 and a pair fits), then added to a 24-bit accumulator with its sign extension:
 * 9 cycles per MAC. 24 bits hold 128 steps (512 * 16256 < 2^23); the caller splits longer rows.
 * Registers: X inputs, Z weights, r20 count, r18:r19 acc, r16/r17/r21/r22 inputs, r23 weight,
 * r24:r25 pair sum, r2 zero, r3-r14 the four accumulators.
 */
void tinyad_avr_block4(const int8_t *x, const int8_t *w, uint8_t steps, int32_t *acc);
/*
 * tinyad_avr_requant: RDBPOT(SRDHM(acc << left, M), e) for M in {0} and [2^30, 2^31), i.e. the
 * reference's mbqm for the multipliers QuantizeMultiplier makes. The 64-bit product from 16 MULs
 * (unsigned, then M * 2^32 subtracted for a negative acc), + 2^30, bits 31..62 taken; the rounding
 * divide as a shift by e - 1 that remembers whether a one was shifted out, then the last bit decides:
 * half away from zero. About 170 cycles, against ~540 in C and ~800 through libgcc's 64-bit multiply.
 * Registers: r22-r25 acc, r18-r21 M, r16 shift; p0..p7 in r2-r7, r30, r31; r27 zero; r26 e.
 */
int32_t tinyad_avr_requant(int32_t acc, int32_t multiplier, int8_t shift);

#define TINYAD_AVR_ROW(a0, a1, a2)                                                                  \
    "    lpm    r23, Z+\n"                                                                          \
    "    muls   r16, r23\n"                                                                         \
    "    movw   r24, r0\n"                                                                          \
    "    lpm    r23, Z+\n"                                                                          \
    "    muls   r17, r23\n"                                                                         \
    "    add    r24, r0\n"                                                                          \
    "    adc    r25, r1\n"                                                                          \
    "    add    " a0 ", r24\n"                                                                      \
    "    adc    " a1 ", r25\n"                                                                      \
    "    adc    " a2 ", r2\n"                                                                       \
    "    sbrc   r25, 7\n"                                                                           \
    "    dec    " a2 "\n"                                                                           \
    "    lpm    r23, Z+\n"                                                                          \
    "    muls   r21, r23\n"                                                                         \
    "    movw   r24, r0\n"                                                                          \
    "    lpm    r23, Z+\n"                                                                          \
    "    muls   r22, r23\n"                                                                         \
    "    add    r24, r0\n"                                                                          \
    "    adc    r25, r1\n"                                                                          \
    "    add    " a0 ", r24\n"                                                                      \
    "    adc    " a1 ", r25\n"                                                                      \
    "    adc    " a2 ", r2\n"                                                                       \
    "    sbrc   r25, 7\n"                                                                           \
    "    dec    " a2 "\n"

/* acc[r] += sign-extended 24-bit accumulator; Z walks acc */
#define TINYAD_AVR_ADD_ACC(a0, a1, a2)                                                              \
    "    mov    r24, " a2 "\n"                                                                      \
    "    lsl    r24\n"                                                                              \
    "    sbc    r25, r25\n"                                                                         \
    "    ld     r24, Z\n"                                                                           \
    "    add    r24, " a0 "\n"                                                                      \
    "    st     Z+, r24\n"                                                                          \
    "    ld     r24, Z\n"                                                                           \
    "    adc    r24, " a1 "\n"                                                                      \
    "    st     Z+, r24\n"                                                                          \
    "    ld     r24, Z\n"                                                                           \
    "    adc    r24, " a2 "\n"                                                                      \
    "    st     Z+, r24\n"                                                                          \
    "    ld     r24, Z\n"                                                                           \
    "    adc    r24, r25\n"                                                                         \
    "    st     Z+, r24\n"

__asm__(
    ".section .text.tinyad_avr_block4,\"ax\",@progbits\n"
    ".global tinyad_avr_block4\n"
    ".type tinyad_avr_block4, @function\n"
    "tinyad_avr_block4:\n"
    "    push   r2\n    push   r3\n    push   r4\n    push   r5\n    push   r6\n    push   r7\n"
    "    push   r8\n    push   r9\n    push   r10\n    push   r11\n    push   r12\n    push   r13\n"
    "    push   r14\n    push   r16\n    push   r17\n"
    "    movw   r26, r24\n"
    "    movw   r30, r22\n"
    "    clr    r2\n    clr    r3\n    clr    r4\n    clr    r5\n    clr    r6\n    clr    r7\n"
    "    clr    r8\n    clr    r9\n    clr    r10\n    clr    r11\n    clr    r12\n    clr    r13\n"
    "    clr    r14\n"
    "1:  ld     r16, X+\n"
    "    ld     r17, X+\n"
    "    ld     r21, X+\n"
    "    ld     r22, X+\n"
    TINYAD_AVR_ROW("r3", "r4", "r5")
    TINYAD_AVR_ROW("r6", "r7", "r8")
    TINYAD_AVR_ROW("r9", "r10", "r11")
    TINYAD_AVR_ROW("r12", "r13", "r14")
    "    dec    r20\n"
    "    breq   2f\n"
    "    rjmp   1b\n"
    "2:  movw   r30, r18\n"
    TINYAD_AVR_ADD_ACC("r3", "r4", "r5")
    TINYAD_AVR_ADD_ACC("r6", "r7", "r8")
    TINYAD_AVR_ADD_ACC("r9", "r10", "r11")
    TINYAD_AVR_ADD_ACC("r12", "r13", "r14")
    "    pop    r17\n    pop    r16\n    pop    r14\n    pop    r13\n    pop    r12\n    pop    r11\n"
    "    pop    r10\n    pop    r9\n    pop    r8\n    pop    r7\n    pop    r6\n    pop    r5\n"
    "    pop    r4\n    pop    r3\n    pop    r2\n"
    "    clr    r1\n"
    "    ret\n"
    ".size tinyad_avr_block4, .-tinyad_avr_block4\n"

    ".section .text.tinyad_avr_requant,\"ax\",@progbits\n"
    ".global tinyad_avr_requant\n"
    ".type tinyad_avr_requant, @function\n"
    "tinyad_avr_requant:\n"
    "    push   r2\n    push   r3\n    push   r4\n    push   r5\n    push   r6\n    push   r7\n"
    "    clr    r27\n"
    "    mov    r26, r16\n"
    "    tst    r26\n"
    "    breq   2f\n"
    "    brmi   1f\n"
    "0:  lsl    r22\n"                      /* shift > 0: acc << shift (wraps), e = 0 */
    "    rol    r23\n"
    "    rol    r24\n"
    "    rol    r25\n"
    "    dec    r26\n"
    "    brne   0b\n"
    "    rjmp   2f\n"
    "1:  neg    r26\n"                      /* e = -shift */
    "2:  mul    r22, r18\n"                 /* unsigned acc x M: the diagonal products first */
    "    movw   r2, r0\n"
    "    mul    r23, r19\n"
    "    movw   r4, r0\n"
    "    mul    r24, r20\n"
    "    movw   r6, r0\n"
    "    mul    r25, r21\n"
    "    movw   r30, r0\n"
    "    mul    r22, r19\n"
    "    add    r3, r0\n"
    "    adc    r4, r1\n"
    "    adc    r5, r27\n"
    "    adc    r6, r27\n"
    "    adc    r7, r27\n"
    "    adc    r30, r27\n"
    "    adc    r31, r27\n"
    "    mul    r23, r18\n"
    "    add    r3, r0\n"
    "    adc    r4, r1\n"
    "    adc    r5, r27\n"
    "    adc    r6, r27\n"
    "    adc    r7, r27\n"
    "    adc    r30, r27\n"
    "    adc    r31, r27\n"
    "    mul    r22, r20\n"
    "    add    r4, r0\n"
    "    adc    r5, r1\n"
    "    adc    r6, r27\n"
    "    adc    r7, r27\n"
    "    adc    r30, r27\n"
    "    adc    r31, r27\n"
    "    mul    r24, r18\n"
    "    add    r4, r0\n"
    "    adc    r5, r1\n"
    "    adc    r6, r27\n"
    "    adc    r7, r27\n"
    "    adc    r30, r27\n"
    "    adc    r31, r27\n"
    "    mul    r22, r21\n"
    "    add    r5, r0\n"
    "    adc    r6, r1\n"
    "    adc    r7, r27\n"
    "    adc    r30, r27\n"
    "    adc    r31, r27\n"
    "    mul    r25, r18\n"
    "    add    r5, r0\n"
    "    adc    r6, r1\n"
    "    adc    r7, r27\n"
    "    adc    r30, r27\n"
    "    adc    r31, r27\n"
    "    mul    r23, r20\n"
    "    add    r5, r0\n"
    "    adc    r6, r1\n"
    "    adc    r7, r27\n"
    "    adc    r30, r27\n"
    "    adc    r31, r27\n"
    "    mul    r24, r19\n"
    "    add    r5, r0\n"
    "    adc    r6, r1\n"
    "    adc    r7, r27\n"
    "    adc    r30, r27\n"
    "    adc    r31, r27\n"
    "    mul    r23, r21\n"
    "    add    r6, r0\n"
    "    adc    r7, r1\n"
    "    adc    r30, r27\n"
    "    adc    r31, r27\n"
    "    mul    r25, r19\n"
    "    add    r6, r0\n"
    "    adc    r7, r1\n"
    "    adc    r30, r27\n"
    "    adc    r31, r27\n"
    "    mul    r24, r21\n"
    "    add    r7, r0\n"
    "    adc    r30, r1\n"
    "    adc    r31, r27\n"
    "    mul    r25, r20\n"
    "    add    r7, r0\n"
    "    adc    r30, r1\n"
    "    adc    r31, r27\n"
    "    sbrs   r25, 7\n"                   /* negative acc: the signed product is 2^32 * M less */
    "    rjmp   3f\n"
    "    sub    r6, r18\n"
    "    sbc    r7, r19\n"
    "    sbc    r30, r20\n"
    "    sbc    r31, r21\n"
    "3:  ldi    r22, 0x40\n"                /* + 2^30 */
    "    add    r5, r22\n"
    "    adc    r6, r27\n"
    "    adc    r7, r27\n"
    "    adc    r30, r27\n"
    "    adc    r31, r27\n"
    "    lsl    r5\n"                       /* bits 31..62: the doubling high multiply, in r6 r7 r30 r31 */
    "    rol    r6\n"
    "    rol    r7\n"
    "    rol    r30\n"
    "    rol    r31\n"
    "    tst    r26\n"
    "    breq   9f\n"
    "    dec    r26\n"                      /* shift by e - 1, r23 remembers any one shifted out */
    "    clr    r23\n"
    "4:  cpi    r26, 8\n"
    "    brlo   5f\n"
    "    or     r23, r6\n"
    "    mov    r6, r7\n"
    "    mov    r7, r30\n"
    "    mov    r30, r31\n"
    "    lsl    r31\n"
    "    sbc    r31, r31\n"
    "    subi   r26, 8\n"
    "    rjmp   4b\n"
    "5:  tst    r26\n"
    "    breq   7f\n"
    "6:  asr    r31\n"
    "    ror    r30\n"
    "    ror    r7\n"
    "    ror    r6\n"
    "    brcc   8f\n"
    "    ori    r23, 1\n"
    "8:  dec    r26\n"
    "    brne   6b\n"
    "7:  asr    r31\n"                      /* the last bit: half */
    "    ror    r30\n"
    "    ror    r7\n"
    "    ror    r6\n"
    "    brcc   9f\n"
    "    sbrs   r31, 7\n"
    "    rjmp   10f\n"                      /* non-negative: half rounds up */
    "    tst    r23\n"                      /* negative: only more than half rounds up (toward zero on ties) */
    "    breq   9f\n"
    "10: sec\n"
    "    adc    r6, r27\n"
    "    adc    r7, r27\n"
    "    adc    r30, r27\n"
    "    adc    r31, r27\n"
    "9:  movw   r22, r6\n"
    "    movw   r24, r30\n"
    "    pop    r7\n    pop    r6\n    pop    r5\n    pop    r4\n    pop    r3\n    pop    r2\n"
    "    clr    r1\n"
    "    ret\n"
    ".size tinyad_avr_requant, .-tinyad_avr_requant\n"
    ".text\n");

void tinyad_dense_s8(const tinyad_dense_t *layer, const int8_t *input, int8_t *output)
{
    tinyad_dense_t L;
    uint16_t c, full, block_bytes;
    uint8_t tail, r, k;
    memcpy_P(&L, layer, sizeof L);
    full = (uint16_t)(L.input_len >> 2);
    tail = (uint8_t)(L.input_len & 3u);
    block_bytes = (uint16_t)(((L.input_len + 3u) >> 2) * 16u);
    for (c = 0; c < L.output_len; c = (uint16_t)(c + 4u)) {
        const int8_t *block = L.weights + (uint32_t)(c >> 2) * block_bytes;
        const uint16_t left = (uint16_t)(L.output_len - c);
        const uint8_t rows = (uint8_t)(left < 4u ? left : 4u);
        const int8_t *x = input, *w = block;
        uint16_t steps = full;
        int32_t acc[4];
        for (r = 0; r < 4u; r++) acc[r] = r < rows ? TINYAD_READ_S32(&L.bias[c + r]) : 0;
        while (steps) {
            const uint8_t n = steps > 128u ? 128u : (uint8_t)steps;
            tinyad_avr_block4(x, w, n, acc);
            x += 4u * n;
            w += 16u * n;
            steps = (uint16_t)(steps - n);
        }
        for (k = 0; k < tail; k++) {
            for (r = 0; r < 4u; r++) acc[r] += TINYAD_MUL_S8(TINYAD_READ_S8(&w[4u * r + k]), x[k]);
        }
        for (r = 0; r < rows; r++) {
            int32_t out = tinyad_avr_requant(acc[r], TINYAD_READ_S32(&L.multiplier[c + r]),
                                             (int8_t)TINYAD_READ_S32(&L.shift[c + r])) + L.output_zero_point;
            if (out < L.activation_min) out = L.activation_min;
            if (out > 127) out = 127;
            output[c + r] = (int8_t)out;
        }
    }
}
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

/* A block of four output rows, unrolled over the four inputs of a step: every load has a constant offset. */
static void dense_block4(const int8_t *x, const int8_t *w, uint16_t full, uint8_t tail, int32_t acc[4])
{
    int32_t a0, a1, a2, a3;
    uint8_t k;
    a0 = acc[0];
    a1 = acc[1];
    a2 = acc[2];
    a3 = acc[3];
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

void tinyad_dense_s8(const tinyad_dense_t *layer, const int8_t *input, int8_t *output)
{
    const uint16_t full = (uint16_t)(layer->input_len >> 2);
    const uint8_t tail = (uint8_t)(layer->input_len & 3u);
    const uint32_t block_bytes = (uint32_t)((layer->input_len + 3u) >> 2) * 16u;
    const int8_t *block = layer->weights;
    uint16_t c;
    uint8_t r;
    for (c = 0; c < layer->output_len; c = (uint16_t)(c + 4u)) {
        const uint16_t left = (uint16_t)(layer->output_len - c);
        const uint8_t rows = (uint8_t)(left < 4u ? left : 4u);
        int32_t acc[4];
        for (r = 0; r < 4u; r++) acc[r] = r < rows ? layer->bias[c + r] : 0;
        dense_block4(input, block, full, tail, acc);
        for (r = 0; r < rows; r++) {
            output[c + r] = requantize_output(acc[r], layer->multiplier[c + r], layer->shift[c + r],
                                              layer->output_zero_point, layer->activation_min);
        }
        block += block_bytes;
    }
}
#endif /* TINYAD_DENSE_ASM */
#endif

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
