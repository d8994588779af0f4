package dev.proxima.cli

import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.env.Reset
import dev.proxima.core.env.Step
import dev.proxima.core.io.SafeTensors
import dev.proxima.core.space.Box
import dev.proxima.core.space.Discrete
import dev.proxima.core.space.Space
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldMatch
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.string.shouldStartWith
import java.nio.file.Files

/** An env whose rewards are NaN: the checker must report it as an error. */
private class NanRewardEnv : Env<FloatArray, Int> {
    override fun observationSpace(): Space<FloatArray> = Box.of(-1f, 1f, 2)
    override fun actionSpace(): Space<Int> = Discrete(2)
    override fun reset(seed: Long) = Reset(floatArrayOf(0f, 0f), mapOf())
    override fun reset() = reset(0)
    override fun step(action: Int) = Step(floatArrayOf(0f, 0f), Double.NaN, false, false, mapOf())
}

class CliTest : FunSpec({
    val wd = Files.createTempDirectory("cli-test")

    test("--help, help COMMAND and COMMAND --help print usage and exit 0; every option is documented") {
        proxima(wd, "--help").run {
            code shouldBe 0
            out shouldContain "Usage: proxima"
            out shouldContain "check-env"
            out shouldNotContain "__warmup"
        }
        proxima(wd, "help", "train").run {
            out shouldStartWith "Usage: proxima train"
            for (o in listOf("--resume", "--steps", "--seed", "--set", "--out", "--eval-episodes", "--eval-every",
                "--checkpoint-every", "--classpath")) out shouldContain o
        }
        proxima(wd, "eval", "--help").run {
            out shouldStartWith "Usage: proxima eval"
            out shouldContain "the run's own evaluation seed"
            for (o in listOf("--episodes", "--seed", "--gif", "--stochastic", "--script", "--classpath",
                "--max-episode-steps")) out shouldContain o
        }
        proxima(wd, "export", "--help").run {
            out shouldStartWith "Usage: proxima export"
            for (o in listOf("--onnx", "--no-value", "--distribution", "--script", "--classpath")) out shouldContain o
        }
        proxima(wd, "check-env", "-h").code shouldBe 0
    }

    test("--version prints the version") {
        val r = proxima(wd, "--version")
        r.code shouldBe 0
        r.out.trim() shouldMatch Regex("proxima \\d+\\.\\d+\\.\\d+\\S* \\(Kotlin 2\\.\\d+\\.\\d+, Java \\S+\\)")
    }

    test("no command, an unknown command or option: usage hint on stderr, exit 2") {
        proxima(wd).run {
            code shouldBe 2
            err shouldContain "Usage: proxima"
        }
        proxima(wd, "trian", "x.ppo.kts").run {
            code shouldBe 2
            err.trim() shouldBe "proxima: unknown command trian. Did you mean train? See 'proxima --help'."
        }
        proxima(wd, "--frobnicate").code shouldBe 2
        proxima(wd, "help", "nosuch").code shouldBe 2
    }

    test("envs lists every classic-control id with spaces, time limit and threshold") {
        val r = proxima(wd, "envs")
        r.code shouldBe 0
        val rows = r.out.lines().filter { it.isNotBlank() }
        rows[0] shouldMatch Regex("id\\s+observation\\s+action\\s+time limit\\s+reward threshold")
        val cart = rows.single { it.startsWith("CartPole-v1 ") }.split(Regex("\\s{2,}"))
        cart shouldBe listOf("CartPole-v1", "Box((4,), float32)", "Discrete(2)", "500", "475")
        rows.single { it.startsWith("Pendulum-v1 ") }.split(Regex("\\s{2,}")) shouldBe
            listOf("Pendulum-v1", "Box((3,), float32)", "Box(-2.0, 2.0, (1,), float32)", "200", "none")
        for (id in listOf("Acrobot-v1", "MountainCar-v0", "MountainCarContinuous-v0")) {
            rows.count { it.startsWith("$id ") } shouldBe 1
        }
        proxima(wd, "envs", "extra").code shouldBe 2
    }

    test("check-env: a good env passes (exit 0), an unknown id gets a suggestion, a broken env fails (exit 1)") {
        proxima(wd, "check-env", "CartPole-v1").run {
            code shouldBe 0
            out.trim() shouldBe "env check of CartPole-v1: passed, no findings"
        }
        proxima(wd, "check-env", "Cartpole-v1").run {
            code shouldBe 1
            err shouldContain "no environment \"Cartpole-v1\""
            err shouldContain "Did you mean \"CartPole-v1\"?"
            hasNoStackTrace() shouldBe true
        }
        EnvRegistry.global().register(EnvSpec("NanReward-v0", { _ -> NanRewardEnv() }, 20, Double.NaN))
        proxima(wd, "check-env", "NanReward-v0").run {
            code shouldBe 1
            out shouldContain "env check of NanReward-v0: FAILED"
            out shouldContain "- ERROR "
            out shouldContain "returned reward NaN"
        }
        proxima(wd, "check-env").code shouldBe 2
        proxima(wd, "check-env", "CartPole-v1", "--seed", "x").code shouldBe 2
    }

    test("eval refuses a missing file, a file that is not safetensors, and a safetensors file from elsewhere") {
        proxima(wd, "eval", "nope.safetensors").run {
            code shouldBe 1
            err.trim() shouldBe "proxima: no such file: nope.safetensors"
        }
        Files.writeString(wd.resolve("notes.txt"), "hello, not a checkpoint")
        proxima(wd, "eval", "notes.txt").run {
            code shouldBe 1
            err shouldStartWith "proxima: eval: "
            err shouldContain "notes.txt"
            err.lines().count { it.isNotBlank() } shouldBe 1
        }
        SafeTensors(mapOf("w" to SafeTensors.Tensor.vector(1.0, 2.0))).write(wd.resolve("foreign.safetensors"))
        proxima(wd, "eval", "foreign.safetensors").run {
            code shouldBe 1
            err shouldContain "not a Proxima checkpoint"
            hasNoStackTrace() shouldBe true
        }
        proxima(wd, "eval").code shouldBe 2
        proxima(wd, "eval", "x.safetensors", "--episodes", "0").code shouldBe 2
    }
})
