package tinyad.codegen;

import java.util.Locale;
import java.util.Set;

import tinyad.common.DataException;

/**
 * Every string that reaches generated C, a Makefile or library metadata passes through here: model names
 * become C identifiers and file names (checked before anything is written), free text such as channel
 * names becomes comment text that cannot end its comment.
 */
public final class CNames {
    public static final int MAX_LENGTH = 32;
    private static final Set<String> RESERVED = Set.of("auto", "break", "case", "char", "const", "continue",
            "default", "do", "double", "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
            "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
            "union", "unsigned", "void", "volatile", "while", "main", "tinyad");
    /** Library headers an Arduino sketch may include: a library named like one of them would shadow it. */
    private static final Set<String> ARDUINO_RESERVED = Set.of("arduino", "wire", "spi", "eeprom", "servo",
            "software_serial", "softwareserial", "stream", "print", "hardware_serial", "hardwareserial", "wstring", "string");

    private CNames() {}

    /**
     * A lower-case C identifier made from {@code name}: letters, digits and '_' kept, other characters
     * become '_'. Names that leave nothing usable, that are C keywords, or that would collide with the
     * runtime's own files and symbols ({@code tinyad_*}: tinyad_app would make the model header
     * {@code tinyad_app_model.h}, the app's header) are refused.
     */
    public static String identifier(String name) {
        if (name == null || name.isBlank()) throw new DataException("model name is empty");
        StringBuilder b = new StringBuilder();
        for (char ch : name.toLowerCase(Locale.ROOT).toCharArray())
            b.append((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ? ch : '_');
        String id = b.toString().replaceAll("_+", "_").replaceAll("^_|_$", "");
        if (id.isEmpty()) throw new DataException("model name '" + printable(name) + "' has no letters or digits");
        if (Character.isDigit(id.charAt(0))) id = "m_" + id;
        if (id.length() > MAX_LENGTH) throw new DataException("model name '" + printable(name) + "' is longer than " + MAX_LENGTH + " characters");
        if (RESERVED.contains(id) || id.startsWith("tinyad_"))
            throw new DataException("model name '" + printable(name) + "' is reserved in C or by the tinyad runtime (tinyad_*)");
        return id;
    }

    /** {@link #identifier}, also refusing names whose Arduino library header would shadow a core one. */
    public static String arduinoIdentifier(String name) {
        String id = identifier(name);
        if (ARDUINO_RESERVED.contains(id))
            throw new DataException("model name '" + printable(name) + "' would shadow the Arduino header " + ArduinoLibrary.camel(id) + ".h");
        return id;
    }

    /**
     * Text for inside a C comment, a Makefile comment or a metadata value: printable ASCII from a whitelist,
     * anything else (a '*' or '/' that could close or open a comment, '\\' and newlines that splice lines,
     * '?' that starts a trigraph, non-ASCII) becomes '_'. At most 200 characters.
     */
    public static String commentText(String text) {
        if (text == null) return "";
        StringBuilder b = new StringBuilder();
        for (char ch : text.toCharArray()) {
            boolean ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                    || " _-+.,:;=()[]<>'%&@!^~|".indexOf(ch) >= 0;
            b.append(ok ? ch : '_');
            if (b.length() >= 200) break;
        }
        return b.toString();
    }

    /** A name as an error message may show it: one line, printable. */
    static String printable(String s) {
        return s.codePoints().map(c -> c < 0x20 || c == 0x7F ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }
}
