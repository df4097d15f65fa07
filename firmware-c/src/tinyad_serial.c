/* SPDX-License-Identifier: Apache-2.0 */
/* tinyad serial protocol, device side. Bounded buffers only; every malformed line gets an "E" reply. */
#include "tinyad_serial.h"

#define OUT_CAP 96u

/* Most windows one G line may ask for (the protocol allows up to INT32_MAX; tests build with less). */
#ifndef TINYAD_SERIAL_MAX_G
#define TINYAD_SERIAL_MAX_G 2147483647UL
#endif

uint16_t tinyad_crc16(const char *data, uint16_t len)
{
    return tinyad_crc16_update(0xFFFFu, (const uint8_t *)data, len);
}

static int8_t hex_value(char c)
{
    if (c >= '0' && c <= '9') return (int8_t)(c - '0');
    if (c >= 'A' && c <= 'F') return (int8_t)(c - 'A' + 10);
    if (c >= 'a' && c <= 'f') return (int8_t)(c - 'a' + 10);
    return -1;
}

/* Output line under construction: fixed capacity, characters past it are dropped. */
typedef struct {
    char buf[OUT_CAP];
    uint16_t len;
} out_line_t;

static void out_char(out_line_t *o, char c)
{
    if (o->len < OUT_CAP) o->buf[o->len++] = c;
}

static void out_str(out_line_t *o, const char *str)
{
    while (*str) out_char(o, *str++);
}

/* The protocol's fixed words live in flash: on an AVR a string literal would take RAM (FLASH_STR: avr-libc's PSTR). */
#if defined(__AVR__)
#define FLASH_STR(literal) PSTR(literal)
#else
#define FLASH_STR(literal) (literal)
#endif

static void out_flash(out_line_t *o, const char *str)
{
    char c;
    while ((c = (char)TINYAD_READ_U8((const uint8_t *)str++)) != '\0') out_char(o, c);
}

static void out_u32(out_line_t *o, uint32_t v)
{
    char digits[10];
    uint8_t n = 0;
    do {
        digits[n++] = (char)('0' + (uint8_t)(v % 10u));
        v /= 10u;
    } while (v != 0u);
    while (n) out_char(o, digits[--n]);
}

static void out_s32(out_line_t *o, int32_t v)
{
    if (v < 0) {
        out_char(o, '-');
        out_u32(o, (uint32_t)0 - (uint32_t)v);   /* well defined for INT32_MIN too */
    } else {
        out_u32(o, (uint32_t)v);
    }
}

static void out_send(tinyad_serial_t *s, out_line_t *o)
{
    static const char hex[] TINYAD_FLASH = "0123456789ABCDEF";
    const uint16_t crc = tinyad_crc16(o->buf, o->len);
    out_char(o, '*');
    out_char(o, (char)TINYAD_READ_U8((const uint8_t *)&hex[(crc >> 12) & 0xFu]));
    out_char(o, (char)TINYAD_READ_U8((const uint8_t *)&hex[(crc >> 8) & 0xFu]));
    out_char(o, (char)TINYAD_READ_U8((const uint8_t *)&hex[(crc >> 4) & 0xFu]));
    out_char(o, (char)TINYAD_READ_U8((const uint8_t *)&hex[crc & 0xFu]));
    out_char(o, '\n');
    s->write(s->port, o->buf, o->len);
}

/* code: a FLASH_STR */
static void send_error(tinyad_serial_t *s, const char *code)
{
    out_line_t o;
    o.len = 0;
    out_flash(&o, FLASH_STR("E "));
    out_flash(&o, code);
    out_send(s, &o);
}

void tinyad_serial_init(tinyad_serial_t *s, const tinyad_model_t *model, char *line, uint16_t line_cap,
                        int8_t *input, tinyad_write_fn write, void *port)
{
    s->model = model;
    s->write = write;
    s->port = port;
    s->line = line;
    s->line_cap = line_cap;
    s->line_len = 0;
    s->overflow = 0;
    s->input = input;
    s->seq = 0;
    s->threshold = model->threshold;
    s->version = 1;
    tinyad_alarm_init(&s->alarm, &model->alarm);
    s->alarm.config.threshold = model->threshold;
    s->mode = TINYAD_MODE_REPLAY;
    s->live = 0;
    s->features = 0;
    s->window = 0;
    s->sampling = 0;
    s->rate_millihz = 0;
    s->status_due = 0;
    s->learn = 0;
    s->store_write = 0;
    s->learn_due = 0;
}

void tinyad_serial_hello(tinyad_serial_t *s)
{
    out_line_t o;
    o.len = 0;
    out_flash(&o, FLASH_STR("H "));
    out_u32(&o, TINYAD_PROTOCOL_VERSION);
    out_char(&o, ' ');
    out_str(&o, s->model->name);
    out_char(&o, ' ');
    out_str(&o, s->model->hash);
    out_char(&o, ' ');
    out_u32(&o, s->model->input_len);
    out_char(&o, ' ');
    out_s32(&o, s->threshold);
    out_char(&o, ' ');
    out_u32(&o, s->seq);
    out_send(s, &o);
}

/*
 * One score: the alarm rule runs on it in every mode; "S <seq> <score> <over>" (version 1) or
 * "S <seq> <score> <over> <alarm>" (version 2), then in version 2 "A <seq> S <score>" when an alarm event starts
 * at this window and "A <seq> E <peak>" when one ends.
 */
TINYAD_NOINLINE static void send_score(tinyad_serial_t *s, int32_t score)
{
    out_line_t o;
    const uint32_t seq = s->seq++;
    const uint8_t event = tinyad_alarm_update(&s->alarm, score);
    o.len = 0;
    out_flash(&o, FLASH_STR("S "));
    out_u32(&o, seq);
    out_char(&o, ' ');
    out_s32(&o, score);
    out_flash(&o, score > s->threshold ? FLASH_STR(" 1") : FLASH_STR(" 0"));
    if (s->version >= 2u) out_flash(&o, s->alarm.active ? FLASH_STR(" 1") : FLASH_STR(" 0"));
    out_send(s, &o);
    if (s->version >= 2u && event != TINYAD_ALARM_NONE) {
        o.len = 0;
        out_flash(&o, FLASH_STR("A "));
        out_u32(&o, seq);
        out_flash(&o, event == TINYAD_ALARM_START ? FLASH_STR(" S ") : FLASH_STR(" E "));
        out_s32(&o, event == TINYAD_ALARM_START ? score : s->alarm.peak);
        out_send(s, &o);
    }
}

/* The score of s->input: the learned model's once learning has ended; the shipped one before (a replay window sent while
   learning is under way: the learning state's tables are half-made then). */
static int32_t score_input(tinyad_serial_t *s)
{
    return s->learn != 0 && tinyad_learn_done(s->learn) ? tinyad_learn_score(s->learn, s->input) : s->model->score(s->input);
}

/*
 * Self-test load: scores `count` windows of a fixed pseudo-random pattern (a 32-bit LCG, the same on every
 * target) back to back, so a host can measure the sustained score rate of the link.
 */
static void run_generated(tinyad_serial_t *s, uint32_t count)
{
    uint32_t state = 12345u;
    uint32_t n;
    uint16_t i;
    for (n = 0; n < count; n++) {
        for (i = 0; i < s->model->input_len; i++) {
            state = state * 1664525u + 1013904223u;
            s->input[i] = (int8_t)(int16_t)((int16_t)(state >> 24) - 128);
        }
        send_score(s, score_input(s));
    }
}

static void run_window(tinyad_serial_t *s, const char *hex, uint16_t len)
{
    uint16_t i;
    int32_t score;
    if (len != 2u * s->model->input_len) {
        send_error(s, FLASH_STR("len"));
        return;
    }
    for (i = 0; i < s->model->input_len; i++) {
        const int8_t hi = hex_value(hex[2u * i]);
        const int8_t lo = hex_value(hex[2u * i + 1u]);
        if (hi < 0 || lo < 0) {
            send_error(s, FLASH_STR("hex"));
            return;
        }
        s->input[i] = (int8_t)(uint8_t)((uint8_t)(hi << 4) | (uint8_t)lo);
    }
    score = score_input(s);
    send_score(s, score);
}

static const char *mode_name(uint8_t mode)
{
    return mode == TINYAD_MODE_LIVE ? FLASH_STR("live") : mode == TINYAD_MODE_RAW ? FLASH_STR("raw") : FLASH_STR("replay");
}

/* "Q <mode> <rate_millihz> <frames> <windows> <overruns> <skipped> <missed>": the sampling counters since the mode began. */
TINYAD_NOINLINE static void send_status(tinyad_serial_t *s)
{
    out_line_t o;
    const tinyad_live_t *l = s->live;
    o.len = 0;
    out_flash(&o, FLASH_STR("Q "));
    out_flash(&o, mode_name(s->mode));
    out_char(&o, ' ');
    out_u32(&o, s->rate_millihz);
    out_char(&o, ' ');
    out_u32(&o, l ? tinyad_live_written(l) : 0u);
    out_char(&o, ' ');
    out_u32(&o, l ? l->windows : 0u);
    out_char(&o, ' ');
    out_u32(&o, l ? l->overruns : 0u);
    out_char(&o, ' ');
    out_u32(&o, l ? l->skipped : 0u);
    out_char(&o, ' ');
    out_u32(&o, l ? l->missed : 0u);
    out_send(s, &o);
}

int tinyad_serial_attach_live(tinyad_serial_t *s, tinyad_live_t *live, tinyad_features_fn features, int16_t *window,
                              tinyad_sampling_fn sampling, uint32_t rate_millihz)
{
    if (live == 0 || features == 0 || window == 0 || sampling == 0 || live->channels > TINYAD_SERIAL_MAX_CHANNELS) return -1;
    s->live = live;
    s->features = features;
    s->window = window;
    s->sampling = sampling;
    s->rate_millihz = rate_millihz;
    return 0;
}

/* Sampling restarts with every mode change, so window 0 (and frame 0) is the first after it. */
int tinyad_serial_set_mode(tinyad_serial_t *s, uint8_t mode)
{
    if (mode != TINYAD_MODE_REPLAY && (s->live == 0 || mode > TINYAD_MODE_RAW)) return -1;
    if (s->live != 0) {
        s->sampling(s->live, s->rate_millihz, 0u);
        tinyad_live_restart(s->live);
    }
    s->mode = TINYAD_MODE_REPLAY;
    s->seq = 0;
    tinyad_alarm_init(&s->alarm, &s->alarm.config);
    s->status_due = mode == TINYAD_MODE_RAW ? 8u * TINYAD_SERIAL_STATUS_EVERY : TINYAD_SERIAL_STATUS_EVERY;
    if (mode != TINYAD_MODE_REPLAY && s->sampling(s->live, s->rate_millihz, 1u) != 0) return -1;
    s->mode = mode;
    /* window numbers restart: learning that had not ended starts over with the new windows */
    if (mode == TINYAD_MODE_LIVE && s->learn != 0 && !tinyad_learn_done(s->learn)) (void)tinyad_learn_begin(s->learn);
    s->learn_due = TINYAD_SERIAL_STATUS_EVERY;
    return 0;
}

/* The learned threshold and re-arm level take over the alarm rule and the over-threshold bit. */
static void use_learned(tinyad_serial_t *s)
{
    s->threshold = s->learn->threshold;
    s->alarm.config.threshold = s->learn->threshold;
    s->alarm.config.rearm = s->learn->rearm;
    tinyad_alarm_init(&s->alarm, &s->alarm.config);
}

/* "L <learned> <windows>": learning's progress. */
TINYAD_NOINLINE static void send_learn_progress(tinyad_serial_t *s)
{
    out_line_t o;
    o.len = 0;
    out_flash(&o, FLASH_STR("L "));
    out_u32(&o, s->learn->learned);
    out_char(&o, ' ');
    out_u32(&o, s->learn->windows);
    out_send(s, &o);
}

void tinyad_serial_learn_status(tinyad_serial_t *s, int loaded)
{
    out_line_t o;
    if (s->learn == 0) return;
    if (loaded == 1) {
        send_learn_progress(s);
        return;
    }
    o.len = 0;
    out_flash(&o, loaded == 0 ? FLASH_STR("L stored ") : FLASH_STR("L corrupt"));
    if (loaded == 0) {
        out_s32(&o, s->learn->threshold);
        out_char(&o, ' ');
        out_s32(&o, s->learn->rearm);
    }
    out_send(s, &o);
}

int tinyad_serial_attach_learn(tinyad_serial_t *s, tinyad_learn_t *learn, tinyad_store_read_fn read, tinyad_store_write_fn write)
{
    int loaded = 1;
    s->learn = learn;
    s->store_write = write;
    if (read != 0) loaded = tinyad_learn_load(learn, s->model->hash, read);
    if (loaded != 1) use_learned(s);   /* the stored state, or the shipped model after a corrupt store */
    return loaded;
}

/* "L end <threshold> <rearm> <window> <kept>": learning ended at live window `index`; the learned state is stored. */
TINYAD_NOINLINE static void end_learning(tinyad_serial_t *s, uint32_t index)
{
    out_line_t o;
    uint8_t kept = 0;
    use_learned(s);
    if (s->store_write != 0) kept = tinyad_learn_save(s->learn, s->model->hash, s->store_write) == 0 ? 1u : 0u;
    o.len = 0;
    out_flash(&o, FLASH_STR("L end "));
    out_s32(&o, s->learn->threshold);
    out_char(&o, ' ');
    out_s32(&o, s->learn->rearm);
    out_char(&o, ' ');
    out_u32(&o, index);
    out_flash(&o, kept ? FLASH_STR(" 1") : FLASH_STR(" 0"));
    out_send(s, &o);
}

/* One live window while learning: no score; a progress line every TINYAD_SERIAL_STATUS_EVERY windows. */
static void learn_window(tinyad_serial_t *s, uint32_t index)
{
    if (tinyad_learn_window(s->learn, s->window, s->input)) {
        end_learning(s, index);
    } else if (--s->learn_due == 0u) {
        send_learn_progress(s);
        s->learn_due = TINYAD_SERIAL_STATUS_EVERY;
    }
}

/* "D <frame> <count> ...": one frame of raw samples, channel by channel. */
TINYAD_NOINLINE static void send_frame(tinyad_serial_t *s, uint32_t index, const int16_t *frame)
{
    out_line_t o;
    uint16_t c;
    o.len = 0;
    out_flash(&o, FLASH_STR("D "));
    out_u32(&o, index);
    for (c = 0; c < s->live->channels; c++) {
        out_char(&o, ' ');
        out_s32(&o, frame[c]);
    }
    out_send(s, &o);
}

static void status_tick(tinyad_serial_t *s)
{
    if (--s->status_due == 0u) {
        send_status(s);
        s->status_due = s->mode == TINYAD_MODE_RAW ? 8u * TINYAD_SERIAL_STATUS_EVERY : TINYAD_SERIAL_STATUS_EVERY;
    }
}

void tinyad_serial_poll(tinyad_serial_t *s)
{
    uint32_t index;
    if (s->mode == TINYAD_MODE_LIVE) {
        if (!tinyad_live_take_window(s->live, s->window, &index)) return;
        s->seq = index;   /* window n's score carries n: a skipped window shows as a gap */
        if (s->learn != 0 && !tinyad_learn_done(s->learn)) {
            learn_window(s, index);
        } else {
            if (s->learn != 0) tinyad_learn_features(s->learn, s->window, s->input);
            else s->features(s->window, s->input);
            send_score(s, score_input(s));
        }
        tinyad_live_finish_window(s->live);
        status_tick(s);
    } else if (s->mode == TINYAD_MODE_RAW) {
        int16_t frame[TINYAD_SERIAL_MAX_CHANNELS];
        if (!tinyad_live_take_frame(s->live, frame, &index)) return;
        send_frame(s, index, frame);
        status_tick(s);
    }
}

/* Parses an optionally signed decimal int32; returns 0 on success. */
static int parse_s32(const char *p, uint16_t len, int32_t *value)
{
    uint32_t magnitude = 0;
    uint8_t negative = 0;
    uint16_t i = 0;
    if (len > 0 && p[0] == '-') {
        negative = 1;
        i = 1;
    }
    if (i == len) return -1;
    for (; i < len; i++) {
        if (p[i] < '0' || p[i] > '9') return -1;
        if (magnitude > 214748364u) return -1;
        magnitude = magnitude * 10u + (uint32_t)(p[i] - '0');
    }
    if (magnitude > (negative ? 2147483648u : 2147483647u)) return -1;
    *value = negative ? (int32_t)(0u - magnitude) : (int32_t)magnitude;
    return 0;
}

static void execute(tinyad_serial_t *s, const char *line, uint16_t len)
{
    uint16_t star;
    uint16_t crc_given = 0;
    uint8_t i;
    out_line_t o;
    if (len < 5u || line[len - 5u] != '*') {
        send_error(s, FLASH_STR("frame"));
        return;
    }
    star = (uint16_t)(len - 5u);
    for (i = 1; i <= 4u; i++) {
        const int8_t v = hex_value(line[star + i]);
        if (v < 0) {
            send_error(s, FLASH_STR("frame"));
            return;
        }
        crc_given = (uint16_t)((crc_given << 4) | (uint16_t)v);
    }
    if (crc_given != tinyad_crc16(line, star)) {
        send_error(s, FLASH_STR("crc"));
        return;
    }
    if (star == 1u && line[0] == 'I') {
        tinyad_serial_hello(s);
    } else if (star == 1u && line[0] == 'R') {
        s->seq = 0;
        tinyad_alarm_init(&s->alarm, &s->alarm.config);   /* idle, empty history; the config (threshold) stays */
        o.len = 0;
        out_flash(&o, FLASH_STR("K R"));
        out_send(s, &o);
    } else if (star > 2u && (line[0] == 'W' || line[0] == 'G') && line[1] == ' ' && s->mode != TINYAD_MODE_REPLAY) {
        send_error(s, FLASH_STR("mode"));   /* the host's windows would interleave with the device's own */
    } else if (star > 2u && line[0] == 'W' && line[1] == ' ') {
        run_window(s, line + 2, (uint16_t)(star - 2u));
    } else if (star > 2u && line[0] == 'G' && line[1] == ' ') {
        int32_t count;
        /* G 0 would be a line without an answer; a bound keeps a fuzzer's G from running for hours */
        if (parse_s32(line + 2, (uint16_t)(star - 2u), &count) != 0 || count < 1 || (uint32_t)count > TINYAD_SERIAL_MAX_G) {
            send_error(s, FLASH_STR("arg"));
            return;
        }
        run_generated(s, (uint32_t)count);
    } else if (star > 2u && line[0] == 'T' && line[1] == ' ') {
        int32_t t;
        if (parse_s32(line + 2, (uint16_t)(star - 2u), &t) != 0) {
            send_error(s, FLASH_STR("arg"));
            return;
        }
        s->threshold = t;
        s->alarm.config.threshold = t;
        o.len = 0;
        out_flash(&o, FLASH_STR("K T "));
        out_s32(&o, t);
        out_send(s, &o);
    } else if (star == 3u && line[0] == 'V' && line[1] == ' ' && line[2] >= '1' && line[2] <= '3') {
        /* protocol version of the lines from now on; the acknowledgement of 2 and 3 carries the alarm rule
           (3's lines are 2's; what 3 adds, M, Q and D, needs no switch) */
        s->version = (uint8_t)(line[2] - '0');
        o.len = 0;
        out_flash(&o, FLASH_STR("K V "));
        out_char(&o, line[2]);
        if (s->version >= 2u) {
            out_char(&o, ' ');
            out_u32(&o, s->alarm.config.k);
            out_char(&o, ' ');
            out_u32(&o, s->alarm.config.n);
            out_char(&o, ' ');
            out_u32(&o, s->alarm.config.holdoff);
            out_char(&o, ' ');
            out_s32(&o, s->alarm.config.rearm);
        }
        out_send(s, &o);
    } else if (star > 2u && line[0] == 'V' && line[1] == ' ') {
        send_error(s, FLASH_STR("arg"));
    } else if (star > 2u && line[0] == 'M' && line[1] == ' ') {
        uint8_t mode = 255u;
        if (star == 8u && line[2] == 'r' && line[3] == 'e' && line[4] == 'p' && line[5] == 'l' && line[6] == 'a' && line[7] == 'y') mode = TINYAD_MODE_REPLAY;
        else if (star == 6u && line[2] == 'l' && line[3] == 'i' && line[4] == 'v' && line[5] == 'e') mode = TINYAD_MODE_LIVE;
        else if (star == 5u && line[2] == 'r' && line[3] == 'a' && line[4] == 'w') mode = TINYAD_MODE_RAW;
        if (mode == 255u || tinyad_serial_set_mode(s, mode) != 0) {
            send_error(s, FLASH_STR("arg"));
            return;
        }
        o.len = 0;
        out_flash(&o, FLASH_STR("K M "));
        out_flash(&o, mode_name(mode));
        out_send(s, &o);
    } else if (star == 1u && line[0] == 'Q') {
        send_status(s);
    } else if (star == 1u && line[0] == 'L') {
        /* learn again from the next live window (the mode restarts, so window 0 is the first learned) */
        if (s->learn == 0 || s->live == 0) {
            send_error(s, FLASH_STR("cmd"));
            return;
        }
        if (tinyad_learn_begin(s->learn) != 0 || tinyad_serial_set_mode(s, TINYAD_MODE_LIVE) != 0) {
            tinyad_learn_reset(s->learn);
            use_learned(s);
            send_error(s, FLASH_STR("arg"));
            return;
        }
        use_learned(s);   /* the shipped threshold until learning ends */
        o.len = 0;
        out_flash(&o, FLASH_STR("K L "));
        out_u32(&o, s->learn->windows);
        out_send(s, &o);
    } else {
        send_error(s, FLASH_STR("cmd"));
    }
}

void tinyad_serial_feed(tinyad_serial_t *s, char c)
{
    if (c == '\n') {
        uint16_t len = s->line_len;
        const uint8_t overflow = s->overflow;
        s->line_len = 0;
        s->overflow = 0;
        if (overflow) {
            send_error(s, FLASH_STR("long"));
            return;
        }
        if (len > 0 && s->line[len - 1u] == '\r') len--;
        if (len == 0) return;   /* blank lines resynchronise, they are not errors */
        execute(s, s->line, len);
        return;
    }
    if (s->overflow) return;
    if (s->line_len >= s->line_cap) {
        s->overflow = 1;
        return;
    }
    s->line[s->line_len++] = c;
}
