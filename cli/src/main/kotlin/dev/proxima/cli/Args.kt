package dev.proxima.cli

import dev.proxima.core.env.EnvNotFoundException

/** A mistake in how the command was called: printed as one line, exit code [Cli.EXIT_USAGE]. */
class UsageException(message: String) : RuntimeException(message)

/** A failure the user can act on (missing file, foreign checkpoint, failed check): one line, exit [Cli.EXIT_FAILURE]. */
class CommandException(message: String, val exitCode: Int = Cli.EXIT_FAILURE) : RuntimeException(message)

/**
 * A hand-written parser for `COMMAND POSITIONAL... [--option VALUE | --option=VALUE | --flag]...`: small enough not to
 * need a library, and strict: unknown options (with a "did you mean" suggestion), missing or extra positionals,
 * missing values and malformed numbers all fail with one line naming the command, the option and the fix.
 *
 * @param command     the subcommand, for messages
 * @param positionals names of the required positional arguments, e.g. `SCRIPT`
 * @param options     options taking a value, by name without dashes
 * @param flags       options without a value
 */
class Args(
    private val command: String,
    private val positionals: List<String>,
    private val options: Set<String>,
    private val flags: Set<String> = emptySet(),
) {
    /** What was parsed. */
    class Parsed(val positional: List<String>, val values: Map<String, String>, val flags: Set<String>)

    fun parse(args: List<String>): Parsed {
        val pos = ArrayList<String>()
        val values = LinkedHashMap<String, String>()
        val set = LinkedHashSet<String>()
        var i = 0
        var onlyPositionals = false
        while (i < args.size) {
            val a = args[i++]
            if (onlyPositionals || !a.startsWith("-") || a == "-") {
                pos += a
                continue
            }
            if (a == "--") {
                onlyPositionals = true
                continue
            }
            if (!a.startsWith("--")) {
                throw UsageException("$command: unknown option $a (options are written --name). ${help()}")
            }
            val body = a.substring(2)
            val name = body.substringBefore('=')
            val inline = if (body.contains('=')) body.substringAfter('=') else null
            when {
                name in flags -> {
                    if (inline != null) throw UsageException("$command: --$name takes no value, got \"$a\". ${help()}")
                    set += name
                }
                name in options -> {
                    val v = inline ?: if (i < args.size) args[i++] else
                        throw UsageException("$command: --$name needs a value. ${help()}")
                    if (inline == null && v.startsWith("--")) {
                        throw UsageException("$command: --$name needs a value, got the option $v. ${help()}")
                    }
                    if (name in values) throw UsageException("$command: --$name given twice. ${help()}")
                    values[name] = v
                }
                else -> {
                    val known = (options + flags).map { "--$it" }
                    val hint = EnvNotFoundException.closest("--$name", known).map { " Did you mean $it?" }.orElse("")
                    throw UsageException("$command: unknown option --$name.$hint ${help()}")
                }
            }
        }
        if (pos.size < positionals.size) {
            throw UsageException("$command: missing ${positionals[pos.size]}. ${help()}")
        }
        if (pos.size > positionals.size) {
            throw UsageException("$command: unexpected argument \"${pos[positionals.size]}\". ${help()}")
        }
        return Parsed(pos, values, set)
    }

    private fun help() = "See 'proxima $command --help'."

    companion object {
        /**
         * A count such as `100000`, `100_000`, `100,000`, `100k` or `1.5M` (k = 10^3, M = 10^6), within [min, max].
         */
        fun count(command: String, option: String, text: String, min: Long, max: Long = Long.MAX_VALUE): Long {
            val t = text.replace("_", "").replace(",", "").trim()
            val mult = when (t.lastOrNull()) {
                'k', 'K' -> 1_000L
                'm', 'M' -> 1_000_000L
                else -> 1L
            }
            val digits = if (mult == 1L) t else t.dropLast(1)
            val value = if (mult == 1L) digits.toLongOrNull()
            else digits.toBigDecimalOrNull()?.multiply(mult.toBigDecimal())
                ?.takeIf { it.stripTrailingZeros().scale() <= 0 }?.toLong()
            if (value == null) {
                throw UsageException("$command: --$option needs a whole number (e.g. 100000 or 100k), got \"$text\".")
            }
            if (value < min || value > max) {
                val range = if (max == Long.MAX_VALUE) "at least $min" else "between $min and $max"
                throw UsageException("$command: --$option = $value must be $range.")
            }
            return value
        }

        /** Any 64-bit integer (seeds may be negative). */
        fun long(command: String, option: String, text: String): Long =
            text.replace("_", "").trim().toLongOrNull()
                ?: throw UsageException("$command: --$option needs an integer, got \"$text\".")
    }
}
