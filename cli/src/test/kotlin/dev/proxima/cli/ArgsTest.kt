package dev.proxima.cli

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class ArgsTest : FunSpec({
    val args = Args("train", listOf("SCRIPT"), setOf("steps", "out"), setOf("quiet"))

    test("positionals, --name value, --name=value, flags and -- in any order") {
        val p = args.parse(listOf("--steps=10", "a.ppo.kts", "--quiet", "--out", "dir"))
        p.positional shouldBe listOf("a.ppo.kts")
        p.values shouldBe mapOf("steps" to "10", "out" to "dir")
        p.flags shouldBe setOf("quiet")
        args.parse(listOf("--", "--odd-name.ppo.kts")).positional shouldBe listOf("--odd-name.ppo.kts")
    }

    test("mistakes name the command, the option and where to look") {
        shouldThrow<UsageException> { args.parse(listOf("a", "--stepz", "1")) }.message shouldBe
            "train: unknown option --stepz. Did you mean --steps? See 'proxima train --help'."
        shouldThrow<UsageException> { args.parse(listOf("a", "--steps")) }.message shouldContain "--steps needs a value"
        shouldThrow<UsageException> { args.parse(listOf("a", "--steps", "--out", "x")) }.message shouldContain
            "got the option --out"
        shouldThrow<UsageException> { args.parse(listOf("a", "--quiet=yes")) }.message shouldContain "takes no value"
        shouldThrow<UsageException> { args.parse(listOf("a", "--out", "x", "--out", "y")) }.message shouldContain
            "given twice"
        shouldThrow<UsageException> { args.parse(emptyList()) }.message shouldContain "missing SCRIPT"
        shouldThrow<UsageException> { args.parse(listOf("a", "b")) }.message shouldContain "unexpected argument \"b\""
        shouldThrow<UsageException> { args.parse(listOf("a", "-q")) }.message shouldContain "unknown option -q"
    }

    test("counts accept 100000, 100_000, 100,000, 100k, 1.5M and refuse fractions, junk and out-of-range values") {
        for ((text, value) in listOf("100000" to 100_000L, "100_000" to 100_000L, "100,000" to 100_000L,
            "100k" to 100_000L, "1.5M" to 1_500_000L, "2K" to 2_000L, "7" to 7L)) {
            Args.count("train", "steps", text, 1) shouldBe value
        }
        for (bad in listOf("1.2345k", "abc", "", "1e5", "k", "-5")) {
            shouldThrow<UsageException> { Args.count("train", "steps", bad, 1) }
        }
        shouldThrow<UsageException> { Args.count("eval", "episodes", "0", 1, 10) }.message shouldBe
            "eval: --episodes = 0 must be between 1 and 10."
        Args.long("train", "seed", "-42") shouldBe -42L
        shouldThrow<UsageException> { Args.long("train", "seed", "1.5") }
    }
})
