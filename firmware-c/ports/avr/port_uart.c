/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ATmega328P (Arduino Uno, 16 MHz): USART0 at 115200 baud, 8N1, sending polled.
 *
 * Receiving: the replay app reads UDR0 when it is ready for the next byte (polled), which paces a host that
 * waits for each byte to be taken (tools/avrrun). A live build (-DTINYAD_APP_LIVE) scores windows between bytes,
 * so it receives from the interrupt into a 64-byte ring, as the Arduino core's Serial does: a command sent
 * while a window is being scored is not lost.
 */
#include <avr/io.h>
#include "tinyad_port.h"

#ifdef TINYAD_APP_LIVE
#include <avr/interrupt.h>

#define RX_CAP 64u   /* a power of two: indices wrap with a mask */

static volatile uint8_t rx_buf[RX_CAP];
static volatile uint8_t rx_head;   /* written by the interrupt */
static volatile uint8_t rx_tail;   /* read by the main loop */

ISR(USART_RX_vect)
{
    const uint8_t c = UDR0;
    const uint8_t next = (uint8_t)((rx_head + 1u) & (RX_CAP - 1u));
    if (next != rx_tail) {   /* full: the byte is dropped, as on the Arduino core */
        rx_buf[rx_head] = c;
        rx_head = next;
    }
}

int tinyad_port_try_getc(void)
{
    uint8_t c;
    if (rx_tail == rx_head) return -1;
    c = rx_buf[rx_tail];
    rx_tail = (uint8_t)((rx_tail + 1u) & (RX_CAP - 1u));
    return (int)c;
}
#else
int tinyad_port_try_getc(void)
{
    return (UCSR0A & (1u << RXC0)) ? (int)UDR0 : -1;
}
#endif

void tinyad_port_init(void)
{
    /* U2X0 with UBRR 16 gives 117647 baud (2.1 % off 115200), as the Arduino core does */
    UCSR0A = (uint8_t)(1u << U2X0);
    UBRR0H = 0;
    UBRR0L = 16;
    UCSR0C = (uint8_t)((1u << UCSZ01) | (1u << UCSZ00));
#ifdef TINYAD_APP_LIVE
    UCSR0B = (uint8_t)((1u << TXEN0) | (1u << RXEN0) | (1u << RXCIE0));
    sei();
#else
    UCSR0B = (uint8_t)((1u << TXEN0) | (1u << RXEN0));
#endif
}

int tinyad_port_getc(void)
{
    int c;
    while ((c = tinyad_port_try_getc()) < 0) {
    }
    return c;
}

void tinyad_port_write(void *port, const char *data, uint16_t len)
{
    uint16_t i;
    (void)port;
    for (i = 0; i < len; i++) {
        while ((UCSR0A & (1u << UDRE0)) == 0u) {
        }
        UDR0 = (uint8_t)data[i];
    }
}
