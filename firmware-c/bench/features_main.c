/*
 * Host check of the on-device feature pipeline: reads windows of raw sensor values as text, one window per
 * line (WINDOW x CHANNELS numbers, sample-major), and prints the int8 inputs the device computes, as hex.
 */
#include <stdio.h>
#include <stdlib.h>
#include "tinyad_app_model.h"

#define FEATURES_WINDOW_VALUES (TINYAD_APP_WINDOW * TINYAD_APP_CHANNELS)

int main(void)
{
    static float window[FEATURES_WINDOW_VALUES];
    static int8_t input[TINYAD_APP_INPUT_LEN];
    unsigned i;
    for (;;) {
        for (i = 0; i < FEATURES_WINDOW_VALUES; i++) {
            if (scanf("%f", &window[i]) != 1) return 0;
        }
        TINYAD_APP_FEATURES(window, input);
        for (i = 0; i < TINYAD_APP_INPUT_LEN; i++) printf("%02X", (unsigned)(uint8_t)input[i]);
        printf("\n");
    }
}
