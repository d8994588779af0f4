package dev.proxima.core.nn

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.matchers.string.shouldContain
import java.util.SplittableRandom

class DenseSpec : FunSpec({

    // (in, out, n): both forward forms (out >= 8 axpy, out < 8 dots), both dW orientations (out >= in, out < in),
    // batches below, at and off multiples of the 4-row blocking.
    val shapes = listOf(
        Triple(1, 1, 1), Triple(3, 5, 1), Triple(3, 5, 7), Triple(4, 64, 9), Triple(64, 2, 6), Triple(64, 1, 4),
        Triple(10, 3, 4), Triple(9, 12, 13), Triple(12, 9, 5), Triple(17, 8, 3),
    )

    for ((inD, outD, n) in shapes) {
        test("Dense($inD -> $outD), n = $n: forward and backward match the float64 reference and its finite differences") {
            val rng = SplittableRandom(31L * inD + 7L * outD + n)
            val layer = Dense(inD, outD)
            val params = gaussians(rng, layer.numParams(), 0.5)
            layer.load(params, 0)
            val x = asFloatInput(gaussians(rng, n * inD))
            val xRows = Array(n) { r -> FloatArray(inD) { x[r * inD + it].toFloat() } }
            val yRows = Array(n) { FloatArray(outD) }
            layer.forward(xRows, n, yRows)

            val sizes = intArrayOf(inD, outD)
            val ref = refMlp(params, 0, sizes, Activation.TANH, false, x, n)
            val y = DoubleArray(n * outD) { yRows[it / outD][it % outD].toDouble() }
            maxScaledError(y, ref) shouldBeLessThan 1e-5

            // loss = <c, y>; backward from dy = c, with grads pre-filled to check accumulation
            val c = gaussians(rng, n * outD)
            val dyRows = Array(n) { r -> FloatArray(outD) { c[r * outD + it].toFloat() } }
            val prior = gaussians(rng, layer.numParams())
            val grads = prior.copyOf()
            val dxRows = Array(n) { FloatArray(inD) { 99f } }
            layer.backward(xRows, dyRows, n, grads, 0, dxRows)

            val cAsFloat = asFloatInput(c)
            val fdParams = centralDifferences(params) { dot(cAsFloat, refMlp(params, 0, sizes, Activation.TANH, false, x, n)) }
            val added = DoubleArray(grads.size) { grads[it] - prior[it] }
            withClue("parameter gradient") { maxScaledError(added, fdParams) shouldBeLessThan 1e-4 }

            val fdInput = centralDifferences(x) { dot(cAsFloat, refMlp(params, 0, sizes, Activation.TANH, false, x, n)) }
            val dx = DoubleArray(n * inD) { dxRows[it / inD][it % inD].toDouble() }
            withClue("input gradient") { maxScaledError(dx, fdInput) shouldBeLessThan 1e-4 }
        }
    }

    test("backward with dx = null still accumulates, and a second backward adds the same again") {
        val rng = SplittableRandom(5)
        val layer = Dense(6, 10)
        layer.load(gaussians(rng, layer.numParams()), 0)
        val x = Array(5) { FloatArray(6) { rng.nextGaussian().toFloat() } }
        val dy = Array(5) { FloatArray(10) { rng.nextGaussian().toFloat() } }
        val once = DoubleArray(layer.numParams())
        layer.backward(x, dy, 5, once, 0, null)
        val twice = DoubleArray(layer.numParams() + 3)
        layer.backward(x, dy, 5, twice, 3, null)
        layer.backward(x, dy, 5, twice, 3, null)
        for (i in once.indices) twice[i + 3] shouldBe 2 * once[i]
        for (i in 0 until 3) twice[i] shouldBe 0.0
    }

    test("initOrthogonal writes an orthogonal weight times the gain and a zero bias at the offset") {
        val layer = Dense(5, 3)
        val params = DoubleArray(layer.numParams() + 2) { 7.0 }
        layer.initOrthogonal(params, 1, 0.5, SplittableRandom(1))
        params[0] shouldBe 7.0
        params[params.size - 1] shouldBe 7.0
        for (j in 0 until 3) params[1 + 15 + j] shouldBe 0.0
        // 3 x 5 weight: orthogonal rows, W W^T = gain^2 I
        for (a in 0 until 3) for (b in 0 until 3) {
            var s = 0.0
            for (i in 0 until 5) s += params[1 + a * 5 + i] * params[1 + b * 5 + i]
            kotlin.math.abs(s - if (a == b) 0.25 else 0.0) shouldBeLessThan 1e-12
        }
    }

    test("bad sizes are rejected with the values") {
        shouldThrow<IllegalArgumentException> { Dense(0, 3) }.message shouldContain "in = 0"
    }
})
