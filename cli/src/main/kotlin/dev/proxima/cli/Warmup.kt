package dev.proxima.cli

import com.github.ajalt.clikt.core.CoreCliktCommand
import com.github.ajalt.clikt.core.ProgramResult
import com.github.ajalt.clikt.parameters.arguments.argument
import java.nio.file.Files
import java.nio.file.Path

/**
 * `proxima __warmup DIR` (hidden): the build runs it once on the packaged jar, under `-XX:ArchiveClassesAtExit`, to
 * record the classes a typical run loads into a class-data-sharing archive (`cli/target/proxima-cli.jsa`) that
 * `bin/proxima` then maps at start-up. It compiles a small script (no cache, so the compiler's classes are recorded
 * too), trains and evaluates it briefly, and writes every run file, which also smoke-tests the packaged jar and its
 * `lib/` class path.
 */
internal class Warmup(private val ctx: Cli.Context) : CoreCliktCommand(name = "__warmup") {
    override val hiddenFromHelp = true
    val dir by argument("DIR")

    override fun run() {
        val d = ctx.workDir.resolve(dir)
        deleteTree(d)
        Files.createDirectories(d)
        Files.writeString(d.resolve("warmup.ppo.kts"), SCRIPT)
        val cli = Cli(ctx.out, ctx.err, false, d, null, ctx.clock, false, ctx.env)
        var code = cli.run(arrayOf("train", "warmup.ppo.kts", "--steps", "512", "--eval-episodes", "2", "--out", "run"))
        if (code == Cli.EXIT_OK) code = cli.run(arrayOf("eval", "run/checkpoints/best.safetensors", "--episodes", "1"))
        if (code != Cli.EXIT_OK) throw ProgramResult(code)
    }

    private fun deleteTree(dir: Path) {
        if (!Files.exists(dir)) return
        Files.walk(dir).use { s -> s.sorted(Comparator.reverseOrder()).forEach { Files.delete(it) } }
    }

    companion object {
        private val SCRIPT = """
            |// compiled and trained by the build to record the classes a run loads (see Warmup.kt)
            |ppo {
            |    env(CartPole)
            |    rollout(numEnvs = 4, numSteps = 64)
            |}
            |""".trimMargin()
    }
}
