/* SPDX-License-Identifier: Apache-2.0 */
/*
 * STM32L4 USART2 on PA2 (TX) / PA3 (RX), alternate function 7: the ST-Link virtual COM port of Nucleo-L4
 * boards. 115200 baud 8N1 from the 4 MHz MSI reset clock (BRR 35: 114286 baud, 0.8 % off).
 */
#include "tinyad_port.h"

#define RCC_BASE 0x40021000u
#define RCC_AHB2ENR (*(volatile uint32_t *)(RCC_BASE + 0x4Cu))
#define RCC_APB1ENR1 (*(volatile uint32_t *)(RCC_BASE + 0x58u))
#define GPIOA_BASE 0x48000000u
#define GPIOA_MODER (*(volatile uint32_t *)(GPIOA_BASE + 0x00u))
#define GPIOA_AFRL (*(volatile uint32_t *)(GPIOA_BASE + 0x20u))
#define USART2_BASE 0x40004400u
#define USART2_CR1 (*(volatile uint32_t *)(USART2_BASE + 0x00u))
#define USART2_BRR (*(volatile uint32_t *)(USART2_BASE + 0x0Cu))
#define USART2_ISR (*(volatile uint32_t *)(USART2_BASE + 0x1Cu))
#define USART2_RDR (*(volatile uint32_t *)(USART2_BASE + 0x24u))
#define USART2_TDR (*(volatile uint32_t *)(USART2_BASE + 0x28u))
#define ISR_RXNE (1u << 5)
#define ISR_TXE (1u << 7)

void tinyad_port_init(void)
{
    RCC_AHB2ENR |= 1u;          /* GPIOA clock */
    RCC_APB1ENR1 |= 1u << 17;   /* USART2 clock */
    GPIOA_MODER = (GPIOA_MODER & ~(0xFu << 4)) | (0xAu << 4);        /* PA2, PA3: alternate function */
    GPIOA_AFRL = (GPIOA_AFRL & ~(0xFFu << 8)) | (0x77u << 8);        /* AF7 = USART2 */
    USART2_BRR = 35u;
    USART2_CR1 = (1u << 0) | (1u << 2) | (1u << 3);                  /* UE, RE, TE */
}

int tinyad_port_getc(void)
{
    while ((USART2_ISR & ISR_RXNE) == 0u) {
    }
    return (int)(USART2_RDR & 0xFFu);
}

void tinyad_port_write(void *port, const char *data, uint16_t len)
{
    uint16_t i;
    (void)port;
    for (i = 0; i < len; i++) {
        while ((USART2_ISR & ISR_TXE) == 0u) {
        }
        USART2_TDR = (uint8_t)data[i];
    }
}
