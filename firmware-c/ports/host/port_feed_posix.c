/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host (POSIX): an emulated sensor for the live app on a PC, the host's counterpart of ports/mps2/port_feed.c.
 * An interval timer (setitimer, SIGALRM) ticks at the sample rate; each tick reads the next frame from the file
 * tinyad_feed.bin in the working directory (one little-endian int16 per channel, frame after frame). When the
 * feed ends sampling stops, and 64 ticks later the program exits (0); every score line is out by then (the stdio
 * port flushes each line). The main loop reads stdin without blocking (poll).
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

#include "tinyad_port.h"

#define FEED_END_TICKS 64u
#define MAX_CHANNELS 16u

static tinyad_live_t *volatile sampling_live;
static int feed_fd = -1;
static volatile sig_atomic_t ticks_after_end;
static int stdin_ended;

static void on_tick(int sig)
{
    tinyad_live_t *live = sampling_live;
    unsigned char bytes[2u * MAX_CHANNELS];
    uint16_t c;
    (void)sig;
    if (live == 0) return;
    if (ticks_after_end > 0) {
        if (++ticks_after_end > (sig_atomic_t)FEED_END_TICKS) _exit(0);
        return;
    }
    if (read(feed_fd, bytes, 2u * live->channels) != (ssize_t)(2u * live->channels)) {
        ticks_after_end = 1;
        return;
    }
    for (c = 0; c < live->channels; c++)
        tinyad_live_slot(live)[c] = (int16_t)(uint16_t)((uint16_t)bytes[2u * c] | (uint16_t)((uint16_t)bytes[2u * c + 1u] << 8));
    tinyad_live_commit(live);
}

int tinyad_port_try_getc(void)
{
    struct pollfd p;
    unsigned char ch;
    if (stdin_ended) return -1;
    p.fd = 0;
    p.events = POLLIN;
    p.revents = 0;
    if (poll(&p, 1, 0) <= 0) return -1;
    if (read(0, &ch, 1) != 1) {
        stdin_ended = 1;   /* a host that hung up: the board goes on sampling */
        return -1;
    }
    return (int)ch;
}

int tinyad_port_sampling(tinyad_live_t *live, uint32_t rate_millihz, uint8_t on)
{
    struct itimerval t;
    struct sigaction sa;
    uint64_t period_us;
    t.it_interval.tv_sec = 0;
    t.it_interval.tv_usec = 0;
    t.it_value = t.it_interval;
    setitimer(ITIMER_REAL, &t, 0);
    sampling_live = 0;
    if (!on) return 0;
    period_us = rate_millihz ? ((uint64_t)1000000000u + rate_millihz / 2u) / rate_millihz : 0u;
    if (period_us == 0u || live->channels > MAX_CHANNELS) return -1;
    if (feed_fd < 0) feed_fd = open("tinyad_feed.bin", O_RDONLY);
    if (feed_fd < 0) return -1;
    sa.sa_handler = on_tick;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, 0);
    sampling_live = live;
    t.it_interval.tv_sec = (time_t)(period_us / 1000000u);
    t.it_interval.tv_usec = (suseconds_t)(period_us % 1000000u);
    t.it_value = t.it_interval;
    setitimer(ITIMER_REAL, &t, 0);
    return 0;
}
