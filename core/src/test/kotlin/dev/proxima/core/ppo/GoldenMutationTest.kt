package dev.proxima.core.ppo

import dev.proxima.core.testing.goldenCases
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import kotlin.math.abs
import kotlin.math.max

/**
 * The golden checks must fail when a golden value is wrong: for every output field of every case (the first and the
 * last number in it), a copy with that number moved by 1e-9 (relative, at least 1e-9 absolute; 1000× the tolerance)
 * must make the checker throw. This also proves no output field is skipped by accident.
 */
class GoldenMutationTest : FunSpec({
    val files = listOf(
        "ppo/gae.json" to ::checkGaeCase,
        "ppo/categorical_ppo.json" to ::checkCategoricalCase,
        "ppo/gaussian_ppo.json" to ::checkGaussianCase,
        "ppo/value_loss.json" to ::checkValueLossCase,
        "ppo/explained_variance.json" to ::checkExplainedVarianceCase,
    )
    for ((file, check) in files) {
        test("$file: every output field of every case is compared") {
            var mutants = 0
            goldenCases(file).forEachIndexed { i, c ->
                val label = caseLabel(file, i, c)
                check(label, c) // the unmodified case passes
                for (path in mutationPaths(c)) {
                    val mutant = withLeaf(c, path) { v -> perturb(v) }
                    shouldThrow<AssertionError> { check(label, mutant) }
                    mutants++
                }
            }
            mutants shouldBeGreaterThan 0
        }
    }

    test("a perturbed input also changes the result") {
        val c = goldenCases("ppo/categorical_ppo.json").first()
        val mutant = withLeaf(c, listOf("inputs", "logits", 1, 0)) { v -> perturb(v) }
        shouldThrow<AssertionError> { checkCategoricalCase("mutated logits", mutant) }
    }
})

private fun perturb(v: Any?): Any? = when (v) {
    null -> 0.5 // a NaN expectation replaced by a number
    is Double -> v + max(abs(v) * 1e-9, 1e-9)
    else -> error("cannot perturb $v")
}

/** For each numeric output field: the paths of its first and last number. */
private fun mutationPaths(c: Map<String, Any?>): List<List<Any>> {
    val paths = ArrayList<List<Any>>()
    fun leaves(v: Any?, path: List<Any>): List<List<Any>> = when (v) {
        is List<*> -> v.flatMapIndexed { i, x -> leaves(x, path + i) }
        is Double, null -> listOf(path)
        else -> emptyList() // booleans, strings
    }
    fun fields(m: Map<*, *>, path: List<Any>) {
        for ((k, v) in m) {
            if (k in INFORMATIONAL_FIELDS) continue
            if (v is Map<*, *>) {
                fields(v, path + k!!)
            } else {
                val l = leaves(v, path + k!!)
                if (l.isNotEmpty()) paths.addAll(listOf(l.first(), l.last()).distinct())
            }
        }
    }
    fields(c["outputs"] as Map<*, *>, listOf("outputs"))
    return paths
}

/** A deep copy of [root] with the leaf at [path] replaced. */
@Suppress("UNCHECKED_CAST")
private fun withLeaf(root: Map<String, Any?>, path: List<Any>, change: (Any?) -> Any?): Map<String, Any?> {
    fun copy(v: Any?, rest: List<Any>): Any? {
        if (rest.isEmpty()) return change(v)
        val key = rest.first()
        return when (v) {
            is Map<*, *> -> LinkedHashMap(v as Map<String, Any?>).also { it[key as String] = copy(v[key], rest.drop(1)) }
            is List<*> -> (key as Int).let { k -> ArrayList(v).also { it[k] = copy(v[k], rest.drop(1)) } }
            else -> error("path $path does not exist")
        }
    }
    return copy(root, path) as Map<String, Any?>
}
