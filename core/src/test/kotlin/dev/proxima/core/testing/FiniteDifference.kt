package dev.proxima.core.testing

import kotlin.math.abs
import kotlin.math.max

/** Central finite differences in float64. */
object FiniteDifference {
    const val H = 1e-6

    /** d f / d x[k] by central differences, restoring x[k]. */
    fun partial(x: DoubleArray, k: Int, h: Double = H, f: () -> Double): Double {
        val saved = x[k]
        x[k] = saved + h
        val up = f()
        x[k] = saved - h
        val down = f()
        x[k] = saved
        return (up - down) / (2 * h)
    }

    /**
     * Asserts an analytic derivative matches the numeric one: `|a - n| <= 1e-6 * max(1, |n|)`. With h = 1e-6 the
     * truncation error is O(h²·f''') and the rounding error O(1e-16·|f|/h) ≈ 1e-10 for |f| ≈ 1, so this leaves a wide
     * margin while still catching any wrong term (errors of order 1e-2 or more).
     */
    fun assertMatches(label: String, analytic: Double, numeric: Double, tol: Double = 1e-6) {
        if (!(abs(analytic - numeric) <= tol * max(1.0, abs(numeric)))) {
            throw AssertionError("$label: analytic $analytic vs finite-difference $numeric (diff ${analytic - numeric})")
        }
    }
}
