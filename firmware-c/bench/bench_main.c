/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Inference benchmark: runs the generated model's score function on a fixed input and reports its cost.
 *   Cortex-M under QEMU (-icount shift=5): instructions, from the MPS2 FPGAIO 25 MHz counter
 *     (one tick = 40 ns of virtual time = 1.25 instructions at 32 ns per instruction).
 *   ATmega328P: exact CPU cycles from Timer1 at prescaler 1 plus an overflow count.
 *   Host: nothing is timed; the line shows the score only.
 * Also the stack the score call uses: the stack below main is painted with a pattern first and scanned
 * for the deepest overwritten byte afterwards (Cortex-M and AVR).
 * Output: "B <score> <units> <count> <stack_bytes>" where units is "instructions", "cycles" or "none"; for a
 * model with a feature function also "F <units> <count> <stack_bytes>": the features of one window of counts.
 */
#include "tinyad.h"
#include "tinyad_port.h"
#include "tinyad_app_model.h"

#if defined(__AVR__)
#include <avr/interrupt.h>
#include <avr/io.h>
static volatile uint16_t timer1_overflows;
ISR(TIMER1_OVF_vect) { timer1_overflows++; }
static uint32_t now(void)
{
    uint8_t sreg = SREG;
    uint16_t lo, hi;
    cli();
    lo = TCNT1;
    hi = timer1_overflows;
    if ((TIFR1 & (1u << TOV1)) && lo < 0x8000u) hi++;
    SREG = sreg;
    return ((uint32_t)hi << 16) | lo;
}
static void timer_start(void)
{
    TCCR1A = 0;
    TCCR1B = (uint8_t)(1u << CS10);
    TIMSK1 = (uint8_t)(1u << TOIE1);
    sei();
}
#define UNITS "cycles"
#define TO_COUNT(t) (t)
#elif defined(__ARM_ARCH)
#define FPGAIO_COUNTER (*(volatile uint32_t *)0x40028018u)
static uint32_t now(void) { return FPGAIO_COUNTER; }
static void timer_start(void) {}
#define UNITS "instructions"
#define TO_COUNT(t) ((t) * 5u / 4u)
#else
static uint32_t now(void) { return 0; }
static void timer_start(void) {}
#define UNITS "none"
#define TO_COUNT(t) (t)
#endif

#define PAINT_BYTE 0xA5u
#if defined(__AVR__)
extern uint8_t __heap_start;
#define STACK_BOTTOM (&__heap_start)
#define PAINT_SPAN 1024u
#elif defined(__ARM_ARCH)
#define PAINT_SPAN 8192u
#endif

#if defined(PAINT_SPAN)
static uint8_t *current_sp(void)
{
#if defined(__AVR__)
    return (uint8_t *)SP;
#else
    uint8_t *sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    return sp;
#endif
}

/* Paints [sp - span, sp - 32): the 32 bytes below keep this small function's own frame out of the paint,
   so a result of 32 means "at most 32". */
static __attribute__((noinline)) uint8_t *paint_stack(void)
{
    uint8_t *sp = current_sp();
    uint8_t *lo = sp - PAINT_SPAN;
    volatile uint8_t *p;
#if defined(__AVR__)
    if (lo < STACK_BOTTOM + 16) lo = STACK_BOTTOM + 16;
#endif
    for (p = lo; p < sp - 32; p++) *p = PAINT_BYTE;
    return lo;
}

static uint32_t stack_used(const uint8_t *lo, const uint8_t *top)
{
    const volatile uint8_t *p = lo;
    while (p < top && *p == PAINT_BYTE) p++;
    return (uint32_t)(top - (const uint8_t *)p);
}
#endif

static void put_u32(uint32_t v)
{
    char digits[10];
    uint8_t n = 0;
    do {
        digits[n++] = (char)('0' + (uint8_t)(v % 10u));
        v /= 10u;
    } while (v != 0u);
    while (n) {
        char c = digits[--n];
        tinyad_port_write(0, &c, 1);
    }
}

static void put_s32(int32_t v)
{
    if (v < 0) {
        tinyad_port_write(0, "-", 1);
        put_u32((uint32_t)0 - (uint32_t)v);
    } else {
        put_u32((uint32_t)v);
    }
}

static int32_t timed(const int8_t *input, uint32_t *elapsed)
{
    uint32_t t0, t1;
    int32_t score;
    t0 = now();
    __asm__ volatile("" ::: "memory");
    score = TINYAD_APP_MODEL.score(input);
    __asm__ volatile("" ::: "memory");
    t1 = now();
    *elapsed = t1 - t0;
    return score;
}

int main(void)
{
    int8_t input[TINYAD_APP_INPUT_LEN];
    uint32_t state = 12345u, base, elapsed;
    uint16_t i;
    int32_t score;
    uint32_t stack = 0;
#if defined(PAINT_SPAN)
    uint8_t *top, *lo;
#endif
    tinyad_port_init();
    timer_start();
    for (i = 0; i < TINYAD_APP_INPUT_LEN; i++) {
        state = state * 1664525u + 1013904223u;
        input[i] = (int8_t)(int16_t)((int16_t)(state >> 24) - 128);
    }
    /* the cost of the timer reads themselves, subtracted */
    base = now();
    base = now() - base;
    score = timed(input, &elapsed);
    score = timed(input, &elapsed); /* second run: caches and lazy state warmed, as in steady use */
#if defined(PAINT_SPAN)
    top = current_sp();
    lo = paint_stack();
    (void)TINYAD_APP_MODEL.score(input);
    stack = stack_used(lo, top);
#endif
    tinyad_port_write(0, "B ", 2);
    put_s32(score);
    tinyad_port_write(0, " " UNITS " ", sizeof(" " UNITS " ") - 1);
    put_u32(TO_COUNT(elapsed > base ? elapsed - base : 0u));
    tinyad_port_write(0, " ", 1);
    put_u32(stack);
    tinyad_port_write(0, "\n", 1);
#if defined(TINYAD_APP_FEATURES)
    {
        static int16_t window[TINYAD_APP_WINDOW * TINYAD_APP_CHANNELS];
        uint32_t t0, t1;
        for (i = 0; i < TINYAD_APP_WINDOW * TINYAD_APP_CHANNELS; i++) {   /* a noisy window, +-2000 counts */
            state = state * 1664525u + 1013904223u;
            window[i] = (int16_t)((int32_t)(state >> 20) - 2048);
        }
        TINYAD_APP_FEATURES(window, input);
        t0 = now();
        __asm__ volatile("" ::: "memory");
        TINYAD_APP_FEATURES(window, input);
        __asm__ volatile("" ::: "memory");
        t1 = now();
        elapsed = t1 - t0;
#if defined(PAINT_SPAN)
        top = current_sp();
        lo = paint_stack();
        TINYAD_APP_FEATURES(window, input);
        stack = stack_used(lo, top);
#endif
        tinyad_port_write(0, "F " UNITS " ", sizeof("F " UNITS " ") - 1);
        put_u32(TO_COUNT(elapsed > base ? elapsed - base : 0u));
        tinyad_port_write(0, " ", 1);
        put_u32(stack);
        tinyad_port_write(0, "\n", 1);
    }
#endif
    return 0;
}
