package dev.proxima.cli.files

import java.io.IOException
import java.nio.ByteBuffer
import java.nio.channels.FileChannel
import java.nio.file.AtomicMoveNotSupportedException
import java.nio.file.DirectoryStream
import java.nio.file.FileAlreadyExistsException
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardCopyOption
import java.nio.file.StandardOpenOption
import java.util.concurrent.ThreadLocalRandom

/**
 * Whole-file writes that readers never see half done (a run directory may be watched while training runs): the bytes
 * go to `.NAME.<hex>.tmp` beside the target (the naming core's checkpoint writer uses too), are forced to disk, and the
 * temporary file is renamed over the target. A failed write removes its temporary file; a killed process leaves it,
 * and [removeStrayTemps] cleans such files when the directory is used again.
 */
object AtomicWrite {
    /** Our temporary files: `.` + target name + `.` + hex digits + `.tmp` (also core's `AtomicFiles`). */
    val TEMP_NAME = Regex("""^\..+\.[0-9a-f]{1,16}\.tmp$""")

    fun bytes(file: Path, data: ByteArray) {
        val abs = file.toAbsolutePath()
        val dir = abs.parent
        val tmp = dir.resolve("." + abs.fileName + "." + java.lang.Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp")
        var moved = false
        try {
            FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).use { ch ->
                val b = ByteBuffer.wrap(data)
                while (b.hasRemaining()) ch.write(b)
                ch.force(true)
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE)
            } catch (e: AtomicMoveNotSupportedException) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING)
            } catch (e: FileAlreadyExistsException) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING)
            }
            moved = true
        } catch (e: IOException) {
            throw FileWriteException(file, e)
        } finally {
            if (!moved) {
                try {
                    Files.deleteIfExists(tmp)
                } catch (e: IOException) {
                    // the write already failed; that error is the one to report
                }
            }
        }
    }

    fun text(file: Path, text: String) = bytes(file, text.toByteArray(Charsets.UTF_8))

    /**
     * Deletes the temporary files of interrupted atomic writes (ours and core's, by their naming pattern, regular files
     * only) directly in [dir]; returns their names.
     */
    fun removeStrayTemps(dir: Path): List<String> {
        if (!Files.isDirectory(dir)) return emptyList()
        val removed = ArrayList<String>()
        Files.newDirectoryStream(dir, DirectoryStream.Filter { p ->
            TEMP_NAME.matches(p.fileName.toString()) && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
        }).use { ds -> ds.forEach { p -> if (Files.deleteIfExists(p)) removed += p.fileName.toString() } }
        return removed.sorted()
    }
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
