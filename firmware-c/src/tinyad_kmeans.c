/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tinyad distances and k-means scores (include/tinyad.h). Sums of squared differences have a reference kernel
 * here and optimised ones in src/tinyad_dense_m4.S (SIMD) and src/tinyad_sqdiff_avr.S; the tests compare them.
 */
#include "tinyad_config.h"
#include "tinyad_internal.h"

int32_t tinyad_sum_sqdiff_s8_reference(const int8_t *a, const int8_t *b, uint16_t len)
{
    int32_t acc = 0;
    uint16_t i;
    for (i = 0; i < len; i++) {
        const int32_t d = (int32_t)a[i] - (int32_t)b[i];
        acc += d * d;
    }
    return acc;
}

int32_t tinyad_sum_sqdiff_s8(const int8_t *a, const int8_t *b, uint16_t len)
{
#if defined(TINYAD_ASM_AVR)
    return tinyad_avr_sqdiff(a, b, len);
#elif defined(TINYAD_ASM_M4)
    const uint16_t head = (uint16_t)(len & ~3u);
    return tinyad_sum_sqdiff_m4(a, b, (uint32_t)len >> 2) + tinyad_sum_sqdiff_s8_reference(a + head, b + head, (uint16_t)(len - head));
#else
    return tinyad_sum_sqdiff_s8_reference(a, b, len);
#endif
}

/* Input in RAM, centroid in flash (TINYAD_FLASH). */
static int32_t sqdist_flash_s8(const int8_t *input, const int8_t *centroid, uint16_t input_len)
{
#if defined(TINYAD_ASM_AVR)
    return tinyad_avr_sqdist(input, centroid, input_len);
#elif defined(__AVR__)
    int32_t acc = 0;
    uint16_t i;
    for (i = 0; i < input_len; i++) {
        const int32_t d = (int32_t)input[i] - (int32_t)TINYAD_READ_S8(&centroid[i]);
        acc += d * d;
    }
    return acc;
#else
    return tinyad_sum_sqdiff_s8(input, centroid, input_len); /* flash is ordinary memory here */
#endif
}

/* The nearest centroid (the first on ties) and its squared distance. */
static int32_t nearest_sqdist_s8(const int8_t *input, const int8_t *centroids, uint16_t num_centroids,
                                 uint16_t input_len, uint16_t *nearest)
{
    int32_t best = INT32_MAX;
    uint16_t k;
    *nearest = 0;
    for (k = 0; k < num_centroids; k++) {
        const int32_t d = sqdist_flash_s8(input, &centroids[(uint32_t)k * input_len], input_len);
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

int32_t tinyad_kmeans_radius_s8(const int8_t *input, const int8_t *centroids, const int32_t *radii,
                                uint16_t num_centroids, uint16_t input_len)
{
    uint16_t nearest;
    const int32_t d2 = nearest_sqdist_s8(input, centroids, num_centroids, input_len, &nearest);
    return (int32_t)tinyad_isqrt_u32((uint32_t)d2) - TINYAD_READ_S32(&radii[nearest]);
}
