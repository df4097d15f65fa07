/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tinyad serial protocol, device side (spec: docs/serial-protocol.md).
 *
 * ASCII lines "<payload>*<CRC>\n", CRC = CRC-16/CCITT-FALSE of the payload as 4 upper-case hex digits.
 * The session owns no memory: the caller passes the line and input buffers (sizes known at compile
 * time) and a write function for its port.
 */
#ifndef TINYAD_SERIAL_H
#define TINYAD_SERIAL_H

#include <stdint.h>
#include "tinyad.h"
#include "tinyad_live.h"
#include "tinyad_learn.h"

/* The highest protocol version the device speaks; it answers in version 1 until a host asks for 2 with "V 2".
   Version 3 adds the modes (M, Q; D lines): a version 1 or 2 host never sends M, so a device that boots in
   replay mode answers it as before, and one that boots live refuses its windows with "E mode". */
#define TINYAD_PROTOCOL_VERSION 3

/* Modes (docs/serial-protocol.md): replay scores the host's windows; live scores the device's own samples;
   raw streams them. */
#define TINYAD_MODE_REPLAY 0u
#define TINYAD_MODE_LIVE 1u
#define TINYAD_MODE_RAW 2u

/* Most channels a raw-mode D line carries (its buffer is sized for them). */
#define TINYAD_SERIAL_MAX_CHANNELS 8u

/* Live mode sends a Q status line after every this many windows (and raw mode after 8 times as many frames). */
#ifndef TINYAD_SERIAL_STATUS_EVERY
#define TINYAD_SERIAL_STATUS_EVERY 32u
#endif
/* Longest host line for a model with n inputs: "W " + 2n hex digits + "*CRC" + slack for "\r". Computed in
   unsigned long: in 16-bit unsigned int (AVR) it would wrap for large n. The app checks it fits line_cap's
   uint16_t at compile time; tinyad export refuses models whose buffers do not fit (tinyad.codegen.FirmwareLimits). */
#define TINYAD_SERIAL_LINE_CAP(n) (2UL * (unsigned long)(n) + 16UL)

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*tinyad_write_fn)(void *port, const char *data, uint16_t len);
/* The port's sampling: on at rate_millihz samples per 1000 s into live's ring (0), or off (0); -1 when the
   port cannot sample at that rate (sampling stays off). */
typedef int (*tinyad_sampling_fn)(tinyad_live_t *live, uint32_t rate_millihz, uint8_t on);
/* The model's integer features: a window of counts to its int8 inputs. */
typedef void (*tinyad_features_fn)(const int16_t *window, int8_t *input);

typedef struct {
    const tinyad_model_t *model;
    tinyad_write_fn write;
    void *port;
    char *line;            /* line_cap bytes */
    uint16_t line_cap;
    uint16_t line_len;
    uint8_t overflow;      /* the current line outgrew line_cap; discard it up to '\n' */
    int8_t *input;         /* model->input_len bytes */
    uint32_t seq;          /* sequence number of the next score line */
    int32_t threshold;
    uint8_t version;       /* protocol version of the lines sent: 1 after boot, 2 after "V 2" */
    tinyad_alarm_t alarm;  /* the model's alarm rule, run on every score (reset by R) */
    uint8_t mode;          /* TINYAD_MODE_*; replay unless tinyad_serial_attach_live was called */
    tinyad_live_t *live;   /* NULL: replay only */
    tinyad_features_fn features;
    int16_t *window;       /* live->window * live->channels counts */
    tinyad_sampling_fn sampling;
    uint32_t rate_millihz;
    uint32_t status_due;   /* windows (live) or frames (raw) until the next Q line */
    tinyad_learn_t *learn; /* NULL: the shipped model only; else it scores with what was learned */
    tinyad_store_write_fn store_write;   /* where learning's result is kept (NULL: not kept) */
    uint32_t learn_due;    /* learning windows until the next L progress line */
} tinyad_serial_t;

uint16_t tinyad_crc16(const char *data, uint16_t len);

void tinyad_serial_init(tinyad_serial_t *s, const tinyad_model_t *model, char *line, uint16_t line_cap,
                        int8_t *input, tinyad_write_fn write, void *port);

/* Announces the device: "H <protocol> <model> <hash> <input_len> <threshold> <next_seq>". */
void tinyad_serial_hello(tinyad_serial_t *s);

/* Feeds one received byte; a complete line is executed and answered. */
void tinyad_serial_feed(tinyad_serial_t *s, char c);

/*
 * Gives the session the live and raw modes: the port's sampling, the model's features and a window buffer
 * (live->window * live->channels counts). Returns 0, or -1 when live has more than TINYAD_SERIAL_MAX_CHANNELS
 * channels or features is NULL.
 */
int tinyad_serial_attach_live(tinyad_serial_t *s, tinyad_live_t *live, tinyad_features_fn features, int16_t *window,
                              tinyad_sampling_fn sampling, uint32_t rate_millihz);

/*
 * Gives the session on-device learning (tinyad_learn.h; the state initialised by the model's <name>_learn_init,
 * which starts learning): a learned state in the store (read) is loaded instead, and the result of learning is
 * kept there (write; either may be NULL: no store). Call before tinyad_serial_hello; returns what loading found
 * (tinyad_learn_load), which tinyad_serial_learn_status then announces.
 */
int tinyad_serial_attach_learn(tinyad_serial_t *s, tinyad_learn_t *learn, tinyad_store_read_fn read, tinyad_store_write_fn write);

/* "L stored <threshold> <rearm>" (loaded = 0), "L corrupt" (-1: the shipped model runs) or the learning progress
   "L 0 <windows>" (1: learning from the next live window). */
void tinyad_serial_learn_status(tinyad_serial_t *s, int loaded);

/* Switches mode (as the M command does, without its acknowledgement); -1 when the mode is not available. */
int tinyad_serial_set_mode(tinyad_serial_t *s, uint8_t mode);

/* The main loop's work between received bytes: in live mode scores a complete window, in raw mode sends a frame. */
void tinyad_serial_poll(tinyad_serial_t *s);

#ifdef __cplusplus
}
#endif
#endif /* TINYAD_SERIAL_H */
