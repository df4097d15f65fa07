/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The data logger: the live app without a model, for recording training data (tinyad collect) before there is
 * one. It boots in raw mode and streams every frame; its "model" scores nothing (live mode sends 0s).
 * make avr-logger|m4-logger CHANNELS=3 RATE_MILLIHZ=1000000
 */
#ifndef TINYAD_APP_MODEL_H
#define TINYAD_APP_MODEL_H
#include "tinyad.h"

#ifndef TINYAD_LOGGER_CHANNELS
#error "the logger needs its channel count: make ... CHANNELS=n"
#endif
#ifndef TINYAD_APP_SAMPLE_RATE_MILLIHZ
#error "the logger needs its sample rate: make ... RATE_MILLIHZ=n"
#endif

extern const tinyad_model_t tinyad_logger_model;
void tinyad_logger_features(const int16_t *window, int8_t *input);

#define TINYAD_APP_MODEL tinyad_logger_model
#define TINYAD_APP_INPUT_LEN 1u
#define TINYAD_APP_WINDOW 1u
#define TINYAD_APP_CHANNELS TINYAD_LOGGER_CHANNELS
#define TINYAD_APP_HOP 1u
#define TINYAD_APP_FEATURES tinyad_logger_features
#ifndef TINYAD_APP_BOOT_MODE
#define TINYAD_APP_BOOT_MODE TINYAD_MODE_RAW
#endif
#endif
