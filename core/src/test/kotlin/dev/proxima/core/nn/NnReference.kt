package dev.proxima.core.nn

import java.util.SplittableRandom
import kotlin.math.abs
import kotlin.math.max
import kotlin.math.tanh

/*
 * A float64 reference of the networks, written from the documented parameter layout (each layer: torch's weight
 * [out][in] row-major, then the bias; see Network), and central finite differences on it.
 *
 * Why finite differences on a float64 reference rather than on the float32 network: central differences with
 * h = 1e-6 in float64 have truncation error ~h²·f''' ≈ 1e-12 and rounding error ~1e-16/h ≈ 1e-10, so the reference
 * gradient is exact for our purposes, and the comparison measures only the float32 error of backward (unit roundoff
 * 6e-8, grown by sums of a few dozen terms) plus the 3.4e-7 of the rational tanh: far below the 1e-4 tolerance,
 * while a wrong index, a missing term or a transposed matrix gives errors of order 1. The network's own forward is
 * tied to the reference separately (same outputs to float32 accuracy at random parameters, where every parameter
 * matters), and a coarse float32 finite-difference check on the network itself closes the loop.
 */

fun refActivation(a: Activation, x: Double): Double = when (a) {
    Activation.TANH -> tanh(x)
    Activation.RELU -> max(0.0, x)
}

/** Row-major n×sizes.last() output of an MLP with [sizes] whose parameters start at [offset]. */
fun refMlp(
    p: DoubleArray, offset: Int, sizes: IntArray, act: Activation, activateOutput: Boolean,
    x: DoubleArray, n: Int,
): DoubleArray {
    var cur = x
    var off = offset
    for (k in 0 until sizes.size - 1) {
        val inD = sizes[k]
        val outD = sizes[k + 1]
        val next = DoubleArray(n * outD)
        for (r in 0 until n) for (j in 0 until outD) {
            var s = p[off + inD * outD + j]
            for (i in 0 until inD) s += p[off + j * inD + i] * cur[r * inD + i]
            val last = k == sizes.size - 2
            next[r * outD + j] = if (!last || activateOutput) refActivation(act, s) else s
        }
        off += inD * outD + outD
        cur = next
    }
    return cur
}

fun mlpParams(sizes: IntArray): Int = (0 until sizes.size - 1).sumOf { sizes[it] * sizes[it + 1] + sizes[it + 1] }

/** What a Network builds, described independently of the implementation classes. */
data class RefArch(
    val network: Network, val obsDim: Int, val policyDim: Int, val logStdDim: Int,
) {
    val act: Activation get() = network.activation()
    val actorSizes get() = intArrayOf(obsDim, *network.actor(), policyDim)
    val criticSizes get() = intArrayOf(obsDim, *network.critic(), 1)
    val trunkSizes get() = intArrayOf(obsDim, *network.trunk())
    val width get() = network.trunk().last()

    val networkParams: Int
        get() = if (network.isShared()) {
            mlpParams(trunkSizes) + width * policyDim + policyDim + width + 1
        } else {
            mlpParams(actorSizes) + mlpParams(criticSizes)
        }

    /** (policy n×policyDim, values n). */
    fun forward(p: DoubleArray, obs: DoubleArray, n: Int): Pair<DoubleArray, DoubleArray> =
        if (network.isShared()) {
            val features = refMlp(p, 0, trunkSizes, act, true, obs, n)
            val policyOff = mlpParams(trunkSizes)
            val valueOff = policyOff + width * policyDim + policyDim
            Pair(
                refMlp(p, policyOff, intArrayOf(width, policyDim), act, false, features, n),
                refMlp(p, valueOff, intArrayOf(width, 1), act, false, features, n),
            )
        } else {
            Pair(
                refMlp(p, 0, actorSizes, act, false, obs, n),
                refMlp(p, mlpParams(actorSizes), criticSizes, act, false, obs, n),
            )
        }

    /** Layers as (offset, out, in, gain) in parameter order, with CleanRL's gains. */
    fun layers(): List<LayerInfo> {
        val out = mutableListOf<LayerInfo>()
        var off = 0
        fun add(sizes: IntArray, lastGain: Double) {
            for (k in 0 until sizes.size - 1) {
                val gain = if (k == sizes.size - 2) lastGain else kotlin.math.sqrt(2.0)
                out += LayerInfo(off, sizes[k + 1], sizes[k], gain)
                off += sizes[k] * sizes[k + 1] + sizes[k + 1]
            }
        }
        if (network.isShared()) {
            add(trunkSizes, kotlin.math.sqrt(2.0))
            add(intArrayOf(width, policyDim), 0.01)
            add(intArrayOf(width, 1), 1.0)
        } else {
            add(actorSizes, 0.01)
            add(criticSizes, 1.0)
        }
        return out
    }
}

data class LayerInfo(val offset: Int, val out: Int, val inDim: Int, val gain: Double)

fun gaussians(rng: SplittableRandom, n: Int, scale: Double = 1.0) = DoubleArray(n) { rng.nextGaussian() * scale }

fun floats(d: DoubleArray) = FloatArray(d.size) { d[it].toFloat() }

/** The float32-representable obs used by the network, widened back, so reference and network see the same input. */
fun asFloatInput(d: DoubleArray) = DoubleArray(d.size) { d[it].toFloat().toDouble() }

/** Central differences of [f] with respect to every entry of [x] (modified and restored in place). */
fun centralDifferences(x: DoubleArray, h: Double = 1e-6, f: () -> Double): DoubleArray = DoubleArray(x.size) { i ->
    val saved = x[i]
    x[i] = saved + h
    val plus = f()
    x[i] = saved - h
    val minus = f()
    x[i] = saved
    (plus - minus) / (2 * h)
}

/** Largest |a - b| over the entries, divided by max(1, largest |b|). */
fun maxScaledError(a: DoubleArray, b: DoubleArray): Double {
    require(a.size == b.size)
    var scale = 1.0
    for (v in b) scale = max(scale, abs(v))
    var err = 0.0
    for (i in a.indices) err = max(err, abs(a[i] - b[i]))
    return err / scale
}

fun dot(a: DoubleArray, b: DoubleArray): Double {
    var s = 0.0
    for (i in a.indices) s += a[i] * b[i]
    return s
}
