package dev.proxima.cli

import com.github.ajalt.clikt.core.Context
import com.github.ajalt.clikt.core.CoreCliktCommand
import com.github.ajalt.clikt.core.ProgramResult
import com.github.ajalt.clikt.parameters.arguments.argument
import com.github.ajalt.clikt.parameters.options.default
import com.github.ajalt.clikt.parameters.options.multiple
import com.github.ajalt.clikt.parameters.options.option
import com.github.ajalt.clikt.parameters.types.long
import dev.proxima.cli.script.Plugins
import dev.proxima.core.env.check.EnvChecker

/** `proxima check-env ID`: Gymnasium-style contract checks on a registered env; exit 1 if any finding is an error. */
internal class CheckEnvCommand(private val ctx: Cli.Context) : CoreCliktCommand(name = "check-env") {
    override fun help(context: Context) = """
        Checks an environment against Gymnasium's env contract.

        Runs the env checker (in the manner of Gymnasium's check_env) on the environment registered as ID, as make()
        gives it: spaces, reset seeding, observations inside their space, finite rewards, determinism, rejection of
        invalid actions and of steps after the end. Prints every finding with its likely cause. Exits with 1 if any
        finding is an error. Plugin envs: --classpath or ${Plugins.ENV}.
    """.trimIndent()

    val id by argument("ID", help = "the env id, e.g. CartPole-v1")
    val seed by option("--seed", metavar = "S", help = "the first seed the checks use").long().default(0L)
    val classpath by option("--classpath", "-cp", metavar = "PATHS",
        help = "plugin jars or class folders with the env's provider").multiple()

    override fun run() {
        val spec = Plugins.of(classpath, ctx.env, ctx.workDir).registry().spec(id)
        val report = EnvChecker.check(spec, seed)
        ctx.out.println(report.toString().replaceFirst("env check of ${report.env()}", "env check of ${spec.id()}"))
        if (!report.passed()) throw ProgramResult(Cli.EXIT_FAILURE)
    }
}
