/* SPDX-License-Identifier: Apache-2.0 */
/* tinyad fixed-point primitives (include/tinyad_fixedpoint.h): a 64-bit form and a 32-bit-only form. */
#include "tinyad_config.h"
#include "tinyad_fixedpoint.h"

#if defined(TINYAD_SRDHM_32BIT)
/*
 * The 32-bit-only forms, for 8-bit CPUs where a 64-bit multiply is a slow library call. The host tests
 * build them too (make test) and check them against the 64-bit forms.
 *
 * Doubling high multiply: the 64-bit product from four 16x16->32 products, corrected for the operands'
 * signs; then floor((product + 2^30) / 2^31), which is what the nudge-and-truncate form computes.
 */
static uint32_t mul_u16(uint16_t a, uint16_t b)
{
    return (uint32_t)a * b; /* avr-gcc: __umulhisi3, four MULs */
}

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
 * mask-and-threshold form for every x (INT32_MIN included: its magnitude 2^31 fits uint32).
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

/* gemmlowp's form: the remainder against half the divisor, one more for a negative x (ties away from zero). */
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

uint64_t tinyad_isqrt_u64(uint64_t value)
{
    uint64_t root = 0;
    uint64_t bit = (uint64_t)1 << 62;
    if (value <= 0xFFFFFFFFu) return tinyad_isqrt_u32((uint32_t)value); /* the same floor, in 32-bit steps */
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
