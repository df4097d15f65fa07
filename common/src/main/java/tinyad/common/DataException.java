package tinyad.common;

/**
 * Bad user input (a malformed file, a missing channel, a value that is not a number, ...).
 * The message is one line that says what and where; the CLI prints it and exits with code 2. A failing tool,
 * build, emulator or device is a {@link ToolException} instead.
 */
public class DataException extends RuntimeException {
    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
