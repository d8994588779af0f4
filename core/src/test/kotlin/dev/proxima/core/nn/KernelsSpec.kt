package dev.proxima.core.nn

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import java.util.SplittableRandom

/**
 * The Vector API kernels against the scalar reference loops, bit for bit, at lengths around the vector width (tails
 * of every size, rows shorter than one vector) and at offsets. The surefire run of core adds
 * `jdk.incubator.vector`; a second run without it (`scalar-kernels` in core/pom.xml) checks that core still loads
 * and trains, on the scalar loops.
 */
class KernelsSpec : FunSpec({
    val vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent
    val lengths = (0..40).toList() + listOf(63, 64, 65, 127, 128, 129, 255, 256, 257, 511, 512, 513)

    fun floats(rng: SplittableRandom, n: Int): FloatArray =
        FloatArray(n) { (rng.nextGaussian() * if (rng.nextInt(8) == 0) 1e4 else 1.0).toFloat() }

    fun bits(a: FloatArray): List<Int> = a.map { java.lang.Float.floatToRawIntBits(it) }

    test("the kernels in use are the Vector API ones exactly when the JVM has jdk.incubator.vector") {
        val simd = Kernels.loadVectorKernels()
        (simd != null) shouldBe vectorModule
        if (!vectorModule || System.getProperty(Kernels.SIMD_PROPERTY) == "false") {
            Kernels.implementation().startsWith("scalar") shouldBe true
        } else {
            Kernels.implementation().startsWith("Vector API") shouldBe true
        }
    }

    test("dot4 gives each of its four rows the bits of dot, for any length") {
        val rng = SplittableRandom(13)
        for (len in lengths) {
            val a = floats(rng, len)
            val xs = List(4) { floats(rng, len + 3) } // longer rows: only the first len entries count
            val ys = List(4) { FloatArray(3) { 7f } }
            val bias = floats(rng, 1)[0]
            Kernels.dot4(a, xs[0], xs[1], xs[2], xs[3], len, bias, ys[0], ys[1], ys[2], ys[3], 1)
            for (k in 0 until 4) {
                withClue("len $len, row $k") {
                    java.lang.Float.floatToRawIntBits(ys[k][1]) shouldBe
                        java.lang.Float.floatToRawIntBits(bias + Kernels.dot(a, xs[k], len))
                    ys[k][0] shouldBe 7f // only entry j is written
                    ys[k][2] shouldBe 7f
                }
            }
        }
    }

    if (vectorModule) {
        val simd = Kernels.loadVectorKernels().shouldNotBeNull()
        val rng = SplittableRandom(12)

        test("combine: vector and scalar give the same bits for any length and number of terms, also in place") {
            for (len in lengths) {
                for (count in listOf(0, 1, 3, 4, 5, 9, 64, 67)) {
                    val coef = floats(rng, count + 2)
                    val rows = Array(count + 1) { floats(rng, len + 5) }
                    val init = floats(rng, len + 5)
                    val y1 = FloatArray(len + 5)
                    val y2 = FloatArray(len + 5)
                    simd.combine(y1, init, coef, rows, count, len)
                    Kernels.scalarCombine(y2, init, coef, rows, count, len)
                    withClue("len $len count $count") { bits(y1) shouldBe bits(y2) }
                    val acc1 = init.copyOf()
                    val acc2 = init.copyOf()
                    simd.combine(acc1, acc1, coef, rows, count, len)
                    Kernels.scalarCombine(acc2, acc2, coef, rows, count, len)
                    withClue("len $len count $count, in place") { bits(acc1) shouldBe bits(acc2) }
                }
            }
        }

        test("combine4: each output is the bits of its own scalar combine, also in place") {
            for (len in lengths) {
                for (count in listOf(0, 1, 5, 64, 67)) {
                    val coef = Array(4) { floats(rng, count + 1) }
                    val rows = Array(count + 1) { floats(rng, len + 3) }
                    val init = Array(4) { floats(rng, len + 3) }
                    val ys = Array(4) { init[it].copyOf() }
                    simd.combine4(ys[0], ys[1], ys[2], ys[3], ys[0], ys[1], ys[2], ys[3], coef[0], coef[1], coef[2],
                        coef[3], rows, count, len)
                    for (q in 0 until 4) {
                        val ref = init[q].copyOf()
                        Kernels.scalarCombine(ref, ref, coef[q], rows, count, len)
                        withClue("len $len count $count output $q") { bits(ys[q]) shouldBe bits(ref) }
                    }
                }
            }
        }

        test("tanh and its derivative: vector and scalar give the same bits, special values included") {
            val special = floatArrayOf(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 8f, -8f,
                8.02f, 1e-30f, -1e-30f, Float.MIN_VALUE, 20f, -3.5f)
            for (len in lengths) {
                val z = floats(rng, len)
                for (i in 0 until minOf(len, special.size)) z[(i * 7) % len] = special[i]
                val z1 = z.copyOf()
                val z2 = z.copyOf()
                simd.tanh(z1, len)
                Kernels.scalarTanh(z2, 0, len)
                withClue("tanh, len $len") { bits(z1) shouldBe bits(z2) }
                val dy = floats(rng, len)
                val d1 = dy.copyOf()
                val d2 = dy.copyOf()
                simd.tanhBackward(z1, d1, len)
                Kernels.scalarTanhBackward(z1, d2, 0, len)
                withClue("tanh backward, len $len") { bits(d1) shouldBe bits(d2) }
            }
        }

        test("add over a range: vector and scalar give the same bits and leave the rest alone") {
            for (len in lengths) {
                for (from in listOf(0, 1, 3, 17).filter { it <= len }) {
                    val x = floats(rng, len)
                    val y0 = floats(rng, len)
                    val y1 = y0.copyOf()
                    val y2 = y0.copyOf()
                    simd.add(y1, x, from, len)
                    Kernels.scalarAdd(y2, x, from, len)
                    withClue("len $len from $from") { bits(y1) shouldBe bits(y2) }
                    bits(y1.copyOfRange(0, from)) shouldBe bits(y0.copyOfRange(0, from))
                }
            }
        }
    }
})
