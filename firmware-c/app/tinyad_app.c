/*
 * The serial scoring application: announces the model, then answers protocol lines forever.
 * tinyad_app_model.h is generated next to the model and names it (TINYAD_APP_MODEL,
 * TINYAD_APP_INPUT_LEN), so this file is the same for every model and every target.
 */
#include "tinyad_serial.h"
#include "tinyad_port.h"
#include "tinyad_app_model.h"

/* C99 has no static_assert: an array of size -1 stops the build if the line buffer outgrows its uint16_t. */
typedef char tinyad_line_cap_fits_uint16[(TINYAD_SERIAL_LINE_CAP(TINYAD_APP_INPUT_LEN) <= 65535UL) ? 1 : -1];

int main(void)
{
    char line[TINYAD_SERIAL_LINE_CAP(TINYAD_APP_INPUT_LEN)];
    int8_t input[TINYAD_APP_INPUT_LEN];
    tinyad_serial_t session;
    int c;

    tinyad_port_init();
    tinyad_serial_init(&session, &TINYAD_APP_MODEL, line, (uint16_t)sizeof line, input, tinyad_port_write, 0);
    tinyad_serial_hello(&session);
    while ((c = tinyad_port_getc()) >= 0) {
        tinyad_serial_feed(&session, (char)c);
    }
    return 0;
}
