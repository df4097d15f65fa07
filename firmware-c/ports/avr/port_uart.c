/* ATmega328P (Arduino Uno, 16 MHz): USART0 at 115200 baud, 8N1, polled. */
#include <avr/io.h>
#include "tinyad_port.h"

void tinyad_port_init(void)
{
    /* U2X0 with UBRR 16 gives 117647 baud (2.1 % off 115200), as the Arduino core does */
    UCSR0A = (uint8_t)(1u << U2X0);
    UBRR0H = 0;
    UBRR0L = 16;
    UCSR0B = (uint8_t)((1u << TXEN0) | (1u << RXEN0));
    UCSR0C = (uint8_t)((1u << UCSZ01) | (1u << UCSZ00));
}

int tinyad_port_getc(void)
{
    while ((UCSR0A & (1u << RXC0)) == 0u) {
    }
    return (int)UDR0;
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
