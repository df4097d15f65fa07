/* tinyad runtime kernels: one small function per operation. */
#include "tinyad.h"

static int32_t sqdist_s8(const int8_t *input, const int8_t *centroid, uint16_t input_len)
{
    int32_t acc = 0;
    uint16_t i;
    for (i = 0; i < input_len; i++) {
        const int16_t diff = (int16_t)((int16_t)input[i] - (int16_t)TINYAD_READ_S8(&centroid[i]));
        acc += (int32_t)diff * (int32_t)diff;
    }
    return acc;
}

int32_t tinyad_kmeans_min_sqdist_s8(const int8_t *input, const int8_t *centroids,
                                    uint16_t num_centroids, uint16_t input_len)
{
    int32_t best = INT32_MAX;
    uint16_t k;
    for (k = 0; k < num_centroids; k++) {
        const int32_t d = sqdist_s8(input, &centroids[(uint32_t)k * input_len], input_len);
        if (d < best) {
            best = d;
        }
    }
    return best;
}
