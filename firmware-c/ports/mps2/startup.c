/* Cortex-M startup for QEMU's MPS2 boards: vector table, .data/.bss init, FPU enable, semihosting exit. */
#include <stdint.h>

extern uint32_t _sidata, _sdata, _edata, _sbss, _ebss, _estack;
int main(void);
void Reset_Handler(void);
void Default_Handler(void);

static int semihost(int op, void *arg)
{
    register int r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

/* QEMU (-semihosting-config enable=on) exits with `code`; on a board without a debugger, spin. */
static void semihost_exit(int code)
{
    uint32_t block[2];
    block[0] = 0x20026u; /* ADP_Stopped_ApplicationExit */
    block[1] = (uint32_t)code;
    (void)semihost(0x20, block); /* SYS_EXIT_EXTENDED */
    (void)semihost(0x18, (void *)0x20026u);
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
    semihost_exit(main());
}

void Default_Handler(void)
{
    semihost_exit(99); /* any fault: QEMU exits with 99 */
}

__attribute__((section(".isr_vector"), used)) void (*const tinyad_vectors[16])(void) = {
    (void (*)(void))&_estack, Reset_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
    Default_Handler, 0, 0, 0, 0, Default_Handler, Default_Handler, 0, Default_Handler, Default_Handler,
};
