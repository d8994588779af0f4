package dev.proxima.cli.run

import dev.proxima.core.internal.AtomicFiles
import java.nio.ByteBuffer
import java.nio.file.Path

/** Whole-file writes that readers never see half done (a run directory may be watched while training runs). */
internal object AtomicWrite {
    fun bytes(file: Path, data: ByteArray) {
        AtomicFiles.write(file) { ch ->
            val b = ByteBuffer.wrap(data)
            while (b.hasRemaining()) ch.write(b)
        }
    }

    fun text(file: Path, text: String) = bytes(file, text.toByteArray(Charsets.UTF_8))
}
