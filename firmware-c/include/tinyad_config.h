/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tinyad runtime configuration: which kernel each target builds. Included by the runtime's C and assembly
 * sources and by tinyad.h (preprocessor only: the assembly includes it too).
 *
 *   TINYAD_NO_ASM     portable C kernels on every target; the tests build it beside the assembly and use it
 *                     as the oracle the assembly is checked against (TINYAD_NO_SIMD is the older name)
 *   TINYAD_ASM_M4     Cortex-M4/M7 (DSP extension, Thumb-2, GCC or Clang): src/tinyad_dense_m4.S
 *   TINYAD_ASM_AVR    ATmega with a hardware multiplier (avr-gcc): src/tinyad_dense_avr.S, tinyad_sqdiff_avr.S, tinyad_features_avr.S
 *   TINYAD_SRDHM_32BIT fixed-point primitives without 64-bit products (AVR default; -DTINYAD_SRDHM_64BIT
 *                     keeps the 64-bit form there, -DTINYAD_SRDHM_32BIT selects it anywhere)
 */
#ifndef TINYAD_CONFIG_H
#define TINYAD_CONFIG_H

/* A copy of the runtime inside a library (the Arduino export) renames its global symbols to the library's own, so
   that two libraries, each with its copy, link into one program: tinyad_prefix.h is written beside it then. */
#ifdef TINYAD_PREFIXED
#include "tinyad_prefix.h"
#endif

#if defined(TINYAD_NO_SIMD) && !defined(TINYAD_NO_ASM)
#define TINYAD_NO_ASM 1
#endif

#if !defined(TINYAD_NO_ASM) && defined(__GNUC__)
#if defined(__ARM_FEATURE_DSP) && defined(__thumb2__)
#define TINYAD_ASM_M4 1
#elif defined(__AVR__) && defined(__AVR_HAVE_MUL__) && !defined(__AVR_XMEGA__)
#define TINYAD_ASM_AVR 1
#endif
#endif

/* A function kept out of its callers: its stack frame then exists only while it runs, not for the caller's whole
   call (what keeps the deepest path of the live app within an ATmega328P's 2 KB). */
#if defined(__GNUC__)
#define TINYAD_NOINLINE __attribute__((noinline))
#else
#define TINYAD_NOINLINE
#endif

#if defined(__AVR__) && !defined(TINYAD_SRDHM_64BIT) && !defined(TINYAD_SRDHM_32BIT)
#define TINYAD_SRDHM_32BIT 1
#endif

/*
 * Byte offsets of the tinyad_dense_t fields the assembly reads (tinyad.h), for 16- and 32-bit pointers;
 * tinyad_dense.c checks each against offsetof, so a change of the struct that the assembly does not follow
 * fails to compile (on every 16- and 32-bit target, with or without the assembly).
 */
#if defined(__SIZEOF_POINTER__) && __SIZEOF_POINTER__ == 2 /* AVR */
#define TINYAD_DENSE_WEIGHTS 0
#define TINYAD_DENSE_BIAS 2
#define TINYAD_DENSE_MULTIPLIER 4
#define TINYAD_DENSE_SHIFT 6
#define TINYAD_DENSE_INPUT_LEN 8
#define TINYAD_DENSE_OUTPUT_LEN 10
#define TINYAD_DENSE_OUTPUT_ZERO_POINT 12
#define TINYAD_DENSE_ACTIVATION_MIN 14
#define TINYAD_DENSE_AVR_PLAN 16
#define TINYAD_DENSE_PER_TENSOR 18
#elif defined(__SIZEOF_POINTER__) && __SIZEOF_POINTER__ == 4 /* Cortex-M */
#define TINYAD_DENSE_WEIGHTS 0
#define TINYAD_DENSE_BIAS 4
#define TINYAD_DENSE_MULTIPLIER 8
#define TINYAD_DENSE_SHIFT 12
#define TINYAD_DENSE_INPUT_LEN 16
#define TINYAD_DENSE_OUTPUT_LEN 18
#define TINYAD_DENSE_OUTPUT_ZERO_POINT 20
#define TINYAD_DENSE_ACTIVATION_MIN 22
#define TINYAD_DENSE_AVR_PLAN 24
#define TINYAD_DENSE_PER_TENSOR 28
#endif

#endif /* TINYAD_CONFIG_H */
