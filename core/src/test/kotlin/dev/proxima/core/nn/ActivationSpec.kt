package dev.proxima.core.nn

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.floats.shouldBeNaN
import io.kotest.matchers.shouldBe
import kotlin.math.abs
import kotlin.math.max

class ActivationSpec : FunSpec({

    test("rational tanh stays within 4e-7 of Math.tanh and 8 ulp of the float32 result") {
        var maxAbs = 0.0
        var maxUlp = 0.0
        val steps = 2_400_000
        for (k in 0..steps) {
            val x = (-12.0 + 24.0 * k / steps).toFloat()
            val exact = Math.tanh(x.toDouble())
            val got = Activation.TANH.apply(x).toDouble()
            maxAbs = max(maxAbs, abs(got - exact))
            maxUlp = max(maxUlp, abs(got - exact) / Math.ulp(exact.toFloat()).toDouble())
        }
        maxAbs shouldBeLessThan 4e-7
        maxUlp shouldBeLessThan 8.0
    }

    test("rational tanh is exact where it must be: odd, 0, saturation, NaN") {
        for (x in listOf(1e-30f, 1e-6f, 0.3f, 1f, 2.5f, 7f, 8.99f, 100f)) {
            Activation.TANH.apply(-x) shouldBe -Activation.TANH.apply(x)
        }
        Activation.TANH.apply(0f) shouldBe 0f
        Activation.TANH.apply(1e-20f) shouldBe 1e-20f
        // Saturates within 2 float ulps of ±1 (the clamp at |x| = 9), never beyond.
        for (x in listOf(9f, 9.5f, 50f, Float.MAX_VALUE, Float.POSITIVE_INFINITY)) {
            val y = Activation.TANH.apply(x)
            (y <= 1f) shouldBe true
            (1.0 - y) shouldBeLessThan 1.3e-7
            Activation.TANH.apply(-x) shouldBe -y
        }
        Activation.TANH.apply(Float.NaN).shouldBeNaN()
        Activation.RELU.apply(Float.NaN).shouldBeNaN()
    }

    test("derivative from the output matches central differences of the function") {
        for (act in Activation.entries) {
            for (x in listOf(-3.0, -0.7, -0.01, 0.02, 0.5, 1.3, 4.0)) {
                val h = 1e-3
                val fd = (act.apply((x + h).toFloat()).toDouble() - act.apply((x - h).toFloat()).toDouble()) / (2 * h)
                val d = act.derivative(act.apply(x.toFloat())).toDouble()
                abs(d - fd) shouldBeLessThan 2e-3
            }
        }
        Activation.RELU.derivative(0f) shouldBe 0f // torch's convention at the kink
        Activation.TANH.derivative(1f) shouldBe 0f
    }

    test("array forms equal the scalar forms and touch only the first len entries") {
        for (act in Activation.entries) {
            val rng = java.util.SplittableRandom(3)
            val z = FloatArray(37) { (rng.nextGaussian() * 3).toFloat() }
            val y = z.copyOf()
            act.apply(y, 30)
            for (j in 0 until 30) y[j] shouldBe act.apply(z[j])
            for (j in 30 until 37) y[j] shouldBe z[j]
            val dy = FloatArray(37) { (rng.nextGaussian()).toFloat() }
            val d = dy.copyOf()
            act.backward(y, d, 30)
            for (j in 0 until 30) d[j] shouldBe dy[j] * act.derivative(y[j])
            for (j in 30 until 37) d[j] shouldBe dy[j]
        }
    }

    test("names print in lower case as used in configuration strings") {
        Activation.TANH.toString() shouldBe "tanh"
        Activation.RELU.toString() shouldBe "relu"
    }
})
