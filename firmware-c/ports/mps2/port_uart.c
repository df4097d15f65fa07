/* SPDX-License-Identifier: Apache-2.0 */
/* MPS2 AN385/AN386 (QEMU -M mps2-an385/-an386): CMSDK APB UART0. */
#include "tinyad_port.h"

#define UART0_BASE 0x40004000u
#define UART_DATA (*(volatile uint32_t *)(UART0_BASE + 0x00u))
#define UART_STATE (*(volatile uint32_t *)(UART0_BASE + 0x04u)) /* bit0 TX full, bit1 RX full */
#define UART_CTRL (*(volatile uint32_t *)(UART0_BASE + 0x08u))  /* bit0 TX enable, bit1 RX enable */
#define UART_BAUDDIV (*(volatile uint32_t *)(UART0_BASE + 0x10u))

void tinyad_port_init(void)
{
    UART_BAUDDIV = 16u;
    UART_CTRL = 3u;
}

int tinyad_port_try_getc(void)
{
    return (UART_STATE & 2u) ? (int)(UART_DATA & 0xFFu) : -1;
}

int tinyad_port_getc(void)
{
    while ((UART_STATE & 2u) == 0u) {
    }
    return (int)(UART_DATA & 0xFFu);
}

void tinyad_port_write(void *port, const char *data, uint16_t len)
{
    uint16_t i;
    (void)port;
    for (i = 0; i < len; i++) {
        while (UART_STATE & 1u) {
        }
        UART_DATA = (uint8_t)data[i];
    }
}
