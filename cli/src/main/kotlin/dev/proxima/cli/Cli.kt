package dev.proxima.cli

import dev.proxima.cli.script.ScriptCompileException
import dev.proxima.cli.script.ScriptHost
import dev.proxima.cli.script.ScriptRuntimeException
import dev.proxima.core.env.EnvNotFoundException
import dev.proxima.core.ppo.PpoConfigException
import java.io.IOException
import java.io.PrintStream
import java.nio.file.Path
import java.time.Clock

/**
 * The `proxima` command line: parses the subcommand and runs it, turning every user mistake into one line on
 * stderr and an exit code, never a stack trace. [run] returns the exit code instead of exiting, so tests run the
 * whole command in-process.
 *
 * Exit codes: [EXIT_OK]; [EXIT_FAILURE] when the command ran and failed (a script error, a failed env check, an
 * unreadable checkpoint, a missing file); [EXIT_USAGE] when the command line itself is wrong.
 */
class Cli(
    private val out: PrintStream,
    private val err: PrintStream,
    private val interactive: Boolean = false,
    private val workDir: Path = Path.of(""),
    private val cacheDir: Path? = ScriptHost.defaultCacheDir(),
    private val clock: Clock = Clock.systemDefaultZone(),
    private val handleSignals: Boolean = false,
) {
    fun run(args: Array<String>): Int {
        val stacktrace = "--stacktrace" in args
        val rest = args.filter { it != "--stacktrace" }
        val ctx = Context(out, err, interactive, workDir, cacheDir, clock, handleSignals)
        return try {
            dispatch(ctx, rest)
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
            err.println(e.render())
            if (stacktrace) e.cause?.printStackTrace(err)
            EXIT_FAILURE
        } catch (e: PpoConfigException) {
            err.println("proxima: ${e.message}")
            EXIT_FAILURE
        } catch (e: EnvNotFoundException) {
            err.println("proxima: ${e.message}")
            EXIT_FAILURE
        } catch (e: IOException) {
            err.println("proxima: I/O error: ${e.message ?: e.javaClass.simpleName}")
            if (stacktrace) e.printStackTrace(err)
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

    private fun dispatch(ctx: Context, args: List<String>): Int {
        val command = args.firstOrNull() ?: run {
            err.println(USAGE)
            return EXIT_USAGE
        }
        val rest = args.drop(1)
        val wantsHelp = "--help" in rest || "-h" in rest
        return when (command) {
            "-h", "--help", "help" -> {
                val topic = rest.firstOrNull()
                out.println(if (topic == null) USAGE else commandUsage(topic)
                    ?: throw UsageException("help: no command \"$topic\". Commands: ${COMMANDS.joinToString(", ")}."))
                EXIT_OK
            }
            "-V", "--version", "version" -> {
                out.println("proxima ${Version.PROXIMA} (Kotlin ${Version.KOTLIN}, Java ${System.getProperty("java.version")})")
                EXIT_OK
            }
            "__warmup" -> Warmup(ctx).run(rest)
            "train", "eval", "envs", "check-env" -> if (wantsHelp) {
                out.println(commandUsage(command))
                EXIT_OK
            } else when (command) {
                "train" -> TrainCommand(ctx).run(rest)
                "eval" -> EvalCommand(ctx).run(rest)
                "envs" -> EnvsCommand(ctx).run(rest)
                else -> CheckEnvCommand(ctx).run(rest)
            }
            else -> {
                val hint = EnvNotFoundException.closest(command, COMMANDS).map { " Did you mean '$it'?" }.orElse("")
                if (command.startsWith("-")) {
                    throw UsageException("unknown option $command.$hint See 'proxima --help'.")
                }
                throw UsageException("unknown command '$command'.$hint See 'proxima --help'.")
            }
        }
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
    )

    companion object {
        const val EXIT_OK = 0
        const val EXIT_FAILURE = 1
        const val EXIT_USAGE = 2

        private val COMMANDS = listOf("train", "eval", "envs", "check-env", "help", "version")

        val USAGE = """
            |Usage: proxima COMMAND [ARGS]
            |
            |Commands:
            |  train SCRIPT [--steps N] [--seed S] [--out DIR]   train the PPO setup of a .ppo.kts script
            |  eval CHECKPOINT [--episodes K] [--gif FILE]       evaluate a saved agent
            |  envs                                              list the registered environments
            |  check-env ID [--seed S]                           run the env checker on an environment
            |  help [COMMAND]                                    show this help, or a command's
            |  --version                                         print the version
            |
            |Add --stacktrace to see the stack trace of an internal error.
        """.trimMargin()

        fun commandUsage(command: String): String? = when (command) {
            "train" -> TrainCommand.USAGE
            "eval" -> EvalCommand.USAGE
            "envs" -> EnvsCommand.USAGE
            "check-env" -> CheckEnvCommand.USAGE
            "help" -> USAGE
            "version" -> "Usage: proxima --version"
            else -> null
        }
    }
}
