package dev.proxima.samples

import ai.onnxruntime.OrtEnvironment
import dev.proxima.core.ppo.Agent
import dev.proxima.samples.onnx.ExportCartPole
import dev.proxima.samples.onnx.ServePolicy
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import java.util.Locale
import java.util.SplittableRandom
import java.util.concurrent.TimeUnit

class OnnxServingTest : FunSpec({

    test("an exported CartPole policy is served by a JVM with only onnxruntime on its class path, as the agent acts") {
        val result = ExportCartPole.train(256L * 8)
        val agent: Agent = result.agent()
        val dir = Files.createTempDirectory("onnx-serving")
        try {
            val model = dir.resolve("cartpole.onnx")
            agent.exportOnnx(model)
            val r = SplittableRandom(5)
            val rows = List(12) { FloatArray(4) { (r.nextGaussian() * 0.3).toFloat() } }
            val onnxJar = Path.of(OrtEnvironment::class.java.protectionDomain.codeSource.location.toURI())
            val classes = Path.of(ServePolicy::class.java.protectionDomain.codeSource.location.toURI())
            val java = Path.of(System.getProperty("java.home"), "bin", "java").toString()
            val command = listOf(java, "-cp", "$onnxJar${File.pathSeparator}$classes",
                "dev.proxima.samples.onnx.ServePolicy", model.toString()) +
                rows.map { row -> row.joinToString(",") { String.format(Locale.ROOT, "%.9g", it) } }
            val p = ProcessBuilder(command).redirectErrorStream(true).start()
            val out = p.inputStream.readAllBytes().decodeToString()
            p.waitFor(120, TimeUnit.SECONDS) shouldBe true
            print(out)
            p.exitValue() shouldBe 0
            out shouldContain "input  observation"
            out shouldContain "output action"
            val env = agent.env().makeUnwrapped(0)
            @Suppress("UNCHECKED_CAST")
            val typed = env as dev.proxima.core.env.Env<FloatArray, Int>
            for ((i, row) in rows.withIndex()) {
                val line = out.lines().first { it.startsWith("row $i:") }
                val action = line.substringAfter("action ").substringBefore(" ").toInt()
                val value = line.substringAfter("value ").toDouble()
                action shouldBe agent.act(typed, row, true, null)
                (Math.abs(value - agent.value(row)) < 1e-5 * maxOf(1.0, Math.abs(value))) shouldBe true
            }
        } finally {
            dir.toFile().deleteRecursively()
        }
    }
})
