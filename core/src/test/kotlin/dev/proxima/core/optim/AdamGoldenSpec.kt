package dev.proxima.core.optim

import dev.proxima.core.testing.GoldenJson
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import java.io.File
import kotlin.math.abs
import kotlin.math.max

/**
 * torch.optim.Adam + clip_grad_norm_ golden vectors (`ppo/adam.json`, see its README): every case and every step,
 * parameter tensors of several shapes flattened into one vector in list order (so the global norm spans them all).
 */
class AdamGoldenSpec : FunSpec({

    val dir = System.getProperty("golden.dir")
        ?: error("system property golden.dir is not set; Surefire sets it from the parent pom (../shared/golden)")
    val file = File(dir, "ppo/adam.json")

    @Suppress("UNCHECKED_CAST")
    val cases = (GoldenJson.parse(file.readText()) as Map<String, Any?>)["cases"] as List<Map<String, Any?>>

    test("the golden file has cases") { cases.size shouldNotBe 0 }

    for ((index, case) in cases.withIndex()) {
        test("case $index (${case["variant"]}): grad norm, clip coef, params, exp_avg, exp_avg_sq at every step") {
            val betas = case["betas"] as List<*>
            val maxNorm = case["max_grad_norm"] as Double?
            val inputs = case["inputs"] as Map<*, *>
            val steps = (case["outputs"] as Map<*, *>)["steps"] as List<*>
            val params = flatten(inputs["initial_params"])
            val grads = inputs["grads"] as List<*>
            val lrs = inputs["lr_per_step"] as List<*>
            val shapes = case["param_shapes"] as List<*>
            params.size shouldBe shapes.sumOf { s -> (s as List<*>).fold(1) { acc, d -> acc * (d as Double).toInt() } }
            grads.size shouldBe steps.size

            val adam = Adam(params.size, betas[0] as Double, betas[1] as Double, case["eps"] as Double,
                case["weight_decay"] as Double)
            for (k in steps.indices) {
                val want = steps[k] as Map<*, *>
                val g = flatten(grads[k])
                val gBefore = g.copyOf()
                val lr = lrs[k] as Double
                (want["lr"] as Double) shouldBe lr
                val norm = if (maxNorm == null) adam.step(params, g, lr) else adam.step(params, g, lr, maxNorm)
                g.toList() shouldBe gBefore.toList() // gradients are read, not clipped in place
                adam.t() shouldBe (k + 1).toLong()
                withClue("step ${k + 1} grad_total_norm") { relErr(norm, want["grad_total_norm"] as Double) shouldBeLessThan 1e-12 }
                adam.lastGradNorm() shouldBe norm
                (want["clip_coef_applied"] as Double?)?.let {
                    withClue("step ${k + 1} clip_coef_applied") { relErr(adam.lastClipCoef(), it) shouldBeLessThan 1e-12 }
                }
                if (maxNorm == null) adam.lastClipCoef() shouldBe 1.0
                withClue("step ${k + 1} params") { maxRelErr(params, flatten(want["params"])) shouldBeLessThan 1e-12 }
                withClue("step ${k + 1} exp_avg") { maxRelErr(adam.m(), flatten(want["exp_avg"])) shouldBeLessThan 1e-12 }
                withClue("step ${k + 1} exp_avg_sq") { maxRelErr(adam.v(), flatten(want["exp_avg_sq"])) shouldBeLessThan 1e-12 }
            }
        }
    }
})

/** |a - b| / |b|, or |a - b| where b is 0 (zero gradients give exact zeros). */
private fun relErr(a: Double, b: Double): Double = if (b == 0.0) abs(a) else abs(a - b) / abs(b)

private fun maxRelErr(a: DoubleArray, b: DoubleArray): Double {
    require(a.size == b.size) { "sizes differ: ${a.size} vs ${b.size}" }
    var err = 0.0
    for (i in a.indices) err = max(err, relErr(a[i], b[i]))
    return err
}

/** Nested JSON lists (a list of tensors) flattened in row-major order, as torch flattens them. */
private fun flatten(x: Any?): DoubleArray {
    val out = ArrayList<Double>()
    fun walk(v: Any?) {
        when (v) {
            is List<*> -> v.forEach { walk(it) }
            is Double -> out += v
            else -> error("expected numbers or lists, got $v")
        }
    }
    walk(x)
    return out.toDoubleArray()
}
