/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tinyad runtime: integer-only anomaly scoring kernels for microcontrollers.
 *
 * C99, no malloc, no recursion, no global mutable state. Model constants live in flash
 * (TINYAD_FLASH: PROGMEM on AVR) and are read through TINYAD_READ_S8/TINYAD_READ_S32, so the same
 * kernels run on AVR's Harvard memory and on von Neumann targets.
 *
 * The arithmetic is specified in docs/quantization.md; the Java reference in tinyad.quantizer computes
 * the same integers, and tests check every score bit for bit.
 */
#ifndef TINYAD_H
#define TINYAD_H

#include <stdint.h>
#include "tinyad_config.h"
#include "tinyad_fixedpoint.h"
#include "tinyad_alarm.h"

#define TINYAD_RUNTIME_VERSION "0.1.0"

#if defined(__AVR__)
#include <avr/pgmspace.h>
#define TINYAD_FLASH PROGMEM
#define TINYAD_READ_S8(p) ((int8_t)pgm_read_byte(p))
#define TINYAD_READ_S32(p) ((int32_t)pgm_read_dword(p))
#define TINYAD_READ_S16(p) ((int16_t)pgm_read_word(p))
#define TINYAD_READ_U8(p) ((uint8_t)pgm_read_byte(p))
#else
#define TINYAD_FLASH
#define TINYAD_READ_S8(p) (*(p))
#define TINYAD_READ_S32(p) (*(p))
#define TINYAD_READ_S16(p) (*(p))
#define TINYAD_READ_U8(p) (*(p))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* A generated model, as the serial application sees it. */
typedef struct {
    const char *name;            /* C identifier of the model */
    const char *hash;            /* first 16 hex digits of the model's SHA-256 */
    uint16_t input_len;          /* int8 inputs per window */
    int32_t threshold;           /* alarm when score > threshold (integer domain) */
    int32_t (*score)(const int8_t *input);
    tinyad_alarm_config_t alarm; /* the alarm rule stored in the model (tinyad_alarm.h) */
} tinyad_model_t;

/*
 * One int8 dense layer, generated into flash with its arrays (all in flash too). Weights are stored in
 * blocks of four output rows: for rows 4b..4b+3 and inputs 4j..4j+3 the 16 bytes w[4b+r][4j+k] lie at
 * ((b * chunks + j) * 4 + r) * 4 + k, chunks = ceil(input_len / 4); rows and inputs past the layer's size
 * are zero. One pointer then walks a block, which keeps the inner loop's registers free; the generator
 * writes this layout and aligns the array to 4 bytes (TINYAD_ALIGN4) for word loads.
 *   acc[c] = bias[c] + sum_i weights[c][i] * input[i]          (int32; bias has -input_zero_point * sum_i w folded in)
 *   output[c] = clamp(mbqm(acc[c], multiplier[c], shift[c]) + output_zero_point, activation_min, 127)
 * (multiplier[c] and shift[c]: entry c % 4 for a per-tensor layer.) ReLU is fused as activation_min = max(-128, output_zero_point). multiplier is 0 or in [2^30, 2^31) and
 * shift in [-31, 30], as QuantizeMultiplier makes them; the generator refuses anything else.
 */
typedef struct {
    const int8_t *weights;        /* blocked, ceil(output_len / 4) * 4 * ceil(input_len / 4) * 4 bytes */
    const int32_t *bias;          /* output_len values each */
    const int32_t *multiplier;
    const int32_t *shift;
    uint16_t input_len;
    uint16_t output_len;
    int16_t output_zero_point;
    int16_t activation_min;
    /* AVR only, may be null (then the general route): 12 bytes per output, in flash. Either a requantization
       plan the generator proved equal to bias/multiplier/shift above on every sum the layer can produce
       (tinyad.codegen.AvrRequantPlan): whole bytes to drop (1..6), 32-bit multiplier, 56-bit offset with the
       bias and zero point folded in; or 0 followed by the output's bias, multiplier and shift */
    const uint8_t *avr_plan;
    /* 1: a per-tensor layer, one multiplier and shift for every output: the two arrays hold 4 copies of them and
       output c reads entry c % 4 (the kernels walk rows in blocks of 4; an imported TFLite model's layers are like
       this, and 8 bytes an output of flash are saved). 0: one entry per output. The AVR kernels need 0 (the generator
       writes per-output arrays there). */
    uint8_t per_tensor;
} tinyad_dense_t;

/*
 * The layer descriptor is read from flash; input and output are in RAM and must not overlap.
 * tinyad_dense_s8 is the target's fastest kernel (src/tinyad_dense.c, _m4.S, _avr.S); the reference computes
 * the same bytes one multiply at a time and is what the tests check every optimised kernel against.
 */
void tinyad_dense_s8(const tinyad_dense_t *layer, const int8_t *input, int8_t *output);
void tinyad_dense_s8_reference(const tinyad_dense_t *layer, const int8_t *input, int8_t *output);

#if defined(__GNUC__)
#define TINYAD_ALIGN4 __attribute__((aligned(4)))
#else
#define TINYAD_ALIGN4
#endif

/*
 * One int8 vector from quantization (scale_in, input_zero_point) to (scale_out, output_zero_point), as TFLite's
 * QUANTIZE operator: clamp(multiply_by_quantized_multiplier(x - input_zero_point, multiplier, shift)
 * + output_zero_point, -128, 127), multiplier * 2^(shift - 31) = scale_in / scale_out. In place is allowed.
 */
void tinyad_requantize_s8(const int8_t *input, int8_t *output, uint16_t len, int32_t input_zero_point,
                          int32_t multiplier, int32_t shift, int32_t output_zero_point);

/* In place, data[i] = table[data[i] + 128]: tinyad_requantize_s8 tabulated for one quantization pair (table in flash). */
void tinyad_lookup_s8(const int8_t *table, int8_t *data, uint16_t len);

/* Sum of squared differences of two int8 vectors in RAM, in int32 (len <= 33025 cannot overflow). */
int32_t tinyad_sum_sqdiff_s8(const int8_t *a, const int8_t *b, uint16_t len);
int32_t tinyad_sum_sqdiff_s8_reference(const int8_t *a, const int8_t *b, uint16_t len);

/*
 * k-means score: the smallest squared Euclidean distance, in int32, between the int8 input and the
 * int8 centroids (row-major, num_centroids x input_len, in flash). Input and centroids share one
 * quantization, so the zero point cancels in the difference and the score is in units of scale^2.
 * Each squared difference is at most 255^2 = 65025, so input_len <= 33025 cannot overflow int32;
 * the code generator refuses larger models.
 */
int32_t tinyad_kmeans_min_sqdist_s8(const int8_t *input, const int8_t *centroids,
                                    uint16_t num_centroids, uint16_t input_len);

/*
 * Window features on the device, in integers (docs/features.md, "Integer features"; the Java reference is
 * tinyad.datasets.IntFeatures). The window holds int16 sensor counts, sample-major: window[t * channels + c].
 *   tinyad_centre_s16: one channel's centred samples x[t] = clamp((count - center) >> shift, -limit, limit)
 *   tinyad_stats_s16: 7 values: sum, n*std, n*rms (about `zero`), peak-to-peak, crest, skewness, kurtosis (Q8);
 *                     moment_bits bounds the scaled deviations of the moments
 *   tinyad_spectral_s16: `bins` band RMS magnitudes (units of 2^-4 samples) from a Q15 radix-2 FFT of len = 2^log2_len
 *                     points; cos/sin tables (len/2 entries, Q15, in flash) and re/im scratch (len entries each)
 *   tinyad_feature_s8: a feature to its int8 input, normalisation and quantization folded into one 16-bit
 *                     multiplier: clamp(((clamp((f - offset) >> pre_shift, +-32767) * multiplier + 2^(shift-1)) >> shift)
 *                     + zero_point, -128, 127)
 */
void tinyad_centre_s16(const int16_t *window, uint16_t len, uint16_t channels, uint16_t channel, int32_t center,
                       uint8_t shift, int16_t limit, int16_t *x);
void tinyad_stats_s16(const int16_t *x, uint16_t len, uint8_t moment_bits, int32_t zero, int32_t *out);
void tinyad_spectral_s16(const int16_t *x, uint16_t len, uint8_t log2_len, uint16_t bins, const int16_t *cos_table,
                         const int16_t *sin_table, int16_t *re, int16_t *im, int32_t *out);
int8_t tinyad_feature_s8(int32_t feature, int32_t offset, uint8_t pre_shift, int16_t multiplier, uint8_t shift,
                         int16_t zero_point);
/*
 * Two kernels inside the features, each the target's fastest form (assembly on AVR) beside a reference the tests
 * compare it with:
 *   tinyad_moments_s16: sums[] = {sum e^2, sum e^3, sum e^4} of e = (n x[t] - offset) >> k (arithmetic), |e| <= 2^7
 *   tinyad_butterflies_s16: one radix-2 stage's butterflies for one twiddle (wr, -ws in Q15): a = 0, size, ..
 *                     (count of them), c = a + h, halved; re/im point at the twiddle's first a
 */
void tinyad_moments_s16(const int16_t *x, uint16_t len, int16_t n, int32_t offset, uint8_t k, int32_t *sums);
void tinyad_moments_s16_reference(const int16_t *x, uint16_t len, int16_t n, int32_t offset, uint8_t k, int32_t *sums);
void tinyad_butterflies_s16(int16_t *re, int16_t *im, uint16_t h, uint16_t size, uint16_t count, int16_t wr, int16_t ws);
void tinyad_butterflies_s16_reference(int16_t *re, int16_t *im, uint16_t h, uint16_t size, uint16_t count, int16_t wr,
                                      int16_t ws);

/*
 * k-means radius score (Edge Impulse's option): isqrt(smallest squared distance) minus the radius of that
 * nearest centroid (the first one on ties), both in units of the input scale; negative inside a cluster.
 */
int32_t tinyad_kmeans_radius_s8(const int8_t *input, const int8_t *centroids, const int32_t *radii,
                                uint16_t num_centroids, uint16_t input_len);

#ifdef __cplusplus
}
#endif
#endif /* TINYAD_H */
