/* SPDX-License-Identifier: Apache-2.0 */
/* tinyad live sampling: the ring the sampling interrupt fills and the windows the main loop takes from it. */
#include "tinyad_live.h"

void tinyad_live_init(tinyad_live_t *l, int16_t *ring, uint16_t ring_frames, uint16_t channels,
                      uint16_t window, uint16_t hop)
{
    l->ring = ring;
    l->ring_frames = ring_frames;
    l->channels = channels;
    l->window = window;
    l->hop = hop;
    tinyad_live_restart(l);
}

void tinyad_live_restart(tinyad_live_t *l)
{
    l->head = 0;
    l->written = 0;
    l->missed = 0;
    l->next_window = 0;
    l->next_start = 0;
    l->next_frame = 0;
    l->windows = 0;
    l->overruns = 0;
    l->skipped = 0;
}

int16_t *tinyad_live_slot(tinyad_live_t *l)
{
    return l->ring + (uint32_t)l->head * l->channels;
}

void tinyad_live_commit(tinyad_live_t *l)
{
    uint16_t head = (uint16_t)(l->head + 1u);
    l->head = head == l->ring_frames ? 0u : head;
    l->written = l->written + 1u;
}

void tinyad_live_miss(tinyad_live_t *l)
{
    l->missed = l->missed + 1u;
}

/*
 * A uint32 the interrupt may change between the bytes of one read (AVR reads it a byte at a time): read it
 * until two reads agree. An increment always changes the low byte, so a torn read never equals the next one.
 */
uint32_t tinyad_live_written(const tinyad_live_t *l)
{
    uint32_t a, b;
    do {
        a = l->written;
        b = l->written;
    } while (a != b);
    return a;
}

/* Copies `frames` frames starting at frame `first` out of the ring; 1 when none was overwritten meanwhile. */
static uint8_t copy_frames(const tinyad_live_t *l, uint32_t first, uint16_t frames, int16_t *out)
{
    uint16_t slot = (uint16_t)(first % l->ring_frames);
    uint16_t t, c;
    for (t = 0; t < frames; t++) {
        const int16_t *src = l->ring + (uint32_t)slot * l->channels;
        for (c = 0; c < l->channels; c++) *out++ = src[c];
        if (++slot == l->ring_frames) slot = 0;
    }
    /* frame `first` survives while fewer than ring_frames frames were stored after it */
    return (uint32_t)(tinyad_live_written(l) - first) <= l->ring_frames ? 1u : 0u;
}

uint8_t tinyad_live_take_window(tinyad_live_t *l, int16_t *out, uint32_t *index)
{
    uint32_t written = tinyad_live_written(l);
    uint32_t have = written - l->next_start;   /* frames stored from the next window's start on */
    if (have < l->window) return 0;
    if (have > l->ring_frames) {
        /* too late for it: jump to the newest complete window, whose frames are all still held */
        const uint32_t behind = (have - l->window) / l->hop;
        l->next_window += behind;
        l->next_start += behind * l->hop;
        l->skipped += behind;
    }
    if (!copy_frames(l, l->next_start, l->window, out)) {
        /* overwritten while copying: this window is lost; the next poll tries the one after it */
        l->next_window++;
        l->next_start += l->hop;
        l->skipped++;
        return 0;
    }
    *index = l->next_window++;
    l->next_start += l->hop;
    return 1;
}

void tinyad_live_finish_window(tinyad_live_t *l)
{
    /* next_start is the following window's first frame: it was due when its last frame arrived */
    const uint32_t have = tinyad_live_written(l) - l->next_start;
    l->windows++;
    if (have >= l->window) l->overruns++;
}

uint8_t tinyad_live_take_frame(tinyad_live_t *l, int16_t *out, uint32_t *index)
{
    uint32_t have = tinyad_live_written(l) - l->next_frame;
    if (have == 0u) return 0;
    if (have > l->ring_frames) {
        l->skipped += have - l->ring_frames;
        l->next_frame += have - l->ring_frames;
    }
    if (!copy_frames(l, l->next_frame, 1u, out)) {
        l->next_frame++;
        l->skipped++;
        return 0;
    }
    *index = l->next_frame++;
    return 1;
}
