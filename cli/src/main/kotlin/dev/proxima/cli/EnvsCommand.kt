package dev.proxima.cli

import com.github.ajalt.clikt.core.Context
import com.github.ajalt.clikt.core.CoreCliktCommand
import com.github.ajalt.clikt.parameters.options.multiple
import com.github.ajalt.clikt.parameters.options.option
import dev.proxima.cli.script.Plugins
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.space.Box
import dev.proxima.core.space.Space
import java.util.Locale

/** `proxima envs`: every registered env id with its observation and action spaces, time limit and threshold. */
internal class EnvsCommand(private val ctx: Cli.Context) : CoreCliktCommand(name = "envs") {
    override fun help(context: Context) = """
        Lists the registered environments.

        Lists every registered environment id with its observation and action spaces, its time limit (steps per
        episode) and the return at which it counts as solved. Environments come from the providers on the class path
        (META-INF/services/dev.proxima.core.env.EnvProvider): the built-in ones, and those of --classpath and
        ${Plugins.ENV} jars.
    """.trimIndent()

    val classpath by option("--classpath", "-cp", metavar = "PATHS",
        help = "plugin jars or class folders whose env providers to list too").multiple()

    override fun run() {
        val registry = Plugins.of(classpath, ctx.env, ctx.workDir).registry()
        val rows = registry.specs().map { row(it) }
        if (rows.isEmpty()) {
            ctx.out.println("no environments registered (providers come from META-INF/services/" +
                "dev.proxima.core.env.EnvProvider)")
            return
        }
        val header = listOf("id", "observation", "action", "time limit", "reward threshold")
        val table = listOf(header) + rows
        val widths = header.indices.map { c -> table.maxOf { it[c].length } }
        for (r in table) {
            ctx.out.println(r.indices.joinToString("  ") { c ->
                if (c >= 3) r[c].padStart(widths[c]) else r[c].padEnd(widths[c])
            }.trimEnd())
        }
    }

    private fun row(spec: EnvSpec<*, *>): List<String> {
        val (obs, act) = try {
            spec.makeUnwrapped(0).use { e -> describe(e.observationSpace()) to describe(e.actionSpace()) }
        } catch (e: Exception) {
            "?" to "? (cannot create: ${e.message})"
        }
        val limit = spec.maxEpisodeSteps().let { if (it.isPresent) it.asInt.toString() else "none" }
        val threshold = spec.rewardThreshold().let {
            if (it.isPresent) String.format(Locale.ROOT, "%g", it.asDouble).trimEnd('0').trimEnd('.') else "none"
        }
        return listOf(spec.id(), obs, act, limit, threshold)
    }

    companion object {
        /** A space in one short cell: a Box with per-dimension bounds shows only its shape, `Box((4,), float32)`. */
        internal fun describe(space: Space<*>): String = when (space) {
            is Box -> {
                val uniform = (0 until space.flatDim()).all { space.low(it) == space.low(0) && space.high(it) == space.high(0) }
                if (uniform) space.toString()
                else "Box((" + space.shape().joinToString(",", postfix = if (space.shape().size == 1) "," else "") +
                    "), float32)"
            }
            else -> space.toString()
        }
    }
}
