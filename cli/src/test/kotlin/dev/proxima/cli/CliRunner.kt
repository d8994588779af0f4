package dev.proxima.cli

import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.nio.file.Path
import java.time.Clock

/** The outcome of one in-process `proxima` call. */
data class Outcome(val code: Int, val out: String, val err: String) {
    override fun toString() = "exit $code\n--- stdout\n$out--- stderr\n$err"
}

/** Runs the CLI's main logic in-process with captured streams, the shared script cache and [workDir] as cwd. */
fun proxima(workDir: Path, vararg args: String, clock: Clock = Clock.systemUTC()): Outcome {
    val out = ByteArrayOutputStream()
    val err = ByteArrayOutputStream()
    val code = PrintStream(out, true, "UTF-8").use { o ->
        PrintStream(err, true, "UTF-8").use { e ->
            Cli(o, e, interactive = false, workDir = workDir, cacheDir = TestScripts.cacheDir, clock = clock)
                .run(arrayOf(*args))
        }
    }
    return Outcome(code, out.toString("UTF-8"), err.toString("UTF-8"))
}

/** No user mistake may end in a stack trace. */
fun Outcome.hasNoStackTrace(): Boolean = !err.contains("\tat ") && !out.contains("\tat ") && !err.contains("Exception in thread")
