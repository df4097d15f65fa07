/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tinyad window features on the device, float32 (include/tinyad.h, docs/features.md), and the live input
 * quantization that turns them into the model's int8 inputs.
 */
#include "tinyad.h"

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
