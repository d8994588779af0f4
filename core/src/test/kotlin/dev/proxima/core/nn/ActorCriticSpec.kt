package dev.proxima.core.nn

import dev.proxima.core.testing.Allocation
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import java.util.SplittableRandom
import kotlin.math.abs
import kotlin.math.max

class ActorCriticSpec : FunSpec({

    val obsDim = 5
    val policyDim = 3
    val logStdDim = 2
    val architectures = listOf(
        Network.separate(intArrayOf(7, 6), intArrayOf(5)),
        Network.shared(7, 6),
        Network.shared(9),
        Network.separate(intArrayOf(), intArrayOf(4)),
    )

    fun randomised(network: Network, seed: Long): ActorCritic {
        val net = network.create(obsDim, policyDim, logStdDim, SplittableRandom(seed))
        val rng = SplittableRandom(seed + 1)
        val p = net.params()
        for (i in p.indices) p[i] = rng.nextGaussian() * 0.6
        net.syncParams()
        return net
    }

    for (act in Activation.entries) for (base in architectures) {
        val network = base.activation(act)
        test("$network: outputs match the float64 reference and backward matches its finite differences") {
            val seed = network.hashCode().toLong()
            val net = randomised(network, seed)
            val ref = RefArch(network, obsDim, policyDim, logStdDim)
            net.numParams() shouldBe ref.networkParams + logStdDim
            net.logStdOffset() shouldBe ref.networkParams

            val rng = SplittableRandom(seed + 2)
            val n = 6
            val obs = asFloatInput(gaussians(rng, n * obsDim))
            val policy = DoubleArray(n * policyDim)
            val values = DoubleArray(n)
            net.forward(floats(obs), n, policy, values)
            val params = net.params().copyOf()
            val (refPolicy, refValues) = ref.forward(params, obs, n)
            maxScaledError(policy, refPolicy) shouldBeLessThan 1e-5
            maxScaledError(values, refValues) shouldBeLessThan 1e-5

            // loss = <cP, policyOut> + <cV, values>: a random linear functional of both outputs
            val cP = asFloatInput(gaussians(rng, n * policyDim))
            val cV = asFloatInput(gaussians(rng, n))
            net.zeroGrads()
            net.backward(cP, cV, n)
            val loss = { val (pp, vv) = ref.forward(params, obs, n); dot(cP, pp) + dot(cV, vv) }
            val fd = centralDifferences(params, 1e-6, loss)
            withClue("float64 reference finite differences") { maxScaledError(net.grads(), fd) shouldBeLessThan 1e-4 }
            for (k in 0 until logStdDim) net.grads()[net.logStdOffset() + k] shouldBe 0.0 // the head's business

            // Coarse check on the float32 network itself: h = 1e-3 keeps float32 rounding of the loss (~1e-6)
            // at ~1e-3 of the difference quotient, and the truncation error ~h² stays negligible.
            val g = net.grads().copyOf()
            val scale = max(1.0, g.maxOf { abs(it) })
            val pick = SplittableRandom(seed + 3)
            repeat(25) {
                val i = pick.nextInt(ref.networkParams)
                val p = net.params()
                val saved = p[i]
                val h = 1e-3
                fun lossAt(v: Double): Double {
                    p[i] = v
                    net.syncParams()
                    val pp = DoubleArray(n * policyDim)
                    val vv = DoubleArray(n)
                    net.infer(floats(obs), n, pp, vv)
                    return dot(cP, pp) + dot(cV, vv)
                }
                val fdFloat = (lossAt(saved + h) - lossAt(saved - h)) / (2 * h)
                p[i] = saved
                net.syncParams()
                withClue("float32 network, parameter $i") { abs(fdFloat - g[i]) / scale shouldBeLessThan 5e-3 }
            }
        }
    }

    for (base in architectures) {
        test("$base: CleanRL layer_init — orthogonal weights with gains √2 / 0.01 / 1.0, zero biases, log_std 0") {
            val net = base.create(obsDim, policyDim, logStdDim, SplittableRandom(11))
            val p = net.params()
            val layers = RefArch(base, obsDim, policyDim, logStdDim).layers()
            for (layer in layers) {
                val (off, out, inD, gain) = layer
                val small = minOf(out, inD)
                for (a in 0 until small) for (b in 0 until small) {
                    var s = 0.0
                    if (out >= inD) {
                        for (r in 0 until out) s += p[off + r * inD + a] * p[off + r * inD + b]
                    } else {
                        for (c in 0 until inD) s += p[off + a * inD + c] * p[off + b * inD + c]
                    }
                    withClue("layer at $off, ($a, $b)") { abs(s - if (a == b) gain * gain else 0.0) shouldBeLessThan 1e-12 }
                }
                for (j in 0 until out) p[off + out * inD + j] shouldBe 0.0
            }
            layers.last().let { it.offset + it.out * it.inDim + it.out } shouldBe net.logStdOffset()
            for (k in 0 until logStdDim) p[net.logStdOffset() + k] shouldBe 0.0
        }
    }

    test("initialisation depends only on the rng: same seed, same parameters; another seed, others") {
        val a = Network.DEFAULT.create(4, 2, 0, SplittableRandom(1))
        val b = Network.DEFAULT.create(4, 2, 0, SplittableRandom(1))
        val c = Network.DEFAULT.create(4, 2, 0, SplittableRandom(2))
        a.params().toList() shouldBe b.params().toList()
        a.params().toList() shouldNotBe c.params().toList()
        a.numParams() shouldBe (4 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2) + (4 * 64 + 64 + 64 * 64 + 64 + 64 + 1)
        a.logStdOffset() shouldBe -1
    }

    for (base in architectures) {
        test("$base: infer equals forward, and each row of a batch equals that row alone, as n grows and shrinks") {
            val net = randomised(base, 5)
            val rng = SplittableRandom(6)
            for (n in listOf(1, 3, 17, 64, 5, 100, 2)) {
                val obs = floats(gaussians(rng, n * obsDim))
                val pInfer = DoubleArray(n * policyDim)
                val vInfer = DoubleArray(n)
                net.infer(obs, n, pInfer, vInfer)
                val pForward = DoubleArray(n * policyDim)
                val vForward = DoubleArray(n)
                net.forward(obs, n, pForward, vForward)
                pForward.toList() shouldBe pInfer.toList()
                vForward.toList() shouldBe vInfer.toList()
                for (r in 0 until n) {
                    val one = obs.copyOfRange(r * obsDim, (r + 1) * obsDim)
                    val p1 = DoubleArray(policyDim)
                    val v1 = DoubleArray(1)
                    net.infer(one, 1, p1, v1)
                    p1.toList() shouldBe pInfer.copyOfRange(r * policyDim, (r + 1) * policyDim).toList()
                    v1[0] shouldBe vInfer[r]
                }
            }
        }

        test("$base: backward after growing batches gives the same gradients as a fresh network, and infer in between changes nothing") {
            val net = randomised(base, 7)
            val rng = SplittableRandom(8)
            for (n in listOf(2, 9, 33, 4)) {
                val obs = floats(gaussians(rng, n * obsDim))
                val cP = gaussians(rng, n * policyDim)
                val cV = gaussians(rng, n)
                val fresh = net.copy()
                fresh.forward(obs, n, DoubleArray(n * policyDim), DoubleArray(n))
                fresh.backward(cP, cV, n)

                net.zeroGrads()
                net.forward(obs, n, DoubleArray(n * policyDim), DoubleArray(n))
                val other = floats(gaussians(rng, 50 * obsDim))
                net.infer(other, 50, DoubleArray(50 * policyDim), DoubleArray(50))
                net.backward(cP, cV, n)
                net.grads().toList() shouldBe fresh.grads().toList()
            }
        }

        test("$base: gradients accumulate over backward calls until zeroGrads; rows beyond n are ignored") {
            val net = randomised(base, 9)
            val rng = SplittableRandom(10)
            val obs = floats(gaussians(rng, 8 * obsDim))
            val cP = gaussians(rng, 8 * policyDim)
            val cV = gaussians(rng, 8)
            net.forward(obs, 8, DoubleArray(8 * policyDim), DoubleArray(8))
            net.zeroGrads()
            net.backward(cP, cV, 5)
            val once = net.grads().copyOf()
            net.backward(cP, cV, 5)
            for (i in once.indices) net.grads()[i] shouldBe 2 * once[i]
            net.zeroGrads()
            net.grads().all { it == 0.0 } shouldBe true

            val five = net.copy()
            five.forward(obs, 5, DoubleArray(5 * policyDim), DoubleArray(5))
            five.backward(cP, cV, 5)
            five.grads().toList() shouldBe once.toList()
        }

        test("$base: a null output skips it; only the other output's gradient reaches the parameters") {
            val net = randomised(base, 12)
            val rng = SplittableRandom(13)
            val n = 4
            val obs = floats(gaussians(rng, n * obsDim))
            val cP = gaussians(rng, n * policyDim)
            val cV = gaussians(rng, n)
            val values = DoubleArray(n)
            net.forward(obs, n, null, values)
            shouldThrow<IllegalStateException> { net.backward(cP, null, n) }.message shouldContain "policyOut was null"
            net.zeroGrads()
            net.backward(null, cV, n)
            val valueOnly = net.grads().copyOf()

            val both = net.copy()
            both.forward(obs, n, DoubleArray(n * policyDim), DoubleArray(n))
            both.backward(null, cV, n)
            both.grads().toList() shouldBe valueOnly.toList()
            both.zeroGrads()
            both.backward(cP, null, n)
            val policyOnly = both.grads().copyOf()
            both.zeroGrads()
            both.backward(cP, cV, n)
            for (i in policyOnly.indices) {
                abs(both.grads()[i] - (policyOnly[i] + valueOnly[i])) shouldBeLessThan 1e-6 * (1 + abs(both.grads()[i]))
            }
            if (!base.isShared()) { // separate networks: the value loss never touches the actor, and vice versa
                val criticStart = RefArch(base, obsDim, policyDim, logStdDim).let { mlpParams(it.actorSizes) }
                for (i in 0 until criticStart) valueOnly[i] shouldBe 0.0
                for (i in criticStart until policyOnly.size) policyOnly[i] shouldBe 0.0
            }
        }

        test("$base: copy and copyParamsFrom make independent networks with equal outputs") {
            val net = randomised(base, 14)
            val rng = SplittableRandom(15)
            val obs = floats(gaussians(rng, 3 * obsDim))
            fun outputs(a: ActorCritic): List<Double> {
                val p = DoubleArray(3 * policyDim)
                val v = DoubleArray(3)
                a.infer(obs, 3, p, v)
                return p.toList() + v.toList()
            }
            val before = outputs(net)
            val copy = net.copy()
            outputs(copy) shouldBe before
            copy.params().toList() shouldBe net.params().toList()
            (copy.params() === net.params()) shouldBe false

            net.params()[0] += 1.0
            net.syncParams()
            net.grads()[1] = 3.0
            outputs(copy) shouldBe before
            copy.grads()[1] shouldBe 0.0
            copy.params()[0] shouldNotBe net.params()[0]

            val other = base.create(obsDim, policyDim, logStdDim, SplittableRandom(99))
            other.copyParamsFrom(net)
            outputs(other) shouldBe outputs(net)
            net.params()[2] += 1.0
            other.params()[2] shouldNotBe net.params()[2]
        }
    }

    test("copyParamsFrom refuses another architecture, naming both") {
        val a = Network.shared(8).create(4, 2, 0, SplittableRandom(1))
        val b = Network.separate(intArrayOf(8), intArrayOf(8)).create(4, 2, 0, SplittableRandom(1))
        val c = Network.shared(8).create(4, 2, 1, SplittableRandom(1))
        val d = Network.shared(8).activation(Activation.RELU).create(4, 2, 0, SplittableRandom(1))
        shouldThrow<IllegalArgumentException> { a.copyParamsFrom(b) }.message shouldContain "separate(actor=[4, 8, 2]"
        shouldThrow<IllegalArgumentException> { a.copyParamsFrom(c) }
        shouldThrow<IllegalArgumentException> { a.copyParamsFrom(d) }.message shouldContain "relu"
    }

    test("bad calls say what is wrong") {
        val net = Network.DEFAULT.create(4, 2, 0, SplittableRandom(1))
        shouldThrow<IllegalStateException> { net.backward(DoubleArray(2), DoubleArray(1), 1) }.message shouldContain "call forward"
        shouldThrow<IllegalArgumentException> { net.infer(FloatArray(7), 2, DoubleArray(4), DoubleArray(2)) }
            .message shouldContain "obs has 7 entries but n = 2 rows of 4 need 8"
        shouldThrow<IllegalArgumentException> { net.infer(FloatArray(8), 2, DoubleArray(3), DoubleArray(2)) }
            .message shouldContain "policyOut"
        shouldThrow<IllegalArgumentException> { net.infer(FloatArray(8), -1, null, null) }.message shouldContain "n = -1"
        net.forward(FloatArray(8), 2, DoubleArray(4), DoubleArray(2))
        shouldThrow<IllegalArgumentException> { net.backward(DoubleArray(6), DoubleArray(3), 3) }
            .message shouldContain "last forward had 2 rows"
        net.infer(FloatArray(0), 0, DoubleArray(0), DoubleArray(0)) // n = 0 is a no-op
    }

    test("infer, forward, backward and syncParams allocate nothing once the workspaces have grown") {
        for (network in listOf(Network.DEFAULT, Network.shared(64, 64))) {
            val net = network.create(4, 2, 1, SplittableRandom(1))
            val obs = floats(gaussians(SplittableRandom(2), 64 * 4))
            val p = DoubleArray(64 * 2)
            val v = DoubleArray(64)
            val dP = DoubleArray(64 * 2) { 0.01 }
            val dV = DoubleArray(64) { 0.01 }
            fun work() {
                net.infer(obs, 1, p, v)
                net.infer(obs, 64, p, v)
                net.forward(obs, 64, p, v)
                net.backward(dP, dV, 64)
                net.syncParams()
                net.zeroGrads()
            }
            val allocated = Allocation.steadyState(rounds = 20, budget = 2048) { work() }
            withClue("$network allocated $allocated bytes in 20 rounds") {
                (allocated < 2048) shouldBe true
            }
        }
    }
})
