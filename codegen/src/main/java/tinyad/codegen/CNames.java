package tinyad.codegen;

import java.util.Locale;
import java.util.Set;

import tinyad.common.DataException;

/** Model names become C identifiers and file names, so they are checked before anything is written. */
public final class CNames {
    public static final int MAX_LENGTH = 32;
    private static final Set<String> RESERVED = Set.of("auto", "break", "case", "char", "const", "continue",
            "default", "do", "double", "else", "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long",
            "register", "restrict", "return", "short", "signed", "sizeof", "static", "struct", "switch", "typedef",
            "union", "unsigned", "void", "volatile", "while", "main", "tinyad");

    private CNames() {}

    /**
     * A lower-case C identifier made from {@code name}: letters, digits and '_' kept, other characters
     * become '_'. Names that leave nothing usable, or that are C keywords, are refused.
     */
    public static String identifier(String name) {
        if (name == null || name.isBlank()) throw new DataException("model name is empty");
        StringBuilder b = new StringBuilder();
        for (char ch : name.toLowerCase(Locale.ROOT).toCharArray())
            b.append((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ? ch : '_');
        String id = b.toString().replaceAll("_+", "_").replaceAll("^_|_$", "");
        if (id.isEmpty()) throw new DataException("model name '" + name + "' has no letters or digits");
        if (Character.isDigit(id.charAt(0))) id = "m_" + id;
        if (id.length() > MAX_LENGTH) throw new DataException("model name '" + name + "' is longer than " + MAX_LENGTH + " characters");
        if (RESERVED.contains(id)) throw new DataException("model name '" + name + "' is reserved in C or by tinyad");
        return id;
    }
}
