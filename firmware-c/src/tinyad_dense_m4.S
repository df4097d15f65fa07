/* SPDX-License-Identifier: Apache-2.0 */
/* tinyad runtime: Cortex-M4/M7 kernels (DSP extension), GNU assembler syntax (GCC and Clang). */
#include "tinyad_config.h"

#if defined(TINYAD_ASM_M4)
/*
 * Cortex-M4/M7 dense layer, in assembly: the block loop needs all 14 registers (LDM wants its four in
 * ascending order, and GCC neither pairs the loads nor frees that many around inline assembly), and a
 * layer-long function keeps the stack at one 52-byte frame. The arithmetic is the portable path's below,
 * bit for bit (the tests run both and compare every score with the Java reference).
 *
 * Block of four output rows, step of four inputs: the input word is sign-extended once into its even and
 * odd byte pairs (SXTB16) and shared by the four rows; one LDM brings the step's four weight words; each
 * weight word makes two SMLADs (2 MACs each): 20 instructions per 16 MACs, steps unrolled by four.
 *
 * Requantization, shift <= -2 (e = -shift >= 2, the usual case), exact: with s = acc, M >= 0,
 *   RDBPOT(SRDHM(s, M), e) = floor((s*M + 2^30 + 2^(30+e) - [s<0]*2^31) / 2^(31+e))
 * (the doubling high multiply is floor((s*M + 2^30) / 2^31) as M >= 0; the rounding divide adds 2^(e-1)
 * minus one for negative values, whose sign is s's: docs/quantization.md), so one SMLAL onto a 64-bit
 * constant and one arithmetic shift of its high word by e - 1. shift >= -1 takes the general route.
 *
 * Registers in the block loop: r0 input, r1 weights, r2 count, r3 scratch, r4-r7 accumulators,
 * r8-r11 weight words, r12 even inputs, lr odd inputs. Frame: [sp] input, [sp+4] output, [sp+8] layer,
 * [sp+12] first row of the block. tinyad_dense_t fields at TINYAD_DENSE_* (tinyad_config.h).
 */
    .syntax unified
    .thumb
#if defined(__OPTIMIZE_SIZE__)
    .set tinyad_dsp_unroll, 0   /* -Os: one step per loop turn */
#else
    .set tinyad_dsp_unroll, 1   /* four steps per loop turn */
#endif
/* one step: 4 inputs x 4 rows */
.macro tinyad_step
    ldr    lr, [r0], #4
    sxtb16 r12, lr
    sxtb16 lr, lr, ror #8
    ldmia  r1!, {r8, r9, r10, r11}
    sxtb16 r3, r8
    sxtb16 r8, r8, ror #8
    smlad  r4, r3, r12, r4
    smlad  r4, r8, lr, r4
    sxtb16 r3, r9
    sxtb16 r9, r9, ror #8
    smlad  r5, r3, r12, r5
    smlad  r5, r9, lr, r5
    sxtb16 r3, r10
    sxtb16 r10, r10, ror #8
    smlad  r6, r3, r12, r6
    smlad  r6, r10, lr, r6
    sxtb16 r3, r11
    sxtb16 r11, r11, ror #8
    smlad  r7, r3, r12, r7
    smlad  r7, r11, lr, r7
.endm
/* requantize accumulator \acc in place and store it: r8 multiplier ptr, r9 shift ptr, r10 output zero
   point, r11 activation min, r2 output ptr, \one a register holding 1 (blank: made here); scratch
   r0, r1, r3, r12 */
.macro tinyad_requant acc, one
    ldr    r0, [r8], #4    /* M */
    ldr    r1, [r9], #4    /* shift */
    cmn    r1, #2
    bgt    1f
    mvn    r1, r1    /* e - 1 */
    and    r3, \acc, #0x80000000
    orr    r3, r3, #0x40000000    /* low word: 2^30 + [s<0] * 2^31 */
.ifb \one
    movs   r12, #1
    lsls   r12, r12, r1
.else
    lsl    r12, \one, r1
.endif
    lsrs   r12, r12, #1
    add    r12, r12, \acc, asr #31    /* high word: 2^(e-2) - [s<0] */
    smlal  r3, r12, \acc, r0
    asr    \acc, r12, r1
3:  add    \acc, \acc, r10
    ssat   \acc, #8, \acc
    cmp    \acc, r11
    it     lt
    movlt  \acc, r11
    strb   \acc, [r2], #1
    b      4f
1:  cmp    r1, #0
    blt    2f
    lsl    \acc, \acc, r1    /* shift >= 0: left shift (wraps, as the reference), e = 0 */
    mov    r3, #0x40000000
    movs   r12, #0
    smlal  r3, r12, \acc, r0
    lsls   \acc, r12, #1
    orr    \acc, \acc, r3, lsr #31
    b      3b
2:  mvn    r3, \acc    /* shift == -1: e = 1 */
    and    r3, r3, #0x80000000
    orr    r3, r3, #0x40000000
    movs   r12, #0
    smlal  r3, r12, \acc, r0
    mov    \acc, r12
    b      3b
4:
.endm
.section .text.tinyad_dense_s8,"ax",%progbits
.balign 4
.global tinyad_dense_s8
.thumb
.thumb_func
.type tinyad_dense_s8, %function
tinyad_dense_s8:
    push   {r4, r5, r6, r7, r8, r9, r10, r11, lr}
    sub    sp, sp, #16
    str    r1, [sp, #0]
    str    r2, [sp, #4]
    str    r0, [sp, #8]
    movs   r3, #0
    str    r3, [sp, #12]
.Ltinyad_block:
    ldr    r3, [sp, #8]
    ldr    r12, [sp, #12]
    ldrh   lr, [r3, #TINYAD_DENSE_OUTPUT_LEN]
    subs   lr, lr, r12    /* rows left */
    ble    .Ltinyad_done
    ldr    r4, [r3, #TINYAD_DENSE_BIAS]
    add    r4, r4, r12, lsl #2
    cmp    lr, #4
    blt    .Ltinyad_partial
    ldmia  r4, {r4, r5, r6, r7}    /* the block's four biases */
    b      .Ltinyad_weights
.Ltinyad_partial:    /* last block with 1-3 rows: no bias read past the array */
    movs   r5, #0
    movs   r6, #0
    movs   r7, #0
    cmp    lr, #2
    it     ge
    ldrge  r5, [r4, #4]
    cmp    lr, #3
    it     ge
    ldrge  r6, [r4, #8]
    ldr    r4, [r4]
.Ltinyad_weights:
    ldrh   r2, [r3, #TINYAD_DENSE_INPUT_LEN]
    adds   r2, r2, #3
    lsrs   r2, r2, #2    /* chunks */
    mul    r2, r2, r12
    ldr    r1, [r3, #TINYAD_DENSE_WEIGHTS]
    add    r1, r1, r2, lsl #2    /* weights + row * chunks * 4: this block */
    ldr    r0, [sp, #0]
    ldrh   r2, [r3, #TINYAD_DENSE_INPUT_LEN]
.if tinyad_dsp_unroll
    ubfx   r2, r2, #2, #2    /* (input_len / 4) % 4 single steps, then fours */
    cbz    r2, .Ltinyad_fours
.Ltinyad_single:
    tinyad_step
    subs   r2, r2, #1
    bne    .Ltinyad_single
.Ltinyad_fours:
    ldr    r2, [sp, #8]
    ldrh   r2, [r2, #TINYAD_DENSE_INPUT_LEN]
    lsrs   r2, r2, #4
    beq    .Ltinyad_tail
.Ltinyad_four:
    tinyad_step
    tinyad_step
    tinyad_step
    tinyad_step
    subs   r2, r2, #1
    bne    .Ltinyad_four
.else
    lsrs   r2, r2, #2
    beq    .Ltinyad_tail
.Ltinyad_one:
    tinyad_step
    subs   r2, r2, #1
    bne    .Ltinyad_one
.endif
.Ltinyad_tail:    /* input_len % 4 inputs, byte by byte */
    ldr    r3, [sp, #8]
    ldrh   r2, [r3, #TINYAD_DENSE_INPUT_LEN]
    ands   r2, r2, #3
    beq    .Ltinyad_requant
.Ltinyad_tail_input:
    ldrsb  r12, [r0], #1
    ldrsb  r8, [r1, #0]
    ldrsb  r9, [r1, #4]
    ldrsb  r10, [r1, #8]
    ldrsb  r11, [r1, #12]
    adds   r1, r1, #1
    smlabb r4, r12, r8, r4
    smlabb r5, r12, r9, r5
    smlabb r6, r12, r10, r6
    smlabb r7, r12, r11, r7
    subs   r2, r2, #1
    bne    .Ltinyad_tail_input
.Ltinyad_requant:
    ldr    r3, [sp, #8]
    ldr    r12, [sp, #12]
    ldr    r8, [r3, #TINYAD_DENSE_MULTIPLIER]
    ldr    r9, [r3, #TINYAD_DENSE_SHIFT]
    ldrb   r0, [r3, #TINYAD_DENSE_PER_TENSOR]
    cbnz   r0, 5f    /* per-tensor: every block reads the 4 copies from the start */
    add    r8, r8, r12, lsl #2
    add    r9, r9, r12, lsl #2
5:
    ldrsh  r10, [r3, #TINYAD_DENSE_OUTPUT_ZERO_POINT]
    ldrsh  r11, [r3, #TINYAD_DENSE_ACTIVATION_MIN]
    ldr    r2, [sp, #4]
    add    r2, r2, r12
    ldrh   lr, [r3, #TINYAD_DENSE_OUTPUT_LEN]
    sub    lr, lr, r12    /* rows in this block, if below 4 */
    adds   r12, r12, #4
    str    r12, [sp, #12]
.if tinyad_dsp_unroll
    cmp    lr, #4
    blt    .Ltinyad_rows
    movs   lr, #1
    tinyad_requant r4, lr
    tinyad_requant r5, lr
    tinyad_requant r6, lr
    tinyad_requant r7, lr
    b      .Ltinyad_block
.Ltinyad_rows:    /* the last 1-3 rows rotate through r4; r7 is free */
    movs   r7, #1
    tinyad_requant r4, r7
    subs   lr, lr, #1
    beq    .Ltinyad_block
    mov    r4, r5
    mov    r5, r6
    b      .Ltinyad_rows
.else
    cmp    lr, #4
    it     gt
    movgt  lr, #4
.Ltinyad_rows:    /* every row rotates through r4 */
    tinyad_requant r4
    subs   lr, lr, #1
    beq    .Ltinyad_block
    mov    r4, r5
    mov    r5, r6
    mov    r6, r7
    b      .Ltinyad_rows
.endif
.Ltinyad_done:
    add    sp, sp, #16
    pop    {r4, r5, r6, r7, r8, r9, r10, r11, pc}
.size tinyad_dense_s8, .-tinyad_dense_s8
.purgem tinyad_step
.purgem tinyad_requant

/*
 * int32_t tinyad_sum_sqdiff_m4(const int8_t *a, const int8_t *b, uint32_t words): the sum of squared
 * differences of 4 * words int8 pairs (any alignment). Bytes sign-extended in even/odd pairs (SXTB16),
 * SSUB16 (|d| <= 255 fits a halfword), SMLAD squares and adds two at a time: 11 instructions per 4 pairs (two words per loop turn).
 */
/* one word of each: four squared differences into r3 (r0, r1 advance; r4, r5, r6, r12 scratch) */
.macro sqdiff_word
    ldr    r4, [r0], #4
    ldr    r5, [r1], #4
    sxtb16 r12, r4
    sxtb16 r6, r5
    ssub16 r12, r12, r6            /* even differences */
    smlad  r3, r12, r12, r3
    sxtb16 r4, r4, ror #8
    sxtb16 r5, r5, ror #8
    ssub16 r4, r4, r5              /* odd differences */
    smlad  r3, r4, r4, r3
.endm
    .section .text.tinyad_sum_sqdiff_m4,"ax",%progbits
    .balign 4
    .global tinyad_sum_sqdiff_m4
    .thumb_func
    .type tinyad_sum_sqdiff_m4, %function
tinyad_sum_sqdiff_m4:
    push   {r4, r5, r6}
    movs   r3, #0
    lsrs   r2, r2, #1              /* pairs of words; the odd one (carry) first */
    bcc    1f
    sqdiff_word
1:  cbz    r2, 2f
3:  sqdiff_word
    sqdiff_word
    subs   r2, r2, #1
    bne    3b
2:  mov    r0, r3
    pop    {r4, r5, r6}
    bx     lr
    .size tinyad_sum_sqdiff_m4, .-tinyad_sum_sqdiff_m4
    .text
#endif /* TINYAD_ASM_M4 */

/* an empty object on hosts: no executable stack */
#if defined(__linux__) && defined(__ELF__)
    .section .note.GNU-stack,"",%progbits
#endif
