package dev.proxima.cli

import java.nio.file.Files
import java.nio.file.Path

/**
 * `proxima __warmup DIR` (not listed in the help): the build runs it once on the packaged jar, under
 * `-XX:ArchiveClassesAtExit`, to record the classes a typical run loads into a class-data-sharing archive
 * (`cli/target/proxima-cli.jsa`) that `bin/proxima` then maps at start-up. It compiles a small script (no cache, so
 * the compiler's classes are recorded too), trains and evaluates it briefly, and writes every run file, which also
 * smoke-tests the packaged jar and its `lib/` class path.
 */
internal class Warmup(private val ctx: Cli.Context) {
    fun run(args: List<String>): Int {
        val p = Args("__warmup", listOf("DIR"), emptySet()).parse(args)
        val dir = ctx.workDir.resolve(p.positional[0])
        deleteTree(dir)
        Files.createDirectories(dir)
        Files.writeString(dir.resolve("warmup.ppo.kts"), SCRIPT)
        val warm = Cli.Context(ctx.out, ctx.err, false, dir, null, ctx.clock, false)
        val code = TrainCommand(warm).run(listOf("warmup.ppo.kts", "--steps", "512", "--eval-episodes", "2", "--out", "run"))
        if (code != Cli.EXIT_OK) return code
        return EvalCommand(warm).run(listOf("run/checkpoints/best.safetensors", "--episodes", "1"))
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
