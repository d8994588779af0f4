package dev.proxima.cli.run

import dev.proxima.cli.CommandException
import dev.proxima.cli.files.AtomicWrite
import dev.proxima.core.internal.Json
import dev.proxima.core.internal.JsonException
import java.nio.file.Files
import java.nio.file.Path

/**
 * `run.json`: how a run was started, written when it starts, so that `proxima train --resume` re-creates the same
 * trainer: the copy of the script (its name in the run directory and its SHA-256), and every command-line option that
 * changes the trainer or the run's files.
 *
 * @param script        the script's copy, a file name in the run directory
 * @param scriptSha256  SHA-256 of the copy's bytes when the run started
 * @param scriptSource  where the script was copied from (for the user; never read back)
 * @param steps         `--steps`, or null for the trainer's own budget
 * @param seed          `--seed`, or null
 * @param set           `--set` values, `name=value`, in order
 * @param evalEpisodes  episodes per evaluation
 * @param evalEvery     updates between evaluations
 * @param checkpointEvery updates between training checkpoints (`checkpoints/last.safetensors`)
 * @param classpath     `--classpath` entries (absolute)
 */
data class RunInfo(
    val script: String,
    val scriptSha256: String,
    val scriptSource: String,
    val steps: Long?,
    val seed: Long?,
    val set: List<String>,
    val evalEpisodes: Int,
    val evalEvery: Int,
    val checkpointEvery: Int,
    val classpath: List<String>,
    val proximaVersion: String,
    val started: String,
) {
    fun toMap(): Map<String, Any?> = linkedMapOf(
        "format" to FORMAT,
        "script" to script,
        "script_sha256" to scriptSha256,
        "script_source" to scriptSource,
        "steps" to steps,
        "seed" to seed,
        "set" to set,
        "eval_episodes" to evalEpisodes,
        "eval_every" to evalEvery,
        "checkpoint_every" to checkpointEvery,
        "classpath" to classpath,
        "proxima_version" to proximaVersion,
        "started" to started,
    )

    fun write(dir: Path) = AtomicWrite.json(dir.resolve(NAME), toMap())

    companion object {
        const val NAME = "run.json"
        const val FORMAT = "proxima-run/1"

        /** Reads `run.json` of [dir]; every malformed value is a one-line error naming the file and the key. */
        fun read(dir: Path): RunInfo {
            val file = dir.resolve(NAME)
            val m = try {
                Json.readObject(file)
            } catch (e: JsonException) {
                throw CommandException("${e.message}; $NAME is written by proxima train, and resuming needs it intact.")
            }
            fun bad(key: String, what: String): Nothing =
                throw CommandException("$file: \"$key\" = ${m[key]} is not $what; $NAME is written by proxima train.")
            fun str(key: String) = m[key] as? String ?: bad(key, "a string")
            fun long(key: String): Long? = if (m[key] == null) null else m[key] as? Long ?: bad(key, "an integer")
            fun int(key: String) = (m[key] as? Long)?.takeIf { it in 1..Int.MAX_VALUE }?.toInt() ?: bad(key, "a positive integer")
            fun strings(key: String) = (m[key] as? List<*> ?: bad(key, "a list")).map { it as? String ?: bad(key, "a list of strings") }
            if (m["format"] != FORMAT) {
                throw CommandException("$file: format ${m["format"]} is not $FORMAT (written by another version of proxima?).")
            }
            return RunInfo(str("script"), str("script_sha256"), str("script_source"), long("steps"), long("seed"),
                strings("set"), int("eval_episodes"), int("eval_every"), int("checkpoint_every"), strings("classpath"),
                str("proxima_version"), str("started"))
        }

        fun exists(dir: Path) = Files.isRegularFile(dir.resolve(NAME))
    }
}
