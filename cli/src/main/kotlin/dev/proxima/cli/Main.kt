package dev.proxima.cli

import kotlin.system.exitProcess

/** Entry point of the `proxima` command (`bin/proxima`, or `java -jar cli/target/proxima-cli.jar`). */
fun main(args: Array<String>) {
    // A progress bar needs a terminal that understands carriage returns and ANSI erase-line (not TERM=dumb).
    val interactive = System.console() != null && System.getenv("TERM") != "dumb"
    val code = Cli(System.out, System.err, interactive = interactive, handleSignals = true).run(args)
    System.out.flush()
    System.err.flush()
    exitProcess(code)
}
