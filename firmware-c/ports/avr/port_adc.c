/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ATmega328P (Arduino Uno) sampling for live and raw modes. Timer1 in CTC mode ticks at the sample rate;
 * each tick starts a chain of conversions, channel c on pin ADCc (A0 .. A5, or TINYAD_PORT_ADC_PINS), AVCC
 * reference, ADC clock F_CPU / 128 (125 kHz at 16 MHz: 104 us per conversion); the ADC interrupt stores
 * each 10-bit result (0 .. 1023) as the channel's count and starts the next, and commits the frame after the
 * last channel. A tick that finds the chain still running is counted as missed (at most about 9,600 / channels
 * frames per second at 16 MHz). The main loop never touches the ADC, so its work cannot delay a sample.
 */
#ifdef __AVR__   /* the Arduino library ships these for every architecture: empty elsewhere */
#include <avr/interrupt.h>
#include <avr/io.h>

#include "tinyad_port.h"

#ifndef TINYAD_PORT_ADC_PINS
#define TINYAD_PORT_ADC_PINS {0, 1, 2, 3, 4, 5, 6, 7}
#endif

static const uint8_t adc_pins[8] = TINYAD_PORT_ADC_PINS;
static tinyad_live_t *volatile sampling_live;
static volatile uint8_t converting;   /* channel being converted; 255 when the chain is idle */

static void start_conversion(uint8_t channel)
{
    ADMUX = (uint8_t)((1u << REFS0) | (adc_pins[channel] & 0x0Fu));
    ADCSRA = (uint8_t)((1u << ADEN) | (1u << ADSC) | (1u << ADIE) | (1u << ADPS2) | (1u << ADPS1) | (1u << ADPS0));
}

ISR(TIMER1_COMPA_vect)
{
    tinyad_live_t *live = sampling_live;
    if (live == 0) return;
    if (converting != 255u) {
        tinyad_live_miss(live);
        return;
    }
    converting = 0;
    start_conversion(0);
}

ISR(ADC_vect)
{
    tinyad_live_t *live = sampling_live;
    const uint8_t c = converting;
    if (live == 0 || c == 255u) return;
    tinyad_live_slot(live)[c] = (int16_t)ADC;
    if ((uint8_t)(c + 1u) < live->channels) {
        converting = (uint8_t)(c + 1u);
        start_conversion((uint8_t)(c + 1u));
    } else {
        converting = 255u;
        tinyad_live_commit(live);
    }
}

/* Timer1 prescaler and compare value closest to rate_millihz; 0 when the rate is out of reach. */
static uint8_t timer_setting(uint32_t rate_millihz, uint16_t *top)
{
    static const uint16_t prescalers[5] = {1u, 8u, 64u, 256u, 1024u};
    uint8_t i;
    for (i = 0; i < 5u; i++) {
        const uint64_t divisor = (uint64_t)prescalers[i] * rate_millihz;
        const uint64_t ticks = ((uint64_t)F_CPU * 1000u + divisor / 2u) / divisor;
        if (ticks >= 2u && ticks <= 65536u) {
            *top = (uint16_t)(ticks - 1u);
            return (uint8_t)(i + 1u);   /* CS12:0 = 1 .. 5 selects the prescalers in this order */
        }
    }
    return 0;
}

int tinyad_port_sampling(tinyad_live_t *live, uint32_t rate_millihz, uint8_t on)
{
    uint16_t top = 0;
    const uint8_t clock_select = rate_millihz ? timer_setting(rate_millihz, &top) : 0u;
    uint8_t sreg = SREG;
    cli();
    TCCR1B = 0;                       /* timer stopped */
    TIMSK1 = 0;
    ADCSRA = 0;                       /* ADC off, its interrupt too */
    converting = 255u;
    sampling_live = 0;
    if (on && clock_select) {
        sampling_live = live;
        TCCR1A = 0;
        TCNT1 = 0;
        OCR1A = top;
        TIFR1 = (uint8_t)(1u << OCF1A);
        TIMSK1 = (uint8_t)(1u << OCIE1A);
        TCCR1B = (uint8_t)((1u << WGM12) | clock_select);
    }
    SREG = sreg;
    return on && !clock_select ? -1 : 0;
}
#endif /* __AVR__ */
