/* SPDX-License-Identifier: Apache-2.0 */
/* tinyad runtime: ATmega (AVR) dense layer and requantization core, GNU assembler syntax (avr-gcc). */
#include "tinyad_config.h"

#if defined(TINYAD_ASM_AVR)
#include <avr/io.h>

/*
 * ATmega (AVR) dense layer, all in assembly: one function per layer keeps the block loop, the
 * multiply-accumulate and the requantization in registers and one frame (18 saved registers + 35 bytes).
 *
 * Multiply-accumulate, a block of four rows: four inputs are loaded once per step and shared by the rows;
 * weights stream from flash with LPM Z+ (the block layout is their reading order); two MULS products are
 * summed in 16 bits (|w| <= 127, so |w * x| <= 16256 and a pair fits), then added to a 24-bit accumulator
 * as an unsigned number (+32768; each pass subtracts the offsets at its end): 8.5 cycles per MAC. 24 bits
 * hold 128 steps (512 * 16256 < 2^23): longer rows run in passes added into the 32-bit accumulators in
 * the frame, which start at the biases. Inputs past input_len % 4 are zero in the last step, so the
 * padding's weights never count.
 *
 * Layers of at most 127 steps (+ the tail step) with a generated table (tinyad_dense_t.avr_plan) take one
 * pass without biases: the four sums are kept as 24-bit values and each row's plan gives its output from one
 * 24x32-bit product, an add of one of two 56-bit offsets and whole bytes (docs/quantization.md; the generator
 * proves each plan equal to the reference on every reachable sum). A row without a plan carries its bias,
 * multiplier and shift in the table and goes through the exact core below.
 *
 * Requantization, exact for multiplier 0 or in [2^30, 2^31) (docs/quantization.md): the product acc * M
 * from 12 MULs when acc fits 24 bits (16 otherwise), unsigned, then 2^24 * M (2^32 * M) subtracted for a
 * negative acc; + 2^30; bits 31..62 are the doubling high multiply. The rounding divide by 2^e: a shift by
 * e - 1 (whole bytes, then one multiply by 2^(8 - n) for the remaining n bits) that records whether a one
 * was shifted out; the last bit then decides: half rounds up for r >= 0, only more than half for r < 0.
 *
 * Frame (Y+): 1 weights, 3 bias, 5 multiplier, 7 shift (pointers, advancing), 9 input_len,
 * 11 rows left, 13 output zero point (14: rows of this block), 15 activation min (low byte), 16 input,
 * 18 output, 20..35 the block's four int32 accumulators (table route: 20..31 the 24-bit sums, 32 the table
 * pointer). r15 is zero throughout.
 */
/* The frame's first 15 bytes are the descriptor's, copied in field order; the table pointer is read after. */
#if TINYAD_DENSE_WEIGHTS != 0 || TINYAD_DENSE_BIAS != 2 || TINYAD_DENSE_MULTIPLIER != 4 || TINYAD_DENSE_SHIFT != 6 || \
    TINYAD_DENSE_INPUT_LEN != 8 || TINYAD_DENSE_OUTPUT_LEN != 10 || TINYAD_DENSE_OUTPUT_ZERO_POINT != 12 || \
    TINYAD_DENSE_ACTIVATION_MIN != 14 || TINYAD_DENSE_AVR_PLAN != 16
#error "tinyad_dense_avr.S: the tinyad_dense_t layout changed; update the frame copy"
#endif

.section .progmem.data,"a",@progbits
tinyad_avr_pow2:
    .byte 0, 128, 64, 32, 16, 8, 4, 2
.section .text.tinyad_dense_s8,"ax",@progbits
.global tinyad_dense_s8
.type tinyad_dense_s8, @function
    .macro tinyad_avr_pair xa, xb, a0, a1, a2
    lpm    r23, Z+
    muls   \xa, r23
    movw   r24, r0
    lpm    r23, Z+
    muls   \xb, r23
    add    r24, r0
    adc    r25, r1
    subi   r25, 0x80
    add    \a0, r24
    adc    \a1, r25
    adc    \a2, r15
    .endm
    .macro tinyad_avr_row a0, a1, a2
    tinyad_avr_pair r16, r17, \a0, \a1, \a2
    tinyad_avr_pair r21, r22, \a0, \a1, \a2
    .endm
    .macro tinyad_avr_addacc a0, a1, a2, k
    mov    r24, \a2
    lsl    r24
    sbc    r25, r25
    ldd    r24, Y+\k
    add    r24, \a0
    std    Y+\k, r24
    ldd    r24, Y+\k+1
    adc    r24, \a1
    std    Y+\k+1, r24
    ldd    r24, Y+\k+2
    adc    r24, \a2
    std    Y+\k+2, r24
    ldd    r24, Y+\k+3
    adc    r24, r25
    std    Y+\k+3, r24
    .endm
    .macro tinyad_avr_rows4
    tinyad_avr_row r3, r4, r5
    tinyad_avr_row r6, r7, r8
    tinyad_avr_row r9, r10, r11
    tinyad_avr_row r12, r13, r14
    .endm
    .macro tinyad_avr_step
    ld     r16, X+
    ld     r17, X+
    ld     r21, X+
    ld     r22, X+
    tinyad_avr_rows4
    .endm
    .macro tinyad_avr_add7
    lpm    r0, Z+
    add    r2, r0
    lpm    r0, Z+
    adc    r3, r0
    lpm    r0, Z+
    adc    r4, r0
    lpm    r0, Z+
    adc    r5, r0
    lpm    r0, Z+
    adc    r6, r0
    lpm    r0, Z+
    adc    r7, r0
    lpm    r0, Z+
    adc    r8, r0
    .endm
    .macro tinyad_avr_mul24x32
    mul    r22, r18
    movw   r2, r0
    mul    r23, r19
    movw   r4, r0
    mul    r24, r20
    movw   r6, r0
    clr    r8
    mul    r22, r19
    add    r3, r0
    adc    r4, r1
    adc    r5, r15
    adc    r6, r15
    adc    r7, r15
    adc    r8, r15
    mul    r23, r18
    add    r3, r0
    adc    r4, r1
    adc    r5, r15
    adc    r6, r15
    adc    r7, r15
    adc    r8, r15
    mul    r22, r20
    add    r4, r0
    adc    r5, r1
    adc    r6, r15
    adc    r7, r15
    adc    r8, r15
    mul    r24, r18
    add    r4, r0
    adc    r5, r1
    adc    r6, r15
    adc    r7, r15
    adc    r8, r15
    mul    r22, r21
    add    r5, r0
    adc    r6, r1
    adc    r7, r15
    adc    r8, r15
    mul    r23, r20
    add    r5, r0
    adc    r6, r1
    adc    r7, r15
    adc    r8, r15
    mul    r24, r19
    add    r5, r0
    adc    r6, r1
    adc    r7, r15
    adc    r8, r15
    mul    r23, r21
    add    r6, r0
    adc    r7, r1
    adc    r8, r15
    mul    r24, r21
    add    r7, r0
    adc    r8, r1
    .endm
tinyad_dense_s8:
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
    in     r28, _SFR_IO_ADDR(SPL)
    in     r29, _SFR_IO_ADDR(SPH)
    sbiw   r28, 35
    in     r0, _SFR_IO_ADDR(SREG)
    cli
    out    _SFR_IO_ADDR(SPH), r29
    out    _SFR_IO_ADDR(SREG), r0
    out    _SFR_IO_ADDR(SPL), r28
    clr    r15
    movw   r30, r24
    lpm    r0, Z+
    std    Y+1, r0
    lpm    r0, Z+
    std    Y+2, r0
    lpm    r0, Z+
    std    Y+3, r0
    lpm    r0, Z+
    std    Y+4, r0
    lpm    r0, Z+
    std    Y+5, r0
    lpm    r0, Z+
    std    Y+6, r0
    lpm    r0, Z+
    std    Y+7, r0
    lpm    r0, Z+
    std    Y+8, r0
    lpm    r0, Z+
    std    Y+9, r0
    lpm    r0, Z+
    std    Y+10, r0
    lpm    r0, Z+
    std    Y+11, r0
    lpm    r0, Z+
    std    Y+12, r0
    lpm    r0, Z+
    std    Y+13, r0
    lpm    r0, Z+
    std    Y+14, r0
    lpm    r0, Z+
    std    Y+15, r0
    std    Y+16, r22
    std    Y+17, r23
    std    Y+18, r20
    std    Y+19, r21
    lpm    r0, Z+
    lpm    r24, Z+
    lpm    r25, Z+
    sbiw   r24, 0
    breq   .Ltinyad_block
    std    Y+32, r24
    std    Y+33, r25
    rjmp   .Ltinyad_fblock
.Ltinyad_block:
    ldd    r24, Y+11
    ldd    r25, Y+12
    sbiw   r24, 0
    brne   .Ltinyad_rows_left
    rjmp   .Ltinyad_done
.Ltinyad_rows_left:
    ldi    r17, 4
    cpi    r24, 4
    cpc    r25, r15
    brsh   .Ltinyad_four_rows
    mov    r17, r24
.Ltinyad_four_rows:
    sub    r24, r17
    sbc    r25, r15
    std    Y+11, r24
    std    Y+12, r25
    std    Y+14, r17
    ldd    r30, Y+3
    ldd    r31, Y+4
    cpi    r17, 4
    brne   .Ltinyad_bias_few
    lpm    r0, Z+
    std    Y+20, r0
    lpm    r0, Z+
    std    Y+21, r0
    lpm    r0, Z+
    std    Y+22, r0
    lpm    r0, Z+
    std    Y+23, r0
    lpm    r0, Z+
    std    Y+24, r0
    lpm    r0, Z+
    std    Y+25, r0
    lpm    r0, Z+
    std    Y+26, r0
    lpm    r0, Z+
    std    Y+27, r0
    lpm    r0, Z+
    std    Y+28, r0
    lpm    r0, Z+
    std    Y+29, r0
    lpm    r0, Z+
    std    Y+30, r0
    lpm    r0, Z+
    std    Y+31, r0
    lpm    r0, Z+
    std    Y+32, r0
    lpm    r0, Z+
    std    Y+33, r0
    lpm    r0, Z+
    std    Y+34, r0
    lpm    r0, Z+
    std    Y+35, r0
    rjmp   .Ltinyad_bias_done
.Ltinyad_bias_few:
    .irp k, 20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35
    std    Y+\k, r15
    .endr
    movw   r26, r28
    adiw   r26, 20
    mov    r16, r17
    lsl    r16
    lsl    r16
.Ltinyad_bias:
    lpm    r0, Z+
    st     X+, r0
    dec    r16
    brne   .Ltinyad_bias
.Ltinyad_bias_done:
    std    Y+3, r30
    std    Y+4, r31
    ldd    r26, Y+16
    ldd    r27, Y+17
    ldd    r30, Y+1
    ldd    r31, Y+2
    ldd    r18, Y+9
    ldd    r19, Y+10
    lsr    r19
    ror    r18
    lsr    r19
    ror    r18
.Ltinyad_pass:
    cp     r18, r15
    cpc    r19, r15
    brne   .Ltinyad_pass_go
    rjmp   .Ltinyad_tail
.Ltinyad_pass_go:
    ldi    r20, 128
    cpi    r18, 128
    cpc    r19, r15
    brsh   .Ltinyad_pass_n
    mov    r20, r18
.Ltinyad_pass_n:
    sub    r18, r20
    sbc    r19, r15
    mov    r2, r20
    .irp r, 3,4,5,6,7,8,9,10,11,12,13,14
    clr    r\r
    .endr
.Ltinyad_step:
    tinyad_avr_step
    dec    r20
    breq   .Ltinyad_pass_end
    rjmp   .Ltinyad_step
.Ltinyad_pass_end:
    sub    r5, r2
    sub    r8, r2
    sub    r11, r2
    sub    r14, r2
    tinyad_avr_addacc r3, r4, r5, 20
    tinyad_avr_addacc r6, r7, r8, 24
    tinyad_avr_addacc r9, r10, r11, 28
    tinyad_avr_addacc r12, r13, r14, 32
    rjmp   .Ltinyad_pass
.Ltinyad_tail:
    ldd    r24, Y+9
    andi   r24, 3
    brne   .Ltinyad_tail_go
    rjmp   .Ltinyad_mac_done
.Ltinyad_tail_go:
    .irp r, 3,4,5,6,7,8,9,10,11,12,13,14
    clr    r\r
    .endr
    ld     r16, X+
    clr    r17
    clr    r21
    clr    r22
    cpi    r24, 2
    brlo   .Ltinyad_tail_x
    ld     r17, X+
    cpi    r24, 3
    brlo   .Ltinyad_tail_x
    ld     r21, X+
.Ltinyad_tail_x:
    tinyad_avr_rows4
    dec    r5
    dec    r8
    dec    r11
    dec    r14
    tinyad_avr_addacc r3, r4, r5, 20
    tinyad_avr_addacc r6, r7, r8, 24
    tinyad_avr_addacc r9, r10, r11, 28
    tinyad_avr_addacc r12, r13, r14, 32
.Ltinyad_mac_done:
    std    Y+1, r30
    std    Y+2, r31
    ldd    r26, Y+18
    ldd    r27, Y+19
    ldd    r12, Y+5
    ldd    r13, Y+6
    ldd    r17, Y+14
    ldd    r22, Y+20
    ldd    r23, Y+21
    ldd    r24, Y+22
    ldd    r25, Y+23
    rcall  .Ltinyad_row
    cpi    r17, 2
    brsh   .Ltinyad_row1
    rjmp   .Ltinyad_rows_done
.Ltinyad_row1:
    ldd    r22, Y+24
    ldd    r23, Y+25
    ldd    r24, Y+26
    ldd    r25, Y+27
    rcall  .Ltinyad_row
    cpi    r17, 3
    brsh   .Ltinyad_row2
    rjmp   .Ltinyad_rows_done
.Ltinyad_row2:
    ldd    r22, Y+28
    ldd    r23, Y+29
    ldd    r24, Y+30
    ldd    r25, Y+31
    rcall  .Ltinyad_row
    cpi    r17, 4
    brsh   .Ltinyad_row3
    rjmp   .Ltinyad_rows_done
.Ltinyad_row3:
    ldd    r22, Y+32
    ldd    r23, Y+33
    ldd    r24, Y+34
    ldd    r25, Y+35
    rcall  .Ltinyad_row
.Ltinyad_rows_done:
    std    Y+18, r26
    std    Y+19, r27
    std    Y+5, r12
    std    Y+6, r13
    rjmp   .Ltinyad_block
.Ltinyad_fblock:
    ldd    r24, Y+11
    ldd    r25, Y+12
    sbiw   r24, 0
    brne   .Ltinyad_f_rows_left
    rjmp   .Ltinyad_done
.Ltinyad_f_rows_left:
    ldi    r17, 4
    cpi    r24, 4
    cpc    r25, r15
    brsh   .Ltinyad_f_four
    mov    r17, r24
.Ltinyad_f_four:
    sub    r24, r17
    sbc    r25, r15
    std    Y+11, r24
    std    Y+12, r25
    std    Y+14, r17
    ldd    r26, Y+16
    ldd    r27, Y+17
    ldd    r30, Y+1
    ldd    r31, Y+2
    ldd    r20, Y+9
    ldd    r19, Y+10
    lsr    r19
    ror    r20
    lsr    r19
    ror    r20
    mov    r2, r20
    .irp r, 3,4,5,6,7,8,9,10,11,12,13,14
    clr    r\r
    .endr
    tst    r20
    brne   .Ltinyad_f_step
    rjmp   .Ltinyad_f_tail
.Ltinyad_f_step:
    tinyad_avr_step
    dec    r20
    breq   .Ltinyad_f_tail
    rjmp   .Ltinyad_f_step
.Ltinyad_f_tail:
    ldd    r24, Y+9
    andi   r24, 3
    brne   .Ltinyad_f_tail_go
    rjmp   .Ltinyad_f_sums
.Ltinyad_f_tail_go:
    ld     r16, X+
    clr    r17
    clr    r21
    clr    r22
    cpi    r24, 2
    brlo   .Ltinyad_f_tail_x
    ld     r17, X+
    cpi    r24, 3
    brlo   .Ltinyad_f_tail_x
    ld     r21, X+
.Ltinyad_f_tail_x:
    tinyad_avr_rows4
    inc    r2
.Ltinyad_f_sums:
    sub    r5, r2
    sub    r8, r2
    sub    r11, r2
    sub    r14, r2
    std    Y+1, r30
    std    Y+2, r31
    std    Y+20, r3
    std    Y+21, r4
    std    Y+22, r5
    std    Y+23, r6
    std    Y+24, r7
    std    Y+25, r8
    std    Y+26, r9
    std    Y+27, r10
    std    Y+28, r11
    std    Y+29, r12
    std    Y+30, r13
    std    Y+31, r14
    ldd    r26, Y+18
    ldd    r27, Y+19
    ldd    r12, Y+32
    ldd    r13, Y+33
    ldd    r17, Y+14
    ldd    r22, Y+20
    ldd    r23, Y+21
    ldd    r24, Y+22
    rcall  .Ltinyad_f_row
    cpi    r17, 2
    brsh   .Ltinyad_f_row1
    rjmp   .Ltinyad_f_rows_done
.Ltinyad_f_row1:
    ldd    r22, Y+23
    ldd    r23, Y+24
    ldd    r24, Y+25
    rcall  .Ltinyad_f_row
    cpi    r17, 3
    brsh   .Ltinyad_f_row2
    rjmp   .Ltinyad_f_rows_done
.Ltinyad_f_row2:
    ldd    r22, Y+26
    ldd    r23, Y+27
    ldd    r24, Y+28
    rcall  .Ltinyad_f_row
    cpi    r17, 4
    brsh   .Ltinyad_f_row3
    rjmp   .Ltinyad_f_rows_done
.Ltinyad_f_row3:
    ldd    r22, Y+29
    ldd    r23, Y+30
    ldd    r24, Y+31
    rcall  .Ltinyad_f_row
.Ltinyad_f_rows_done:
    std    Y+18, r26
    std    Y+19, r27
    std    Y+32, r12
    std    Y+33, r13
    rjmp   .Ltinyad_fblock
.Ltinyad_f_row:
    movw   r30, r12
    lpm    r16, Z+
    tst    r16
    brne   .Ltinyad_f_plan
    mov    r25, r24
    lsl    r25
    sbc    r25, r25
    lpm    r0, Z+
    add    r22, r0
    lpm    r0, Z+
    adc    r23, r0
    lpm    r0, Z+
    adc    r24, r0
    lpm    r0, Z+
    adc    r25, r0
    lpm    r18, Z+
    lpm    r19, Z+
    lpm    r20, Z+
    lpm    r21, Z+
    lpm    r16, Z+
    adiw   r30, 12
    movw   r12, r30
    rcall  .Ltinyad_core
    rjmp   .Ltinyad_row_out
.Ltinyad_f_plan:
    lpm    r18, Z+
    lpm    r19, Z+
    lpm    r20, Z+
    lpm    r21, Z+
    lpm    r9, Z+
    lpm    r10, Z+
    lpm    r11, Z+
    tinyad_avr_mul24x32
    sbrs   r24, 7
    rjmp   .Ltinyad_f_pos
    sub    r5, r18
    sbc    r6, r19
    sbc    r7, r20
    sbc    r8, r21
.Ltinyad_f_pos:
    cp     r22, r9
    cpc    r23, r10
    cpc    r24, r11
    brge   .Ltinyad_f_above
    tinyad_avr_add7
    adiw   r30, 7
    rjmp   .Ltinyad_f_sum
.Ltinyad_f_above:
    adiw   r30, 7
    tinyad_avr_add7
.Ltinyad_f_sum:
    movw   r12, r30
    ldi    r30, 2
    add    r30, r16
    clr    r31
    ld     r24, Z+
    mov    r25, r24
    lsl    r25
    sbc    r25, r25
.Ltinyad_f_high:
    cpi    r30, 9
    brsh   .Ltinyad_f_clamp
    ld     r23, Z+
    cp     r23, r25
    breq   .Ltinyad_f_high
    ldi    r24, 127
    sbrc   r8, 7
    ldi    r24, 0x80
.Ltinyad_f_clamp:
    ldd    r23, Y+15
    cp     r24, r23
    brge   .Ltinyad_f_store
    mov    r24, r23
.Ltinyad_f_store:
    st     X+, r24
    clr    r1
    ret
.Ltinyad_done:
    adiw   r28, 35
    in     r0, _SFR_IO_ADDR(SREG)
    cli
    out    _SFR_IO_ADDR(SPH), r29
    out    _SFR_IO_ADDR(SREG), r0
    out    _SFR_IO_ADDR(SPL), r28
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
    clr    r1
    ret
.Ltinyad_row:
    movw   r30, r12
    lpm    r18, Z+
    lpm    r19, Z+
    lpm    r20, Z+
    lpm    r21, Z+
    movw   r12, r30
    ldd    r30, Y+7
    ldd    r31, Y+8
    lpm    r16, Z
    adiw   r30, 4
    std    Y+7, r30
    std    Y+8, r31
    rcall  .Ltinyad_core
.Ltinyad_row_out:
    mov    r0, r7
    lsl    r0
    sbc    r0, r0
    cp     r8, r0
    cpc    r9, r0
    breq   .Ltinyad_in16
    ldi    r22, 0xFF
    ldi    r23, 0x01
    sbrs   r9, 7
    rjmp   .Ltinyad_big
    ldi    r22, 0x00
    ldi    r23, 0xFE
.Ltinyad_big:
    movw   r6, r22
.Ltinyad_in16:
    ldd    r22, Y+13
    mov    r23, r22
    lsl    r23
    sbc    r23, r23
    add    r6, r22
    adc    r7, r23
    ldd    r22, Y+15
    mov    r23, r22
    lsl    r23
    sbc    r23, r23
    cp     r6, r22
    cpc    r7, r23
    brge   .Ltinyad_above
    movw   r6, r22
.Ltinyad_above:
    ldi    r22, 127
    cp     r22, r6
    cpc    r15, r7
    brge   .Ltinyad_below
    mov    r6, r22
.Ltinyad_below:
    st     X+, r6
    ret
/* requantization core: acc r22-r25, M r18-r21, shift r16 -> r6-r9; uses r2-r11, r16, r30, r31 */
.Ltinyad_core:
    tst    r16
    breq   2f
    brmi   1f
0:
    lsl    r22
    rol    r23
    rol    r24
    rol    r25
    dec    r16
    brne   0b
    rjmp   2f
1:
    neg    r16
2:
    mov    r0, r24
    lsl    r0
    sbc    r0, r0
    cp     r0, r25
    breq   3f
    rjmp   .Ltinyad_full
3:
    tinyad_avr_mul24x32
    clr    r9
    sbrs   r24, 7
    rjmp   .Ltinyad_plus
    sub    r5, r18
    sbc    r6, r19
    sbc    r7, r20
    sbc    r8, r21
    sbc    r9, r15
    rjmp   .Ltinyad_plus
.Ltinyad_full:
    tinyad_avr_mul24x32
    clr    r9
    mul    r25, r18
    add    r5, r0
    adc    r6, r1
    adc    r7, r15
    adc    r8, r15
    adc    r9, r15
    mul    r25, r19
    add    r6, r0
    adc    r7, r1
    adc    r8, r15
    adc    r9, r15
    mul    r25, r20
    add    r7, r0
    adc    r8, r1
    adc    r9, r15
    mul    r25, r21
    add    r8, r0
    adc    r9, r1
    sbrs   r25, 7
    rjmp   .Ltinyad_plus
    sub    r6, r18
    sbc    r7, r19
    sbc    r8, r20
    sbc    r9, r21
.Ltinyad_plus:
    ldi    r22, 0x40
    add    r5, r22
    adc    r6, r15
    adc    r7, r15
    adc    r8, r15
    adc    r9, r15
    lsl    r5
    rol    r6
    rol    r7
    rol    r8
    rol    r9
    tst    r16
    breq   .Ltinyad_core_end
    dec    r16
    clr    r11
4:
    cpi    r16, 8
    brlo   5f
    or     r11, r6
    mov    r6, r7
    mov    r7, r8
    mov    r8, r9
    lsl    r9
    sbc    r9, r9
    subi   r16, 8
    rjmp   4b
5:
    tst    r16
    breq   6f
    ldi    r30, lo8(tinyad_avr_pow2)
    ldi    r31, hi8(tinyad_avr_pow2)
    add    r30, r16
    adc    r31, r15
    lpm    r10, Z
    mul    r6, r10
    or     r11, r0
    mov    r2, r1
    mul    r7, r10
    add    r2, r0
    mov    r3, r1
    adc    r3, r15
    mul    r8, r10
    add    r3, r0
    mov    r4, r1
    adc    r4, r15
    mul    r9, r10
    add    r4, r0
    mov    r5, r1
    adc    r5, r15
    sbrc   r9, 7
    sub    r5, r10
    movw   r6, r2
    movw   r8, r4
6:
    asr    r9
    ror    r8
    ror    r7
    ror    r6
    brcc   .Ltinyad_core_end
    sbrs   r9, 7
    rjmp   7f
    tst    r11
    breq   .Ltinyad_core_end
7:
    sec
    adc    r6, r15
    adc    r7, r15
    adc    r8, r15
    adc    r9, r15
.Ltinyad_core_end:
    ret
.size tinyad_dense_s8, .-tinyad_dense_s8
.section .text.tinyad_avr_requant,"ax",@progbits
.global tinyad_avr_requant
.type tinyad_avr_requant, @function
tinyad_avr_requant:
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
    push   r15
    push   r16
    clr    r15
    rcall  .Ltinyad_core
    movw   r22, r6
    movw   r24, r8
    pop    r16
    pop    r15
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
    clr    r1
    ret
.size tinyad_avr_requant, .-tinyad_avr_requant
.purgem tinyad_avr_pair
.purgem tinyad_avr_row
.purgem tinyad_avr_addacc
.purgem tinyad_avr_add7
.purgem tinyad_avr_mul24x32
.purgem tinyad_avr_step
.purgem tinyad_avr_rows4

    .text
#endif /* TINYAD_ASM_AVR */

/* an empty object on hosts: no executable stack */
#if defined(__linux__) && defined(__ELF__)
    .section .note.GNU-stack,"",%progbits
#endif
