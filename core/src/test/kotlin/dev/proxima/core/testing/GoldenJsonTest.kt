package dev.proxima.core.testing

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

class GoldenJsonTest : FunSpec({
    test("parses nested objects, arrays, numbers, strings, booleans and null") {
        val v = GoldenJson.parse(""" {"a": [1, -2.5e-3, 3E2], "b": {"c": true, "d": false, "e": null},
            "s": "x\"y\\z\u0041\n", "empty": [], "o": {}} """)
        v shouldBe mapOf(
            "a" to listOf(1.0, -2.5e-3, 300.0),
            "b" to mapOf("c" to true, "d" to false, "e" to null),
            "s" to "x\"y\\zA\n",
            "empty" to emptyList<Any?>(),
            "o" to emptyMap<String, Any?>(),
        )
    }

    test("reads null and the inf strings as doubles, and Python's bare NaN/Infinity") {
        @Suppress("UNCHECKED_CAST")
        val m = GoldenJson.parse("""{"v": [null, "inf", "-inf", 1.5], "w": [NaN, Infinity, -Infinity]}""") as Map<String, Any?>
        val v = m.vec("v")
        v[0].isNaN() shouldBe true
        v.drop(1) shouldBe listOf(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5)
        val w = m.vec("w")
        w[0].isNaN() shouldBe true
        w.drop(1) shouldBe listOf(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)
    }

    test("flattens [T][N] row-major and rejects malformed input") {
        @Suppress("UNCHECKED_CAST")
        val m = GoldenJson.parse("""{"x": [[1, 2], [3, 4]], "b": [[true], [false]]}""") as Map<String, Any?>
        m.flat("x").toList() shouldBe listOf(1.0, 2.0, 3.0, 4.0)
        m.flatBooleans("b").toList() shouldBe listOf(true, false)
        shouldThrow<IllegalArgumentException> { GoldenJson.parse("""{"a": [1, 2}""") }
        shouldThrow<IllegalArgumentException> { GoldenJson.parse("""[1] x""") }
    }

    test("the comparison helper accepts rounding noise and rejects real differences") {
        assertClose("same", 1.0, 1.0 + 1e-13)
        assertClose("nan", Double.NaN, Double.NaN)
        shouldThrow<AssertionError> { assertClose("off", 1.0, 1.0 + 1e-11) }
        shouldThrow<AssertionError> { assertClose("nan vs number", Double.NaN, 0.0) }
        shouldThrow<AssertionError> { assertAllClose("size", doubleArrayOf(1.0), doubleArrayOf(1.0, 2.0)) }
    }
})
