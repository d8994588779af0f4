package dev.proxima.cli.run

import dev.proxima.cli.files.AtomicWrite
import dev.proxima.cli.files.FileWriteException
import dev.proxima.core.ppo.UpdateStats
import java.io.BufferedWriter
import java.io.Closeable
import java.io.IOException
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.StandardOpenOption

/**
 * A CSV file of the run directory with one row per update (or per evaluation), appended and flushed row by row so
 * that it can be followed while training runs. Its first column is always `update`.
 *
 * A resumed run first cuts the file back to the rows of the updates its checkpoint holds ([truncate]): a run killed
 * after its last checkpoint has already written rows that the resumed run writes again, and a kill in the middle of a
 * row leaves half a line.
 */
open class CsvLog(val file: Path, private var header: List<String>?) : Closeable {
    private var out: BufferedWriter? = null

    val columns: List<String>? get() = header

    /** Appends a row; the first call on a file without a header writes [header] first. */
    protected fun append(headerIfNew: () -> List<String>, row: List<String>) {
        try {
            val w = out ?: Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND).also { out = it }
            if (header == null) {
                header = headerIfNew()
                w.write(header!!.joinToString(",") { quote(it) })
                w.newLine()
            }
            w.write(row.joinToString(","))
            w.newLine()
            w.flush()
        } catch (e: IOException) {
            throw FileWriteException(file, e)
        }
    }

    override fun close() {
        out?.close()
        out = null
    }

    companion object {
        fun quote(s: String): String =
            if (s.any { it == ',' || it == '"' || it == '\n' || it == '\r' }) "\"" + s.replace("\"", "\"\"") + "\"" else s

        /** Splits a row written by [CsvLog] (quoted cells only in the header). */
        fun split(line: String): List<String> {
            val cells = ArrayList<String>()
            val b = StringBuilder()
            var quoted = false
            var i = 0
            while (i < line.length) {
                val c = line[i]
                when {
                    quoted && c == '"' && i + 1 < line.length && line[i + 1] == '"' -> { b.append('"'); i++ }
                    c == '"' -> quoted = !quoted
                    c == ',' && !quoted -> { cells += b.toString(); b.setLength(0) }
                    else -> b.append(c)
                }
                i++
            }
            cells += b.toString()
            return cells
        }

        /**
         * Keeps the header and the complete rows of updates `<= maxUpdate` of [file] (rewritten atomically when that
         * changes it) and returns them, header first; an empty list for a missing or empty file.
         */
        fun truncate(file: Path, maxUpdate: Int): List<List<String>> {
            if (!Files.exists(file)) return emptyList()
            val text = Files.readString(file)
            val lines = text.split('\n')
            // The last element is "" after a final newline, else a half-written line: either way not a row.
            val complete = lines.dropLast(1)
            if (complete.isEmpty()) {
                if (text.isNotEmpty()) AtomicWrite.text(file, "")
                return emptyList()
            }
            val header = split(complete[0])
            val kept = ArrayList<List<String>>()
            kept += header
            var last = 0
            for (line in complete.drop(1)) {
                val cells = split(line)
                val u = cells[0].toIntOrNull() ?: continue
                if (cells.size != header.size || u > maxUpdate || u <= last) continue
                kept += cells
                last = u
            }
            val rewritten = kept.joinToString("") { row -> row.joinToString(",") { quote(it) } + "\n" }
            if (rewritten != text) AtomicWrite.text(file, rewritten)
            return kept
        }
    }
}

/**
 * `metrics.csv`: one row per update with the columns `update`, `global_step`, `episodes` (episodes that ended in the
 * update), then every metric of [UpdateStats.metrics] under its CleanRL key (`losses/policy_loss`, ...,
 * `charts/episodic_return`) in the order the trainer reports them; custom loss terms add their own keys. The header is
 * fixed by the first update; a key that a later update lacks is left empty, as is NaN (e.g. `charts/episodic_return`
 * when no episode ended), so pandas and spreadsheets read both as missing.
 */
class MetricsCsv(file: Path, header: List<String>? = null) : CsvLog(file, header) {
    fun append(stats: UpdateStats) {
        val metrics = stats.metrics()
        append({ listOf("update", "global_step", "episodes") + metrics.keys }, buildList {
            add(stats.update().toString())
            add(stats.globalStep().toString())
            add(stats.episodes().toString())
            for (k in columns?.drop(3) ?: metrics.keys) {
                val v = metrics[k]
                add(if (v != null && !v.isNaN()) v.toString() else "")
            }
        })
    }

    companion object {
        const val NAME = "metrics.csv"
    }
}

/** `evaluations.csv`: `update`, `global_step`, `mean_return`, `std_return`, `episodes` of each evaluation. */
class EvaluationsCsv(file: Path, header: List<String>? = null) : CsvLog(file, header) {
    fun append(p: EvalPoint) {
        append({ HEADER }, listOf(p.update.toString(), p.globalStep.toString(), p.mean.toString(), p.std.toString(),
            p.episodes.toString()))
    }

    companion object {
        const val NAME = "evaluations.csv"
        val HEADER = listOf("update", "global_step", "mean_return", "std_return", "episodes")
    }
}
