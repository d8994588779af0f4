package dev.proxima.cli.run

import dev.proxima.core.ppo.UpdateStats
import java.io.BufferedWriter
import java.io.Closeable
import java.nio.file.Files
import java.nio.file.Path

/**
 * `metrics.csv`: one row per update with the columns `update`, `global_step`, then every metric of
 * [UpdateStats.metrics] under its CleanRL key (`losses/policy_loss`, ..., `charts/episodic_return`) in the order the
 * trainer reports them; custom loss terms add their own keys. The header is fixed by the first update; a key that a
 * later update lacks is left empty, as is NaN (e.g. `charts/episodic_return` when no episode ended), so pandas and
 * spreadsheets read both as missing. Each row is flushed, so the file can be followed while training runs.
 */
class MetricsCsv(val file: Path) : Closeable {
    private val out: BufferedWriter = Files.newBufferedWriter(file)
    private var keys: List<String>? = null

    fun append(stats: UpdateStats) {
        val header = keys ?: stats.metrics().keys.toList().also {
            keys = it
            out.write((listOf("update", "global_step") + it).joinToString(",") { k -> quote(k) })
            out.newLine()
        }
        val row = StringBuilder()
        row.append(stats.update()).append(',').append(stats.globalStep())
        for (k in header) {
            row.append(',')
            val v = stats.metrics()[k]
            if (v != null && !v.isNaN()) {
                row.append(v.toString())
            }
        }
        out.write(row.toString())
        out.newLine()
        out.flush()
    }

    override fun close() {
        out.close()
    }

    private fun quote(s: String): String =
        if (s.any { it == ',' || it == '"' || it == '\n' || it == '\r' }) "\"" + s.replace("\"", "\"\"") + "\"" else s
}
