/* SPDX-License-Identifier: Apache-2.0 */
/*
 * On-device learning (include/tinyad_learn.h; the arithmetic: docs/learning.md). Every step is the one of the Java
 * reference tinyad.quantizer.DeviceLearning, in the same integer types: C99 division truncates toward zero as Java's
 * does, and the sums that could pass 2^63 are formed in uint64 (wrapping, as Java's long does).
 */
#include "tinyad_learn.h"

static const uint8_t phase_order[5] = {TINYAD_LEARN_CHANNELS, TINYAD_LEARN_FEATURES, TINYAD_LEARN_CENTROIDS,
                                       TINYAD_LEARN_RADII, TINYAD_LEARN_THRESHOLD};

static int64_t clamp_s64(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

static int32_t clamp_s32(int64_t v)
{
    return (int32_t)clamp_s64(v, INT32_MIN, INT32_MAX);
}

uint8_t tinyad_learn_phases(const tinyad_learn_t *l)
{
    uint8_t p = (uint8_t)(l->phases & (TINYAD_LEARN_CHANNELS | TINYAD_LEARN_FEATURES | TINYAD_LEARN_THRESHOLD));
    if (l->num_centroids > 0u && l->centroid_mode != TINYAD_LEARN_KEEP) {
        p |= TINYAD_LEARN_CENTROIDS;
        if (l->radius) p |= TINYAD_LEARN_RADII;
    }
    return p;
}

static uint8_t phase_count(uint8_t phases)
{
    uint8_t i, n = 0;
    for (i = 0; i < 5u; i++) n = (uint8_t)(n + ((phases & phase_order[i]) ? 1u : 0u));
    return n;
}

/* The windows split evenly over the phases; the last one takes the rest. */
uint16_t tinyad_learn_phase_windows(const tinyad_learn_t *l, uint8_t bit)
{
    const uint8_t phases = tinyad_learn_phases(l);
    const uint8_t n = phase_count(phases);
    const uint16_t each = n ? (uint16_t)(l->windows / n) : 0u;
    uint8_t i, last = 0;
    for (i = 0; i < 5u; i++) if (phases & phase_order[i]) last = phase_order[i];
    return bit == last ? (uint16_t)(l->windows - each * (uint16_t)(n - 1u)) : each;
}

uint16_t tinyad_learn_top_scores(uint16_t m, uint16_t percentile)
{
    return (uint16_t)(m - (uint16_t)((uint32_t)percentile * (uint32_t)(m - 1u) / 10000u));
}

/*
 * The kept part: center, zero, feature_offset (int32), feature_multiplier (int16), sample_shift, pre_shift,
 * feature_shift (uint8), then from an 8-byte boundary radii (int32) and centroids (int8); the work part follows. The
 * features phase, which scores nothing, sums over radii and centroids too (they are loaded again from flash after it).
 */
static void lay_out(tinyad_learn_t *l)
{
    const uint16_t ch = l->channels, in = l->input_len, k = l->num_centroids;
    uint8_t *p = l->arena;
    l->center = (int32_t *)(void *)p;
    p += 4u * ch;
    l->zero = (int32_t *)(void *)p;
    p += 4u * ch;
    l->feature_offset = (int32_t *)(void *)p;
    p += 4u * in;
    l->feature_multiplier = (int16_t *)(void *)p;
    p += 2u * in;
    l->sample_shift = p;
    p += ch;
    l->pre_shift = p;
    p += in;
    l->feature_shift = p;
    p = l->arena + TINYAD_LEARN_FOLD_BYTES(ch, in);
    l->radii = (int32_t *)(void *)p;
    p += 4u * k;
    l->centroids = (int8_t *)p;
    l->work = l->arena + TINYAD_LEARN_KEPT_BYTES(ch, in, k);
}

/* The shipped radii and centroids (after the features phase summed over them, or at the start). */
static void load_shipped_centroids(tinyad_learn_t *l)
{
    uint16_t i;
    for (i = 0; i < l->num_centroids; i++) l->radii[i] = l->shipped_radii ? TINYAD_READ_S32(&l->shipped_radii[i]) : 0;
    for (i = 0; i < (uint16_t)(l->num_centroids * l->input_len); i++) l->centroids[i] = TINYAD_READ_S8(&l->shipped_centroids[i]);
}

/* The shipped model's tables into RAM. */
static void load_shipped(tinyad_learn_t *l)
{
    uint16_t i;
    lay_out(l);
    for (i = 0; i < l->channels; i++) {
        l->center[i] = TINYAD_READ_S32(&l->shipped_center[i]);
        l->sample_shift[i] = TINYAD_READ_U8(&l->shipped_sample_shift[i]);
        l->zero[i] = l->shipped_zero ? TINYAD_READ_S32(&l->shipped_zero[i]) : 0;
    }
    for (i = 0; i < l->input_len; i++) {
        l->feature_offset[i] = TINYAD_READ_S32(&l->shipped_offset[i]);
        l->pre_shift[i] = TINYAD_READ_U8(&l->shipped_pre_shift[i]);
        l->feature_multiplier[i] = TINYAD_READ_S16(&l->shipped_multiplier[i]);
        l->feature_shift[i] = TINYAD_READ_U8(&l->shipped_feature_shift[i]);
    }
    load_shipped_centroids(l);
    l->threshold = l->shipped_threshold;
    l->rearm = l->shipped_rearm;
}

static void begin_phase(tinyad_learn_t *l)
{
    uint16_t i;
    l->in_phase = 0;
    if (l->phase == 0u) return;
    l->phase_len = tinyad_learn_phase_windows(l, l->phase);
    if (l->phase == TINYAD_LEARN_CHANNELS) {
        int32_t *lo = (int32_t *)(void *)l->work, *hi = lo + l->channels;
        for (i = 0; i < l->channels; i++) {
            lo[i] = INT32_MAX;
            hi[i] = INT32_MIN;
        }
    } else if (l->phase == TINYAD_LEARN_FEATURES) {
        int64_t *s = (int64_t *)(void *)l->radii;   /* s1[groups], s2[groups] over radii, centroids and work; the pivots in feature_offset */
        for (i = 0; i < 2u * l->groups; i++) s[i] = 0;
        l->feature_count = 0;
    } else if (l->phase == TINYAD_LEARN_CENTROIDS) {
        /* Q8 centroids from the current int8 ones (refine: they count as one window each; scratch: none yet), held as
           q8 + 128 = 256 * centroids[] + low byte: the high byte is the int8 view the scores use */
        uint8_t *low = l->work, *count = l->work + (uint16_t)(l->num_centroids * l->input_len);
        for (i = 0; i < (uint16_t)(l->num_centroids * l->input_len); i++) low[i] = 128u;
        for (i = 0; i < l->num_centroids; i++) count[i] = l->centroid_mode == TINYAD_LEARN_REFINE ? 1u : 0u;
    } else if (l->phase == TINYAD_LEARN_RADII) {
        for (i = 0; i < l->num_centroids; i++) l->work[i] = 0;   /* 1 once a window chose the centroid */
    } else {
        l->top_len = 0;
        l->top_want = tinyad_learn_top_scores(l->phase_len, l->percentile);
    }
}

static void next_phase(tinyad_learn_t *l)
{
    const uint8_t phases = tinyad_learn_phases(l);
    uint8_t i;
    for (i = 0; i < 5u; i++) {
        if (phase_order[i] > l->phase && (phases & phase_order[i])) {
            l->phase = phase_order[i];
            begin_phase(l);
            return;
        }
    }
    l->phase = 0;
}

void tinyad_learn_reset(tinyad_learn_t *l)
{
    load_shipped(l);
    l->phase = 0;
    l->learned = 0;
}

int tinyad_learn_begin(tinyad_learn_t *l)
{
    const uint8_t phases = tinyad_learn_phases(l);
    const uint8_t n = phase_count(phases);
    tinyad_learn_reset(l);
    if (n == 0u || l->windows < n) return -1;
    if ((phases & TINYAD_LEARN_THRESHOLD) &&
        tinyad_learn_top_scores(tinyad_learn_phase_windows(l, TINYAD_LEARN_THRESHOLD), l->percentile) > l->top_cap) return -1;
    l->phase = 0;
    next_phase(l);
    return 0;
}

uint8_t tinyad_learn_done(const tinyad_learn_t *l)
{
    return l->phase == 0u;
}

/* ---- features ---- */

typedef struct {
    const tinyad_learn_t *l;
    int8_t *input;
} fold_ctx_t;

static void fold_sink(void *ctx, uint16_t i, int32_t f)
{
    const fold_ctx_t *c = (const fold_ctx_t *)ctx;
    const tinyad_learn_t *l = c->l;
    c->input[i] = tinyad_feature_s8(f, l->feature_offset[i], l->pre_shift[i], l->feature_multiplier[i], l->feature_shift[i],
                                    l->input_zero_point);
}

void tinyad_learn_features(const tinyad_learn_t *l, const int16_t *window, int8_t *input)
{
    fold_ctx_t c;
    c.l = l;
    c.input = input;
    l->features(window, l->center, l->sample_shift, l->zero, fold_sink, &c);
}

/* Features phase: per group the first value as pivot, then sums of the clamped deviations and their squares. */
static void sum_sink(void *ctx, uint16_t i, int32_t f)
{
    tinyad_learn_t *l = (tinyad_learn_t *)ctx;
    const uint16_t g = l->groups == l->input_len ? i : (uint16_t)(i % l->channels);
    int64_t *s1 = (int64_t *)(void *)l->radii, *s2 = s1 + l->groups;
    int32_t *pivot = l->feature_offset;   /* unused by scores until the phase ends */
    int64_t e;
    if (l->feature_count == 0u && !(l->groups != l->input_len && i >= l->channels)) pivot[g] = f;
    e = clamp_s64((int64_t)f - pivot[g], -((int64_t)1 << TINYAD_LEARN_DEVIATION_BITS), (int64_t)1 << TINYAD_LEARN_DEVIATION_BITS);
    s1[g] += e;
    s2[g] += e * e;
}

/* ---- scores ---- */

/* The nearest int8 centroid in RAM (the first on ties) and its squared distance. */
static int32_t nearest_ram(const tinyad_learn_t *l, const int8_t *input, uint16_t *nearest)
{
    int32_t best = INT32_MAX;
    uint16_t k;
    *nearest = 0;
    for (k = 0; k < l->num_centroids; k++) {
        const int32_t d = tinyad_sum_sqdiff_s8(input, &l->centroids[(uint32_t)k * l->input_len], l->input_len);
        if (d < best) {
            best = d;
            *nearest = k;
        }
    }
    return best;
}

int32_t tinyad_learn_score(const tinyad_learn_t *l, const int8_t *input)
{
    uint16_t nearest;
    int32_t d2;
    if (l->num_centroids == 0u) return l->model_score(input);
    d2 = nearest_ram(l, input, &nearest);
    return l->radius ? (int32_t)tinyad_isqrt_u32((uint32_t)d2) - l->radii[nearest] : d2;
}

/* ---- phase steps ---- */

TINYAD_NOINLINE static void centroid_step(tinyad_learn_t *l, const int8_t *x)
{
    const uint16_t in = l->input_len;
    uint8_t *low = l->work, *count = l->work + (uint16_t)(l->num_centroids * in);
    int32_t best = INT32_MAX;
    uint16_t j, i, at = 0;
    if (l->centroid_mode == TINYAD_LEARN_SCRATCH) {   /* the phase's first k windows are the centroids */
        for (j = 0; j < l->num_centroids; j++) {
            if (count[j] == 0u) {
                for (i = 0; i < in; i++) {
                    l->centroids[(uint32_t)j * in + i] = x[i];
                    low[(uint32_t)j * in + i] = 128u;
                }
                count[j] = 1;
                return;
            }
        }
    }
    for (j = 0; j < l->num_centroids; j++) {
        const int32_t d = tinyad_sum_sqdiff_s8(x, &l->centroids[(uint32_t)j * in], in);
        if (d < best) {
            best = d;
            at = j;
        }
    }
    if (count[at] < TINYAD_LEARN_COUNT_CAP) count[at]++;
    for (i = 0; i < in; i++) {
        /* q8 moves by (256 x - q8) / n, truncated toward zero; it stays within [-32768, 32512], so q8 + 128 splits into
           an int8 high byte (the centroid, as (q8 + 128) >> 8 needs no clamp) and a low byte */
        const uint32_t at_i = (uint32_t)at * in + i;
        int32_t q8 = (int32_t)l->centroids[at_i] * 256 + low[at_i] - 128;
        q8 += ((int32_t)x[i] * 256 - q8) / (int32_t)count[at];
        l->centroids[at_i] = (int8_t)((q8 + 128) >> 8);
        low[at_i] = (uint8_t)((q8 + 128) & 0xFF);
    }
}

static void keep_top(tinyad_learn_t *l, int32_t s)
{
    int32_t *top = (int32_t *)(void *)(l->work + ((l->num_centroids + 3u) & ~3u));
    uint16_t i;
    if (l->top_len == l->top_want) {   /* ascending; the smallest drops out when full */
        if (s <= top[0]) return;
        for (i = 1; i < l->top_len; i++) top[i - 1u] = top[i];
        l->top_len--;
    }
    i = l->top_len;
    while (i > 0u && top[i - 1u] > s) {
        top[i] = top[i - 1u];
        i--;
    }
    top[i] = s;
    l->top_len++;
}

TINYAD_NOINLINE static void end_channels(tinyad_learn_t *l)
{
    const int32_t *lo = (const int32_t *)(const void *)l->work, *hi = lo + l->channels;
    uint16_t c;
    for (c = 0; c < l->channels; c++) {
        /* IntStage.centring: the midpoint (floor), then the smallest shift that brings 4x the spread within the limit */
        const int32_t center = (int32_t)(((int64_t)lo[c] + hi[c]) >> 1);
        const int64_t a = (int64_t)hi[c] - center, b = (int64_t)center - lo[c];
        const int64_t spread = (a > b ? a : b) * 4;
        uint8_t s = 0;
        int64_t z;
        while ((spread >> s) > l->sample_limit && s < 16u) s++;
        l->center[c] = center;
        l->sample_shift[c] = s;
        z = (int64_t)TINYAD_READ_S32(&l->zero_count[c]) - center;
        if (s != 0u) z = (z + ((int64_t)1 << (s - 1u))) >> s;   /* nearest, halves up */
        l->zero[c] = (int32_t)clamp_s64(z, -(int64_t)l->zero_limit, l->zero_limit);
    }
}

static int bits64(uint64_t v)
{
    int n = 0;
    while (v) {
        n++;
        v >>= 1;
    }
    return n;
}

static int64_t ratio_floor(int64_t num, int64_t den, int t)
{
    return t >= 0 ? (num << t) / den : num / (den << -t);
}

/* DeviceLearning.foldInteger: {pre_shift, multiplier, shift} of 2^pre_shift * inv_scale_q16 / (std * 65536). */
static void fold_integer(int64_t std, int32_t inv_scale_q16, uint8_t *pre_out, int16_t *mult_out, uint8_t *shift_out)
{
    const int64_t lhs = std << 24, y = (int64_t)32767 * inv_scale_q16, num = inv_scale_q16;
    int pre = 0, t, shift;
    int64_t a, b, m;
    while (pre < 30 && (lhs >> pre) >= y) pre++;
    t = 14 - (bits64((uint64_t)num) - bits64((uint64_t)std));
    while (ratio_floor(num, std, t) >= ((int64_t)1 << 15)) t--;
    while (ratio_floor(num, std, t) < ((int64_t)1 << 14)) t++;
    a = t >= 0 ? num << t : num;
    b = t >= 0 ? std : std << -t;
    m = (2 * a + b) / (2 * b);
    if (m == ((int64_t)1 << 15)) {
        m = (int64_t)1 << 14;
        t--;
    }
    shift = t + 16 - pre;
    *pre_out = (uint8_t)pre;
    if (shift > 31) {
        *mult_out = 0;
        *shift_out = 0;
    } else if (shift < 0) {
        *mult_out = 32767;
        *shift_out = 0;
    } else {
        *mult_out = (int16_t)m;
        *shift_out = (uint8_t)shift;
    }
}

static int64_t div_round(int64_t a, int64_t b)
{
    return a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b);
}

TINYAD_NOINLINE static void end_features(tinyad_learn_t *l)
{
    const int64_t *s1 = (const int64_t *)(const void *)l->radii, *s2 = s1 + l->groups;
    const int32_t *pivot = l->feature_offset;
    const int64_t cnt = (int64_t)l->feature_count * (l->groups == l->input_len ? 1 : l->window);
    uint16_t i = l->input_len;
    /* downwards: the pivot of group g lies in feature_offset[g], g <= i, and is read before offset g is written */
    while (i-- > 0u) {
        const uint16_t g = l->groups == l->input_len ? i : (uint16_t)(i % l->channels);
        const int64_t mean = div_round(s1[g], cnt);
        /* the sum of (e - mean)^2 from the two sums, exactly (uint64: wraps as Java's long) */
        const int64_t m2 = (int64_t)((uint64_t)s2[g] - 2u * (uint64_t)mean * (uint64_t)s1[g] + (uint64_t)cnt * (uint64_t)mean * (uint64_t)mean);
        const int64_t q = m2 / cnt;
        int64_t std = q > 0 ? (int64_t)tinyad_isqrt_u64((uint64_t)q) : 0;
        if (std < 1) std = 1;
        l->feature_offset[i] = clamp_s32((int64_t)pivot[g] + mean);
        fold_integer(std, l->inv_scale_q16, &l->pre_shift[i], &l->feature_multiplier[i], &l->feature_shift[i]);
    }
}

TINYAD_NOINLINE static void end_threshold(tinyad_learn_t *l)
{
    const int32_t *top = (const int32_t *)(const void *)(l->work + ((l->num_centroids + 3u) & ~3u));
    const uint16_t m = l->phase_len;
    const uint32_t pos = (uint32_t)l->percentile * (uint32_t)(m - 1u);
    const uint16_t lo = (uint16_t)(pos / 10000u), base = (uint16_t)(m - l->top_len);
    const uint32_t rem = pos % 10000u;
    const int64_t a = top[lo - base], b = (uint16_t)(lo + 1u) < m ? top[lo + 1u - base] : a;
    const int32_t old = l->threshold;
    int64_t rearm;
    l->threshold = clamp_s32(a + (b - a) * (int64_t)rem / 10000);   /* b >= a: the floor */
    rearm = (int64_t)l->rearm + ((int64_t)l->threshold - old);
    if (rearm > l->threshold) rearm = l->threshold;
    l->rearm = clamp_s32(rearm);
}

uint8_t tinyad_learn_window(tinyad_learn_t *l, const int16_t *window, int8_t *input)
{
    uint16_t i;
    if (l->phase == 0u) return 0;
    if (l->phase == TINYAD_LEARN_CHANNELS) {
        int32_t *lo = (int32_t *)(void *)l->work, *hi = lo + l->channels;
        for (i = 0; i < (uint16_t)(l->window * l->channels); i++) {
            const uint16_t c = (uint16_t)(i % l->channels);
            if (window[i] < lo[c]) lo[c] = window[i];
            if (window[i] > hi[c]) hi[c] = window[i];
        }
    } else if (l->phase == TINYAD_LEARN_FEATURES) {
        l->features(window, l->center, l->sample_shift, l->zero, sum_sink, l);
        l->feature_count++;
    } else if (l->phase == TINYAD_LEARN_CENTROIDS) {
        tinyad_learn_features(l, window, input);
        centroid_step(l, input);
    } else if (l->phase == TINYAD_LEARN_RADII) {
        uint16_t near;
        int32_t r;
        tinyad_learn_features(l, window, input);
        r = (int32_t)tinyad_isqrt_u32((uint32_t)nearest_ram(l, input, &near));
        if (!l->work[near] || r > l->radii[near]) l->radii[near] = r;
        l->work[near] = 1;
    } else {
        tinyad_learn_features(l, window, input);
        keep_top(l, tinyad_learn_score(l, input));
    }
    l->learned++;
    if (++l->in_phase < l->phase_len) return 0;
    if (l->phase == TINYAD_LEARN_CHANNELS) end_channels(l);
    else if (l->phase == TINYAD_LEARN_FEATURES) {
        end_features(l);
        load_shipped_centroids(l);   /* the sums lay over them */
    }
    else if (l->phase == TINYAD_LEARN_THRESHOLD) end_threshold(l);
    next_phase(l);
    return l->phase == 0u ? 1u : 0u;
}

/* ---- the store ---- */

uint16_t tinyad_learn_store_bytes(const tinyad_learn_t *l)
{
    return (uint16_t)(12u + TINYAD_LEARN_KEPT_BYTES(l->channels, l->input_len, l->num_centroids) + 8u + 2u);
}

static void put_s32(uint8_t *p, int32_t v)
{
    uint8_t i;
    for (i = 0; i < 4u; i++) p[i] = (uint8_t)((uint32_t)v >> (8u * i));
}

static int32_t get_s32(const uint8_t *p)
{
    return (int32_t)((uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24));
}

uint16_t tinyad_crc16_update(uint16_t crc, const uint8_t *data, uint16_t len)
{
    uint16_t i;
    uint8_t bit;
    for (i = 0; i < len; i++) {
        crc ^= (uint16_t)((uint16_t)data[i] << 8);
        for (bit = 0; bit < 8u; bit++) crc = (crc & 0x8000u) ? (uint16_t)((crc << 1) ^ 0x1021u) : (uint16_t)(crc << 1);
    }
    return crc;
}

static void header(const tinyad_learn_t *l, const char *hash, uint8_t *h)
{
    const uint16_t body = (uint16_t)(TINYAD_LEARN_KEPT_BYTES(l->channels, l->input_len, l->num_centroids) + 8u);
    uint8_t i;
    h[0] = 'T';
    h[1] = 'L';
    for (i = 0; i < 8u; i++) h[2u + i] = (uint8_t)hash[i];
    h[10] = (uint8_t)body;
    h[11] = (uint8_t)(body >> 8);
}

int tinyad_learn_save(const tinyad_learn_t *l, const char *hash, tinyad_store_write_fn write)
{
    const uint16_t kept = (uint16_t)TINYAD_LEARN_KEPT_BYTES(l->channels, l->input_len, l->num_centroids);
    uint8_t h[12], tail[10];
    uint16_t crc;
    header(l, hash, h);
    put_s32(tail, l->threshold);
    put_s32(tail + 4, l->rearm);
    crc = tinyad_crc16_update(tinyad_crc16_update(tinyad_crc16_update(0xFFFFu, h, 12u), l->arena, kept), tail, 8u);
    tail[8] = (uint8_t)(crc >> 8);
    tail[9] = (uint8_t)crc;
    /* the header last: a save cut short leaves a record whose CRC fails */
    if (write(12u, l->arena, kept) != 0 || write((uint16_t)(12u + kept), tail, 10u) != 0) return -1;
    return write(0u, h, 12u);
}

/*
 * A record that passes its CRC may still not be one this firmware wrote (CRC-16 lets 1 in 65,536 corruptions through;
 * another firmware version may lay it out otherwise): every value the scores shift or subtract by must be in the range
 * learning produces, else the kernels would shift by 255 or overflow.
 */
static uint8_t kept_in_range(const tinyad_learn_t *l)
{
    uint16_t i;
    for (i = 0; i < l->channels; i++)
        if (l->sample_shift[i] > 16u || l->center[i] < INT16_MIN || l->center[i] > INT16_MAX || l->zero[i] < -l->zero_limit ||
            l->zero[i] > l->zero_limit) return 0;
    for (i = 0; i < l->input_len; i++)
        if (l->pre_shift[i] > 30u || l->feature_shift[i] > 31u || l->feature_multiplier[i] < 0) return 0;
    for (i = 0; i < l->num_centroids; i++)
        if (l->radii[i] < 0 || l->radii[i] > 65535L) return 0;
    return 1;
}

int tinyad_learn_load(tinyad_learn_t *l, const char *hash, tinyad_store_read_fn read)
{
    const uint16_t kept = (uint16_t)TINYAD_LEARN_KEPT_BYTES(l->channels, l->input_len, l->num_centroids);
    uint8_t want[12], h[12], tail[10];
    uint16_t crc;
    uint8_t i;
    header(l, hash, want);
    if (read(0u, h, 12u) != 0 || h[0] != 'T' || h[1] != 'L') return 1;
    for (i = 2; i < 10u; i++) if (h[i] != want[i]) return 1;   /* another model's */
    if (h[10] != want[10] || h[11] != want[11] || read(12u, l->arena, kept) != 0 || read((uint16_t)(12u + kept), tail, 10u) != 0) {
        tinyad_learn_reset(l);
        return -1;
    }
    crc = tinyad_crc16_update(tinyad_crc16_update(tinyad_crc16_update(0xFFFFu, h, 12u), l->arena, kept), tail, 8u);
    lay_out(l);
    if (tail[8] != (uint8_t)(crc >> 8) || tail[9] != (uint8_t)crc || !kept_in_range(l)) {
        tinyad_learn_reset(l);
        return -1;
    }
    l->threshold = get_s32(tail);
    l->rearm = get_s32(tail + 4);
    l->phase = 0;
    l->learned = l->windows;
    return 0;
}
