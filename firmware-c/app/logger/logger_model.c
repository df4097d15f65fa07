/* SPDX-License-Identifier: Apache-2.0 */
/* The data logger's stand-in model (tinyad_app_model.h): no inputs worth scoring, score 0, the rule never alarms. */
#include "tinyad_app_model.h"

static int32_t logger_score(const int8_t *input)
{
    (void)input;
    return 0;
}

void tinyad_logger_features(const int16_t *window, int8_t *input)
{
    (void)window;
    input[0] = 0;
}

const tinyad_model_t tinyad_logger_model = {"logger", "0000000000000000", 1u, 0, logger_score, {0, 0, 0u, 1u, 1u}};
