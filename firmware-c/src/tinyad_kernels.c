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

int32_t tinyad_saturating_rounding_doubling_high_mul(int32_t a, int32_t b)
{
    int64_t ab;
    int64_t nudge;
    if (a == INT32_MIN && b == INT32_MIN) {
        return INT32_MAX;
    }
    ab = (int64_t)a * (int64_t)b;
    nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
    return (int32_t)((ab + nudge) / ((int64_t)1 << 31));
}

int32_t tinyad_rounding_divide_by_pot(int32_t x, int32_t exponent)
{
    const int32_t mask = (int32_t)(((int64_t)1 << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

int32_t tinyad_multiply_by_quantized_multiplier(int32_t x, int32_t multiplier, int32_t shift)
{
    const int32_t left = shift > 0 ? shift : 0;
    const int32_t right = shift > 0 ? 0 : -shift;
    /* a left shift wraps as in the Java reference instead of overflowing (undefined in C) */
    const int32_t shifted = (int32_t)((uint32_t)x << left);
    return tinyad_rounding_divide_by_pot(tinyad_saturating_rounding_doubling_high_mul(shifted, multiplier), right);
}

void tinyad_dense_s8(const int8_t *input, int8_t *output, const int8_t *weights, const int32_t *bias,
                     const int32_t *multiplier, const int32_t *shift, uint16_t input_len, uint16_t output_len,
                     int32_t output_zero_point, int32_t activation_min)
{
    uint16_t c;
    uint16_t i;
    for (c = 0; c < output_len; c++) {
        const int8_t *row = &weights[(uint32_t)c * input_len];
        int32_t acc = TINYAD_READ_S32(&bias[c]);
        for (i = 0; i < input_len; i++) {
            acc += (int32_t)TINYAD_READ_S8(&row[i]) * (int32_t)input[i];
        }
        acc = tinyad_multiply_by_quantized_multiplier(acc, TINYAD_READ_S32(&multiplier[c]), TINYAD_READ_S32(&shift[c]));
        acc += output_zero_point;
        if (acc < activation_min) acc = activation_min;
        if (acc > 127) acc = 127;
        output[c] = (int8_t)acc;
    }
}

int32_t tinyad_sum_sqdiff_s8(const int8_t *a, const int8_t *b, uint16_t len)
{
    int32_t acc = 0;
    uint16_t i;
    for (i = 0; i < len; i++) {
        const int16_t diff = (int16_t)((int16_t)a[i] - (int16_t)b[i]);
        acc += (int32_t)diff * (int32_t)diff;
    }
    return acc;
}
