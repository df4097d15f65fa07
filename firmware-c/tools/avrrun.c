/* SPDX-License-Identifier: Apache-2.0 */
/*
 * avrrun: runs AVR firmware in simavr with USART0 on stdin/stdout, the way a serial port would carry it.
 *
 *   avrrun [-m atmega328p] [-f 16000000] [-c] [-p] firmware.elf
 *
 * With -p the UART is a new pseudo-terminal instead of stdin/stdout: "avrrun: pty /dev/pts/N" is printed
 * and the host opens that path like a board's serial port; the simulation runs until killed.
 *
 * TX bytes go to stdout as the firmware sends them. Host bytes from stdin are injected one at a time,
 * each only after the firmware has read the previous one from UDR0 (RXC0 went 1 -> 0), so a busy
 * firmware never overruns and nothing is dropped. After stdin ends, the simulation runs on for 0.5 s of
 * simulated time so the last answers come out, then exits 0. A crash exits 1; firmware that stops
 * (cli + sleep) exits 0. -c prints the exact cycle count to stderr at exit. -s reads no input and runs
 * until the firmware stops (self-contained test programs).
 *
 * An emulated sensor for live firmware: -a feed.csv gives the analog inputs, one row per sample time and one
 * integer column per ADC channel (0 .. 1023; a first line that is not numbers is a header), -r the rows' rate
 * in samples per 1000 s. Each conversion the firmware starts on channel c at cycle t reads column c of row
 * floor(t * rate / (1000 * f)) (the last row after the end): the signal is a function of simulated time, as a
 * real sensor's is, so a firmware that drifts or misses a tick reads other rows. AVCC is set to 1023 mV so
 * that simavr's conversion (mV * 1023 / AVCC) gives the row's value exactly. -l file logs every conversion as
 * "cycle,row,channel,value". -t ms ends the run after that much simulated time (exit 0).
 *
 * -e eeprom.bin keeps the EEPROM in a file, as a board keeps it across power cycles: loaded at start when the file
 * exists (else the erased 0xFF), written back when the run ends. Two runs with the same file are a reset.
 *
 * Build: cc -O2 -o avrrun avrrun.c -lsimavr -lelf   (Debian: libsimavr-dev)
 */
#define _DEFAULT_SOURCE
#define _XOPEN_SOURCE 600
#include <fcntl.h>
#include <signal.h>
#include <poll.h>
#include <termios.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <simavr/avr_adc.h>
#include <simavr/avr_eeprom.h>
#include <simavr/avr_uart.h>
#include <simavr/sim_avr.h>
#include <simavr/sim_elf.h>

#define UCSR0A 0xC0
#define UCSR0B 0xC1
#define RXC0_BIT 0x80
#define RXEN0_BIT 0x10

/* SIGTERM/SIGINT end the run as its time limit would: the log is complete up to that cycle */
static volatile sig_atomic_t stop_requested;
static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static int uart_out = -1; /* -1: stdout; else the pty master */
static int uart_in = 0;

static void on_tx(struct avr_irq_t *irq, uint32_t value, void *param)
{
    unsigned char c = (unsigned char)(value & 0xFF);
    (void)irq;
    (void)param;
    if (uart_out >= 0) {
        if (write(uart_out, &c, 1) != 1) { /* nobody reading: the byte is dropped, as on a real UART */ }
        return;
    }
    putchar(c);
    if (c == '\n') fflush(stdout);
}

/* A pty whose slave side stays open here, in raw mode, so writes never fail while no host is attached. */
static int open_pty(void)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) return -1;
    const char *name = ptsname(master);
    int slave = open(name, O_RDWR | O_NOCTTY);
    if (slave < 0) return -1;
    struct termios t;
    tcgetattr(slave, &t);
    cfmakeraw(&t);
    tcsetattr(slave, TCSANOW, &t);
    printf("avrrun: pty %s\n", name);
    fflush(stdout);
    return master;
}

/* The emulated sensor: rows x columns of counts, read at a fixed rate of simulated time. */
static int *feed;
static long feed_rows;
static int feed_cols;
static unsigned long long feed_rate_millihz;
static avr_t *feed_avr;
static avr_irq_t *adc_in;
static FILE *adc_log;

static int load_feed(const char *path)
{
    FILE *f = fopen(path, "r");
    char buf[1024];
    long cap = 0;
    if (!f) return -1;
    while (fgets(buf, sizeof buf, f)) {
        int vals[16], n = 0;
        char *p = buf, *end;
        for (;;) {
            long v = strtol(p, &end, 10);
            if (end == p || n == 16) break;
            vals[n++] = (int)(v < 0 ? 0 : v > 1023 ? 1023 : v);
            p = end;
            while (*p == ' ') p++;
            if (*p != ',') break;
            p++;
        }
        if (n == 0 || (*p != '\n' && *p != '\r' && *p != 0)) {
            if (feed_rows == 0) continue;   /* a header */
            fclose(f);
            return -1;
        }
        if (feed_rows == 0) feed_cols = n;
        if (n != feed_cols) break;
        if (feed_rows == cap) {
            cap = cap ? cap * 2 : 4096;
            feed = realloc(feed, (size_t)cap * (size_t)feed_cols * sizeof *feed);
            if (!feed) return -1;
        }
        memcpy(feed + feed_rows * feed_cols, vals, (size_t)n * sizeof *vals);
        feed_rows++;
    }
    fclose(f);
    return feed_rows > 0 ? 0 : -1;
}

/* A conversion starts: put the channel's value for this instant on its pin. */
static void on_adc_trigger(struct avr_irq_t *irq, uint32_t value, void *param)
{
    union {
        avr_adc_mux_t mux;
        uint32_t v;
    } e;
    (void)irq;
    (void)param;
    e.v = value;
    if (e.mux.kind != ADC_MUX_SINGLE) return;
    int channel = e.mux.src;
    unsigned long long row = (unsigned long long)feed_avr->cycle * feed_rate_millihz / (1000ull * feed_avr->frequency);
    if ((long long)row >= feed_rows) row = (unsigned long long)(feed_rows - 1);
    int v = channel < feed_cols ? feed[row * (unsigned long long)feed_cols + (unsigned long long)channel] : 0;
    avr_raise_irq(adc_in + channel, (uint32_t)v);
    if (adc_log) fprintf(adc_log, "%llu,%llu,%d,%d\n", (unsigned long long)feed_avr->cycle, row, channel, v);
}

static int read_stdin_byte(unsigned char *c)
{
    struct pollfd p;
    p.fd = uart_in;
    p.events = POLLIN;
    p.revents = 0;
    if (poll(&p, 1, 0) <= 0) return 0;
    return read(uart_in, c, 1) == 1 ? 1 : -1;
}

/* The whole EEPROM from (save = 0; a missing file leaves it erased) or to (save = 1) a file. */
static int eeprom_file(avr_t *avr, const char *path, int save)
{
    static uint8_t image[65536];
    const size_t size = (size_t)avr->e2end + 1u;
    avr_eeprom_desc_t d;
    FILE *f;
    size_t n;
    memset(&d, 0, sizeof d);
    if (save) {
        d.size = (uint32_t)size;   /* ee NULL: simavr points it at the EEPROM (and returns -1 whatever it did) */
        (void)avr_ioctl(avr, AVR_IOCTL_EEPROM_GET, &d);
        if (d.ee == NULL || !(f = fopen(path, "wb"))) return -1;
        n = fwrite(d.ee, 1, size, f);
        return fclose(f) == 0 && n == size ? 0 : -1;
    }
    if (!(f = fopen(path, "rb"))) return 0;
    n = fread(image, 1, size, f);
    fclose(f);
    if (n == 0) return 0;
    d.ee = image;
    d.size = (uint32_t)n;
    (void)avr_ioctl(avr, AVR_IOCTL_EEPROM_SET, &d);   /* its return value says nothing either: check what it holds */
    memset(&d, 0, sizeof d);
    d.size = (uint32_t)n;
    (void)avr_ioctl(avr, AVR_IOCTL_EEPROM_GET, &d);
    return d.ee != NULL && memcmp(d.ee, image, n) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *mcu = "atmega328p";
    const char *path = NULL;
    uint32_t freq = 16000000;
    int print_cycles = 0;
    int use_pty = 0;
    int no_input = 0;
    const char *feed_path = NULL, *log_path = NULL, *eeprom_path = NULL;
    unsigned long long limit_ms = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-m") && i + 1 < argc) mcu = argv[++i];
        else if (!strcmp(argv[i], "-f") && i + 1 < argc) freq = (uint32_t)strtoul(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "-c")) print_cycles = 1;
        else if (!strcmp(argv[i], "-p")) use_pty = 1;
        else if (!strcmp(argv[i], "-s")) no_input = 1;
        else if (!strcmp(argv[i], "-a") && i + 1 < argc) feed_path = argv[++i];
        else if (!strcmp(argv[i], "-r") && i + 1 < argc) feed_rate_millihz = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "-l") && i + 1 < argc) log_path = argv[++i];
        else if (!strcmp(argv[i], "-t") && i + 1 < argc) limit_ms = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(argv[i], "-e") && i + 1 < argc) eeprom_path = argv[++i];
        else path = argv[i];
    }
    if (!path) {
        fprintf(stderr, "usage: %s [-m mcu] [-f hz] [-c] [-p | -s] [-a feed.csv -r millihz [-l adc.log]] [-t ms] [-e eeprom.bin] firmware.elf\n", argv[0]);
        return 2;
    }

    elf_firmware_t fw;
    memset(&fw, 0, sizeof fw);
    /* simavr prints "Loaded ..." on stdout, which is the serial stream here: hide it */
    fflush(stdout);
    int saved_stdout = dup(1);
    if (!freopen("/dev/null", "w", stdout)) return 2;
    int bad = elf_read_firmware(path, &fw);
    avr_t *avr = bad ? NULL : avr_make_mcu_by_name(mcu);
    if (avr) {
        avr_init(avr);
        avr->log = LOG_ERROR;
        fw.frequency = freq;
        avr_load_firmware(avr, &fw);
        avr->frequency = freq;
    }
    fflush(stdout);
    dup2(saved_stdout, 1);
    close(saved_stdout);
    clearerr(stdout);
    if (bad) {
        fprintf(stderr, "avrrun: cannot read %s\n", path);
        return 2;
    }
    if (!avr) {
        fprintf(stderr, "avrrun: unknown mcu %s\n", mcu);
        return 2;
    }

    if (use_pty) {
        uart_in = uart_out = open_pty();
        if (uart_in < 0) {
            fprintf(stderr, "avrrun: cannot create a pseudo-terminal\n");
            return 2;
        }
    }

    if (feed_path) {
        if (feed_rate_millihz == 0 || load_feed(feed_path) != 0) {
            fprintf(stderr, "avrrun: cannot use %s as a sensor feed (integer columns, and -r the rate)\n", feed_path);
            return 2;
        }
        if (log_path && !(adc_log = fopen(log_path, "w"))) {
            fprintf(stderr, "avrrun: cannot write %s\n", log_path);
            return 2;
        }
        feed_avr = avr;
        avr->avcc = 1023;   /* millivolts: the conversion then gives the value in the feed */
        avr->aref = 1023;
        adc_in = avr_io_getirq(avr, AVR_IOCTL_ADC_GETIRQ, ADC_IRQ_ADC0);
        avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_ADC_GETIRQ, ADC_IRQ_OUT_TRIGGER), on_adc_trigger, NULL);
    }
    if (eeprom_path && eeprom_file(avr, eeprom_path, 0) != 0) {
        fprintf(stderr, "avrrun: cannot read %s as the EEPROM\n", eeprom_path);
        return 2;
    }
    signal(SIGTERM, on_stop);
    signal(SIGINT, on_stop);
    avr_cycle_count_t limit_cycles = limit_ms ? (avr_cycle_count_t)(limit_ms * (freq / 1000u)) : 0;

    uint32_t flags = 0;
    avr_ioctl(avr, AVR_IOCTL_UART_GET_FLAGS('0'), &flags);
    flags &= ~(AVR_UART_FLAG_STDIO | AVR_UART_FLAG_POLL_SLEEP);
    avr_ioctl(avr, AVR_IOCTL_UART_SET_FLAGS('0'), &flags);
    avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_OUTPUT), on_tx, NULL);
    avr_irq_t *rx = avr_io_getirq(avr, AVR_IOCTL_UART_GETIRQ('0'), UART_IRQ_INPUT);

    int state = cpu_Running;
    int in_flight = 0, delivered = 0, eof = 0;
    unsigned long steps = 0;
    avr_cycle_count_t stop_at = 0;
    while (state != cpu_Done && state != cpu_Crashed) {
        state = avr_run(avr);
        if (stop_requested || (limit_cycles && avr->cycle >= limit_cycles)) break;
        if (in_flight) {
            /* wait for the byte to reach UDR0 and then for the firmware to read it */
            int rxc = avr->data[UCSR0A] & RXC0_BIT;
            if (rxc) delivered = 1;
            else if (delivered) in_flight = delivered = 0;
            continue;
        }
        if (eof) {
            if (!limit_cycles && avr->cycle >= stop_at) break;   /* with -t the run goes on to its end */
            continue;
        }
        if (no_input) continue;
        if ((avr->data[UCSR0B] & RXEN0_BIT) && (++steps & 255u) == 0) {
            unsigned char c;
            int r = read_stdin_byte(&c);
            if (r == 1) {
                avr_raise_irq(rx, c);
                in_flight = 1;
            } else if (r < 0) {
                eof = 1;
                stop_at = avr->cycle + freq / 2;
            }
        }
    }
    fflush(stdout);
    if (adc_log) fclose(adc_log);
    if (eeprom_path && eeprom_file(avr, eeprom_path, 1) != 0) {
        fprintf(stderr, "avrrun: cannot write the EEPROM to %s\n", eeprom_path);
        return 2;
    }
    if (print_cycles) fprintf(stderr, "avrrun: %llu cycles\n", (unsigned long long)avr->cycle);
    if (state == cpu_Crashed) {
        fprintf(stderr, "avrrun: firmware crashed at pc 0x%04x\n", avr->pc);
        return 1;
    }
    return 0;
}
