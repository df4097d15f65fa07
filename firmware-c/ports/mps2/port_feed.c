/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MPS2 (QEMU mps2-an386 / an385): an emulated sensor for live and raw modes, through the same port hook a board's
 * ADC would use. CMSDK APB Timer0 (25 MHz, IRQ 8) ticks at the sample rate; each tick reads the next frame from
 * the file "tinyad_feed.bin" in QEMU's working directory through semihosting (-semihosting-config
 * enable=on,target=native): one int16 per channel, little-endian, frame after frame. Under -icount the
 * instruction count is the clock, so a run is the same every time. When the feed ends sampling stops, and 64
 * ticks later the program exits (0), after the main loop has sent what the last frames gave.
 *
 * On a real Cortex-M board, replace the file read with the board's ADC (or an IMU over SPI/I2C) in TIMER0's
 * place; nothing else changes.
 */
#include "tinyad_port.h"

#define TIMER0_CTRL (*(volatile uint32_t *)0x40000000u)     /* bit 0 enable, bit 3 interrupt enable */
#define TIMER0_RELOAD (*(volatile uint32_t *)0x40000008u)
#define TIMER0_VALUE (*(volatile uint32_t *)0x40000004u)
#define TIMER0_INTCLEAR (*(volatile uint32_t *)0x4000000Cu)
#define NVIC_ISER0 (*(volatile uint32_t *)0xE000E100u)
#define NVIC_ICER0 (*(volatile uint32_t *)0xE000E180u)
#define TIMER0_IRQ 8u
#define TIMER_HZ 25000000u                                  /* the MPS2 boards' peripheral clock */
#define FEED_END_TICKS 64u
#define TINYAD_PORT_FEED_MAX_CHANNELS 16u

int tinyad_mps2_semihost(int op, void *arg);
void tinyad_mps2_exit(int code);

static tinyad_live_t *volatile sampling_live;
static int feed_handle = -1;
static uint32_t ticks_after_end;

static int feed_open(void)
{
    static const char name[] = "tinyad_feed.bin";
    uint32_t block[3];
    block[0] = (uint32_t)name;
    block[1] = 1u;                    /* "rb" */
    block[2] = sizeof name - 1u;
    return tinyad_mps2_semihost(0x01, block);   /* SYS_OPEN */
}

/* 1 when a whole frame was read */
static uint8_t feed_read(int16_t *frame, uint16_t channels)
{
    uint8_t bytes[2u * TINYAD_PORT_FEED_MAX_CHANNELS];
    uint32_t block[3];
    uint16_t c;
    block[0] = (uint32_t)feed_handle;
    block[1] = (uint32_t)bytes;
    block[2] = 2u * channels;
    if (tinyad_mps2_semihost(0x06, block) != 0) return 0;   /* SYS_READ: the count not read */
    for (c = 0; c < channels; c++) frame[c] = (int16_t)(uint16_t)((uint16_t)bytes[2u * c] | (uint16_t)((uint16_t)bytes[2u * c + 1u] << 8));
    return 1;
}

void TIMER0_Handler(void)
{
    tinyad_live_t *live = sampling_live;
    TIMER0_INTCLEAR = 1u;
    if (live == 0) return;
    if (ticks_after_end > 0u) {
        if (++ticks_after_end > FEED_END_TICKS) tinyad_mps2_exit(0);
        return;
    }
    if (feed_read(tinyad_live_slot(live), live->channels)) {
        tinyad_live_commit(live);
    } else {
        ticks_after_end = 1u;
    }
}

int tinyad_port_sampling(tinyad_live_t *live, uint32_t rate_millihz, uint8_t on)
{
    const uint64_t ticks = rate_millihz ? ((uint64_t)TIMER_HZ * 1000u + rate_millihz / 2u) / rate_millihz : 0u;
    TIMER0_CTRL = 0;
    NVIC_ICER0 = 1u << TIMER0_IRQ;
    sampling_live = 0;
    if (!on) return 0;
    if (ticks < 2u || ticks > 0xFFFFFFFFu || live->channels > TINYAD_PORT_FEED_MAX_CHANNELS) return -1;
    if (feed_handle < 0) feed_handle = feed_open();
    if (feed_handle < 0) return -1;
    sampling_live = live;
    TIMER0_RELOAD = (uint32_t)(ticks - 1u);   /* it interrupts at 0 and reloads: a period of reload + 1 */
    TIMER0_VALUE = (uint32_t)(ticks - 1u);
    TIMER0_INTCLEAR = 1u;
    NVIC_ISER0 = 1u << TIMER0_IRQ;
    TIMER0_CTRL = 1u | 8u;
    return 0;
}
