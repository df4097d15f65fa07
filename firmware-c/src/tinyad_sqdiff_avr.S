/* SPDX-License-Identifier: Apache-2.0 */
/* tinyad runtime: ATmega (AVR) sums of squared differences, GNU assembler syntax (avr-gcc). */
#include "tinyad_config.h"

#if defined(TINYAD_ASM_AVR)
/*
 * Sums of squared differences on AVR, in assembly: |a - b| <= 255 is squared with one unsigned MUL
 * and added to a 32-bit sum (~20 cycles per element against ~36 for the C), from RAM (ld) or flash (lpm).
 */
/* int32_t tinyad_avr_sqdiff(const int8_t *a, const int8_t *b, uint16_t len): both in RAM;
   int32_t tinyad_avr_sqdist(const int8_t *x, const int8_t *centroid_in_flash, uint16_t len) */
.macro tinyad_avr_sqdiff_body load
    movw   r26, r24
    movw   r30, r22
    clr    r22
    clr    r23
    clr    r24
    clr    r25
    clr    r19
    cp     r20, r19
    cpc    r21, r19
    breq   3f
1:  ld     r18, X+
    \load
    cp     r18, r0
    brge   2f
    sub    r0, r18    /* b > a: b - a in 1..255 */
    mov    r18, r0
    rjmp   4f
2:  sub    r18, r0    /* a >= b: a - b in 0..255 */
4:  mul    r18, r18
    add    r22, r0
    adc    r23, r1
    adc    r24, r19
    adc    r25, r19
    subi   r20, 1
    sbci   r21, 0
    brne   1b
3:  clr    r1
    ret
.endm
.section .text.tinyad_avr_sqdiff,"ax",@progbits
.global tinyad_avr_sqdiff
.type tinyad_avr_sqdiff, @function
tinyad_avr_sqdiff:
    tinyad_avr_sqdiff_body "ld r0, Z+"
.size tinyad_avr_sqdiff, .-tinyad_avr_sqdiff
.section .text.tinyad_avr_sqdist,"ax",@progbits
.global tinyad_avr_sqdist
.type tinyad_avr_sqdist, @function
tinyad_avr_sqdist:
    tinyad_avr_sqdiff_body "lpm r0, Z+"
.size tinyad_avr_sqdist, .-tinyad_avr_sqdist
.purgem tinyad_avr_sqdiff_body

    .text
#endif /* TINYAD_ASM_AVR */

/* an empty object on hosts: no executable stack */
#if defined(__linux__) && defined(__ELF__)
    .section .note.GNU-stack,"",%progbits
#endif
