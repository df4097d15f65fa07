/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host (POSIX): the learned state's store in the file tinyad_store.bin in the working directory, standing for a
 * board's EEPROM or flash: a second run of the app in the same directory is the board after a reset.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <unistd.h>

#include "tinyad_port.h"

int tinyad_port_store_read(uint16_t offset, uint8_t *data, uint16_t len)
{
    const int fd = open("tinyad_store.bin", O_RDONLY);
    ssize_t got;
    if (fd < 0) return -1;
    got = pread(fd, data, len, (off_t)offset);
    close(fd);
    return got == (ssize_t)len ? 0 : -1;
}

int tinyad_port_store_write(uint16_t offset, const uint8_t *data, uint16_t len)
{
    const int fd = open("tinyad_store.bin", O_WRONLY | O_CREAT, 0644);
    ssize_t put;
    if (fd < 0) return -1;
    put = pwrite(fd, data, len, (off_t)offset);
    if (fsync(fd) != 0) put = -1;
    close(fd);
    return put == (ssize_t)len ? 0 : -1;
}
