/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The integer feature kernels alone, for the Java reference to check on any target (no model needed).
 * Reads decimal lines and prints one line of decimal results for each:
 * The FFT's Q15 twiddle tables come from bench/kernels_twiddles.h (written by the Java test that runs this
 * program: kernels_cos_<n>/kernels_sin_<n> for n = 8, 16, 32, 64, in flash as a model's are).
 *   S <n> <moment_bits> <zero> <x_0> .. <x_n-1>           tinyad_stats_s16: 7 values
 *   F <n> <log2_n> <bins> <x_0> .. <x_n-1>                tinyad_spectral_s16: bins values
 *   C <count> <center> <shift> <limit> <v_0> ..            tinyad_centre_s16 on one channel: count values
 *   Q <feature> <offset> <pre_shift> <multiplier> <shift> <zero_point>   tinyad_feature_s8: 1 value
 *   .                                                      ends the run
 */
#include "tinyad.h"
#include "tinyad_port.h"
#include "kernels_twiddles.h"
#if defined(__AVR__)
#include <avr/interrupt.h>
#include <avr/sleep.h>
#endif

#define KERNELS_MAX 64

static int next_char = -2;

static int peek(void)
{
    if (next_char == -2) next_char = tinyad_port_getc();
    return next_char;
}

static void advance(void)
{
    next_char = -2;
}

/* The next decimal number on this line (0 at its end). */
static int32_t number(void)
{
    uint32_t v = 0;
    int negative = 0;
    while (peek() == ' ') advance();
    if (peek() == '-') {
        negative = 1;
        advance();
    }
    while (peek() >= '0' && peek() <= '9') {
        v = v * 10u + (uint32_t)(peek() - '0');
        advance();
    }
    return negative ? (int32_t)(0u - v) : (int32_t)v; /* two's complement, as every target here */
}

static void put(const char *s)
{
    uint16_t n = 0;
    while (s[n]) n++;
    tinyad_port_write(0, s, n);
}

static void put_i32(int32_t v)
{
    char d[12];
    uint8_t n = 0;
    uint32_t u = v < 0 ? (uint32_t)0 - (uint32_t)v : (uint32_t)v;
    if (v < 0) put("-");
    do {
        d[n++] = (char)('0' + (uint8_t)(u % 10u));
        u /= 10u;
    } while (u);
    while (n) tinyad_port_write(0, &d[--n], 1);
}

static int16_t x[KERNELS_MAX], re[KERNELS_MAX], im[KERNELS_MAX];
static int32_t out[KERNELS_MAX];

static void read_samples(int16_t *dst, uint16_t n)
{
    uint16_t i;
    for (i = 0; i < n && i < KERNELS_MAX; i++) dst[i] = (int16_t)number();
}

int main(void)
{
    uint16_t i;
    tinyad_port_init();
    for (;;) {
        int c;
        while ((c = peek()) == '\n' || c == '\r' || c == ' ') advance();
        if (c < 0 || c == '.') break;
        advance();
        if (c == 'S') {
            const uint16_t n = (uint16_t)number();
            const uint8_t bits = (uint8_t)number();
            const int32_t zero = number();
            read_samples(x, n);
            tinyad_stats_s16(x, n, bits, zero, out);
            for (i = 0; i < 7u; i++) {
                put_i32(out[i]);
                put(" ");
            }
        } else if (c == 'F') {
            const uint16_t n = (uint16_t)number();
            const uint8_t log2n = (uint8_t)number();
            const uint16_t bins = (uint16_t)number();
            const int16_t *cos_table = n == 8u ? kernels_cos_8 : n == 16u ? kernels_cos_16 : n == 32u ? kernels_cos_32 : kernels_cos_64;
            const int16_t *sin_table = n == 8u ? kernels_sin_8 : n == 16u ? kernels_sin_16 : n == 32u ? kernels_sin_32 : kernels_sin_64;
            read_samples(x, n);
            tinyad_spectral_s16(x, n, log2n, bins, cos_table, sin_table, re, im, out);
            for (i = 0; i < bins; i++) {
                put_i32(out[i]);
                put(" ");
            }
        } else if (c == 'C') {
            const uint16_t n = (uint16_t)number();
            const int32_t center = number();
            const uint8_t shift = (uint8_t)number();
            const int16_t limit = (int16_t)number();
            read_samples(re, n);
            tinyad_centre_s16(re, n, 1, 0, center, shift, limit, x);
            for (i = 0; i < n; i++) {
                put_i32(x[i]);
                put(" ");
            }
        } else if (c == 'Q') {
            const int32_t f = number(), off = number(), pre = number(), m = number(), sh = number(), zp = number();
            put_i32(tinyad_feature_s8(f, off, (uint8_t)pre, (int16_t)m, (uint8_t)sh, (int16_t)zp));
        }
        while ((c = peek()) >= 0 && c != '\n') advance();
        put("\n");
    }
#if defined(__AVR__)
    cli();
    sleep_cpu();
#endif
    return 0;
}
