/*
 * tinyad runtime: integer-only anomaly scoring kernels for microcontrollers.
 *
 * C99, no malloc, no recursion, no global mutable state. Model constants live in flash
 * (TINYAD_FLASH: PROGMEM on AVR) and are read through TINYAD_READ_S8/TINYAD_READ_S32, so the same
 * kernels run on AVR's Harvard memory and on von Neumann targets.
 *
 * The arithmetic is specified in docs/quantization.md; the Java reference in tinyad.quantizer computes
 * the same integers, and tests check every score bit for bit.
 */
#ifndef TINYAD_H
#define TINYAD_H

#include <stdint.h>

#define TINYAD_RUNTIME_VERSION "0.1.0"

#if defined(__AVR__)
#include <avr/pgmspace.h>
#define TINYAD_FLASH PROGMEM
#define TINYAD_READ_S8(p) ((int8_t)pgm_read_byte(p))
#define TINYAD_READ_S32(p) ((int32_t)pgm_read_dword(p))
#else
#define TINYAD_FLASH
#define TINYAD_READ_S8(p) (*(p))
#define TINYAD_READ_S32(p) (*(p))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* A generated model, as the serial application sees it. */
typedef struct {
    const char *name;            /* C identifier of the model */
    const char *hash;            /* first 16 hex digits of the model's SHA-256 */
    uint16_t input_len;          /* int8 inputs per window */
    int32_t threshold;           /* alarm when score > threshold (integer domain) */
    int32_t (*score)(const int8_t *input);
} tinyad_model_t;

/*
 * k-means score: the smallest squared Euclidean distance, in int32, between the int8 input and the
 * int8 centroids (row-major, num_centroids x input_len, in flash). Input and centroids share one
 * quantization, so the zero point cancels in the difference and the score is in units of scale^2.
 * Each squared difference is at most 255^2 = 65025, so input_len <= 33025 cannot overflow int32;
 * the code generator refuses larger models.
 */
int32_t tinyad_kmeans_min_sqdist_s8(const int8_t *input, const int8_t *centroids,
                                    uint16_t num_centroids, uint16_t input_len);

#ifdef __cplusplus
}
#endif
#endif /* TINYAD_H */
