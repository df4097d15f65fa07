/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tinyad alarm rule: between the score and the alarm an operator sees (docs/alarms.md). Integer-only state
 * in a struct the caller owns; the Java reference is tinyad.model.AlarmRule, and the tests check both give
 * the same alarm state and events for every score.
 *
 *   onset:      while idle, an event starts at the window where at least k of the last n windows
 *               (this one included) scored > threshold
 *   hold-off:   the event cannot end during the `holdoff` windows after its start
 *   hysteresis: after the hold-off the event ends at the first window scoring <= rearm; the rule re-arms
 *               there with an empty history, so a new onset needs k fresh windows over the threshold
 */
#ifndef TINYAD_ALARM_H
#define TINYAD_ALARM_H

#include <stdint.h>
#include "tinyad_config.h"   /* (the Arduino library renames the runtime's symbols there) */

#ifdef __cplusplus
extern "C" {
#endif

#define TINYAD_ALARM_NONE 0u
#define TINYAD_ALARM_START 1u
#define TINYAD_ALARM_END 2u

typedef struct {
    int32_t threshold;   /* a window is over when score > threshold */
    int32_t rearm;       /* after the hold-off, the event ends at the first score <= rearm */
    uint16_t holdoff;    /* windows after the start during which the event cannot end */
    uint8_t k;           /* onset: k of the last n windows over the threshold, 1 <= k <= n <= 32 */
    uint8_t n;
} tinyad_alarm_config_t;

typedef struct {
    tinyad_alarm_config_t config;
    uint32_t history;    /* bit i: window now - i was over the threshold (n bits) */
    uint8_t count;       /* bits set in history */
    uint8_t active;      /* an event is open: the alarm is on */
    uint16_t hold;       /* hold-off windows left */
    int32_t peak;        /* highest score of the open (or last) event */
} tinyad_alarm_t;

/* Idle, empty history; the config is copied (a later T command changes the copy's threshold). */
void tinyad_alarm_init(tinyad_alarm_t *a, const tinyad_alarm_config_t *config);

/* Feeds one score: TINYAD_ALARM_START, TINYAD_ALARM_END or TINYAD_ALARM_NONE. a->active is the alarm after it. */
uint8_t tinyad_alarm_update(tinyad_alarm_t *a, int32_t score);

#ifdef __cplusplus
}
#endif
#endif /* TINYAD_ALARM_H */
