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

/* The highest protocol version the device speaks; it answers in version 1 until a host asks for 2 with "V 2". */
#define TINYAD_PROTOCOL_VERSION 2
/* Longest host line for a model with n inputs: "W " + 2n hex digits + "*CRC" + slack for "\r". Computed in
   unsigned long: in 16-bit unsigned int (AVR) it would wrap for large n. The app checks it fits line_cap's
   uint16_t at compile time; tinyad export refuses models whose buffers do not fit (tinyad.codegen.FirmwareLimits). */
#define TINYAD_SERIAL_LINE_CAP(n) (2UL * (unsigned long)(n) + 16UL)

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*tinyad_write_fn)(void *port, const char *data, uint16_t len);

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
} tinyad_serial_t;

uint16_t tinyad_crc16(const char *data, uint16_t len);

void tinyad_serial_init(tinyad_serial_t *s, const tinyad_model_t *model, char *line, uint16_t line_cap,
                        int8_t *input, tinyad_write_fn write, void *port);

/* Announces the device: "H <protocol> <model> <hash> <input_len> <threshold> <next_seq>". */
void tinyad_serial_hello(tinyad_serial_t *s);

/* Feeds one received byte; a complete line is executed and answered. */
void tinyad_serial_feed(tinyad_serial_t *s, char c);

#ifdef __cplusplus
}
#endif
#endif /* TINYAD_SERIAL_H */
