/* SPDX-License-Identifier: Apache-2.0 */
/* Cortex-M startup for QEMU's MPS2 boards: vector table, .data/.bss init, FPU enable, semihosting calls and exit. */
#include <stdint.h>

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
int main(void);
void Reset_Handler(void);
void Default_Handler(void);

int tinyad_mps2_semihost(int op, void *arg);
void tinyad_mps2_exit(int code);

int tinyad_mps2_semihost(int op, void *arg)
{
    register int r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

/* QEMU (-semihosting-config enable=on) exits with `code`; on a board without a debugger, spin. */
void tinyad_mps2_exit(int code)
{
    uint32_t block[2];
    block[0] = 0x20026u; /* ADP_Stopped_ApplicationExit */
    block[1] = (uint32_t)code;
    (void)tinyad_mps2_semihost(0x20, block); /* SYS_EXIT_EXTENDED */
    (void)tinyad_mps2_semihost(0x18, (void *)0x20026u);
    for (;;) {
    }
}

void Reset_Handler(void)
{
    uint32_t *src = &_sidata;
    uint32_t *dst = &_sdata;
    while (dst < &_edata) *dst++ = *src++;
    for (dst = &_sbss; dst < &_ebss;) *dst++ = 0;
#if defined(__ARM_FP)
    *(volatile uint32_t *)0xE000ED88u |= (0xFu << 20); /* CP10/CP11 full access */
    __asm__ volatile("dsb\n isb");
#endif
    tinyad_mps2_exit(main());
}

void Default_Handler(void)
{
    tinyad_mps2_exit(99); /* any fault: QEMU exits with 99 */
}

/* CMSDK APB Timer0 (IRQ 8): a port that samples (port_feed.c) defines it; elsewhere it is a fault. */
void TIMER0_Handler(void) __attribute__((weak, alias("Default_Handler")));

__attribute__((section(".isr_vector"), used)) void (*const tinyad_vectors[16 + 9])(void) = {
    (void (*)(void))&_estack, Reset_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, 0, 0, 0, 0, Default_Handler, Default_Handler, 0, Default_Handler, Default_Handler,
    /* external interrupts 0 .. 8 */
    Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, Default_Handler, TIMER0_Handler,
};
