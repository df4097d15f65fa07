/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tinyad dense layer (include/tinyad.h): the plain reference kernel, and the portable optimised kernel that
 * every target without an assembly one builds (Cortex-M0+/M3, hosts, any target with -DTINYAD_NO_ASM).
 * Cortex-M4/M7 and ATmega take src/tinyad_dense_m4.S / src/tinyad_dense_avr.S instead; the tests check each
 * optimised kernel against tinyad_dense_s8_reference on the target itself.
 */
#include <stddef.h>
#include "tinyad_config.h"
#include "tinyad_internal.h"

/* The assembly reads the descriptor at these offsets (tinyad_config.h): a mismatch is a compile error. */
#if defined(TINYAD_DENSE_WEIGHTS)
#define TINYAD_CHECK_OFFSET(field, offset) \
    typedef char tinyad_check_##field[(offsetof(tinyad_dense_t, field) == (offset)) ? 1 : -1]
TINYAD_CHECK_OFFSET(weights, TINYAD_DENSE_WEIGHTS);
TINYAD_CHECK_OFFSET(bias, TINYAD_DENSE_BIAS);
TINYAD_CHECK_OFFSET(multiplier, TINYAD_DENSE_MULTIPLIER);
TINYAD_CHECK_OFFSET(shift, TINYAD_DENSE_SHIFT);
TINYAD_CHECK_OFFSET(per_tensor, TINYAD_DENSE_PER_TENSOR);
TINYAD_CHECK_OFFSET(input_len, TINYAD_DENSE_INPUT_LEN);
TINYAD_CHECK_OFFSET(output_len, TINYAD_DENSE_OUTPUT_LEN);
TINYAD_CHECK_OFFSET(output_zero_point, TINYAD_DENSE_OUTPUT_ZERO_POINT);
TINYAD_CHECK_OFFSET(activation_min, TINYAD_DENSE_ACTIVATION_MIN);
TINYAD_CHECK_OFFSET(avr_plan, TINYAD_DENSE_AVR_PLAN);
#endif

/*
 * The zero point added as the Java reference adds it (int32, wrapping: a scaled value within 127 of the int32
 * limits, reachable only with extreme shifts, wraps there too), then the clamp to [activation_min, 127].
 */
static int8_t clamp_output(int32_t scaled, int32_t output_zero_point, int32_t activation_min)
{
    int32_t out = (int32_t)((uint32_t)scaled + (uint32_t)output_zero_point);
    if (out < activation_min) out = activation_min;
    if (out > 127) out = 127;
    return (int8_t)out;
}

/*
 * The reference: one output at a time, one input at a time, the weight found by its blocked index, the
 * requantization by the fixed-point primitives. Slow and plain on purpose: it is the oracle.
 */
void tinyad_dense_s8_reference(const tinyad_dense_t *layer, const int8_t *input, int8_t *output)
{
    tinyad_dense_t copy;
    const tinyad_dense_t *l = tinyad_layer_in_ram(layer, &copy);
    const uint32_t chunks = ((uint32_t)l->input_len + 3u) / 4u;
    uint16_t o, i;
    for (o = 0; o < l->output_len; o++) {
        int32_t acc = TINYAD_READ_S32(&l->bias[o]);
        for (i = 0; i < l->input_len; i++) {
            const uint32_t at = (((uint32_t)(o / 4u) * chunks + i / 4u) * 4u + o % 4u) * 4u + i % 4u;
            acc += (int32_t)TINYAD_READ_S8(&l->weights[at]) * input[i];
        }
        const uint16_t q = l->per_tensor ? (uint16_t)(o & 3u) : o;   /* a per-tensor layer: 4 copies */
        output[o] = clamp_output(tinyad_multiply_by_quantized_multiplier(acc, TINYAD_READ_S32(&l->multiplier[q]),
                                                                          TINYAD_READ_S32(&l->shift[q])),
                                 l->output_zero_point, l->activation_min);
    }
}

#if !defined(TINYAD_ASM_M4) && !defined(TINYAD_ASM_AVR)
#if !defined(__AVR__)
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
    return clamp_output((high >> right) + ((high & mask) > threshold ? 1 : 0), output_zero_point, activation_min);
}
#else
/* 8-bit CPUs without the assembly kernel: the 32-bit-only primitives. */
static int8_t requantize_output(int32_t acc, int32_t multiplier, int32_t shift, int32_t output_zero_point,
                                int32_t activation_min)
{
    return clamp_output(tinyad_multiply_by_quantized_multiplier(acc, multiplier, shift), output_zero_point,
                        activation_min);
}
#endif

/* One input of a block step: the four rows' weights for input k lie 4 bytes apart. */
#define TINYAD_BLOCK_INPUT(k)                              \
    do {                                                   \
        const int32_t xk = x[k];                           \
        a0 += TINYAD_READ_S8(&w[(k)]) * xk;                \
        a1 += TINYAD_READ_S8(&w[4 + (k)]) * xk;            \
        a2 += TINYAD_READ_S8(&w[8 + (k)]) * xk;            \
        a3 += TINYAD_READ_S8(&w[12 + (k)]) * xk;           \
    } while (0)

/*
 * Blocks of four output rows, unrolled over the four inputs of a step: every load has a constant offset.
 * One pointer walks the weights, one index the rows, and the four sums stay in locals, so few values live
 * across the loops (measured: a 64-byte frame on the Cortex-M3, against 88 with the sums in an array).
 */
void tinyad_dense_s8(const tinyad_dense_t *layer, const int8_t *input, int8_t *output)
{
    tinyad_dense_t copy;
    const tinyad_dense_t *l = tinyad_layer_in_ram(layer, &copy);
    const int8_t *w = l->weights;
    uint16_t c;
    for (c = 0; c < l->output_len; c = (uint16_t)(c + 4u)) {
        const uint16_t left = (uint16_t)(l->output_len - c);
        const int32_t *bias = &l->bias[c];
        const int8_t *x = input;
        uint16_t n = (uint16_t)(l->input_len >> 2);
        uint8_t k;
        int32_t a0 = TINYAD_READ_S32(&bias[0]);
        int32_t a1 = left > 1u ? TINYAD_READ_S32(&bias[1]) : 0;
        int32_t a2 = left > 2u ? TINYAD_READ_S32(&bias[2]) : 0;
        int32_t a3 = left > 3u ? TINYAD_READ_S32(&bias[3]) : 0;
        while (n--) {
            TINYAD_BLOCK_INPUT(0);
            TINYAD_BLOCK_INPUT(1);
            TINYAD_BLOCK_INPUT(2);
            TINYAD_BLOCK_INPUT(3);
            w += 16;
            x += 4;
        }
        if ((l->input_len & 3u) != 0u) {
            for (k = 0; k < (l->input_len & 3u); k++) TINYAD_BLOCK_INPUT(k);
            w += 16;
        }
        {
            const int32_t *m = &l->multiplier[l->per_tensor ? 0u : c], *sh = &l->shift[l->per_tensor ? 0u : c];   /* per-tensor: 4 copies */
            output[c] = requantize_output(a0, TINYAD_READ_S32(&m[0]), TINYAD_READ_S32(&sh[0]), l->output_zero_point, l->activation_min);
            if (left > 1u) output[c + 1u] = requantize_output(a1, TINYAD_READ_S32(&m[1]), TINYAD_READ_S32(&sh[1]), l->output_zero_point,
                                                              l->activation_min);
            if (left > 2u) output[c + 2u] = requantize_output(a2, TINYAD_READ_S32(&m[2]), TINYAD_READ_S32(&sh[2]), l->output_zero_point,
                                                              l->activation_min);
            if (left > 3u) output[c + 3u] = requantize_output(a3, TINYAD_READ_S32(&m[3]), TINYAD_READ_S32(&sh[3]), l->output_zero_point,
                                                              l->activation_min);
        }
    }
}
#endif

/*
 * TFLite's QUANTIZE between two int8 tensors: each value from one quantization to another. Used once per score,
 * by imported models whose output quantization is not their input's; in place is fine (output == input).
 */
void tinyad_requantize_s8(const int8_t *input, int8_t *output, uint16_t len, int32_t input_zero_point,
                          int32_t multiplier, int32_t shift, int32_t output_zero_point)
{
    uint16_t i;
    for (i = 0; i < len; i++) {
        int32_t v = tinyad_multiply_by_quantized_multiplier((int32_t)input[i] - input_zero_point, multiplier, shift)
                    + output_zero_point;
        if (v < -128) v = -128;
        if (v > 127) v = 127;
        output[i] = (int8_t)v;
    }
}

/*
 * The same map as tinyad_requantize_s8 for a fixed quantization pair, as a table of its 256 results (the generator
 * computes it with the Java reference): one load per value instead of a 32-bit multiply and a rounding shift.
 * table[v + 128] is the result for input v; the table is in flash.
 */
void tinyad_lookup_s8(const int8_t *table, int8_t *data, uint16_t len)
{
    uint16_t i;
    for (i = 0; i < len; i++) data[i] = TINYAD_READ_S8(&table[(uint8_t)((int16_t)data[i] + 128)]);
}
