package dev.proxima.cli

import dev.proxima.core.export.OnnxExport
import dev.proxima.core.ppo.Agent
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.nio.file.Files
import javax.imageio.ImageIO

class EvalAndPluginsTest : FunSpec({
    val wd = Files.createTempDirectory("eval-test")
    Files.writeString(wd.resolve("corridor.ppo.kts"), TestScripts.corridor(0))
    TestScripts.write("config.ppo.kts", TestScripts.CONFIG)
    Files.copy(TestScripts.dir.resolve("config.ppo.kts"), wd.resolve("config.ppo.kts"))

    test("eval runs no script it was not given: an unregistered env is an error naming it and how to provide it") {
        proxima(wd, "train", "corridor.ppo.kts", "--steps", "256", "--out", "corridor-run").code shouldBe 0
        // A script planted in the run directory must not run (it would write a marker file).
        val marker = wd.resolve("planted-ran")
        Files.writeString(wd.resolve("corridor-run/zz-planted.ppo.kts"),
            "java.io.File(\"$marker\").writeText(\"ran\")\nPpoConfig.builder().env(\"CartPole-v1\").build()\n")
        val e = proxima(wd, "eval", "corridor-run/checkpoints/last.safetensors", "--episodes", "1")
        withClue(e) {
            e.code shouldBe 1
            e.err shouldContain "trained on env \"Corridor-v0\", which is not registered here"
            e.err shouldContain "--script FILE"
            e.err shouldContain "--classpath"
            e.err shouldContain "corridor-run/corridor.ppo.kts"
            e.err.trim().lines().size shouldBe 1
            e.hasNoStackTrace() shouldBe true
        }
        Files.exists(marker) shouldBe false
        proxima(wd, "eval", "corridor-run/checkpoints/last.safetensors", "--script", "corridor.ppo.kts", "--episodes", "1").run {
            withClue(this) { code shouldBe 0 }
            out shouldContain "on Corridor-v0: "
        }
        Files.exists(marker) shouldBe false
    }

    test("file errors say what is wrong: a folder for --gif, a folder as checkpoint, a link loop, a dangling link") {
        proxima(wd, "train", "config.ppo.kts", "--steps", "256", "--out", "cart").code shouldBe 0
        Files.createDirectories(wd.resolve("gifs"))
        proxima(wd, "eval", "cart/checkpoints/best.safetensors", "--gif", "gifs").run {
            code shouldBe 1
            err.trim() shouldBe "proxima: --gif gifs is a directory; give a file name, e.g. gifs/episode.gif."
        }
        proxima(wd, "eval", "cart").run {
            code shouldBe 1
            err.trim() shouldBe "proxima: cart is a directory, not a checkpoint file. Did you mean cart/checkpoints/best.safetensors?"
        }
        Files.createSymbolicLink(wd.resolve("loop-a"), wd.resolve("loop-b"))
        Files.createSymbolicLink(wd.resolve("loop-b"), wd.resolve("loop-a"))
        proxima(wd, "eval", "loop-a").run {
            code shouldBe 1
            err shouldContain "loop-a is a symbolic link that loops"
            err shouldNotContain "no such file"
        }
        Files.createSymbolicLink(wd.resolve("dangling"), wd.resolve("gone.safetensors"))
        proxima(wd, "eval", "dangling").run {
            code shouldBe 1
            err shouldContain "dangling is a symbolic link to ${wd.resolve("gone.safetensors")}, which does not exist"
        }
        proxima(wd, "eval", "cart/checkpoints/best.safetensors", "--episodes", "1", "--gif", "gifs/one.gif").run {
            withClue(this) { code shouldBe 0 }
        }
        ImageIO.getImageReadersByFormatName("gif").next().run {
            ImageIO.createImageInputStream(wd.resolve("gifs/one.gif").toFile()).use { input ->
                setInput(input)
                getNumImages(true) shouldBeGreaterThan 1
            }
        }
    }

    test("export writes the agent's policy as ONNX, the model core's OnnxExport gives; the env is found as for eval") {
        proxima(wd, "export", "cart/checkpoints/best.safetensors", "--onnx", "policy.onnx").run {
            withClue(this) { code shouldBe 0 }
            out shouldContain "exported cart/checkpoints/best.safetensors (CartPole-v1, "
        }
        Files.readAllBytes(wd.resolve("policy.onnx")).toList() shouldBe
            OnnxExport.of(Agent.load(wd.resolve("cart/checkpoints/best.safetensors"))).toBytes().toList()
        proxima(wd, "export", "cart/checkpoints/last.safetensors", "--onnx", "full.onnx", "--no-value", "--distribution")
            .code shouldBe 0
        Files.readAllBytes(wd.resolve("full.onnx")).toList() shouldBe OnnxExport.of(Agent.load(
            wd.resolve("cart/checkpoints/last.safetensors"))).value(false).distribution(true).toBytes().toList()
        proxima(wd, "export", "cart/checkpoints/best.safetensors", "--onnx", "gifs").run {
            code shouldBe 1
            err.trim() shouldBe "proxima: --onnx gifs is a directory; give a file name, e.g. gifs/policy.onnx."
        }
        proxima(wd, "export", "corridor-run/checkpoints/last.safetensors", "--onnx", "c.onnx").run {
            code shouldBe 1
            err shouldContain "export: corridor-run/checkpoints/last.safetensors was trained on env \"Corridor-v0\""
        }
        proxima(wd, "export", "cart/checkpoints/best.safetensors").run {
            code shouldBe 2
            err shouldContain "--onnx"
        }
    }

    test("plugin jars (--classpath, PROXIMA_CLASSPATH) are seen by envs, check-env, scripts and eval") {
        val jar = TestJars.pluginEnv(wd.resolve("plugins/coin.jar"))
        proxima(wd, "envs").out shouldNotContain "Plugin-v0"
        proxima(wd, "envs", "--classpath", "plugins/coin.jar").run {
            code shouldBe 0
            out shouldContain "Plugin-v0"
        }
        proxima(wd, "check-env", "Plugin-v0", "--classpath", "plugins/*").run {
            withClue(this) { code shouldBe 0 }
            out shouldContain "env check of Plugin-v0"
        }
        Files.writeString(wd.resolve("plugin.ppo.kts"),
            "PpoConfig.builder().env(\"Plugin-v0\").rollout(2, 16).numMinibatches(2).build()\n")
        val env = mapOf(dev.proxima.cli.script.Plugins.ENV to jar.toString())
        proxima(wd, "train", "plugin.ppo.kts", "--steps", "64", "--out", "plugin-run", env = env).run {
            withClue(this) { code shouldBe 0 }
        }
        proxima(wd, "eval", "plugin-run/checkpoints/last.safetensors", "--episodes", "2", env = env).run {
            withClue(this) { code shouldBe 0 }
            out shouldContain "on Plugin-v0: "
        }
        proxima(wd, "envs", "--classpath", "plugins/none.jar").run {
            code shouldBe 1
            err.trim() shouldBe "proxima: --classpath: no such file: plugins/none.jar"
        }
    }
})
