package tinyad.common;

/**
 * A tool, build, emulator or device failed: a compiler or emulator is missing, a firmware build or an external
 * command failed or timed out, a serial port is gone, a device stopped answering. Not the user's input and
 * not a bug in tinyad. The message is one line that says what failed and what to do; the CLI prints it and
 * exits with code 3.
 */
public class ToolException extends RuntimeException {
    public ToolException(String message) {
        super(message);
    }

    public ToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
