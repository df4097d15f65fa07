/*
 * The AVR assembly kernels on the ATmega328P itself (simavr: make test-avr), against the portable C:
 *   - the requantization on random (acc, multiplier, shift) over the whole int32 range, every shift in
 *     [-31, 30], multipliers 0 and in [2^30, 2^31), against tinyad_multiply_by_quantized_multiplier
 *     (whose 32-bit-only form the host tests check against the 64-bit one);
 *   - the four-row multiply-accumulate on random weights in flash, against a plain C sum.
 * Prints "PASS <cases>" or the first failing case on the UART.
 */
#include <avr/interrupt.h>
#include <avr/pgmspace.h>
#include <avr/sleep.h>
#include "tinyad.h"
#include "tinyad_port.h"

void tinyad_avr_block4(const int8_t *x, const int8_t *w, uint8_t steps, int32_t *acc);
int32_t tinyad_avr_requant(int32_t acc, int32_t multiplier, int8_t shift);

#define STEPS 24u
static const int8_t weights[STEPS * 16u] PROGMEM = {
#define W4(a, b, c, d) a, b, c, d
#define W16(s) W4(s, -(s), 127 - (s), (s) - 127), W4(-127, 127, (s) / 2, -(s) / 3), W4((s) * 3 % 127, -((s) * 5 % 127), 1, -1), W4(0, (s) % 64, -((s) % 100), 126)
    W16(3), W16(17), W16(29), W16(42), W16(55), W16(61), W16(77), W16(80), W16(91), W16(99), W16(104), W16(111),
    W16(5), W16(11), W16(23), W16(37), W16(47), W16(59), W16(67), W16(73), W16(83), W16(97), W16(101), W16(127)};

static uint32_t state = 12345u;
static uint32_t next(void)
{
    state = state * 1664525u + 1013904223u;
    return state;
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

static int check_requant(uint16_t cases)
{
    uint16_t i;
    for (i = 0; i < cases; i++) {
        const uint32_t kind = next() >> 29;
        const int8_t shift = (int8_t)((int16_t)((next() >> 8) % 62u) - 31);
        const int32_t mult = kind == 0u ? 0 : (kind == 1u ? ((int32_t)1 << 30) : (int32_t)((1ul << 30) | (next() >> 2)));
        int32_t acc = (int32_t)next();
        int32_t got, want;
        if (i % 4u == 1u) acc >>= 8;
        if (i % 4u == 2u) acc >>= 20;
        if (i % 8u == 3u) acc = (next() & 1u) ? INT32_MAX - (int32_t)(next() >> 28) : INT32_MIN + (int32_t)(next() >> 28);
        got = tinyad_avr_requant(acc, mult, shift);
        want = tinyad_multiply_by_quantized_multiplier(acc, mult, shift);
        if (got != want) {
            put("FAIL requant acc ");
            put_i32(acc);
            put(" multiplier ");
            put_i32(mult);
            put(" shift ");
            put_i32(shift);
            put(": ");
            put_i32(got);
            put(" want ");
            put_i32(want);
            put("\n");
            return 0;
        }
    }
    return 1;
}

static int check_block4(uint16_t cases)
{
    int8_t x[STEPS * 4u];
    uint16_t i;
    uint8_t k, r, steps;
    for (i = 0; i < cases; i++) {
        int32_t acc[4], want[4];
        steps = (uint8_t)(1u + next() % STEPS);
        for (k = 0; k < steps * 4u; k++) x[k] = (int8_t)(next() >> 24);
        if (i == 0) for (k = 0; k < steps * 4u; k++) x[k] = -128; /* the extreme products */
        for (r = 0; r < 4u; r++) {
            uint8_t s;
            acc[r] = want[r] = (int32_t)next() >> 4;
            for (s = 0; s < steps; s++)
                for (k = 0; k < 4u; k++)
                    want[r] += (int32_t)(int8_t)pgm_read_byte(&weights[s * 16u + r * 4u + k]) * x[s * 4u + k];
        }
        tinyad_avr_block4(x, weights, steps, acc);
        for (r = 0; r < 4u; r++) {
            if (acc[r] != want[r]) {
                put("FAIL block4 case ");
                put_i32(i);
                put(" row ");
                put_i32(r);
                put(": ");
                put_i32(acc[r]);
                put(" want ");
                put_i32(want[r]);
                put("\n");
                return 0;
            }
        }
    }
    return 1;
}

int main(void)
{
    tinyad_port_init();
    if (check_requant(20000u) && check_block4(300u)) put("PASS 20000 requantizations, 300 blocks\n");
    cli(); /* sleeping with interrupts off ends the simulation */
    sleep_cpu();
    return 0;
}
