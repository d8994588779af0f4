package dev.proxima.core.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Replaces a file so that readers see either the old content or the complete new one, never a partial write: the
 * content goes to a temporary file in the same directory, is forced to disk, and is then renamed over the target
 * ({@link StandardCopyOption#ATOMIC_MOVE}, falling back to {@link StandardCopyOption#REPLACE_EXISTING} where the file
 * system cannot rename atomically). A crash leaves at worst a stray {@code .NAME.<hex>.tmp} file, which
 * {@link #removeStrayTemps} deletes when the directory is used again. Checkpoints, ONNX exports and the CLI's run files
 * are all written through here.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** The temporary files of {@link #write}: {@code .} + target name + {@code .} + hex digits + {@code .tmp}. */
    private static final Pattern TEMP_NAME = Pattern.compile("^\\..+\\.[0-9a-f]{1,16}\\.tmp$");

    /** Writes the content of a file through a channel. */
    @FunctionalInterface
    public interface ChannelWriter {
        void write(FileChannel channel) throws IOException;
    }

    /** Replaces {@code target} with what {@code writer} writes; the directory must exist. */
    public static void write(Path target, ChannelWriter writer) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(String.valueOf(dir), null,
                    "cannot write " + abs + ": its directory does not exist; create it first");
        }
        Path tmp = createTemp(dir, abs.getFileName().toString());
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                writer.write(ch);
                ch.force(true); // the data must be on disk before the rename makes it visible
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
            syncDirectory(dir);
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static Path createTemp(Path dir, String name) throws IOException {
        // Not Files.createTempFile: it creates the file with mode 0600, and the rename would give the target that
        // mode. CREATE_NEW gives the usual umask-derived permissions.
        for (int attempt = 0; ; attempt++) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
            Path tmp = dir.resolve("." + name + "." + suffix + ".tmp");
            try {
                Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** Makes the rename itself durable on POSIX file systems; elsewhere a directory cannot be opened, which is fine. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Best effort: the data itself is already on disk.
        }
    }

    /**
     * Deletes the temporary files that interrupted {@link #write}s left directly in {@code dir} (regular files named
     * like ours only; links and other files are kept) and returns their names, sorted. A missing directory has none.
     */
    public static List<String> removeStrayTemps(Path dir) throws IOException {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        DirectoryStream.Filter<Path> ours = p -> TEMP_NAME.matcher(p.getFileName().toString()).matches()
                && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ours)) {
            for (Path p : ds) {
                if (Files.deleteIfExists(p)) {
                    removed.add(p.getFileName().toString());
                }
            }
        }
        removed.sort(null);
        return removed;
    }
}
