/* SPDX-License-Identifier: Apache-2.0 */
/* tinyad runtime internals: the assembly kernels' entry points and flash access helpers (not user API). */
#ifndef TINYAD_INTERNAL_H
#define TINYAD_INTERNAL_H

#include <string.h>
#include "tinyad.h"

#if defined(TINYAD_ASM_AVR)
/* src/tinyad_sqdiff_avr.S */
int32_t tinyad_avr_sqdiff(const int8_t *a, const int8_t *b, uint16_t len);
int32_t tinyad_avr_sqdist(const int8_t *x, const int8_t *centroid_in_flash, uint16_t len);
/* src/tinyad_features_avr.S (tinyad_features.c): the butterflies of one FFT stage that share a twiddle, and the
   stats' moment sums {e^2, e^3, e^4} of e = (n x - offset) >> k */
void tinyad_avr_butterflies(int16_t *re, int16_t *im, uint16_t h_bytes, uint16_t size_bytes, uint16_t count,
                            int16_t wr, int16_t ws);
void tinyad_avr_moments(const int16_t *x, uint16_t len, int16_t n, int32_t offset, uint8_t k, int32_t *sums);
/* src/tinyad_dense_avr.S: the exact requantization core, exported for the tests */
int32_t tinyad_avr_requant(int32_t acc, int32_t multiplier, int8_t shift);
#endif

#if defined(TINYAD_ASM_M4)
/* src/tinyad_dense_m4.S: the sum of squared differences of 4 * words pairs */
int32_t tinyad_sum_sqdiff_m4(const int8_t *a, const int8_t *b, uint32_t words);
#endif

/* A layer descriptor in RAM: a copy on AVR, where generated descriptors live in flash; the pointer elsewhere. */
static inline const tinyad_dense_t *tinyad_layer_in_ram(const tinyad_dense_t *layer, tinyad_dense_t *copy)
{
#if defined(__AVR__)
    memcpy_P(copy, layer, sizeof *copy);
    return copy;
#else
    (void)copy;
    return layer;
#endif
}

#endif /* TINYAD_INTERNAL_H */
