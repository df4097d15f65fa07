/* What a target provides to the serial application: a byte source and a byte sink. */
#ifndef TINYAD_PORT_H
#define TINYAD_PORT_H

#include <stdint.h>

void tinyad_port_init(void);
/* Blocks for the next received byte; returns -1 when the input has ended (host builds only). */
int tinyad_port_getc(void);
void tinyad_port_write(void *port, const char *data, uint16_t len);

#endif /* TINYAD_PORT_H */
