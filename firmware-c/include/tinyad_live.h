/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tinyad live sampling: a ring of int16 sample frames that the port's sampling interrupt fills at a fixed
 * rate, and the schedule that cuts it into the model's windows every hop (live mode) or hands it out frame
 * by frame (raw mode). Spec: docs/serial-protocol.md, "Live and raw modes".
 *
 * One writer (the interrupt: tinyad_live_slot + tinyad_live_commit) and one reader (the main loop:
 * tinyad_live_take_window / tinyad_live_take_frame). The interrupt never waits for the reader: it always
 * stores the newest frame, overwriting the oldest, so sampling keeps its rate whatever the main loop does.
 * The reader checks after copying that what it copied was not overwritten meanwhile, and skips (and
 * counts) windows or frames it was too late for. Frame and window indices are uint32 and compared by
 * wrap-safe differences, so 2^32 frames (49 days at 1 kHz) wrap without a glitch.
 *
 * Window n holds frames n*hop .. n*hop + window - 1 counted from the last tinyad_live_restart, sample-major
 * (frame t, channel c at t * channels + c): exactly what the Java reference cuts from the same samples.
 */
#ifndef TINYAD_LIVE_H
#define TINYAD_LIVE_H

#include <stdint.h>
#include "tinyad_config.h"   /* (the Arduino library renames the runtime's symbols there) */

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int16_t *ring;               /* ring_frames * channels counts, frame-major */
    uint16_t ring_frames;        /* >= window + hop */
    uint16_t channels;
    uint16_t window;
    uint16_t hop;
    volatile uint16_t head;      /* slot of the next frame (= written % ring_frames) */
    volatile uint32_t written;   /* frames stored since the restart */
    volatile uint32_t missed;    /* sampling ticks the port could not take (its previous frame unfinished) */
    uint32_t next_window;        /* live: index of the next window to score */
    uint32_t next_start;         /* live: its first frame */
    uint32_t next_frame;         /* raw: the next frame to hand out */
    uint32_t windows;            /* live: windows scored */
    uint32_t overruns;           /* live: windows finished when the next one was already due */
    uint32_t skipped;            /* live: windows, raw: frames, overwritten before the reader took them */
} tinyad_live_t;

/* ring_frames >= window + hop; 1 <= hop <= window. Counters and indices start at 0. */
void tinyad_live_init(tinyad_live_t *l, int16_t *ring, uint16_t ring_frames, uint16_t channels,
                      uint16_t window, uint16_t hop);

/* Everything back to 0. Call with sampling stopped (or its interrupt masked). */
void tinyad_live_restart(tinyad_live_t *l);

/* Interrupt side: where the next frame's channels go, then commit it. */
int16_t *tinyad_live_slot(tinyad_live_t *l);
void tinyad_live_commit(tinyad_live_t *l);

/* Interrupt side: a sampling tick that found the previous frame unfinished. */
void tinyad_live_miss(tinyad_live_t *l);

/* The number of frames stored since the restart, read consistently from the main loop. */
uint32_t tinyad_live_written(const tinyad_live_t *l);

/*
 * Live: when the next window is complete, copies it into out (window * channels counts), stores its index
 * and returns 1; returns 0 when it is not complete yet. Windows whose first frame the ring no longer holds
 * are skipped and counted.
 */
uint8_t tinyad_live_take_window(tinyad_live_t *l, int16_t *out, uint32_t *index);

/* Live: the window taken last is scored; an overrun when the one after it was already complete. */
void tinyad_live_finish_window(tinyad_live_t *l);

/* Raw: the next frame (channels counts) and its index; 0 when there is none yet. */
uint8_t tinyad_live_take_frame(tinyad_live_t *l, int16_t *out, uint32_t *index);

#ifdef __cplusplus
}
#endif
#endif /* TINYAD_LIVE_H */
