package dev.proxima.cli

import kotlin.system.exitProcess

/** Entry point of the `proxima` command (`bin/proxima`, or `java -jar cli/target/proxima-cli.jar`). */
fun main(args: Array<String>) {
    val code = Cli(System.out, System.err, interactive = System.console() != null, handleSignals = true).run(args)
    System.out.flush()
    System.err.flush()
    exitProcess(code)
}
