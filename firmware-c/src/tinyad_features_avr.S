/* SPDX-License-Identifier: Apache-2.0 */
/* tinyad runtime: ATmega (AVR) feature kernels (FFT butterflies in Q15, the stats' moment sums), GNU assembler syntax (avr-gcc). */
#include "tinyad_config.h"

#if defined(TINYAD_ASM_AVR)
/*
 * The butterflies of one stage of the spectral features' FFT that share one twiddle (src/tinyad_features.c,
 * tinyad_butterfly_s16 is the plain C kernel and the oracle): for each a, c = a + h,
 *   tr = (cr wr + ci ws + 2^14) >> 15,   ti = (ci wr - cr ws + 2^14) >> 15   (bits 15..30 of the int32 sum)
 *   a' = floor((a + t) / 2),             c' = floor((a - t) / 2)             (each of re and im)
 * The products are MULS/MUL/MULSU partial products added into a 32-bit sum that starts at 2^14 (~120 cycles
 * for the four, against four library calls in the C); the halved sum and difference are taken without a 17th bit:
 *   floor((x + t) / 2) = (x & t) + ((x ^ t) >> 1),   floor((x - t) / 2) = ((x ^ t) >> 1) - (~x & t).
 *
 * void tinyad_avr_butterflies(int16_t *re, int16_t *im, uint16_t h_bytes, uint16_t size_bytes, uint16_t count,
 *                             int16_t wr, int16_t ws)
 *   re, im: the first butterfly's a; count >= 1 butterflies, size_bytes apart; c lies h_bytes after a.
 * Registers: r2 zero, r3 the rounding byte (0x40: 2^14 in byte 1), r5:r4 size_bytes, r7:r6 count,
 * r11..r8 and r15..r12 the two sums, r17:r16 wr, r19:r18 ws, r21:r20 cr, r23:r22 ci (MULS/MULSU take r16-r23),
 * r25:r24 h_bytes, Z = &re[a], Y = &im[a], X = &re[c] / &im[c].
 */

/* a3:a2:a1:a0 += (xh:xl) * (yh:yl), signed 16 x 16 */
.macro tinyad_avr_mac a0, a1, a2, a3, xl, xh, yl, yh
    muls   \xh, \yh
    add    \a2, r0
    adc    \a3, r1
    mul    \xl, \yl
    add    \a0, r0
    adc    \a1, r1
    adc    \a2, r2
    adc    \a3, r2
    mulsu  \xh, \yl       /* a signed 16-bit partial product: C is its sign */
    sbc    \a3, r2        /* its sign extension into byte 3 */
    add    \a1, r0
    adc    \a2, r1
    adc    \a3, r2
    mulsu  \yh, \xl
    sbc    \a3, r2
    add    \a1, r0
    adc    \a2, r1
    adc    \a3, r2
.endm

/* a3:a2:a1:a0 -= (xh:xl) * (yh:yl), signed 16 x 16 */
.macro tinyad_avr_msc a0, a1, a2, a3, xl, xh, yl, yh
    muls   \xh, \yh
    sub    \a2, r0
    sbc    \a3, r1
    mul    \xl, \yl
    sub    \a0, r0
    sbc    \a1, r1
    sbc    \a2, r2
    sbc    \a3, r2
    mulsu  \xh, \yl
    adc    \a3, r2        /* minus a negative partial product's sign extension: + 2^24 */
    sub    \a1, r0
    sbc    \a2, r1
    sbc    \a3, r2
    mulsu  \yh, \xl
    adc    \a3, r2
    sub    \a1, r0
    sbc    \a2, r1
    sbc    \a3, r2
.endm

/* x in r21:r20, t in th:tl: floor((x + t) / 2) to r9:r8, floor((x - t) / 2) to r23:r22 (x is clobbered) */
.macro tinyad_avr_halves tl, th
    movw   r22, r20
    eor    r22, \tl
    eor    r23, \th
    asr    r23
    ror    r22            /* (x ^ t) >> 1 */
    movw   r8, r20
    and    r8, \tl
    and    r9, \th
    add    r8, r22
    adc    r9, r23        /* (x & t) + ((x ^ t) >> 1) */
    com    r20
    com    r21
    and    r20, \tl
    and    r21, \th
    sub    r22, r20
    sbc    r23, r21       /* ((x ^ t) >> 1) - (~x & t) */
.endm

.section .text.tinyad_avr_butterflies,"ax",@progbits
.global tinyad_avr_butterflies
.type tinyad_avr_butterflies, @function
tinyad_avr_butterflies:
    push   r2
    push   r3
    push   r4
    push   r5
    push   r6
    push   r7
    push   r8
    push   r9
    push   r10
    push   r11
    push   r12
    push   r13
    push   r14
    push   r15
    push   r16
    push   r17
    push   r28
    push   r29
    clr    r2
    ldi    r30, 0x40
    mov    r3, r30
    movw   r30, r24       /* Z = re */
    movw   r28, r22       /* Y = im */
    movw   r24, r20       /* h_bytes */
    movw   r4, r18        /* size_bytes */
    movw   r6, r16        /* count */
    movw   r16, r14       /* wr */
    movw   r18, r12       /* ws */
1:  movw   r26, r30
    add    r26, r24
    adc    r27, r25
    ld     r20, X+        /* cr = re[c] */
    ld     r21, X
    movw   r26, r28
    add    r26, r24
    adc    r27, r25
    ld     r22, X+        /* ci = im[c] */
    ld     r23, X
    clr    r8             /* r11..r8 = 2^14 + cr wr + ci ws */
    mov    r9, r3
    clr    r10
    clr    r11
    tinyad_avr_mac r8, r9, r10, r11, r20, r21, r16, r17
    tinyad_avr_mac r8, r9, r10, r11, r22, r23, r18, r19
    clr    r12            /* r15..r12 = 2^14 + ci wr - cr ws */
    mov    r13, r3
    clr    r14
    clr    r15
    tinyad_avr_mac r12, r13, r14, r15, r22, r23, r16, r17
    tinyad_avr_msc r12, r13, r14, r15, r20, r21, r18, r19
    lsl    r9             /* tr = r11:r10, ti = r15:r14: bits 15..30 */
    rol    r10
    rol    r11
    lsl    r13
    rol    r14
    rol    r15
    ld     r20, Z         /* real parts */
    ldd    r21, Z+1
    tinyad_avr_halves r10, r11
    st     Z, r8
    std    Z+1, r9
    movw   r26, r30
    add    r26, r24
    adc    r27, r25
    st     X+, r22
    st     X, r23
    ld     r20, Y         /* imaginary parts */
    ldd    r21, Y+1
    tinyad_avr_halves r14, r15
    st     Y, r8
    std    Y+1, r9
    movw   r26, r28
    add    r26, r24
    adc    r27, r25
    st     X+, r22
    st     X, r23
    add    r30, r4        /* the next group */
    adc    r31, r5
    add    r28, r4
    adc    r29, r5
    ldi    r26, 1
    sub    r6, r26
    sbc    r7, r2
    breq   2f
    rjmp   1b             /* beyond a branch's reach */
2:  clr    r1
    pop    r29
    pop    r28
    pop    r17
    pop    r16
    pop    r15
    pop    r14
    pop    r13
    pop    r12
    pop    r11
    pop    r10
    pop    r9
    pop    r8
    pop    r7
    pop    r6
    pop    r5
    pop    r4
    pop    r3
    pop    r2
    ret
.size tinyad_avr_butterflies, .-tinyad_avr_butterflies

/*
 * The moment sums of the stats features (src/tinyad_features.c, tinyad_stats_s16, whose C loop is the oracle):
 *   e = (n x - offset) >> k   (arithmetic; offset = s1 - 2^(k-1), or s1 when k = 0; |e| <= 2^7 by the generator's bounds)
 *   sums[0] = sum e^2,  sums[1] = sum e^3,  sums[2] = sum e^4
 * ~100 cycles a sample against ~300 for the C (its three 32-bit products are library calls): n x is one signed
 * MUL/MULSU sum, the shift moves whole bytes and then at most 7 bits of three bytes, and |e| fits one byte, so e^2
 * is one MUL, e^3 two and e^4 three.
 *
 * void tinyad_avr_moments(const int16_t *x, uint16_t len, int16_t n, int32_t offset, uint8_t k, int32_t *sums)
 * Registers: r2 zero, r7..r4 n x - offset, r19:r18 x then e^2, r21:r20 n, r23:r22 samples left, r14 k (read only),
 * r24 |e| (and shift count), r1 e's high byte until the MULs, T e's sign, r11..r8 sum e^2, r16:r15:r13:r12 sum e^3,
 * r31:r30:r25:r17 sum e^4, Y = sums, which holds -offset until the end (no stack beyond the 16 saved registers: the
 * Uno's live app with learning has little to spare), X = &x[t].
 */
.section .text.tinyad_avr_moments,"ax",@progbits
.global tinyad_avr_moments
.type tinyad_avr_moments, @function
tinyad_avr_moments:
    push   r2
    push   r4
    push   r5
    push   r6
    push   r7
    push   r8
    push   r9
    push   r10
    push   r11
    push   r12
    push   r13
    push   r15
    push   r16
    push   r17
    push   r28
    push   r29
    movw   r28, r12       /* Y = sums: -offset waits in sums[0] until the end */
    com    r16            /* -offset = ~offset + 1 */
    com    r17
    com    r18
    com    r19
    subi   r16, 0xFF
    sbci   r17, 0xFF
    sbci   r18, 0xFF
    sbci   r19, 0xFF
    st     Y, r16
    std    Y+1, r17
    std    Y+2, r18
    std    Y+3, r19
    clr    r2
    movw   r26, r24       /* X = x */
    clr    r8
    clr    r9
    clr    r10
    clr    r11
    clr    r12
    clr    r13
    clr    r15
    clr    r16
    clr    r17
    clr    r25
    clr    r30
    clr    r31
    cp     r22, r2
    cpc    r23, r2
    brne   1f
    rjmp   9f
1:  ld     r18, X+        /* x */
    ld     r19, X+
    ld     r4, Y          /* n x - offset */
    ldd    r5, Y+1
    ldd    r6, Y+2
    ldd    r7, Y+3
    tinyad_avr_mac r4, r5, r6, r7, r18, r19, r20, r21
    mov    r24, r14
    sbrc   r14, 4
    rjmp   4f
    sbrc   r14, 3
    rjmp   3f
    tst    r24            /* k < 8: bits k .. k+15 lie in bytes 0..2 */
    breq   21f
20: asr    r6
    ror    r5
    ror    r4
    dec    r24
    brne   20b
21: mov    r24, r4
    mov    r1, r5
    rjmp   5f
3:  subi   r24, 8         /* 8 <= k < 16: bytes 1..3 */
    breq   31f
30: asr    r7
    ror    r6
    ror    r5
    dec    r24
    brne   30b
31: mov    r24, r5
    mov    r1, r6
    rjmp   5f
4:  subi   r24, 16        /* k >= 16: bytes 2..3 */
    breq   41f
40: asr    r7
    ror    r6
    dec    r24
    brne   40b
41: mov    r24, r6
    mov    r1, r7
5:  clt                   /* r24 = |e|, T = e < 0 (e = -128 gives 0x80 = 128) */
    sbrs   r1, 7
    rjmp   6f
    set
    neg    r24
6:  mul    r24, r24       /* e^2 <= 2^14 */
    movw   r18, r0
    add    r8, r0
    adc    r9, r1
    adc    r10, r2
    adc    r11, r2
    mul    r18, r24       /* |e|^3 = e^2 |e| in r6:r5:r4 */
    movw   r4, r0
    mul    r19, r24
    add    r5, r0
    mov    r6, r1
    adc    r6, r2
    brts   7f
    add    r12, r4
    adc    r13, r5
    adc    r15, r6
    adc    r16, r2
    rjmp   8f
7:  sub    r12, r4
    sbc    r13, r5
    sbc    r15, r6
    sbc    r16, r2
8:  mul    r18, r18       /* e^4 = lo^2 + 2^9 lo hi + 2^16 hi^2 of e^2 = hi:lo */
    add    r17, r0
    adc    r25, r1
    adc    r30, r2
    adc    r31, r2
    mul    r19, r19
    add    r30, r0
    adc    r31, r1
    mul    r18, r19
    add    r25, r0
    adc    r30, r1
    adc    r31, r2
    add    r25, r0
    adc    r30, r1
    adc    r31, r2
    subi   r22, 1
    sbci   r23, 0
    breq   9f
    rjmp   1b
9:  st     Y+, r8         /* sums = {e^2, e^3, e^4} (over -offset) */
    st     Y+, r9
    st     Y+, r10
    st     Y+, r11
    st     Y+, r12
    st     Y+, r13
    st     Y+, r15
    st     Y+, r16
    st     Y+, r17
    st     Y+, r25
    st     Y+, r30
    st     Y, r31
    clr    r1
    pop    r29
    pop    r28
    pop    r17
    pop    r16
    pop    r15
    pop    r13
    pop    r12
    pop    r11
    pop    r10
    pop    r9
    pop    r8
    pop    r7
    pop    r6
    pop    r5
    pop    r4
    pop    r2
    ret
.size tinyad_avr_moments, .-tinyad_avr_moments
.purgem tinyad_avr_mac
.purgem tinyad_avr_msc
.purgem tinyad_avr_halves

    .text
#endif /* TINYAD_ASM_AVR */

/* an empty object on hosts: no executable stack */
#if defined(__linux__) && defined(__ELF__)
    .section .note.GNU-stack,"",%progbits
#endif
