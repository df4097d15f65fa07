/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer harness for the device's line parser: arbitrary bytes must never crash it, overrun a buffer
 * or trip UBSan; every answer is a framed line with a correct CRC; and every non-blank line gets exactly one
 * answer, except a valid "G n", which gets exactly n score lines.
 *   make fuzz FUZZ_SECONDS=60      (clang with -fsanitize=fuzzer,address,undefined; built with FUZZ_INPUTS 4 and 256)
 * The harness keeps its own copy of each line, assembled by the protocol's rules (docs/serial-protocol.md), not
 * by reading the session's state, so the count it expects does not come from the code under test.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tinyad_serial.h"

#ifndef FUZZ_INPUTS
#define FUZZ_INPUTS 4
#endif
#define CAP TINYAD_SERIAL_LINE_CAP(FUZZ_INPUTS)

static int32_t sum_score(const int8_t *input)
{
    int32_t s = 0;
    uint16_t i;
    for (i = 0; i < FUZZ_INPUTS; i++) s += input[i];
    return s;
}

static unsigned long answers, score_answers, event_answers;
static void sink(void *port, const char *data, uint16_t len)
{
    char hex[5];
    static const char digits[] = "0123456789ABCDEF";
    uint16_t crc;
    (void)port;
    /* one complete framed line per write: payload, '*', 4 hex digits of its CRC, '\n' */
    if (len < 6 || data[len - 1] != '\n' || data[len - 6] != '*') abort();
    if (memchr(data, '\n', (size_t)(len - 1)) != NULL) abort();
    crc = tinyad_crc16(data, (uint16_t)(len - 6));
    hex[0] = digits[(crc >> 12) & 0xF];
    hex[1] = digits[(crc >> 8) & 0xF];
    hex[2] = digits[(crc >> 4) & 0xF];
    hex[3] = digits[crc & 0xF];
    if (memcmp(hex, data + len - 5, 4) != 0) abort();
    answers++;
    if (data[0] == 'S') score_answers++;
    if (data[0] == 'A') event_answers++;
}

/* The count of a "G <n>*CRC" line, if its frame and number are valid by the spec; else -1. */
static long g_count(const char *line, size_t len)
{
    long n = 0;
    size_t i;
    if (len < 8 || line[0] != 'G' || line[1] != ' ' || line[len - 5] != '*') return -1;
    for (i = 2; i < len - 5; i++) {
        if (line[i] < '0' || line[i] > '9' || n > 1000000L) return -1;
        n = n * 10 + (line[i] - '0');
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const tinyad_model_t model = {"fuzz", "0000000000000000", FUZZ_INPUTS, 0, sum_score, {0, -5, 3, 2, 4}};
    static char line[CAP];
    static char copy[CAP];
    static int8_t input[FUZZ_INPUTS];
    tinyad_serial_t s;
    size_t i, len = 0;
    int overflow = 0;
    tinyad_serial_init(&s, &model, line, (uint16_t)sizeof line, input, sink, 0);
    for (i = 0; i < size; i++) {
        const char c = (char)data[i];
        unsigned long before = answers, scores_before = score_answers, events_before = event_answers;
        tinyad_serial_feed(&s, c);
        if (c != '\n') {
            if (len < CAP) copy[len++] = c;
            else overflow = 1;
            if (answers != before) abort();   /* answers come only at the end of a line */
            continue;
        }
        {
            size_t n = len;
            unsigned long got = answers - before, scores = score_answers - scores_before;
            const unsigned long events = event_answers - events_before;
            /* protocol 2 ("V 2"): an alarm event line may follow a score line, never anything else */
            if (events > scores) abort();
            got -= events;
            long g;
            if (!overflow && n > 0 && copy[n - 1] == '\r') n--;
            g = overflow ? -1 : g_count(copy, n);
            if (!overflow && n == 0) {
                if (got != 0) abort();   /* blank lines are not answered */
            } else if (g >= 1 && g <= 64 && scores > 0) {
                if (got != (unsigned long)g || scores != got) abort();   /* valid G n: exactly n scores */
            } else if (got != 1) {
                abort();   /* every other non-blank line: exactly one answer */
            }
        }
        len = 0;
        overflow = 0;
    }
    return 0;
}
