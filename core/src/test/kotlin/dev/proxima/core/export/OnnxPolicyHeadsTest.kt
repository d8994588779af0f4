package dev.proxima.core.export

import ai.onnxruntime.OnnxTensor
import ai.onnxruntime.OrtEnvironment
import ai.onnxruntime.OrtSession
import dev.proxima.core.dist.CategoricalHead
import dev.proxima.core.dist.LogStdBound
import dev.proxima.core.dist.MultiDiscreteHead
import dev.proxima.core.dist.PolicyHead
import dev.proxima.core.dist.TanhGaussianHead
import dev.proxima.core.env.ActionMasked
import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvFactory
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.env.Reset
import dev.proxima.core.env.Step
import dev.proxima.core.nn.Network
import dev.proxima.core.ppo.Agent
import dev.proxima.core.space.Box
import dev.proxima.core.space.Discrete
import dev.proxima.core.space.MultiDiscrete
import dev.proxima.core.space.Space
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeLessThan
import io.kotest.matchers.shouldBe
import java.nio.ByteBuffer
import java.nio.FloatBuffer
import java.util.SplittableRandom
import kotlin.math.abs

private const val OBS = 4

/** Spaces only, optionally reporting masks: the exporter reads both from a fresh copy. */
private class MaskedSpacesEnv<A>(private val act: Space<A>, private val masked: Boolean) : Env<FloatArray, A>,
    ActionMasked {
    override fun observationSpace(): Space<FloatArray> = Box.of(-10f, 10f, OBS)
    override fun actionSpace(): Space<A> = act
    override fun reset(seed: Long) = Reset(FloatArray(OBS))
    override fun reset() = Reset(FloatArray(OBS))
    override fun step(action: A) = Step(FloatArray(OBS), 0.0, false, false)
    override fun actionMask(mask: BooleanArray, offset: Int) {
        check(masked)
        java.util.Arrays.fill(mask, offset, offset + ActionMasked.maskSize(act), true)
    }
}

/** A plain env (no ActionMasked) with the given action space. */
private class PlainEnv<A>(private val act: Space<A>) : Env<FloatArray, A> {
    override fun observationSpace(): Space<FloatArray> = Box.of(-10f, 10f, OBS)
    override fun actionSpace(): Space<A> = act
    override fun reset(seed: Long) = Reset(FloatArray(OBS))
    override fun reset() = Reset(FloatArray(OBS))
    override fun step(action: A) = Step(FloatArray(OBS), 0.0, false, false)
}

private fun agentFor(name: String, act: Space<*>, head: PolicyHead, masked: Boolean, seed: Long): Agent {
    @Suppress("UNCHECKED_CAST")
    val space = act as Space<Any>
    val factory: EnvFactory<FloatArray, Any> =
        if (masked) EnvFactory { MaskedSpacesEnv(space, true) } else EnvFactory { PlainEnv(space) }
    val spec = EnvSpec("OnnxHeads-$name-v0", factory, 0, Double.NaN)
    val network = Network.separate(intArrayOf(12), intArrayOf(8))
    val net = network.create(OBS, head.policyDim(), head.logStdDim(), SplittableRandom(seed))
    val r = SplittableRandom(seed + 1)
    for (i in net.params().indices) net.params()[i] = r.nextGaussian() * 0.6
    net.syncParams()
    return Agent(spec, net, head, null, null, network)
}

private fun runOnnx(model: ByteArray, obs: FloatArray, rows: Int, mask: BooleanArray?, maskDim: Int): OnnxTensor? {
    val ort = OrtEnvironment.getEnvironment()
    val session = ort.createSession(model, OrtSession.SessionOptions())
    val inputs = HashMap<String, OnnxTensor>()
    inputs[OnnxExport.OBSERVATION] = OnnxTensor.createTensor(ort, FloatBuffer.wrap(obs), longArrayOf(rows.toLong(),
        OBS.toLong()))
    if (mask != null) {
        val bytes = ByteBuffer.allocateDirect(mask.size)
        mask.forEach { bytes.put(if (it) 1 else 0) }
        bytes.flip()
        inputs[OnnxExport.ACTION_MASK] = OnnxTensor.createTensor(ort, bytes, longArrayOf(rows.toLong(),
            maskDim.toLong()), ai.onnxruntime.OnnxJavaType.BOOL)
    }
    val result = session.run(inputs)
    return result.get(OnnxExport.ACTION).get() as OnnxTensor
}

/**
 * The heads added with issue 14 exported to ONNX: the tanh-squashed Gaussian's mode as the env receives it, the
 * MultiDiscrete head's per-component argmax plus starts, and masked argmaxes with the mask as a second input — each
 * compared with what the JVM agent does on the same observations (and masks), through ONNX Runtime.
 */
class OnnxPolicyHeadsTest : FunSpec({
    val rows = 50
    val r = SplittableRandom(3)
    val obs = FloatArray(rows * OBS) { (r.nextGaussian() * 2).toFloat() }

    test("tanh-squashed Gaussian: the action is low + (tanh(mean) + 1)(high - low)/2, as the env receives it") {
        val box = Box.of(floatArrayOf(-2f, 0f), floatArrayOf(2f, 1f))
        val agent = agentFor("tanh", box, TanhGaussianHead(box, LogStdBound.clamp(-20.0, 2.0)), false, 5)
        val out = runOnnx(OnnxExport.of(agent).toBytes(), obs, rows, null, 0)!!.floatBuffer
        val env = agent.env().makeUnwrapped(0) as Env<FloatArray, FloatArray>
        for (i in 0 until rows) {
            val e = agent.act(env, obs.copyOfRange(i * OBS, (i + 1) * OBS), true, null)
            for (k in e.indices) {
                val a = out.get(i * 2 + k)
                if (abs(e[k] - a) > 1e-5) throw AssertionError("row $i action $k: JVM ${e[k]}, ONNX $a")
                (a >= box.low(k) && a <= box.high(k)) shouldBe true
            }
        }
    }

    for (masked in listOf(false, true)) {
        test("MultiDiscrete${if (masked) ", masked" else ""}: one argmax per component, plus its start") {
            val space = MultiDiscrete(intArrayOf(3, 4, 2), intArrayOf(1, 0, -1))
            val head = MultiDiscreteHead(*space.nvec())
            val agent = agentFor("md$masked", space, head, masked, 9)
            val maskDim = head.maskDim()
            val mask = if (masked) BooleanArray(rows * maskDim) { r.nextInt(3) != 0 }.also { m ->
                // every component of every row keeps at least one valid action
                for (i in 0 until rows) {
                    var off = 0
                    for (n in space.nvec()) {
                        if ((0 until n).none { m[i * maskDim + off + it] }) m[i * maskDim + off] = true
                        off += n
                    }
                }
            } else null
            val out = runOnnx(OnnxExport.of(agent).toBytes(), obs, rows, mask, maskDim)!!.longBuffer
            var ties = 0
            for (i in 0 until rows) {
                val rowMask = mask?.copyOfRange(i * maskDim, (i + 1) * maskDim)
                val a = agent.actFlat(obs.copyOfRange(i * OBS, (i + 1) * OBS), rowMask, true, null)
                for (k in 0 until 3) {
                    val expected = a[k].toLong() + space.start()[k]
                    if (out.get(i * 3 + k) != expected) ties++
                }
            }
            ties shouldBeLessThan 2 // float32 near-ties only
        }
    }

    test("masked categorical: the argmax is over the valid actions; without a mask input the model is refused") {
        val space = Discrete(5, 2)
        val head = CategoricalHead(5)
        val agent = agentFor("cat-masked", space, head, true, 11)
        val mask = BooleanArray(rows * 5) { r.nextBoolean() }
        for (i in 0 until rows) if ((0 until 5).none { mask[i * 5 + it] }) mask[i * 5 + 4] = true
        val model = OnnxExport.of(agent).toBytes()
        val out = runOnnx(model, obs, rows, mask, 5)!!.longBuffer
        var wrong = 0
        for (i in 0 until rows) {
            val rowMask = mask.copyOfRange(i * 5, (i + 1) * 5)
            val a = agent.actFlat(obs.copyOfRange(i * OBS, (i + 1) * OBS), rowMask, true, null)[0].toLong() + 2
            if (out.get(i) != a) wrong++
            rowMask[(out.get(i) - 2).toInt()] shouldBe true
        }
        wrong shouldBeLessThan 2
        val e = runCatching { runOnnx(model, obs, rows, null, 5) }.exceptionOrNull()
        (e != null) shouldBe true
    }
})
