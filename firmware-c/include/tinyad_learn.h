/* SPDX-License-Identifier: Apache-2.0 */
/*
 * On-device learning (docs/learning.md): a device takes its next `windows` windows of int16 counts as normal and
 * re-learns, in integers only, what the shipped model assumed about the machine: the channels' centring, the
 * features' normalisation, a k-means model's centroids (and radii), the alarm threshold. The Java integer reference
 * is tinyad.quantizer.DeviceLearning; tests check the learned threshold and every later score bit for bit.
 *
 * The caller owns everything: a tinyad_learn_t and an arena of TINYAD_LEARN_ARENA_BYTES(...) bytes (8-byte aligned),
 * both sized at compile time by the generated <name>_learn_t. The generated <name>_learn_init fills in the model's
 * shape and flash tables and starts learning; then tinyad_learn_window per window until it returns 1, and
 * tinyad_learn_score for every window after. No malloc, no global state.
 *
 * Arena layout (offsets from the sizes; TINYAD_LEARN_ARENA_BYTES gives the total):
 *   kept:  center[ch], zero[ch], feature_offset[in] (int32); feature_multiplier[in] (int16); sample_shift[ch],
 *          pre_shift[in], feature_shift[in] (uint8); from an 8-byte boundary radii[k] (int32), centroids[k * in] (int8)
 *   work:  one phase at a time: channel min/max (int32), the low bytes of the Q8 centroids (their high bytes are
 *          centroids[]) and window counts (uint8), radius flags (uint8), the top scores (int32). The features phase
 *          sums (int64 s1, s2 per group) from the radii on, over radii, centroids and work (it scores nothing; the
 *          shipped radii and centroids are loaded again after it), its pivots wait in feature_offset.
 * The kept part is what a store saves (with the threshold and re-arm level).
 */
#ifndef TINYAD_LEARN_H
#define TINYAD_LEARN_H

#include <stdint.h>
#include "tinyad.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Phases, in the order they run (a plan's bit mask). */
#define TINYAD_LEARN_CHANNELS 1u
#define TINYAD_LEARN_FEATURES 2u
#define TINYAD_LEARN_CENTROIDS 4u
#define TINYAD_LEARN_RADII 8u
#define TINYAD_LEARN_THRESHOLD 16u

/* What happens to a k-means model's centroids. */
#define TINYAD_LEARN_KEEP 0u
#define TINYAD_LEARN_REFINE 1u
#define TINYAD_LEARN_SCRATCH 2u

/* A centroid's step stops shrinking at this many windows (DeviceLearning.COUNT_CAP). */
#define TINYAD_LEARN_COUNT_CAP 64u
/* Feature deviations from a group's first value are clamped to +-2^23 before they are summed. */
#define TINYAD_LEARN_DEVIATION_BITS 23

#define TINYAD_LEARN_ALIGN8(n) ((((unsigned long)(n)) + 7UL) & ~7UL)
#define TINYAD_LEARN_MAX2(a, b) ((a) > (b) ? (a) : (b))
/* The kept part: channels ch, int8 inputs in, centroids k: the centring and fold, then radii and centroids. */
#define TINYAD_LEARN_FOLD_BYTES(ch, in) TINYAD_LEARN_ALIGN8(9UL * (ch) + 8UL * (in))
#define TINYAD_LEARN_KEPT_BYTES(ch, in, k) \
    (TINYAD_LEARN_FOLD_BYTES(ch, in) + TINYAD_LEARN_ALIGN8(4UL * (k) + (unsigned long)(k) * (in)))
/* The work part: feature groups g (channels for raw windows, else in), top scores kept `top`; the features phase's
   sums (16 bytes a group) start at the radii. */
#define TINYAD_LEARN_SUMS_PAST_KEPT(ch, in, g, k) \
    (16UL * (g) > TINYAD_LEARN_KEPT_BYTES(ch, in, k) - TINYAD_LEARN_FOLD_BYTES(ch, in) \
         ? 16UL * (g) - (TINYAD_LEARN_KEPT_BYTES(ch, in, k) - TINYAD_LEARN_FOLD_BYTES(ch, in)) : 0UL)
#define TINYAD_LEARN_WORK_BYTES(ch, in, g, k, top) \
    TINYAD_LEARN_MAX2(TINYAD_LEARN_MAX2(8UL * (ch), TINYAD_LEARN_SUMS_PAST_KEPT(ch, in, g, k)), \
                      TINYAD_LEARN_MAX2((unsigned long)(k) * (in) + (k), (unsigned long)(k) + 4UL * (top) + 4UL))
#define TINYAD_LEARN_ARENA_BYTES(ch, in, g, k, top) \
    (TINYAD_LEARN_KEPT_BYTES(ch, in, k) + TINYAD_LEARN_ALIGN8(TINYAD_LEARN_WORK_BYTES(ch, in, g, k, top)))

/* A feature of one window: input index and its integer value (before normalisation). */
typedef void (*tinyad_feature_sink_fn)(void *ctx, uint16_t input, int32_t feature);
/* The model's integer features of a window with the given centring (RAM), each handed to sink. */
typedef void (*tinyad_features_each_fn)(const int16_t *window, const int32_t *center, const uint8_t *sample_shift,
                                        const int32_t *zero, tinyad_feature_sink_fn sink, void *ctx);

typedef struct {
    /* the model, set by <name>_learn_init */
    uint16_t channels, window, input_len, groups, num_centroids;
    uint8_t radius;                  /* k-means radius score (else squared distance; no centroids: model_score) */
    int16_t input_zero_point;
    int32_t inv_scale_q16;           /* round(65536 / input scale) */
    int16_t sample_limit;            /* centred samples are clamped to +-sample_limit */
    int32_t zero_limit;              /* zeros are clamped to +-zero_limit */
    const int32_t *zero_count;       /* flash: per channel, the physical zero in counts */
    const int32_t *shipped_center;   /* flash: the shipped model's tables */
    const uint8_t *shipped_sample_shift;
    const int32_t *shipped_zero;     /* may be 0 (no stats features: zeros unused) */
    const int32_t *shipped_offset;
    const uint8_t *shipped_pre_shift;
    const int16_t *shipped_multiplier;
    const uint8_t *shipped_feature_shift;
    const int8_t *shipped_centroids; /* k-means only */
    const int32_t *shipped_radii;    /* radius score only */
    int32_t shipped_threshold, shipped_rearm;
    int32_t (*model_score)(const int8_t *input);
    tinyad_features_each_fn features;
    /* the plan */
    uint16_t windows;
    uint8_t phases;                  /* TINYAD_LEARN_* bits */
    uint8_t centroid_mode;           /* TINYAD_LEARN_KEEP / REFINE / SCRATCH */
    uint16_t percentile;             /* hundredths of a percent */
    uint16_t top_cap;                /* the arena's room for top scores */
    /* what was learned (pointers into the arena) and the progress */
    uint8_t *arena;
    int32_t *center, *zero, *feature_offset, *radii;
    int16_t *feature_multiplier;
    uint8_t *sample_shift, *pre_shift, *feature_shift;
    int8_t *centroids;
    uint8_t *work;
    int32_t threshold, rearm;
    uint8_t phase;                   /* bit of the running phase; 0 when done */
    uint16_t in_phase, phase_len, learned;
    uint32_t feature_count;          /* values per group so far (features phase) */
    uint16_t top_len, top_want;
} tinyad_learn_t;

/* The phases a plan runs on this model (bits), and the windows phase `bit` takes of them. */
uint8_t tinyad_learn_phases(const tinyad_learn_t *l);
uint16_t tinyad_learn_phase_windows(const tinyad_learn_t *l, uint8_t bit);

/* Scores the threshold phase keeps for m windows at a percentile (DeviceLearning.topScores). */
uint16_t tinyad_learn_top_scores(uint16_t m, uint16_t percentile);

/* Back to the shipped model (copied from flash), then learning from its first phase. -1: the arena or plan does not fit. */
int tinyad_learn_begin(tinyad_learn_t *l);

/* Back to the shipped model, not learning (tinyad_learn_done is 1). */
void tinyad_learn_reset(tinyad_learn_t *l);

/* One learning window (window * channels counts, sample-major); input: input_len bytes of scratch. Returns 1 when
   this window ended learning, else 0 (also when learning is over). */
uint8_t tinyad_learn_window(tinyad_learn_t *l, const int16_t *window, int8_t *input);

uint8_t tinyad_learn_done(const tinyad_learn_t *l);

/* The int8 inputs and the score of a window with what was learned so far. */
void tinyad_learn_features(const tinyad_learn_t *l, const int16_t *window, int8_t *input);
int32_t tinyad_learn_score(const tinyad_learn_t *l, const int8_t *input);

/*
 * The store: "TL", the model hash's first 8 characters, the body's length (2 bytes, little-endian), the body
 * (the arena's kept part, then threshold and re-arm level, little-endian), CRC-16/CCITT-FALSE of all before it.
 * write/read move len bytes at a byte offset of the store and return 0 (or -1: no store, or too small).
 */
typedef int (*tinyad_store_write_fn)(uint16_t offset, const uint8_t *data, uint16_t len);
typedef int (*tinyad_store_read_fn)(uint16_t offset, uint8_t *data, uint16_t len);
uint16_t tinyad_learn_store_bytes(const tinyad_learn_t *l);
/* CRC-16/CCITT-FALSE (polynomial 0x1021, no reflection, no final XOR) continued over len more bytes; start from 0xFFFF.
   The store's check and the serial protocol's line CRC (tinyad_crc16) are this. */
uint16_t tinyad_crc16_update(uint16_t crc, const uint8_t *data, uint16_t len);
int tinyad_learn_save(const tinyad_learn_t *l, const char *hash, tinyad_store_write_fn write);
/* 0: loaded (learning done); 1: the store is empty or holds another model (the state is untouched); -1: corrupt
   (bad CRC or length, or a value outside what learning produces: the state is back to the shipped model). */
int tinyad_learn_load(tinyad_learn_t *l, const char *hash, tinyad_store_read_fn read);

#ifdef __cplusplus
}
#endif
#endif /* TINYAD_LEARN_H */
