package dev.proxima.core.internal;

/**
 * Malformed JSON input, or a value {@link Json} cannot write. For input errors the message starts with the source
 * (when known), then the 1-based line and column of the offending character.
 */
public class JsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;

    /** An input error at {@code line}, {@code column} (1-based). */
    public JsonException(String message, int line, int column) {
        super(message);
        this.line = line;
        this.column = column;
    }

    /** An error that has no input position (writing). */
    public JsonException(String message) {
        this(message, 0, 0);
    }

    /** 1-based line of the error in the input, or 0 when writing. */
    public int line() {
        return line;
    }

    /** 1-based column (in UTF-16 chars) of the error in the input, or 0 when writing. */
    public int column() {
        return column;
    }
}
