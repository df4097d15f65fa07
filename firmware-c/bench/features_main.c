/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The device's integer feature pipeline against the Java reference, on any target: reads windows of int16
 * sensor counts, one per line (WINDOW x CHANNELS samples, sample-major, 4 hex digits each, two's complement),
 * and prints the int8 inputs the device computes from them as hex; a line "." ends the run (QEMU exits through
 * semihosting, simavr when the AVR sleeps with interrupts off, the host process returns).
 */
#include "tinyad.h"
#include "tinyad_port.h"
#include "tinyad_app_model.h"
#if defined(__AVR__)
#include <avr/interrupt.h>
#include <avr/sleep.h>
#endif

#define FEATURES_VALUES (TINYAD_APP_WINDOW * TINYAD_APP_CHANNELS)

static int hex_digit(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
}

static int16_t window[FEATURES_VALUES];
static int8_t input[TINYAD_APP_INPUT_LEN];

/* One line into window[]: 1 when complete, 0 at ".", -1 at the end of the input. */
static int read_window(void)
{
    uint16_t n = 0;
    uint8_t digits = 0;
    uint16_t v = 0;
    int c;
    while ((c = tinyad_port_getc()) >= 0) {
        const int d = hex_digit(c);
        if (c == '.') return 0;
        if (c == '\n') {
            if (n == FEATURES_VALUES) return 1;
            n = 0;
            digits = 0;
            continue;
        }
        if (d < 0) continue;
        v = (uint16_t)((v << 4) | (uint16_t)d);
        if (++digits == 4u) {
            if (n < FEATURES_VALUES) window[n++] = (int16_t)v;
            digits = 0;
            v = 0;
        }
    }
    return -1;
}

int main(void)
{
    static const char hex[] = "0123456789ABCDEF";
    uint16_t i;
    tinyad_port_init();
    while (read_window() > 0) {
        char out[2];
        TINYAD_APP_FEATURES(window, input);
        for (i = 0; i < TINYAD_APP_INPUT_LEN; i++) {
            out[0] = hex[((uint8_t)input[i]) >> 4];
            out[1] = hex[((uint8_t)input[i]) & 15u];
            tinyad_port_write(0, out, 2);
        }
        tinyad_port_write(0, "\n", 1);
    }
#if defined(__AVR__)
    cli();
    sleep_cpu();
#endif
    return 0;
}
