/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MPS2 (QEMU): the learned state's store in the file tinyad_store.bin in QEMU's working directory, through
 * semihosting, standing for a region of the board's flash: a second run in the same directory is the board after a
 * reset. On a real Cortex-M board, write a flash page (erase, then program) here instead; nothing else changes.
 */
#include "tinyad_port.h"

int tinyad_mps2_semihost(int op, void *arg);

#define SYS_OPEN 0x01
#define SYS_CLOSE 0x02
#define SYS_WRITE 0x05
#define SYS_READ 0x06
#define SYS_SEEK 0x0A
#define MODE_RB 1u     /* "rb" */
#define MODE_RPB 3u    /* "r+b" */
#define MODE_WPB 7u    /* "w+b": creates the file */

static int store_open(uint32_t mode)
{
    static const char name[] = "tinyad_store.bin";
    uint32_t block[3];
    block[0] = (uint32_t)name;
    block[1] = mode;
    block[2] = sizeof name - 1u;
    return tinyad_mps2_semihost(SYS_OPEN, block);
}

static void store_close(int handle)
{
    uint32_t block[1];
    block[0] = (uint32_t)handle;
    (void)tinyad_mps2_semihost(SYS_CLOSE, block);
}

/* op SYS_READ or SYS_WRITE of len bytes at offset; 0 when all of them moved */
static int store_move(int handle, int op, uint16_t offset, void *data, uint16_t len)
{
    uint32_t block[3];
    block[0] = (uint32_t)handle;
    block[1] = offset;
    if (tinyad_mps2_semihost(SYS_SEEK, block) != 0) return -1;
    block[0] = (uint32_t)handle;
    block[1] = (uint32_t)data;
    block[2] = len;
    return tinyad_mps2_semihost(op, block) == 0 ? 0 : -1;   /* the count not moved */
}

int tinyad_port_store_read(uint16_t offset, uint8_t *data, uint16_t len)
{
    const int h = store_open(MODE_RB);
    int r;
    if (h < 0) return -1;
    r = store_move(h, SYS_READ, offset, data, len);
    store_close(h);
    return r;
}

int tinyad_port_store_write(uint16_t offset, const uint8_t *data, uint16_t len)
{
    int h = store_open(MODE_RPB), r;
    if (h < 0) h = store_open(MODE_WPB);
    if (h < 0) return -1;
    r = store_move(h, SYS_WRITE, offset, (void *)(uintptr_t)data, len);
    store_close(h);
    return r;
}
