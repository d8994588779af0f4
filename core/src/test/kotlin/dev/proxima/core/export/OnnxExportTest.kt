package dev.proxima.core.export

import ai.onnxruntime.OnnxJavaType
import ai.onnxruntime.OnnxTensor
import ai.onnxruntime.OrtEnvironment
import ai.onnxruntime.OrtSession
import ai.onnxruntime.TensorInfo
import dev.proxima.core.dist.CategoricalHead
import dev.proxima.core.dist.DiagGaussianHead
import dev.proxima.core.dist.PolicyHead
import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvFactory
import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.env.ObservationNormalizer
import dev.proxima.core.env.Reset
import dev.proxima.core.env.RunningMeanStd
import dev.proxima.core.env.Step
import dev.proxima.core.nn.Activation
import dev.proxima.core.nn.ActorCritic
import dev.proxima.core.nn.Network
import dev.proxima.core.nn.NetworkFactory
import dev.proxima.core.ppo.Agent
import dev.proxima.core.space.Box
import dev.proxima.core.space.Discrete
import dev.proxima.core.space.Space
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.ints.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.FloatBuffer
import java.nio.file.Files
import java.util.SplittableRandom
import kotlin.math.abs
import kotlin.math.max
import kotlin.math.sqrt

/** An env with the given spaces, only for its spaces: the exporter reads the action space from a fresh copy. */
private class SpacesEnv<A>(private val obs: Box, private val act: Space<A>) : Env<FloatArray, A> {
    override fun observationSpace(): Space<FloatArray> = obs
    override fun actionSpace(): Space<A> = act
    override fun reset(seed: Long) = Reset(FloatArray(obs.flatDim()))
    override fun reset() = Reset(FloatArray(obs.flatDim()))
    override fun step(action: A) = Step(FloatArray(obs.flatDim()), 0.0, false, false)
}

private const val OBS_DIM = 5

private class HeadCase(val name: String, val actionSpace: Space<*>, val clip: Boolean) {
    val head: PolicyHead = when (actionSpace) {
        is Discrete -> CategoricalHead(actionSpace.n())
        else -> DiagGaussianHead(actionSpace.flatDim())
    }

    fun spec(): EnvSpec<FloatArray, Any> {
        @Suppress("UNCHECKED_CAST")
        val space = actionSpace as Space<Any>
        val obs = Box.of(Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, OBS_DIM)
        return EnvSpec("OnnxTest-$name-v0", EnvFactory { SpacesEnv(obs, space) }, 0, Double.NaN)
    }
}

private val heads = listOf(
    HeadCase("categorical", Discrete(4), false),
    HeadCase("categorical-start", Discrete(3, -1), false),
    HeadCase("gaussian", Box.of(floatArrayOf(-1f, -0.5f), floatArrayOf(1f, 0.25f)), false),
    HeadCase("gaussian-clipped", Box.of(floatArrayOf(-1f, -0.5f), floatArrayOf(1f, 0.25f)), true),
)

private val networks = listOf(
    Network.separate(intArrayOf(16, 8), intArrayOf(12)),
    Network.shared(16, 8),
    Network.separate(intArrayOf(), intArrayOf(6)),
).flatMap { n -> Activation.entries.map { n.activation(it) } }

private val normalisers: List<Pair<String, (Long) -> ObservationNormalizer?>> = listOf(
    "no normaliser" to { _ -> null },
    "Gymnasium normaliser" to { seed -> randomStats(ObservationNormalizer.gymnasium(OBS_DIM), seed) },
    "CleanRL normaliser (clip 10)" to { seed -> randomStats(ObservationNormalizer.cleanRl(OBS_DIM), seed) },
)

/** Statistics far from the prior so that the normaliser matters; small variances make the clip at 10 bite. */
private fun randomStats(n: ObservationNormalizer, seed: Long): ObservationNormalizer {
    val r = SplittableRandom(seed)
    val mean = DoubleArray(OBS_DIM) { r.nextGaussian() }
    val variance = DoubleArray(OBS_DIM) { if (it == 0) 0.01 else 0.25 + 3 * r.nextDouble() }
    n.stats().restore(RunningMeanStd.State(mean, variance, 1000.0))
    return n
}

/** Random weights of about the scale of a trained network's (1/sqrt(width)), far from the 0.01-gain initial head. */
private fun randomNet(network: Network, head: PolicyHead, seed: Long): ActorCritic {
    val net = network.create(OBS_DIM, head.policyDim(), head.logStdDim(), SplittableRandom(seed))
    val r = SplittableRandom(seed + 1)
    val p = net.params()
    val width = (network.actor() + network.critic() + network.trunk() + OBS_DIM).max()
    for (i in p.indices) p[i] = r.nextGaussian() / sqrt(width.toDouble())
    net.syncParams()
    return net
}

private fun observations(rows: Int, seed: Long): FloatArray {
    val r = SplittableRandom(seed)
    return FloatArray(rows * OBS_DIM) { (r.nextGaussian() * 2).toFloat() }
}

private class Outputs(val action: Any, val value: FloatArray?, val extra: Map<String, FloatArray>)

private fun run(model: ByteArray, obs: FloatArray, rows: Int): Outputs {
    val ort = OrtEnvironment.getEnvironment()
    ort.createSession(model, OrtSession.SessionOptions()).use { session ->
        OnnxTensor.createTensor(ort, FloatBuffer.wrap(obs), longArrayOf(rows.toLong(), OBS_DIM.toLong())).use { t ->
            session.run(mapOf(OnnxExport.OBSERVATION to t)).use { result ->
                fun floats(name: String): FloatArray? = result.get(name).map { v ->
                    val b = (v as OnnxTensor).floatBuffer
                    FloatArray(b.remaining()).also { b.get(it) }
                }.orElse(null)
                val a = result.get(OnnxExport.ACTION).get() as OnnxTensor
                val action: Any = if (a.info.type == OnnxJavaType.INT64) {
                    val b = a.longBuffer
                    LongArray(b.remaining()).also { b.get(it) }
                } else floats(OnnxExport.ACTION)!!
                val extra = listOf(OnnxExport.LOGITS, OnnxExport.MEAN, OnnxExport.LOG_STD)
                    .mapNotNull { n -> floats(n)?.let { n to it } }.toMap()
                return Outputs(action, floats(OnnxExport.VALUE), extra)
            }
        }
    }
}

/**
 * Within 1e-5, relative to the value's size where it is above 1: both sides compute in float32, but in different
 * orders (and tanh by different approximations), so large outputs differ in their last float32 digits.
 */
private fun close(label: String, expected: Double, actual: Double) {
    if (abs(expected - actual) > 1e-5 * max(1.0, abs(expected))) {
        throw AssertionError("$label: JVM $expected, ONNX $actual")
    }
}

class OnnxExportTest : FunSpec({

    for (h in heads) for (network in networks) for ((normName, normaliser) in normalisers) {
        test("${h.name} head, $network, $normName: ONNX Runtime gives the JVM's actions and values") {
            val seed = (h.name + network + normName).hashCode().toLong()
            val spec = h.spec()
            val net = randomNet(network, h.head, seed)
            if (net.logStdDim() > 0) {
                for (j in 0 until net.logStdDim()) net.params()[net.logStdOffset() + j] = -0.5 + 0.3 * j
            }
            val agent = Agent(spec, net, h.head, normaliser(seed), if (h.clip) h.actionSpace as Box else null, network)
            val rows = 64
            val obs = observations(rows, seed + 7)
            val model = OnnxExport.of(agent).distribution(true).toBytes()
            val out = run(model, obs, rows)
            val env = spec.makeUnwrapped(0)
            var nearTies = 0
            for (i in 0 until rows) {
                val row = obs.copyOfRange(i * OBS_DIM, (i + 1) * OBS_DIM)
                close("value of row $i", agent.value(row), out.value!![i].toDouble())
                val policy = DoubleArray(h.head.policyDim())
                net.infer(normalised(agent, row), 1, policy, null)
                val expected = agent.act(env, row, true, null)
                if (h.head is CategoricalHead) {
                    val logits = out.extra.getValue(OnnxExport.LOGITS)
                    for (k in policy.indices) close("logit $k of row $i", policy[k], logits[i * policy.size + k].toDouble())
                    val sorted = policy.sortedDescending()
                    val action = (out.action as LongArray)[i]
                    if (sorted[0] - sorted[1] > 1e-4) {
                        withClue("action of row $i (logits ${policy.toList()})") { action shouldBe (expected as Int).toLong() }
                    } else {
                        nearTies++ // float32 rounding may pick either of two logits this close
                    }
                } else {
                    val a = out.action as FloatArray
                    val e = expected as FloatArray
                    for (k in e.indices) close("action $k of row $i", e[k].toDouble(), a[i * e.size + k].toDouble())
                    val mean = out.extra.getValue(OnnxExport.MEAN)
                    for (k in policy.indices) close("mean $k of row $i", policy[k], mean[i * policy.size + k].toDouble())
                }
            }
            nearTies shouldBeLessThan 3
            if (h.head is DiagGaussianHead) {
                val logStd = out.extra.getValue(OnnxExport.LOG_STD)
                for (j in logStd.indices) close("log_std $j", net.params()[net.logStdOffset() + j], logStd[j].toDouble())
                if (h.clip) {
                    val box = h.actionSpace as Box
                    val a = out.action as FloatArray
                    val clipped = a.indices.count { a[it] == box.low(it % 2) || a[it] == box.high(it % 2) }
                    withClue("the clipped case must exercise the bounds") { (clipped > 0) shouldBe true }
                }
            }
        }
    }

    test("inputs and outputs are named, typed and shaped as documented, with a free batch dimension") {
        val ort = OrtEnvironment.getEnvironment()
        for (h in heads) {
            val network = Network.shared(8)
            val agent = Agent(h.spec(), randomNet(network, h.head, 1), h.head, null, null, network)
            ort.createSession(OnnxExport.of(agent).toBytes(), OrtSession.SessionOptions()).use { s ->
                s.inputNames shouldBe setOf(OnnxExport.OBSERVATION)
                val input = s.inputInfo.getValue(OnnxExport.OBSERVATION).info as TensorInfo
                input.shape.toList() shouldBe listOf(-1L, OBS_DIM.toLong())
                input.type shouldBe OnnxJavaType.FLOAT
                s.outputNames.toList() shouldContainExactlyInAnyOrder listOf(OnnxExport.ACTION, OnnxExport.VALUE)
                val action = s.outputInfo.getValue(OnnxExport.ACTION).info as TensorInfo
                val value = s.outputInfo.getValue(OnnxExport.VALUE).info as TensorInfo
                value.shape.toList() shouldBe listOf(-1L)
                value.type shouldBe OnnxJavaType.FLOAT
                if (h.actionSpace is Discrete) {
                    action.type shouldBe OnnxJavaType.INT64
                    action.shape.toList() shouldBe listOf(-1L)
                } else {
                    action.type shouldBe OnnxJavaType.FLOAT
                    action.shape.toList() shouldBe listOf(-1L, 2L)
                }
            }
            ort.createSession(OnnxExport.of(agent).value(false).toBytes(), OrtSession.SessionOptions()).use { s ->
                s.outputNames.toList() shouldBe listOf(OnnxExport.ACTION)
            }
        }
    }

    test("a batch of one row and a batch of 100 rows give the same answer per row") {
        val h = heads[2]
        val network = Network.DEFAULT
        val agent = Agent(h.spec(), randomNet(network, h.head, 3), h.head, null, null, network)
        val model = OnnxExport.of(agent).toBytes()
        val obs = observations(100, 5)
        val all = run(model, obs, 100)
        for (i in listOf(0, 37, 99)) {
            val one = run(model, obs.copyOfRange(i * OBS_DIM, (i + 1) * OBS_DIM), 1)
            (one.action as FloatArray).toList() shouldBe (all.action as FloatArray).copyOfRange(2 * i, 2 * i + 2).toList()
            one.value!![0] shouldBe all.value!![i]
        }
    }

    test("Agent.exportOnnx writes a file ONNX Runtime loads; OnnxExport.checkpoint converts a saved agent") {
        val h = heads[0]
        val spec = h.spec()
        EnvRegistry.global().register(spec)
        val network = Network.DEFAULT.activation(Activation.RELU)
        val agent = Agent(spec, randomNet(network, h.head, 9), h.head, randomStats(ObservationNormalizer.cleanRl(OBS_DIM), 2),
            null, network)
        val dir = Files.createTempDirectory("onnx-export")
        try {
            val direct = dir.resolve("direct.onnx")
            agent.exportOnnx(direct)
            val ckpt = dir.resolve("agent.safetensors")
            agent.save(ckpt)
            val converted = dir.resolve("converted.onnx")
            OnnxExport.checkpoint(ckpt, converted)
            Files.readAllBytes(converted).toList() shouldBe Files.readAllBytes(direct).toList()
            val obs = observations(10, 4)
            val out = run(Files.readAllBytes(direct), obs, 10)
            val env = spec.makeUnwrapped(0)
            for (i in 0 until 10) {
                val row = obs.copyOfRange(i * OBS_DIM, (i + 1) * OBS_DIM)
                close("value of row $i", agent.value(row), out.value!![i].toDouble())
                (out.action as LongArray)[i] shouldBe (agent.act(env, row, true, null) as Int).toLong()
            }
            Files.list(dir).use { files -> files.map { it.fileName.toString() }.toList().sorted() } shouldBe
                listOf("agent.safetensors", "converted.onnx", "direct.onnx") // no temporary files left behind
        } finally {
            dir.toFile().deleteRecursively()
        }
    }

    test("a custom NetworkFactory cannot be exported, and the error says why") {
        val h = heads[0]
        val inner = Network.shared(4)
        val custom = object : NetworkFactory {
            override fun create(obsDim: Int, policyDim: Int, logStdDim: Int, rng: SplittableRandom) =
                inner.create(obsDim, policyDim, logStdDim, rng)
            override fun toString() = "MyFactory"
        }
        val agent = Agent(h.spec(), inner.create(OBS_DIM, 4, 0, SplittableRandom(1)), h.head, null, null, custom)
        val e = shouldThrow<IllegalArgumentException> { OnnxExport.of(agent).toBytes() }
        e.message shouldContain "custom NetworkFactory MyFactory"
        e.message shouldContain "Only networks built by dev.proxima.core.nn.Network"
    }

    test("non-finite weights are refused, naming the parameter") {
        val h = heads[0]
        val network = Network.shared(4)
        val net = randomNet(network, h.head, 1)
        net.params()[3] = Double.NaN
        val e = shouldThrow<IllegalArgumentException> {
            OnnxExport.of(Agent(h.spec(), net, h.head, null, null, network)).toBytes()
        }
        e.message shouldContain "parameter 3"
        e.message shouldContain "NaN"
    }
})

/** The agent's normalisation of one row, as the network sees it. */
private fun normalised(agent: Agent, row: FloatArray): FloatArray {
    val x = row.copyOf()
    agent.observationNormalizer()?.apply(x, 0, 1)
    return x
}
