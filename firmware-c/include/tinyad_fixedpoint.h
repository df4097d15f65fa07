/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tinyad fixed-point primitives: one function per rounding rule, bit-exact with gemmlowp's fixedpoint.h,
 * TFLite Micro and CMSIS-NN (docs/quantization.md; the Java reference is tinyad.quantizer.FixedPoint).
 * Right shifts of negative values are arithmetic on every compiler tinyad supports (GCC, Clang).
 */
#ifndef TINYAD_FIXEDPOINT_H
#define TINYAD_FIXEDPOINT_H

#include <stdint.h>
#include "tinyad_config.h"   /* (the Arduino library renames the runtime's symbols there) */

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Saturating rounding doubling high multiply: the high 32 bits of 2 * a * b, rounded half away from zero
 * by the nudge-and-truncate form (a negative tie goes toward zero: -1.5 -> -1, as gemmlowp does);
 * INT32_MIN * INT32_MIN, the one overflow, saturates to INT32_MAX.
 */
int32_t tinyad_saturating_rounding_doubling_high_mul(int32_t a, int32_t b);

/* x / 2^exponent, exponent in [0, 31], rounded to nearest with ties away from zero. */
int32_t tinyad_rounding_divide_by_pot(int32_t x, int32_t exponent);

/*
 * TFLite's MultiplyByQuantizedMultiplier: x * multiplier * 2^shift with multiplier a Q31 value in
 * [2^30, 2^31) (or 0) and shift in [-31, 30]; a left shift first (wrapping, as the reference), then the
 * doubling high multiply, then the rounding divide for a right shift.
 */
int32_t tinyad_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift);

/* Exact floor of the square root of a 32-bit value (bit by bit: no division, no float). */
uint32_t tinyad_isqrt_u32(uint32_t value);
uint64_t tinyad_isqrt_u64(uint64_t value);

#ifdef __cplusplus
}
#endif
#endif /* TINYAD_FIXEDPOINT_H */
