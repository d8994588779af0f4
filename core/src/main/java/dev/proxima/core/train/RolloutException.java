package dev.proxima.core.train;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A rollout could not be collected, and the collector left the run as it was after its last completed update (e.g.
 * too few remote workers are left). Unlike other failures, the run can still be {@link TrainingRun#save saved} and
 * trained again; when {@link #checkpoint()} names a file, the run saves itself there before the exception reaches
 * the caller, and {@link #savedTo()} tells whether that worked.
 */
public class RolloutException extends RuntimeException {
    private final transient Path checkpoint;
    private volatile transient Path savedTo;

    /** @param checkpoint where the run should save itself before failing, or {@code null} */
    public RolloutException(String message, Path checkpoint, Throwable cause) {
        super(message, cause);
        this.checkpoint = checkpoint;
    }

    /** Where the run should save itself before the exception reaches the caller. */
    public Optional<Path> checkpoint() {
        return Optional.ofNullable(checkpoint);
    }

    /** The checkpoint the run wrote before failing, if it wrote one. */
    public Optional<Path> savedTo() {
        return Optional.ofNullable(savedTo);
    }

    void saved(Path file) {
        this.savedTo = file;
    }

    @Override
    public String getMessage() {
        String m = super.getMessage();
        if (savedTo != null) {
            return m + "\nThe run up to its last completed update was saved to " + savedTo.toAbsolutePath()
                    + "; continue it with Trainer.resume(file) (proxima train --resume FILE) when the cause is fixed.";
        }
        return m;
    }
}
