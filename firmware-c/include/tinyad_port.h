/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a target provides to the serial application (docs/firmware.md, "Porting"): a byte source and a byte
 * sink, and for live and raw modes a sampling source. A new board needs these functions and nothing else.
 */
#ifndef TINYAD_PORT_H
#define TINYAD_PORT_H

#include <stdint.h>
#include "tinyad_config.h"   /* TINYAD_APP_LIVE may be set there (the Arduino library) */
#include "tinyad_live.h"

void tinyad_port_init(void);
/* Blocks for the next received byte; returns -1 when the input has ended (host builds only). */
int tinyad_port_getc(void);
/* The next received byte if one is waiting, else -1 at once (live builds: the main loop must not block). */
int tinyad_port_try_getc(void);
void tinyad_port_write(void *port, const char *data, uint16_t len);

/*
 * Live builds only. on = 1: from now on, at rate_millihz samples per 1000 s and without drift (a hardware
 * timer, not the main loop), read every channel of live and store the frame with tinyad_live_slot +
 * tinyad_live_commit (tinyad_live_miss for a tick whose frame could not be taken); return -1 if the rate is out
 * of the port's reach. on = 0: stop, so that no frame is stored after the call returns. Channel c's count is
 * the port's integer reading of the c-th sensor (the Uno: analog pin Ac, 0 .. 1023).
 */
int tinyad_port_sampling(tinyad_live_t *live, uint32_t rate_millihz, uint8_t on);

/*
 * Builds with on-device learning (tinyad export --learn): a store that keeps the learned state across a reset, len
 * bytes at a byte offset; 0 on success, -1 when the store cannot (no store, out of its bounds, a failed write). A
 * store never written reads as anything: the record's CRC tells. The Uno: EEPROM (ports/avr/port_eeprom.c); the
 * emulated MPS2 boards and the host: a file standing for the board's flash (ports/mps2/port_store.c, ports/host/port_store.c).
 */
int tinyad_port_store_read(uint16_t offset, uint8_t *data, uint16_t len);
int tinyad_port_store_write(uint16_t offset, const uint8_t *data, uint16_t len);

#endif /* TINYAD_PORT_H */
