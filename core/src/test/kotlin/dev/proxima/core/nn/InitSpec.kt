package dev.proxima.core.nn

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import java.util.SplittableRandom
import kotlin.math.abs
import kotlin.math.sqrt

class InitSpec : FunSpec({

    /**
     * torch.nn.init.orthogonal_ written the textbook way: the same Gaussian draws (row-major rows x cols), transposed
     * when rows < cols, orthonormalised by modified Gram-Schmidt — which yields exactly the Q of the QR factorisation
     * whose R has a positive diagonal, i.e. torch's Q after its sign correction — then transposed back and scaled.
     */
    fun reference(rows: Int, cols: Int, gain: Double, seed: Long): DoubleArray {
        val rng = SplittableRandom(seed)
        val g = DoubleArray(rows * cols) { rng.nextGaussian() }
        val t = rows < cols
        val m = if (t) cols else rows
        val k = if (t) rows else cols
        val a = Array(k) { c -> DoubleArray(m) { r -> if (t) g[c * cols + r] else g[r * cols + c] } } // columns
        for (j in 0 until k) {
            for (p in 0 until j) {
                var s = 0.0
                for (i in 0 until m) s += a[p][i] * a[j][i]
                for (i in 0 until m) a[j][i] -= s * a[p][i]
            }
            var norm = 0.0
            for (i in 0 until m) norm += a[j][i] * a[j][i]
            norm = sqrt(norm)
            for (i in 0 until m) a[j][i] /= norm
        }
        return DoubleArray(rows * cols) { idx ->
            val r = idx / cols
            val c = idx % cols
            gain * if (t) a[r][c] else a[c][r]
        }
    }

    for ((rows, cols) in listOf(64 to 4, 4 to 64, 64 to 64, 2 to 64, 1 to 64, 64 to 1, 5 to 5, 7 to 3)) {
        test("orthogonal($rows x $cols) is the sign-corrected Q of the QR of the same Gaussian draws") {
            val gain = 1.7
            val got = Init.orthogonal(rows, cols, gain, SplittableRandom(rows * 100L + cols))
            val want = reference(rows, cols, gain, rows * 100L + cols)
            var err = 0.0
            for (i in got.indices) err = maxOf(err, abs(got[i] - want[i]))
            err shouldBeLessThan 1e-12

            // W^T W = gain² I (rows >= cols) or W W^T = gain² I (rows < cols)
            val small = minOf(rows, cols)
            for (a in 0 until small) for (b in 0 until small) {
                var s = 0.0
                if (rows >= cols) {
                    for (r in 0 until rows) s += got[r * cols + a] * got[r * cols + b]
                } else {
                    for (c in 0 until cols) s += got[a * cols + c] * got[b * cols + c]
                }
                abs(s - if (a == b) gain * gain else 0.0) shouldBeLessThan 1e-12
            }
        }
    }

    test("draws come only from the given stream: same seed, same matrix; next draws continue the stream") {
        val r1 = SplittableRandom(42)
        val r2 = SplittableRandom(42)
        Init.orthogonal(8, 3, 1.0, r1).toList() shouldBe Init.orthogonal(8, 3, 1.0, r2).toList()
        r1.nextLong() shouldBe r2.nextLong()
        (Init.orthogonal(8, 3, 1.0, SplittableRandom(1)).toList() == Init.orthogonal(8, 3, 1.0, SplittableRandom(2)).toList()) shouldBe false
    }
})
