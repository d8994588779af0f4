package dev.proxima.cli.files

import dev.proxima.cli.CommandException
import java.io.IOException
import java.nio.file.FileSystemException
import java.nio.file.Files
import java.nio.file.LinkOption
import java.nio.file.NoSuchFileException
import java.nio.file.Path

/**
 * Checks of the files a command is given, so that each mistake gets its own message: a missing file, a dangling link,
 * a symbolic-link loop, a directory where a file is expected (with the file a run directory holds, when it is one), an
 * unreadable file, and an output file that names a directory.
 */
object InputFiles {
    /**
     * [path] (as the user typed it: [shown]) must be a readable regular file; [what] names it in messages
     * ("script", "checkpoint"), [inDirectory] suggests a file when a directory is given.
     */
    fun requireReadableFile(path: Path, shown: String, what: String, inDirectory: (Path) -> String? = { null }): Path {
        problem(path, shown)?.let { throw CommandException(it) }
        if (Files.isDirectory(path)) {
            val hint = inDirectory(path)?.let { " Did you mean $it?" } ?: ""
            throw CommandException("$shown is a directory, not a $what file.$hint")
        }
        if (!Files.isRegularFile(path)) throw CommandException("$shown is not a regular file (a device or a pipe?); give a $what file.")
        if (!Files.isReadable(path)) throw CommandException("cannot read $shown: permission denied.")
        return path
    }

    /**
     * The checkpoint a command reads ([shown] as typed, relative to [workDir]); given a run directory, the message
     * suggests the checkpoint it holds (best, else last).
     */
    fun requireCheckpoint(workDir: Path, shown: String): Path =
        requireReadableFile(workDir.resolve(shown), shown, "checkpoint") { dir ->
            listOf("checkpoints/best.safetensors", "best.safetensors", "checkpoints/last.safetensors")
                .firstOrNull { Files.isRegularFile(dir.resolve(it)) }?.let { "$shown/$it" }
        }

    /** [path] must exist (file or directory): the message says why it does not. */
    fun requireExisting(path: Path, shown: String): Path {
        problem(path, shown)?.let { throw CommandException(it) }
        return path
    }

    /**
     * An output file: it may exist as a file (it is replaced) but must not be a directory, and its parent directory
     * must exist.
     */
    fun requireWritableTarget(path: Path, shown: String, option: String, example: String): Path {
        if (Files.isDirectory(path)) {
            throw CommandException("$option $shown is a directory; give a file name, e.g. ${Path.of(shown).resolve(example)}.")
        }
        val parent = path.toAbsolutePath().parent
        if (parent != null && !Files.isDirectory(parent)) {
            throw CommandException("$option $shown: the directory ${parent} does not exist; create it first.")
        }
        return path
    }

    /** Why [path] cannot be opened: missing, a dangling link, a link loop, or null when it exists. */
    fun problem(path: Path, shown: String): String? {
        if (Files.exists(path)) return null
        if (Files.isSymbolicLink(path)) {
            return try {
                path.toRealPath()
                null
            } catch (e: FileSystemException) {
                val reason = e.reason.orEmpty()
                if (reason.contains("symbolic links", ignoreCase = true) || reason.contains("loop", ignoreCase = true)) {
                    "$shown is a symbolic link that loops (${reason.ifEmpty { "too many levels of symbolic links" }})."
                } else {
                    val target = try { Files.readSymbolicLink(path).toString() } catch (x: IOException) { "?" }
                    "$shown is a symbolic link to $target, which does not exist."
                }
            } catch (e: IOException) {
                "cannot open $shown: ${e.message}"
            }
        }
        // A loop further up the path also makes exists() false: look for the first component that cannot be resolved.
        var p: Path? = path.toAbsolutePath()
        val parents = ArrayList<Path>()
        while (p != null) { parents.add(p); p = p.parent }
        for (q in parents.asReversed()) {
            if (Files.isSymbolicLink(q) && !Files.exists(q)) {
                try {
                    q.toRealPath()
                } catch (e: NoSuchFileException) {
                    break
                } catch (e: FileSystemException) {
                    return "cannot open $shown: ${q} is a symbolic link that loops (${e.reason})."
                }
            }
            if (!Files.exists(q, LinkOption.NOFOLLOW_LINKS)) break
        }
        return "no such file: $shown"
    }
}
