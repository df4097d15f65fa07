package tinyad.devicebridge;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Host side of the tinyad serial protocol, versions 1 and 2 (spec: docs/serial-protocol.md). A device announces the
 * highest version it speaks and answers in version 1 until the host sends {@code V 2}.
 * Every line is {@code <payload>*<CRC-16/CCITT-FALSE of payload, 4 hex digits>}.
 */
public final class Protocol {
    public static final int VERSION = 3;

    /** Most channels a raw-mode D line carries (the firmware's TINYAD_SERIAL_MAX_CHANNELS). */
    public static final int MAX_RAW_CHANNELS = 8;

    private Protocol() {}

    public static int crc16(byte[] data, int len) {
        int crc = 0xFFFF;
        for (int i = 0; i < len; i++) {
            crc ^= (data[i] & 0xFF) << 8;
            for (int b = 0; b < 8; b++) crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
        }
        return crc;
    }

    /** The framed line for a payload, newline included. */
    public static String frame(String payload) {
        byte[] b = payload.getBytes(StandardCharsets.US_ASCII);
        return payload + String.format(Locale.ROOT, "*%04X\n", crc16(b, b.length));
    }

    /** {@code W <hex>}: one quantized window to score. */
    public static String window(byte[] input) {
        StringBuilder b = new StringBuilder(2 + 2 * input.length).append("W ");
        for (byte v : input) b.append(Character.toUpperCase(Character.forDigit((v >> 4) & 0xF, 16)))
                .append(Character.toUpperCase(Character.forDigit(v & 0xF, 16)));
        return frame(b.toString());
    }

    /** A device line, parsed. */
    public sealed interface Message permits Hello, Score, Event, Error, Ack, Status, Frame, Learn {}

    /** The device's announcement; {@code nextSeq} is 0 right after boot or a counter reset. */
    public record Hello(int version, String model, String hash, int inputLen, int threshold, long nextSeq) implements Message {}

    /** {@code alarm}: score over the threshold; {@code state}: the alarm rule's alarm (1 on, 0 off; -1 in version 1 lines). */
    public record Score(long seq, int score, boolean alarm, int state) implements Message {
        public Score(long seq, int score, boolean alarm) {
            this(seq, score, alarm, -1);
        }
    }

    /** Version 2 {@code A <seq> S <score>} (an alarm event starts at window seq) or {@code A <seq> E <peak>} (it ends there). */
    public record Event(long seq, boolean start, int value) implements Message {}

    public record Error(String code) implements Message {}

    /** {@code Q}: the device's mode and its sampling counters since the mode began (protocol 3). */
    public record Status(String mode, long rateMillihz, long frames, long windows, long overruns, long skipped, long missed)
            implements Message {}

    /** {@code D}: one frame of raw samples, the counts of every channel (protocol 3, raw mode). */
    public record Frame(long index, int[] counts) implements Message {}

    public record Ack(String what) implements Message {}

    /**
     * {@code L}: on-device learning (a firmware exported with --learn). {@code state} is "progress" ({@code L <learned>
     * <windows>}), "end" ({@code L end <threshold> <rearm> <window> <kept>}: learning ended at live window {@code window},
     * the result kept in the store or not), "stored" ({@code L stored <threshold> <rearm>}: loaded at boot) or
     * "corrupt" ({@code L corrupt}: the store failed its check, the shipped model runs); unused fields are 0.
     */
    public record Learn(String state, long learned, long windows, int threshold, int rearm, long window, boolean kept) implements Message {}

    /** Thrown for a line that fails its CRC or does not parse: the caller counts it and reads on. */
    public static final class BadLine extends Exception {
        public BadLine(String message) {
            super(message);
        }
    }

    /** A sequence number: the device's uint32_t in plain decimal digits (no sign, no 20-digit longs). */
    static long uint32(String s) throws BadLine {
        if (!s.matches("\\d{1,10}")) throw new BadLine("bad sequence number '" + s + "'");
        long v = Long.parseLong(s);
        if (v > 0xFFFF_FFFFL) throw new BadLine("sequence number " + s + " outside uint32");
        return v;
    }

    /** A score or threshold: a signed decimal int32 as the device prints it. */
    static int int32(String s) throws BadLine {
        if (!s.matches("-?\\d{1,10}")) throw new BadLine("bad number '" + s + "'");
        return Integer.parseInt(s);   // out of int32: NumberFormatException, a bad line below
    }

    /** Parses one line (without its newline; a trailing CR is ignored). */
    public static Message parse(String line) throws BadLine {
        if (line.endsWith("\r")) line = line.substring(0, line.length() - 1);
        int star = line.length() - 5;
        if (star < 1 || line.charAt(star) != '*') throw new BadLine("no CRC frame");
        String payload = line.substring(0, star);
        int crc;
        try {
            crc = Integer.parseInt(line.substring(star + 1), 16);
        } catch (NumberFormatException e) {
            throw new BadLine("bad CRC digits");
        }
        byte[] b = payload.getBytes(StandardCharsets.ISO_8859_1);
        if (crc != crc16(b, b.length)) throw new BadLine("CRC mismatch");
        String[] f = payload.split(" ", -1);
        try {
            switch (f[0]) {
                case "H":
                    if (f.length != 7) throw new BadLine("bad hello");
                    // names reach terminals and messages: a C identifier and 16 hex digits, nothing else
                    if (!f[2].matches("[A-Za-z0-9_]{1,32}") || !f[3].matches("[0-9a-f]{16}")) throw new BadLine("bad model name or hash");
                    return new Hello(Integer.parseInt(f[1]), f[2], f[3], Integer.parseInt(f[4]), int32(f[5]), uint32(f[6]));
                case "S":
                    if ((f.length != 4 && f.length != 5) || !(f[3].equals("0") || f[3].equals("1"))
                            || (f.length == 5 && !(f[4].equals("0") || f[4].equals("1")))) throw new BadLine("bad score line");
                    return new Score(uint32(f[1]), int32(f[2]), f[3].equals("1"), f.length == 5 ? Integer.parseInt(f[4]) : -1);
                case "A":
                    if (f.length != 4 || !(f[2].equals("S") || f[2].equals("E"))) throw new BadLine("bad alarm event line");
                    return new Event(uint32(f[1]), f[2].equals("S"), int32(f[3]));
                case "E":
                    if (f.length != 2 || !f[1].matches("[a-z]{1,16}")) throw new BadLine("bad error line");
                    return new Error(f[1]);
                case "Q":
                    if (f.length != 8 || !f[1].matches("replay|live|raw")) throw new BadLine("bad status line");
                    return new Status(f[1], uint32(f[2]), uint32(f[3]), uint32(f[4]), uint32(f[5]), uint32(f[6]), uint32(f[7]));
                case "D":
                    if (f.length < 3 || f.length > 2 + MAX_RAW_CHANNELS) throw new BadLine("bad frame line");
                    int[] counts = new int[f.length - 2];
                    for (int i = 0; i < counts.length; i++) {
                        counts[i] = int32(f[i + 2]);
                        if (counts[i] < Short.MIN_VALUE || counts[i] > Short.MAX_VALUE) throw new BadLine("count outside int16");
                    }
                    return new Frame(uint32(f[1]), counts);
                case "L":
                    if (f.length == 3) return new Learn("progress", uint32(f[1]), uint32(f[2]), 0, 0, 0, false);
                    if (f.length == 6 && f[1].equals("end") && (f[5].equals("0") || f[5].equals("1")))
                        return new Learn("end", 0, 0, int32(f[2]), int32(f[3]), uint32(f[4]), f[5].equals("1"));
                    if (f.length == 4 && f[1].equals("stored")) return new Learn("stored", 0, 0, int32(f[2]), int32(f[3]), 0, true);
                    if (f.length == 2 && f[1].equals("corrupt")) return new Learn("corrupt", 0, 0, 0, 0, 0, false);
                    throw new BadLine("bad learning line");
                case "K":
                    return new Ack(payload.substring(Math.min(2, payload.length())));
                default:
                    throw new BadLine("unknown line type '" + f[0] + "'");
            }
        } catch (NumberFormatException e) {
            throw new BadLine("bad number in '" + payload + "'");
        }
    }
}
