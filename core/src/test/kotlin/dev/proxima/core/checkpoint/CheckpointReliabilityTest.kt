package dev.proxima.core.checkpoint

import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.io.SafeTensors
import dev.proxima.core.nn.Network
import dev.proxima.core.nn.NetworkFactory
import dev.proxima.core.ppo.Agent
import dev.proxima.core.testing.CUE
import dev.proxima.core.testing.cueConfig
import dev.proxima.core.train.Trainer
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.nio.file.Files
import java.nio.file.Path
import java.util.SplittableRandom

/** Rewrites a checkpoint with changed metadata (tensor data and its checksums untouched). */
private fun withMeta(src: Path, dst: Path, change: (MutableMap<String, String>) -> Unit): Path {
    val st = SafeTensors.read(src)
    val meta = LinkedHashMap(st.metadata())
    change(meta)
    SafeTensors(LinkedHashMap(st.tensors()), meta).write(dst)
    return dst
}

/** Rewrites a checkpoint with changed tensors and the original metadata (so the recorded checksums are stale). */
private fun withTensors(src: Path, dst: Path, change: (MutableMap<String, SafeTensors.Tensor>) -> Unit): Path {
    val st = SafeTensors.read(src)
    val tensors = LinkedHashMap(st.tensors())
    change(tensors)
    SafeTensors(tensors, st.metadata()).write(dst)
    return dst
}

/**
 * Issue 10, items 3-6 and 10: a checkpoint is checked before anything is built from it, and every defect is a
 * [CheckpointException] naming the file and what is wrong — never an internal error, an out-of-memory or a silently
 * changed policy.
 */
class CheckpointReliabilityTest : FunSpec({
    val tmp = Files.createTempDirectory("ckpt-reliability")
    val registry = EnvRegistry().register(CUE)
    val training = tmp.resolve("training.safetensors")
    val agentFile = tmp.resolve("agent.safetensors")
    Trainer.of(cueConfig(3).build()).start(1_024).use { run ->
        run.trainUpdates(2)
        run.save(training)
        run.agent().save(agentFile)
    }

    test("a header declaring a huge network is refused before anything is allocated (a 376-byte OOM before)") {
        val big = withMeta(agentFile, tmp.resolve("big.safetensors")) {
            it["network"] = """{"kind":"separate","actor":[4000,4000],"critic":[64,64],"trunk":[],"activation":"TANH"}"""
        }
        val e = shouldThrow<CheckpointException> { Agent.load(big, registry) }
        e.message shouldContain "big.safetensors"
        e.message shouldContain "tensor params has 147 values where the metadata declares 16028419"
        val huge = withMeta(agentFile, tmp.resolve("huge.safetensors")) {
            it["network"] = """{"kind":"separate","actor":[40000,40000],"critic":[],"trunk":[],"activation":"TANH"}"""
        }
        shouldThrow<CheckpointException> { Agent.load(huge, registry) }.message shouldContain "above the limit"
    }

    test("flipped bits in tensor data fail the checksum, naming the tensor") {
        val flipped = withTensors(agentFile, tmp.resolve("flipped.safetensors")) { t ->
            val p = t.getValue("params").doubles().clone()
            p[5] = Double.fromBits(p[5].toRawBits() xor (1L shl 40))
            t["params"] = SafeTensors.Tensor.of(p, p.size)
        }
        val e = shouldThrow<CheckpointException> { Agent.load(flipped, registry) }
        e.message shouldContain "tensor params fails its checksum"
        shouldThrow<CheckpointException> { Trainer.of(cueConfig(3).build()).resume(
            withTensors(training, tmp.resolve("flipped-adam.safetensors")) { t ->
                val m = t.getValue("adam.m").doubles().clone()
                m[0] += 1e-3
                t["adam.m"] = SafeTensors.Tensor.of(m, m.size)
            }) }.message shouldContain "tensor adam.m fails its checksum"
    }

    test("non-finite weights and optimiser state are refused, naming the tensor and index") {
        fun poisoned(name: String, src: Path, tensor: String, index: Int, value: Double): Path {
            // Stale checksums are recomputed by writing through the format, so only the finite check can catch it.
            val st = SafeTensors.read(src)
            val tensors = LinkedHashMap(st.tensors())
            val a = tensors.getValue(tensor).doubles().clone()
            a[index] = value
            tensors[tensor] = SafeTensors.Tensor.of(a, a.size)
            val meta = LinkedHashMap(st.metadata())
            meta["crc32c"] = dev.proxima.core.internal.Json.writeCompact(tensors.mapValues { (_, t) ->
                String.format("%08x", t.crc32c()) }, dev.proxima.core.internal.Json.NonFinite.REJECT)
            SafeTensors(tensors, meta).write(tmp.resolve(name))
            return tmp.resolve(name)
        }
        shouldThrow<CheckpointException> { Agent.load(poisoned("nan.safetensors", agentFile, "params", 7, Double.NaN),
            registry) }.message shouldContain "tensor params[7] = NaN is not finite"
        shouldThrow<CheckpointException> { Trainer.of(cueConfig(3).build()).resume(
            poisoned("inf.safetensors", training, "adam.v", 2, Double.POSITIVE_INFINITY)) }.message shouldContain
            "tensor adam.v[2] = Infinity is not finite"
    }

    context("malformed metadata is a clear message naming the file, the key and the value") {
        val cases: List<Triple<String, (MutableMap<String, String>) -> Unit, String>> = listOf(
            Triple("format_version is text", { m -> m["format_version"] = "two" }, "metadata format_version = \"two\""),
            Triple("a newer format", { m -> m["format_version"] = "9" }, "format version 9 is newer"),
            Triple("kind unknown", { m -> m["kind"] = "policy" }, "metadata kind = \"policy\": expected agent or training"),
            Triple("obs_dim negative", { m -> m["obs_dim"] = "-3" }, "metadata obs_dim = \"-3\""),
            Triple("obs_dim not a number", { m -> m["obs_dim"] = "2.5x" }, "metadata obs_dim = \"2.5x\""),
            Triple("policy_dim missing", { m -> m.remove("policy_dim") }, "metadata key policy_dim is missing"),
            Triple("log_std_dim above policy_dim", { m -> m["log_std_dim"] = "9" }, "metadata log_std_dim = \"9\""),
            Triple("clip_action not a boolean", { m -> m["clip_action"] = "yes" }, "metadata clip_action = \"yes\""),
            Triple("network not JSON", { m -> m["network"] = "{separate" }, "metadata network = \"{separate\""),
            Triple("network kind unknown", { m -> m["network"] = """{"kind":"resnet"}""" }, "its kind must be"),
            Triple("activation missing", { m -> m["network"] = """{"kind":"shared","trunk":[8]}""" },
                "activation null is not one of"),
            Triple("layer size zero", { m -> m["network"] =
                """{"kind":"shared","trunk":[0],"activation":"TANH"}""" }, "trunk[0] = 0"),
            Triple("obs_norm count negative", { m -> m["obs_norm"] = """{"count":-1,"epsilon":1e-8,"clip":10}""" },
                "tensor obs_norm.mean is missing"),
            Triple("crc32c not JSON", { m -> m["crc32c"] = "[" }, "metadata crc32c = \"[\""),
        )
        for ((name, change, expected) in cases) {
            test(name) {
                val f = withMeta(agentFile, tmp.resolve("meta-${name.replace(' ', '-')}.safetensors"), change)
                val e = shouldThrow<CheckpointException> { Agent.load(f, registry) }
                withClue(e.message) {
                    e.message shouldContain f.fileName.toString()
                    e.message shouldContain expected
                    e.message shouldNotContain "Exception"
                }
            }
        }
    }

    test("a file converted by another tool (F32 weights, no checksums, format 1) is refused with what is wrong") {
        val f32 = withTensors(agentFile, tmp.resolve("f32.safetensors")) { t ->
            val p = t.getValue("params").doubles()
            t["params"] = SafeTensors.Tensor.of(FloatArray(p.size) { p[it].toFloat() }, p.size)
        }
        withMeta(f32, f32) { it.remove("crc32c"); it["format_version"] = "1" }
        shouldThrow<CheckpointException> { Agent.load(f32, registry) }.message shouldContain
            "has dtype F32, expected F64"
    }

    test("impossible run positions are refused: negative steps, an update beyond the run, steps that do not add up") {
        fun training(name: String, change: (MutableMap<String, String>) -> Unit) =
            withMeta(training, tmp.resolve("$name.safetensors"), change)
        shouldThrow<CheckpointException> { Trainer.of(cueConfig(3).build()).resume(training("negative") {
            it["global_step"] = "-5" }) }.message shouldContain "metadata global_step = \"-5\""
        shouldThrow<CheckpointException> { Trainer.of(cueConfig(3).build()).resume(training("beyond") {
            it["update"] = "2000000000" }) }.message shouldContain "metadata update = \"2000000000\""
        shouldThrow<CheckpointException> { Trainer.of(cueConfig(3).build()).resume(training("mismatch") {
            it["global_step"] = "999" }) }.message shouldContain "expected update × numEnvs × numSteps"
    }

    test("a checkpoint of a custom network loads with its factory, and without it says what to pass") {
        val custom = NetworkFactory { o, p, l, rng: SplittableRandom -> Network.shared(6).create(o, p, l, rng) }
        val file = tmp.resolve("custom.safetensors")
        val agent = Trainer.of(cueConfig(4).network(custom).build()).train(256).agent()
        agent.save(file)
        val e = shouldThrow<CheckpointException> { Agent.load(file, registry) }
        e.message shouldContain "custom network factory"
        e.message shouldContain "Agent.load(file, registry, factory)"
        val loaded = Agent.load(file, registry, custom)
        loaded.evaluate(3, true, 1) shouldBe agent.evaluate(3, true, 1)
        val wrong = NetworkFactory { o, p, l, rng: SplittableRandom -> Network.shared(7).create(o, p, l, rng) }
        shouldThrow<CheckpointException> { Agent.load(file, registry, wrong) }.message shouldContain
            "is it the factory the agent was trained with?"
    }

    test("a directory given as a checkpoint is named as such") {
        shouldThrow<CheckpointException> { Agent.load(tmp, registry) }.message shouldContain "is a directory"
    }
})

