package dev.proxima.cli.files

import dev.proxima.core.internal.Json
import dev.proxima.core.io.AtomicFiles
import java.io.IOException
import java.nio.ByteBuffer
import java.nio.file.Path

/**
 * Whole-file writes that readers never see half done (a run directory may be watched while training runs), through
 * core's [AtomicFiles] like the checkpoints beside them; the CLI's part is a message that names the file.
 */
object AtomicWrite {
    fun bytes(file: Path, data: ByteArray) {
        try {
            AtomicFiles.write(file) { ch ->
                val b = ByteBuffer.wrap(data)
                while (b.hasRemaining()) ch.write(b)
            }
        } catch (e: IOException) {
            throw FileWriteException(file, e)
        }
    }

    fun text(file: Path, text: String) = bytes(file, text.toByteArray(Charsets.UTF_8))

    /**
     * A run file's JSON (`summary.json`, `run.json`): core's writer, two-space indentation, non-finite numbers as
     * `null` (JSON has no NaN; a NaN return means no episode had ended), and a final newline.
     */
    fun json(file: Path, value: Any?) = text(file, Json.write(value, Json.NonFinite.AS_NULL) + "\n")

    /** Deletes the temporary files of interrupted atomic writes directly in [dir]; returns their names, sorted. */
    fun removeStrayTemps(dir: Path): List<String> = AtomicFiles.removeStrayTemps(dir)
}

/** A file that could not be written: the message names it (an I/O error such as a full disk names nothing). */
class FileWriteException(val file: Path, cause: IOException) :
    IOException("cannot write $file: ${cause.message ?: cause.javaClass.simpleName}" +
        if (cause is FileWriteException) "" else diskHint(cause), cause)

private fun diskHint(e: IOException): String {
    val m = e.message.orEmpty()
    return when {
        m.contains("No space left", ignoreCase = true) -> " (the disk is full)"
        m.contains("File too large", ignoreCase = true) -> " (a file-size limit was reached)"
        m.contains("quota", ignoreCase = true) -> " (a disk quota was reached)"
        else -> ""
    }
}
