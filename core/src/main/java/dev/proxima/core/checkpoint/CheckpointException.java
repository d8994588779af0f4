package dev.proxima.core.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint that cannot be read, is damaged, or does not fit what it is loaded into. The message names the file,
 * and where it applies the metadata key or tensor, the value found and what was expected.
 */
public class CheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code <file>: damaged or incompatible checkpoint: <what>.} */
    static CheckpointException corrupt(Path file, String what) {
        return new CheckpointException(file + ": damaged or incompatible checkpoint: " + what + ".");
    }
}
