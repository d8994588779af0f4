package dev.proxima.core.nn

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.util.SplittableRandom

class MlpSpec : FunSpec({

    val cases = listOf(
        intArrayOf(5, 7, 6, 3) to false, intArrayOf(4, 24, 16, 2) to false, intArrayOf(3, 9, 2, 11) to true,
        intArrayOf(6, 4) to false, intArrayOf(6, 4) to true, intArrayOf(2, 3, 5, 8, 13, 1) to false,
    )
    for (act in Activation.entries) for ((sizes, activateOutput) in cases) for (n in listOf(1, 6)) {
        val name = "${sizes.contentToString()} $act${if (activateOutput) " activated" else ""}, n = $n"
        test("Mlp $name: forward, parameter and input gradients match the float64 reference") {
            val rng = SplittableRandom(sizes.sum() * 17L + n + act.ordinal * 1000L + if (activateOutput) 7 else 0)
            val mlp = Mlp(act, activateOutput, *sizes)
            val offset = 3
            val params = DoubleArray(mlp.numParams() + offset)
            gaussians(rng, mlp.numParams(), 0.6).copyInto(params, offset)
            mlp.load(params, offset)
            val inD = sizes.first()
            val outD = sizes.last()
            val x = asFloatInput(gaussians(rng, n * inD))
            val xRows = Array(n) { r -> FloatArray(inD) { x[r * inD + it].toFloat() } }
            val ws = mlp.newWorkspace()
            val yRows = mlp.forward(ws, xRows, n)
            val y = DoubleArray(n * outD) { yRows[it / outD][it % outD].toDouble() }
            val ref = { refMlp(params, offset, sizes, act, activateOutput, x, n) }
            maxScaledError(y, ref()) shouldBeLessThan 1e-5

            val c = asFloatInput(gaussians(rng, n * outD))
            val dOut = Array(n) { r -> FloatArray(outD) { c[r * outD + it].toFloat() } }
            val dOutCopy = Array(n) { dOut[it].copyOf() }
            val grads = DoubleArray(params.size)
            val dIn = Array(n) { FloatArray(inD) }
            mlp.backward(ws, dOut, n, grads, offset, dIn)
            for (r in 0 until n) dOut[r].toList() shouldBe dOutCopy[r].toList() // dOut is not modified

            val fd = centralDifferences(params) { dot(c, ref()) }
            withClue("parameter gradient") { maxScaledError(grads, fd) shouldBeLessThan 1e-4 }
            val fdIn = centralDifferences(x) { dot(c, ref()) }
            val dx = DoubleArray(n * inD) { dIn[it / inD][it % inD].toDouble() }
            withClue("input gradient") { maxScaledError(dx, fdIn) shouldBeLessThan 1e-4 }
        }
    }

    test("workspaces are independent: a forward in one does not disturb backward from another") {
        val rng = SplittableRandom(9)
        val mlp = Mlp(Activation.TANH, false, 3, 8, 2)
        val params = gaussians(rng, mlp.numParams())
        mlp.load(params, 0)
        val x = Array(4) { FloatArray(3) { rng.nextGaussian().toFloat() } }
        val other = Array(9) { FloatArray(3) { rng.nextGaussian().toFloat() } }
        val dOut = Array(4) { FloatArray(2) { rng.nextGaussian().toFloat() } }
        val a = mlp.newWorkspace()
        val expected = DoubleArray(mlp.numParams())
        mlp.forward(a, x, 4)
        mlp.backward(a, dOut, 4, expected, 0, null)

        val b = mlp.newWorkspace()
        val got = DoubleArray(mlp.numParams())
        mlp.forward(a, x, 4)
        mlp.forward(b, other, 9)
        mlp.backward(a, dOut, 4, got, 0, null)
        got.toList() shouldBe expected.toList()
    }

    test("backward of more rows than the last forward is refused") {
        val mlp = Mlp(Activation.TANH, false, 2, 3, 1)
        val ws = mlp.newWorkspace()
        mlp.forward(ws, Array(2) { FloatArray(2) }, 2)
        shouldThrow<IllegalStateException> {
            mlp.backward(ws, Array(3) { FloatArray(1) }, 3, DoubleArray(mlp.numParams()), 0, null)
        }.message shouldContain "n = 3"
    }

    test("bad sizes are rejected with the values") {
        shouldThrow<IllegalArgumentException> { Mlp(Activation.TANH, false, 4) }.message shouldContain "[4]"
        shouldThrow<IllegalArgumentException> { Mlp(Activation.TANH, false, 4, 0, 2) }.message shouldContain "position 1"
    }
})
