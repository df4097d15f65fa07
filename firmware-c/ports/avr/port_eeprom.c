/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ATmega: the learned state's store in EEPROM (1 KB on the ATmega328P), from address 0. eeprom_update_block writes
 * only the bytes that changed, which spares the EEPROM's 100,000 write cycles when a device re-learns much the same.
 */
#include <avr/eeprom.h>

#include "tinyad_port.h"

static int in_bounds(uint16_t offset, uint16_t len)
{
    return (uint32_t)offset + len <= (uint32_t)E2END + 1u;
}

int tinyad_port_store_read(uint16_t offset, uint8_t *data, uint16_t len)
{
    if (!in_bounds(offset, len)) return -1;
    eeprom_read_block(data, (const void *)(uintptr_t)offset, len);
    return 0;
}

int tinyad_port_store_write(uint16_t offset, const uint8_t *data, uint16_t len)
{
    if (!in_bounds(offset, len)) return -1;
    eeprom_update_block(data, (void *)(uintptr_t)offset, len);
    return 0;
}
