package dev.proxima.core.testing

import kotlin.math.abs
import kotlin.math.max

/**
 * Float64 comparison for golden vectors: `|actual - expected| <= max(REL * |expected|, ABS)`. NaN only matches NaN,
 * infinities only themselves. The golden README promises about 1e-12 relative for a float64 port; the absolute floor
 * covers expected values at or near 0 (gradients of exactly 0, an explained variance of exactly 0) whose computed
 * value is rounding noise of larger intermediates.
 */
object Close {
    const val REL = 1e-12
    const val ABS = 1e-13

    /** Largest differences seen by passing comparisons, for reporting how close the port is. */
    @Volatile var worstAbs = 0.0
    @Volatile var worstRel = 0.0 // over expected values with |expected| > ABS

    fun within(expected: Double, actual: Double, rel: Double = REL, absFloor: Double = ABS): Boolean = when {
        expected.isNaN() -> actual.isNaN()
        expected.isInfinite() -> expected == actual
        else -> {
            val diff = abs(actual - expected)
            val ok = diff <= max(rel * abs(expected), absFloor)
            if (ok) {
                worstAbs = max(worstAbs, diff)
                if (abs(expected) > ABS) worstRel = max(worstRel, diff / abs(expected))
            }
            ok
        }
    }
}

fun assertClose(label: String, expected: Double, actual: Double, rel: Double = Close.REL, absFloor: Double = Close.ABS) {
    if (!Close.within(expected, actual, rel, absFloor)) {
        throw AssertionError("$label: expected $expected, got $actual (diff ${actual - expected}, rel ${
            (actual - expected) / expected}; tolerance rel $rel, abs $absFloor)")
    }
}

fun assertAllClose(label: String, expected: DoubleArray, actual: DoubleArray, rel: Double = Close.REL,
                   absFloor: Double = Close.ABS) {
    if (expected.size != actual.size) {
        throw AssertionError("$label: expected ${expected.size} values, got ${actual.size}")
    }
    for (i in expected.indices) assertClose("$label[$i]", expected[i], actual[i], rel, absFloor)
}
