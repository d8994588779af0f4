package dev.proxima.core.dist

import dev.proxima.core.space.Box
import dev.proxima.core.testing.GoldenJson
import dev.proxima.core.testing.flat
import dev.proxima.core.testing.flatBooleans
import dev.proxima.core.testing.int
import dev.proxima.core.testing.list
import dev.proxima.core.testing.num
import dev.proxima.core.testing.obj
import dev.proxima.core.testing.vec
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import java.util.random.RandomGenerator
import kotlin.math.abs
import kotlin.math.max

/**
 * The heads against float64 vectors computed by an independent implementation (Python `decimal` at 100 digits, gradients
 * by finite differences): `src/test/resources/dev/proxima/core/dist/golden/`, whose README gives the derivation.
 */
class HeadsGoldenTest : FunSpec({
    val files = listOf(
        "masked_categorical.json" to ::checkMaskedCategorical,
        "multi_discrete.json" to ::checkMultiDiscrete,
        "gaussian.json" to ::checkGaussian,
    )
    for ((file, check) in files) {
        test("$file: every case matches") {
            cases(file).forEach { c -> check(c["name"] as String, c) }
        }
        test("$file: moving any expected number by 1e-9 makes its case fail") {
            var mutants = 0
            for (c in cases(file)) {
                for (mutant in mutants(c)) {
                    shouldThrow<AssertionError> { check(c["name"] as String, mutant) }
                    mutants++
                }
            }
            mutants shouldBeGreaterThan 20
        }
    }
})

private const val TOL = 1e-12

@Suppress("UNCHECKED_CAST")
private fun cases(file: String): List<Map<String, Any?>> {
    val text = HeadsGoldenTest::class.java.getResource("golden/$file")?.readText()
        ?: error("test resource dev/proxima/core/dist/golden/$file is missing")
    return (GoldenJson.parse(text) as Map<String, Any?>)["cases"] as List<Map<String, Any?>>
}

private fun close(label: String, actual: Double, expected: Double) {
    if (!(abs(actual - expected) <= TOL * max(1.0, abs(expected)))) {
        throw AssertionError("$label: got $actual, expected $expected (diff ${actual - expected})")
    }
}

private fun close(label: String, actual: DoubleArray, expected: DoubleArray) {
    if (actual.size != expected.size) throw AssertionError("$label: ${actual.size} values, expected ${expected.size}")
    for (k in expected.indices) close("$label[$k]", actual[k], expected[k])
}

private fun exact(label: String, actual: FloatArray, expected: DoubleArray) {
    if (actual.size != expected.size) throw AssertionError("$label: ${actual.size} values, expected ${expected.size}")
    for (k in expected.indices) {
        if (actual[k].toDouble() != expected[k]) throw AssertionError("$label[$k]: got ${actual[k]}, expected ${expected[k]}")
    }
}

/** Returns the given uniforms from nextDouble() and the given normals from nextGaussian(), in order. */
private class Scripted(private val values: DoubleArray) : RandomGenerator {
    private var next = 0
    override fun nextLong(): Long = throw UnsupportedOperationException("the heads draw doubles only")
    override fun nextDouble(): Double = values[next++]
    override fun nextGaussian(): Double = values[next++]
}

private fun rngs(perRow: DoubleArray, rows: Int): Array<RandomGenerator> {
    val k = perRow.size / rows
    return Array(rows) { i -> Scripted(perRow.copyOfRange(i * k, i * k + k)) }
}

private fun maskOf(inputs: Map<String, Any?>): BooleanArray? = if (inputs["mask"] == null) null else inputs.flatBooleans("mask")

/** log-prob, entropy, backward, mode and sample of a discrete head, with the case's mask (or none). */
private fun checkDiscrete(label: String, head: PolicyHead, c: Map<String, Any?>) {
    val inp = c.obj("inputs")
    val exp = c.obj("outputs")
    val logits = inp.flat("logits")
    val mask = maskOf(inp)
    val rows = inp.list("logits").size
    val actions = inp.flat("actions").map { it.toFloat() }.toFloatArray()
    val logp = DoubleArray(rows)
    val ent = DoubleArray(rows)
    head.logProbAndEntropy(logits, null, mask, actions, rows, logp, ent)
    close("$label log_prob", logp, exp.vec("log_prob"))
    close("$label entropy", ent, exp.vec("entropy"))
    val grad = DoubleArray(logits.size) { Double.NaN }
    head.backward(logits, null, mask, actions, rows, inp.vec("w_log_prob"), inp.vec("w_entropy"), grad, null)
    close("$label grad_logits", grad, exp.flat("grad_logits"))
    val mode = FloatArray(actions.size)
    head.mode(logits, null, mask, rows, mode)
    exact("$label mode", mode, exp.flat("mode"))
    val sampled = FloatArray(actions.size)
    val sampleLogp = DoubleArray(rows)
    head.sample(logits, null, mask, rows, rngs(inp.flat("u"), rows), sampled, sampleLogp)
    exact("$label sample", sampled, exp.flat("sample"))
    close("$label sample_log_prob", sampleLogp, exp.vec("sample_log_prob"))
    if (mask == null) { // the overloads without a mask are the same head
        val logp2 = DoubleArray(rows)
        head.logProbAndEntropy(logits, null, actions, rows, logp2, DoubleArray(rows))
        close("$label log_prob (unmasked overload)", logp2, exp.vec("log_prob"))
    }
}

private fun checkMaskedCategorical(label: String, c: Map<String, Any?>) =
    checkDiscrete(label, CategoricalHead(c.obj("inputs").int("n")), c)

private fun checkMultiDiscrete(label: String, c: Map<String, Any?>) =
    checkDiscrete(label, MultiDiscreteHead(*c.obj("inputs").flat("nvec").map { it.toInt() }.toIntArray()), c)

private fun checkGaussian(label: String, c: Map<String, Any?>) {
    val inp = c.obj("inputs")
    val exp = c.obj("outputs")
    val low = inp.vec("low").map { it.toFloat() }.toFloatArray()
    val high = inp.vec("high").map { it.toFloat() }.toFloatArray()
    val b = inp.obj("bound")
    val bound = when (b["kind"]) {
        "none" -> LogStdBound.NONE
        "clamp" -> LogStdBound.clamp(b.num("min"), b.num("max"))
        "tanh" -> LogStdBound.tanh(b.num("min"), b.num("max"))
        else -> error("bound ${b["kind"]}")
    }
    val box = Box.of(low, high)
    val head: PolicyHead = when (inp["head"]) {
        "tanh" -> TanhGaussianHead(box, bound)
        "clip" -> DiagGaussianHead(low.size, bound)
        else -> error("head ${inp["head"]}")
    }
    val means = inp.flat("means")
    val raw = inp.vec("raw_log_std")
    val actions = inp.flat("actions").map { it.toFloat() }.toFloatArray()
    val rows = inp.list("means").size
    val logp = DoubleArray(rows)
    val ent = DoubleArray(rows)
    head.logProbAndEntropy(means, raw, actions, rows, logp, ent)
    close("$label log_prob", logp, exp.vec("log_prob"))
    close("$label entropy", ent, DoubleArray(rows) { exp.num("entropy") })
    val dMeans = DoubleArray(means.size) { Double.NaN }
    val dRaw = DoubleArray(raw.size) { Double.NaN }
    head.backward(means, raw, actions, rows, inp.vec("w_log_prob"), inp.vec("w_entropy"), dMeans, dRaw)
    close("$label grad_means", dMeans, exp.flat("grad_means"))
    close("$label grad_raw_log_std", dRaw, exp.vec("grad_raw_log_std"))
    val env = FloatArray(actions.size)
    head.envActions(actions, rows, env, 0)
    exact("$label env_actions", env, exp.flat("env_actions"))
    val sampled = FloatArray(actions.size)
    val sampleLogp = DoubleArray(rows)
    head.sample(means, raw, rows, rngs(inp.flat("z"), rows), sampled, sampleLogp)
    exact("$label sample", sampled, exp.flat("sample"))
    close("$label sample_log_prob", sampleLogp, exp.vec("sample_log_prob"))
}

/** Copies of [c] with one numeric leaf of its outputs moved by 1e-9 (relative, at least 1e-9 absolute) each. */
@Suppress("UNCHECKED_CAST")
private fun mutants(c: Map<String, Any?>): List<Map<String, Any?>> {
    fun variants(v: Any?): List<Any?> = when (v) {
        is Double -> listOf(v + max(abs(v) * 1e-9, 1e-9))
        is List<*> -> v.indices.flatMap { i -> variants(v[i]).map { nv -> v.toMutableList().also { it[i] = nv } } }
        is Map<*, *> -> v.keys.flatMap { k ->
            variants(v[k]).map { nv -> LinkedHashMap(v as Map<String, Any?>).also { it[k as String] = nv } }
        }
        else -> emptyList()
    }
    val outputs = c["outputs"] as Map<String, Any?>
    return variants(outputs).map { LinkedHashMap(c).also { m -> m["outputs"] = it } }
}
