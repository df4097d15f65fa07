/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The serial application: announces the model, then answers protocol lines forever (docs/serial-protocol.md).
 * tinyad_app_model.h is generated next to the model and names it (TINYAD_APP_MODEL, TINYAD_APP_INPUT_LEN, ...),
 * so this file is the same for every model and every target.
 *
 * Built with -DTINYAD_APP_LIVE (and a port that samples, e.g. ports/avr/port_adc.c) it also has the live and
 * raw modes: the port's timer samples every channel into a ring at the model's rate, and the main loop scores
 * a window every hop between received bytes. It starts in TINYAD_APP_BOOT_MODE (live unless told otherwise),
 * so a board on its own raises alarms; a host switches modes with M.
 */
#include "tinyad_serial.h"
#include "tinyad_port.h"
#include "tinyad_app_model.h"

/* C99 has no static_assert: an array of size -1 stops the build if the line buffer outgrows its uint16_t. */
typedef char tinyad_line_cap_fits_uint16[(TINYAD_SERIAL_LINE_CAP(TINYAD_APP_INPUT_LEN) <= 65535UL) ? 1 : -1];

#ifdef TINYAD_APP_LIVE
#ifndef TINYAD_APP_FEATURES
#error "live mode needs the model's integer feature function (re-export the model with this tinyad)"
#endif
#ifndef TINYAD_APP_SAMPLE_RATE_MILLIHZ
#error "live mode needs the model's sample rate: TINYAD_APP_SAMPLE_RATE_MILLIHZ (tinyad export --sample-rate)"
#endif
#ifndef TINYAD_APP_BOOT_MODE
#define TINYAD_APP_BOOT_MODE TINYAD_MODE_LIVE
#endif
/* Two hops of slack: a window may finish up to a hop late before the next one's samples are overwritten. */
#define TINYAD_APP_RING_FRAMES (TINYAD_APP_WINDOW + 2u * TINYAD_APP_HOP)
typedef char tinyad_ring_fits_uint16[(TINYAD_APP_RING_FRAMES <= 65535UL) ? 1 : -1];
typedef char tinyad_channels_fit_raw_lines[(TINYAD_APP_CHANNELS <= TINYAD_SERIAL_MAX_CHANNELS) ? 1 : -1];
static int16_t ring[TINYAD_APP_RING_FRAMES * TINYAD_APP_CHANNELS];
static int16_t window[TINYAD_APP_WINDOW * TINYAD_APP_CHANNELS];
static tinyad_live_t live;
#ifdef TINYAD_APP_LEARN
/* On-device learning (tinyad export --learn): the state, sized at compile time; a learned state in the port's store
   is used at boot, else the device learns from its first live windows and stores the result. */
static TINYAD_APP_LEARN learn;
#endif
#endif

/* The app: it returns only when a host build's input ends. A build that starts it from elsewhere (an Arduino
   sketch's setup()) defines TINYAD_APP_NO_MAIN. */
void tinyad_app_run(void);

void tinyad_app_run(void)
{
    static char line[TINYAD_SERIAL_LINE_CAP(TINYAD_APP_INPUT_LEN)];
    static int8_t input[TINYAD_APP_INPUT_LEN];
    static tinyad_serial_t session;
    int c;

    tinyad_port_init();
    tinyad_serial_init(&session, &TINYAD_APP_MODEL, line, (uint16_t)sizeof line, input, tinyad_port_write, 0);
#ifdef TINYAD_APP_LIVE
    tinyad_live_init(&live, ring, (uint16_t)TINYAD_APP_RING_FRAMES, TINYAD_APP_CHANNELS, TINYAD_APP_WINDOW, TINYAD_APP_HOP);
    (void)tinyad_serial_attach_live(&session, &live, TINYAD_APP_FEATURES, window, tinyad_port_sampling,
                                    TINYAD_APP_SAMPLE_RATE_MILLIHZ);
#ifdef TINYAD_APP_LEARN
    TINYAD_APP_LEARN_INIT(&learn);
    {
        const int loaded = tinyad_serial_attach_learn(&session, &learn.state, tinyad_port_store_read, tinyad_port_store_write);
        tinyad_serial_hello(&session);
        tinyad_serial_learn_status(&session, loaded);
    }
#else
    tinyad_serial_hello(&session);
#endif
    (void)tinyad_serial_set_mode(&session, TINYAD_APP_BOOT_MODE);
    for (;;) {
        while ((c = tinyad_port_try_getc()) >= 0) tinyad_serial_feed(&session, (char)c);
        tinyad_serial_poll(&session);
    }
#else
    tinyad_serial_hello(&session);
    while ((c = tinyad_port_getc()) >= 0) {
        tinyad_serial_feed(&session, (char)c);
    }
#endif
}

#ifndef TINYAD_APP_NO_MAIN
int main(void)
{
    tinyad_app_run();
    return 0;
}
#endif
