package dev.proxima.cli

import dev.proxima.core.internal.Json
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.nio.file.Path
import java.time.Clock
import java.util.concurrent.TimeUnit

/** The outcome of one `proxima` call. */
data class Outcome(val code: Int, val out: String, val err: String) {
    override fun toString() = "exit $code\n--- stdout\n$out--- stderr\n$err"
}

/**
 * Runs the CLI's main logic in-process with captured streams, the shared script cache, [workDir] as cwd and [env] as
 * the environment (none of the machine's: a PROXIMA_CLASSPATH there must not change the tests).
 */
fun proxima(workDir: Path, vararg args: String, clock: Clock = Clock.systemUTC(), env: Map<String, String> = emptyMap()): Outcome {
    val out = ByteArrayOutputStream()
    val err = ByteArrayOutputStream()
    val code = PrintStream(out, true, "UTF-8").use { o ->
        PrintStream(err, true, "UTF-8").use { e ->
            Cli(o, e, interactive = false, workDir = workDir, cacheDir = TestScripts.cacheDir, clock = clock, env = env)
                .run(arrayOf(*args))
        }
    }
    return Outcome(code, out.toString("UTF-8"), err.toString("UTF-8"))
}

/** No user mistake may end in a stack trace. */
fun Outcome.hasNoStackTrace(): Boolean = !err.contains("\tat ") && !out.contains("\tat ") && !err.contains("Exception in thread")

/** Rows of a CSV file of a run directory (0 if it does not exist yet). */
fun rows(file: Path): Int = if (java.nio.file.Files.exists(file)) java.nio.file.Files.readAllLines(file).size - 1 else 0

/** A run directory's summary.json. */
fun summary(dir: Path): Map<String, Any?> = Json.readObject(dir.resolve("summary.json"))

/**
 * `proxima ARGS` in a child JVM on this test's class path (as bin/proxima runs it, with signals handled), for what
 * only a real process shows: kill -9, SIGTERM, file-size limits. [shell] prefixes the command (e.g. `ulimit -f 300;`).
 */
fun childProxima(workDir: Path, args: List<String>, shell: String = ""): Process {
    val java = Path.of(System.getProperty("java.home"), "bin", "java").toString()
    val cmd = listOf(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true",
        "-D${dev.proxima.cli.script.ScriptHost.CACHE_PROPERTY}=${TestScripts.cacheDir}",
        "-cp", System.getProperty("java.class.path"), "dev.proxima.cli.MainKt") + args
    val quoted = cmd.joinToString(" ") { "'" + it.replace("'", "'\\''") + "'" }
    val pb = ProcessBuilder("sh", "-c", "$shell exec $quoted").directory(workDir.toFile())
    pb.environment().remove(dev.proxima.cli.script.Plugins.ENV)
    pb.redirectOutput(workDir.resolve("child.out").toFile())
    pb.redirectError(workDir.resolve("child.err").toFile())
    return pb.start()
}

/** Waits for [p] (at most [seconds], then fails) and returns its exit code. */
fun Process.exitWithin(seconds: Long): Int {
    check(waitFor(seconds, TimeUnit.SECONDS)) { "the child process did not end within $seconds s" }
    return exitValue()
}

/** Polls [condition] every 20 ms for at most [seconds]. */
fun waitUntil(seconds: Long, condition: () -> Boolean): Boolean {
    val end = System.nanoTime() + seconds * 1_000_000_000L
    while (System.nanoTime() < end) {
        if (condition()) return true
        Thread.sleep(20)
    }
    return condition()
}
