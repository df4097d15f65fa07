/* SPDX-License-Identifier: Apache-2.0 */
/* Host port: stdin/stdout stand in for the UART (tests and the demo's host build). */
#include <stdio.h>
#include "tinyad_port.h"

void tinyad_port_init(void)
{
}

int tinyad_port_getc(void)
{
    const int c = getchar();
    return c == EOF ? -1 : c;
}

void tinyad_port_write(void *port, const char *data, uint16_t len)
{
    (void)port;
    fwrite(data, 1, len, stdout);
    if (len > 0 && data[len - 1] == '\n') fflush(stdout);
}
