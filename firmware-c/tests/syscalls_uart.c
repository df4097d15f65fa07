/* SPDX-License-Identifier: Apache-2.0 */
/* newlib's output for the runtime tests on a QEMU MPS2 board: stdout goes to UART0 (QEMU -serial stdio). */
#include "tinyad_port.h"

int _write(int fd, const char *data, int len);

int _write(int fd, const char *data, int len)
{
    static int ready;
    (void)fd;
    if (!ready) {
        tinyad_port_init();
        ready = 1;
    }
    tinyad_port_write(0, data, (uint16_t)len);
    return len;
}
