package dev.proxima.cli

import com.github.ajalt.clikt.core.CliktError
import com.github.ajalt.clikt.core.Context as CliktContext
import com.github.ajalt.clikt.core.CoreCliktCommand
import com.github.ajalt.clikt.core.PrintHelpMessage
import com.github.ajalt.clikt.core.PrintMessage
import com.github.ajalt.clikt.core.ProgramResult
import com.github.ajalt.clikt.core.UsageError
import com.github.ajalt.clikt.core.context
import com.github.ajalt.clikt.core.parse
import com.github.ajalt.clikt.core.subcommands
import com.github.ajalt.clikt.output.Localization
import com.github.ajalt.clikt.output.PlaintextHelpFormatter
import com.github.ajalt.clikt.parameters.options.versionOption
import dev.proxima.cli.script.ScriptCompileException
import dev.proxima.cli.script.ScriptHost
import dev.proxima.cli.script.ScriptRuntimeException
import dev.proxima.core.checkpoint.CheckpointException
import dev.proxima.core.env.EnvNotFoundException
import dev.proxima.core.plugin.PluginNotFoundException
import dev.proxima.core.ppo.PpoConfigException
import java.io.IOException
import java.io.PrintStream
import java.nio.file.Path
import java.time.Clock
import java.util.Locale

/** A mistake in how the command was called: printed as one line, exit code [Cli.EXIT_USAGE]. */
class UsageException(message: String) : RuntimeException(message)

/** A failure the user can act on (missing file, foreign checkpoint, failed check): one line, exit [Cli.EXIT_FAILURE]. */
class CommandException(message: String, val exitCode: Int = Cli.EXIT_FAILURE) : RuntimeException(message)

/**
 * The `proxima` command line: parses the subcommand with Clikt (help, typed and range-checked options, "did you
 * mean") and runs it, turning every user mistake into one line on stderr and an exit code, never a stack trace.
 * [run] returns the exit code instead of exiting, so tests run the whole command in-process.
 *
 * Exit codes: [EXIT_OK]; [EXIT_FAILURE] when the command ran and failed (a script error, a failed env check, an
 * unreadable checkpoint, a missing file, a full disk, too little memory); [EXIT_USAGE] when the command line itself is
 * wrong.
 */
class Cli(
    private val out: PrintStream,
    private val err: PrintStream,
    private val interactive: Boolean = false,
    private val workDir: Path = Path.of(""),
    private val cacheDir: Path? = ScriptHost.defaultCacheDir(),
    private val clock: Clock = Clock.systemDefaultZone(),
    private val handleSignals: Boolean = false,
    private val env: Map<String, String> = System.getenv(),
) {
    fun run(args: Array<String>): Int {
        val stacktrace = "--stacktrace" in args
        var rest = args.filter { it != "--stacktrace" }
        // `proxima help [COMMAND]` and `proxima version`, as git and others spell them.
        when (rest.firstOrNull()) {
            "help" -> rest = if (rest.size > 1) listOf(rest[1], "--help") else listOf("--help")
            "version" -> rest = listOf("--version")
        }
        val first = rest.firstOrNull()
        if (first != null && !first.startsWith("-") && first !in COMMANDS && first != "__warmup") {
            val hint = EnvNotFoundException.closest(first, COMMANDS).map { " Did you mean $it?" }.orElse("")
            err.println("proxima: unknown command $first.$hint See 'proxima --help'.")
            return EXIT_USAGE
        }
        val ctx = Context(out, err, interactive, workDir, cacheDir, clock, handleSignals, env)
        val commands = listOf(TrainCommand(ctx), EvalCommand(ctx), ExportCommand(ctx), EnvsCommand(ctx), CheckEnvCommand(ctx),
            WorkerCommand(ctx), Warmup(ctx))
        // One suggestion, the closest by edit distance (Clikt's default lists every similar name); set on each
        // command, since a subcommand's context does not inherit it.
        for (c in commands) c.context { suggestTypoCorrection = CLOSEST }
        val root = Root(ctx).subcommands(commands)
        return try {
            root.parse(rest)
            EXIT_OK
        } catch (e: PrintHelpMessage) {
            val help = root.getFormattedHelp(e).orEmpty()
            (if (e.error) err else out).println(help.trimEnd())
            if (e.error) EXIT_USAGE else EXIT_OK
        } catch (e: PrintMessage) {
            (if (e.printError) err else out).println(e.message)
            e.statusCode
        } catch (e: ProgramResult) {
            e.statusCode
        } catch (e: UsageError) {
            val cmd = e.context?.command?.commandName?.takeIf { it != ROOT } ?: first?.takeIf { it in COMMANDS }
            val where = if (cmd == null) "proxima" else "proxima $cmd"
            val text = e.formatMessage(e.context?.localization ?: Messages, com.github.ajalt.clikt.output.ParameterFormatter.Plain)
            val t = text.trim()
            val sep = if (t.endsWith("?") || t.endsWith(".")) " " else ". "
            err.println("proxima: ${if (cmd != null) "$cmd: " else ""}$t${sep}See '$where --help'.")
            EXIT_USAGE
        } catch (e: CliktError) {
            err.println("proxima: ${e.message}")
            e.statusCode
        } catch (e: UsageException) {
            err.println("proxima: ${e.message}")
            EXIT_USAGE
        } catch (e: CommandException) {
            err.println("proxima: ${e.message}")
            e.exitCode
        } catch (e: ScriptCompileException) {
            e.errors.forEach { err.println(it) }
            err.println("proxima: ${e.file}: ${e.errors.size} error${if (e.errors.size == 1) "" else "s"}," +
                " the script was not run")
            EXIT_FAILURE
        } catch (e: ScriptRuntimeException) {
            val oom = e.cause is OutOfMemoryError
            err.println(e.render())
            if (oom) err.println("proxima: ${memoryAdvice()}")
            if (stacktrace) e.cause?.printStackTrace(err)
            EXIT_FAILURE
        } catch (e: PpoConfigException) {
            err.println("proxima: ${e.message}")
            EXIT_FAILURE
        } catch (e: EnvNotFoundException) {
            err.println("proxima: ${e.message}")
            EXIT_FAILURE
        } catch (e: PluginNotFoundException) {
            err.println("proxima: ${e.message}")
            EXIT_FAILURE
        } catch (e: CheckpointException) {
            err.println("proxima: ${e.message}")
            EXIT_FAILURE
        } catch (e: IOException) {
            err.println("proxima: I/O error: ${e.message ?: e.javaClass.simpleName}")
            if (stacktrace) e.printStackTrace(err)
            EXIT_FAILURE
        } catch (e: OutOfMemoryError) {
            err.println("proxima: out of memory${e.message?.let { " ($it)" } ?: ""}. ${memoryAdvice()}")
            if (stacktrace) e.printStackTrace(err)
            EXIT_FAILURE
        } catch (e: StackOverflowError) {
            err.println("proxima: stack overflow (endless recursion in a script's code?)")
            if (stacktrace) e.printStackTrace(err) else err.println("proxima: run with --stacktrace for details")
            EXIT_FAILURE
        } catch (e: Exception) {
            err.println("proxima: internal error: $e")
            if (stacktrace) e.printStackTrace(err) else err.println("proxima: run with --stacktrace for details")
            EXIT_FAILURE
        } finally {
            out.flush()
            err.flush()
        }
    }

    private fun memoryAdvice(): String {
        val max = Runtime.getRuntime().maxMemory()
        return String.format(Locale.ROOT, "The Java heap (at most %,d MB) is too small for this run: give Java more " +
            "memory (PROXIMA_OPTS=-Xmx8g bin/proxima ...), or make the run smaller (numEnvs, numSteps, the network's " +
            "sizes).", max / (1024 * 1024))
    }

    /** What every command gets. */
    internal class Context(
        val out: PrintStream,
        val err: PrintStream,
        val interactive: Boolean,
        val workDir: Path,
        val cacheDir: Path?,
        val clock: Clock,
        val handleSignals: Boolean,
        val env: Map<String, String>,
    ) {
        /** [p] relative to the working directory when it lies below it, else absolute. */
        fun display(p: Path): String {
            val wd = workDir.toAbsolutePath().normalize()
            val abs = p.toAbsolutePath().normalize()
            return if (abs.startsWith(wd) && abs != wd) wd.relativize(abs).toString() else abs.toString()
        }
    }

    /** The root command: only help, the version and the subcommands. */
    private class Root(ctx: Context) : CoreCliktCommand(name = ROOT) {
        init {
            versionOption(Version.PROXIMA, names = setOf("-V", "--version"), help = "print the version and exit") {
                "proxima $it (Kotlin ${Version.KOTLIN}, Java ${System.getProperty("java.version")})"
            }
            context {
                helpFormatter = { PlaintextHelpFormatter(it, showDefaultValues = true) }
                localization = Messages
                suggestTypoCorrection = CLOSEST
                readEnvvar = { ctx.env[it] }
            }
        }

        override fun help(context: CliktContext) = "Trains PPO agents from .ppo.kts scripts, evaluates and exports " +
            "checkpoints, lists and checks environments, runs the workers of cluster runs. Add --stacktrace to any " +
            "command to see the stack trace of an internal error."

        override fun run() {}
    }

    /** Clikt's messages, in the words of Proxima's other errors. */
    private object Messages : Localization {
        override fun noSuchSubcommand(name: String, possibilities: List<String>): String =
            "unknown command $name" + when (possibilities.size) {
                0 -> ". Commands: train, eval, export, envs, check-env, worker, help"
                1 -> ". Did you mean ${possibilities[0]}?"
                else -> possibilities.joinToString(prefix = ". Did you mean one of: ", postfix = "?")
            }

        override fun noSuchOption(name: String, possibilities: List<String>): String =
            "unknown option $name" + when (possibilities.size) {
                0 -> ""
                1 -> ". Did you mean ${possibilities[0]}?"
                else -> possibilities.joinToString(prefix = ". Did you mean one of: ", postfix = "?")
            }

        override fun missingArgument(paramName: String) = "missing $paramName"
    }

    companion object {
        const val EXIT_OK = 0
        const val EXIT_FAILURE = 1
        const val EXIT_USAGE = 2
        private const val ROOT = "proxima"
        private val CLOSEST: (String, List<String>) -> List<String> =
            { given, known -> listOfNotNull(EnvNotFoundException.closest(given, known).orElse(null)) }
        private val COMMANDS = listOf("train", "eval", "export", "envs", "check-env", "worker", "help", "version")
    }
}
