package dev.proxima.cli

import dev.proxima.core.env.EnvRegistry
import dev.proxima.envs.check.EnvChecker

/** `proxima check-env ID`: Gymnasium-style contract checks on a registered env; exit 1 if any finding is an error. */
internal class CheckEnvCommand(private val ctx: Cli.Context) {
    fun run(args: List<String>): Int {
        val p = Args("check-env", listOf("ID"), setOf("seed")).parse(args)
        val seed = p.values["seed"]?.let { Args.long("check-env", "seed", it) } ?: 0L
        val spec = EnvRegistry.global().spec(p.positional[0])
        val report = EnvChecker.check(spec, seed)
        ctx.out.println(report.toString().replaceFirst("env check of ${report.env()}", "env check of ${spec.id()}"))
        return if (report.passed()) Cli.EXIT_OK else Cli.EXIT_FAILURE
    }

    companion object {
        val USAGE = """
            |Usage: proxima check-env ID [--seed S]
            |
            |Runs the env checker (in the manner of Gymnasium's check_env) on the environment registered as ID, as
            |make() gives it: spaces, reset seeding, observations inside their space, finite rewards, determinism,
            |rejection of invalid actions and of steps after the end. Prints every finding with its likely cause.
            |Exits with 1 if any finding is an error.
            |
            |  --seed S   the first seed the checks use (default 0)
        """.trimMargin()
    }
}
