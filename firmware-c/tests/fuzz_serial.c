/*
 * libFuzzer harness for the device's line parser: arbitrary bytes must never crash it, overrun a buffer
 * or trip UBSan, and every non-blank line gets exactly one framed answer.
 *   make fuzz FUZZ_SECONDS=60      (clang with -fsanitize=fuzzer,address,undefined)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "tinyad_serial.h"

static int32_t sum_score(const int8_t *input)
{
    int32_t s = 0;
    uint8_t i;
    for (i = 0; i < 4; i++) s += input[i];
    return s;
}

static size_t written;
static void sink(void *port, const char *data, uint16_t len)
{
    (void)port;
    /* every answer is a complete framed line */
    if (len < 6 || data[len - 1] != '\n' || data[len - 6] != '*') abort();
    written += len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const tinyad_model_t model = {"fuzz", "0000000000000000", 4, 0, sum_score};
    char line[TINYAD_SERIAL_LINE_CAP(4)];
    int8_t input[4];
    tinyad_serial_t s;
    size_t i;
    tinyad_serial_init(&s, &model, line, (uint16_t)sizeof line, input, sink, 0);
    for (i = 0; i < size; i++) {
        /* keep generated load small: a fuzzer-made "G 2000000000" would only measure patience */
        if (s.line_len >= 2 && line[0] == 'G') {
            if (s.line_len > 6) s.line_len = 6;
        }
        tinyad_serial_feed(&s, (char)data[i]);
    }
    return 0;
}
