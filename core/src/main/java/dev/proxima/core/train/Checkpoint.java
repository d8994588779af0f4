package dev.proxima.core.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Writes training checkpoints every N updates and after the last one (Stable-Baselines3's {@code CheckpointCallback}),
 * atomically: either numbered files in a directory ({@link #to}: {@code update-000010.safetensors}, optionally only the
 * last K kept), or one file replaced each time ({@link #file}, e.g. {@code last.safetensors}). A {@code TrainingRun}
 * resumes from any of them and continues exactly the run that was never interrupted.
 *
 * <pre>{@code
 * Checkpoint.every(5).to(dir).keepLast(3)
 * }</pre>
 */
public final class Checkpoint implements Callback {
    private final int every;
    private final Path dir;
    private final Path file;
    private final int keepLast;

    private Checkpoint(int every, Path dir, Path file, int keepLast) {
        this.every = every;
        this.dir = dir;
        this.file = file;
        this.keepLast = keepLast;
    }

    /** Checkpoints every {@code updates} updates (and after the last); say where with {@link #to} or {@link #file}. */
    public static Checkpoint every(int updates) {
        if (updates < 1) {
            throw new IllegalArgumentException("Checkpoint.every(" + updates + "): checkpoint every 1 or more"
                    + " updates.");
        }
        return new Checkpoint(updates, null, null, 0);
    }

    /** Numbered files {@code update-000010.safetensors} in {@code dir} (created if needed). */
    public Checkpoint to(Path dir) {
        return new Checkpoint(every, Objects.requireNonNull(dir, "dir"), null, keepLast);
    }

    /** One file, replaced atomically at every checkpoint. */
    public Checkpoint file(Path file) {
        return new Checkpoint(every, null, Objects.requireNonNull(file, "file"), 0);
    }

    /** Keeps only the newest {@code k} numbered files of {@link #to}'s directory (0, the default: all). */
    public Checkpoint keepLast(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("Checkpoint.keepLast(" + k + "): keep 0 (all) or more files.");
        }
        return new Checkpoint(every, dir, file, k);
    }

    public int every() {
        return every;
    }

    boolean hasDestination() {
        return dir != null || file != null;
    }

    /** The file name {@link #to} gives the checkpoint after {@code update}: {@code update-000010.safetensors}. */
    public static String fileName(int update) {
        return String.format(Locale.ROOT, "update-%06d.safetensors", update);
    }

    @Override
    public void onUpdate(UpdateEvent event) {
        if (event.update() % every != 0 && !event.isLast()) {
            return;
        }
        if (dir == null && file == null) {
            throw new IllegalStateException("Checkpoint.every(" + every + ") has no destination: add .to(dir) or"
                    + " .file(path).");
        }
        try {
            if (file != null) {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                event.save(file);
                return;
            }
            Files.createDirectories(dir);
            event.save(dir.resolve(fileName(event.update())));
            if (keepLast > 0) {
                prune();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint of update " + event.update() + " to "
                    + (file != null ? file : dir) + ": " + e.getMessage(), e);
        }
    }

    private void prune() throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "update-[0-9]*.safetensors")) {
            ds.forEach(files::add);
        }
        files.sort(null);
        for (int i = 0; i < files.size() - keepLast; i++) {
            Files.deleteIfExists(files.get(i));
        }
    }

    @Override
    public String toString() {
        return "Checkpoint(every=" + every + (dir != null ? ", to=" + dir : "") + (file != null ? ", file=" + file : "")
                + (keepLast > 0 ? ", keepLast=" + keepLast : "") + ")";
    }
}
