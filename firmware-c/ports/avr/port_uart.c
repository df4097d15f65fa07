/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ATmega328P (Arduino Uno, 16 MHz): USART0 at 115200 baud, 8N1.
 *
 * Receiving: the replay app reads UDR0 when it is ready for the next byte (polled), which paces a host that
 * waits for each byte to be taken (tools/avrrun). A live build (-DTINYAD_APP_LIVE) scores windows between bytes,
 * so it receives from the interrupt into a 64-byte ring, as the Arduino core's Serial does: a command sent
 * while a window is being scored is not lost. It also sends through a 128-byte ring drained by the data-register-
 * empty interrupt: a score line (~17 bytes, 1.5 ms at 115200 baud) costs the main loop a copy, not the wire time.
 * The replay app sends polled.
 */
#ifdef __AVR__   /* the Arduino library ships these for every architecture: empty elsewhere */
#include <avr/io.h>
#include "tinyad_port.h"

#ifdef TINYAD_APP_LIVE
#include <avr/interrupt.h>

/* USART0's vectors: the ATmega328P names them USART_*, the ATmega2560 (Mega) and 1284P USART0_* */
#if defined(USART0_RX_vect)
#define TINYAD_UART_RX_VECT USART0_RX_vect
#define TINYAD_UART_UDRE_VECT USART0_UDRE_vect
#else
#define TINYAD_UART_RX_VECT USART_RX_vect
#define TINYAD_UART_UDRE_VECT USART_UDRE_vect
#endif

#define RX_CAP 64u   /* a power of two: indices wrap with a mask */

static volatile uint8_t rx_buf[RX_CAP];
static volatile uint8_t rx_head;   /* written by the interrupt */
static volatile uint8_t rx_tail;   /* read by the main loop */

ISR(TINYAD_UART_RX_VECT)
{
    const uint8_t c = UDR0;
    const uint8_t next = (uint8_t)((rx_head + 1u) & (RX_CAP - 1u));
    if (next != rx_tail) {   /* full: the byte is dropped, as on the Arduino core */
        rx_buf[rx_head] = c;
        rx_head = next;
    }
}

#define TX_CAP 128u

static volatile uint8_t tx_buf[TX_CAP];
static volatile uint8_t tx_head;   /* written by the main loop */
static volatile uint8_t tx_tail;   /* read by the interrupt */

ISR(TINYAD_UART_UDRE_VECT)
{
    if (tx_tail == tx_head) {
        UCSR0B &= (uint8_t)~(1u << UDRIE0);   /* empty: no more interrupts until the next byte */
        return;
    }
    UDR0 = tx_buf[tx_tail];
    tx_tail = (uint8_t)((tx_tail + 1u) & (TX_CAP - 1u));
}

void tinyad_port_write(void *port, const char *data, uint16_t len)
{
    uint16_t i;
    (void)port;
    for (i = 0; i < len; i++) {
        const uint8_t next = (uint8_t)((tx_head + 1u) & (TX_CAP - 1u));
        while (next == tx_tail) {
            /* full: wait for the interrupt to make room (interrupts are on in the main loop) */
        }
        tx_buf[tx_head] = (uint8_t)data[i];
        tx_head = next;
        UCSR0B |= (uint8_t)(1u << UDRIE0);
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
#endif /* __AVR__ */
