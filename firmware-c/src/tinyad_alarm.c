/* SPDX-License-Identifier: Apache-2.0 */
/* tinyad alarm rule (include/tinyad_alarm.h): k of n onset, hold-off, re-arm below a lower threshold. */
#include "tinyad_alarm.h"

void tinyad_alarm_init(tinyad_alarm_t *a, const tinyad_alarm_config_t *config)
{
    a->config = *config;
    /* a config the generator did not write (zeros from an older descriptor) runs as k = n = 1 */
    if (a->config.n < 1u || a->config.n > 32u) a->config.n = 1u;
    if (a->config.k < 1u) a->config.k = 1u;
    if (a->config.k > a->config.n) a->config.k = a->config.n;
    a->history = 0;
    a->count = 0;
    a->active = 0;
    a->hold = 0;
    a->peak = 0;
}

uint8_t tinyad_alarm_update(tinyad_alarm_t *a, int32_t score)
{
    const uint8_t n = a->config.n;
    const uint32_t mask = n >= 32u ? 0xFFFFFFFFUL : (((uint32_t)1 << n) - 1u);
    const uint8_t over = score > a->config.threshold ? 1u : 0u;
    const uint8_t oldest = (uint8_t)((a->history >> (n - 1u)) & 1u);
    a->history = ((a->history << 1) | over) & mask;
    a->count = (uint8_t)(a->count + over - oldest);
    if (a->active) {
        if (score > a->peak) a->peak = score;
        if (a->hold > 0u) {
            a->hold--;
            return TINYAD_ALARM_NONE;
        }
        if (score <= a->config.rearm) {
            a->active = 0;
            a->history = 0;
            a->count = 0;
            return TINYAD_ALARM_END;
        }
        return TINYAD_ALARM_NONE;
    }
    if (a->count >= a->config.k) {
        a->active = 1;
        a->peak = score;
        a->hold = a->config.holdoff;
        return TINYAD_ALARM_START;
    }
    return TINYAD_ALARM_NONE;
}
