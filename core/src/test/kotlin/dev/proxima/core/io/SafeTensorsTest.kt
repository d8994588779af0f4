package dev.proxima.core.io

import dev.proxima.core.env.RunningMeanStd
import dev.proxima.core.io.SafeTensors.Tensor
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.Files
import java.nio.file.NoSuchFileException
import java.nio.file.Path
import java.util.SplittableRandom

/** A file from a hand-written header and data, to test what the reader accepts. */
private fun handMade(header: String, data: ByteArray, declaredLength: Long = header.toByteArray().size.toLong()): ByteArray {
    val h = header.toByteArray()
    return ByteBuffer.allocate(8 + h.size + data.size).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(declaredLength).put(h).put(data).array()
}

private fun refused(bytes: ByteArray): String =
    shouldThrow<SafeTensorsException> { SafeTensors.fromBytes(bytes, "x.safetensors") }.message!!

private fun listDir(dir: Path): List<String> = Files.list(dir).use { s -> s.map { it.fileName.toString() }.sorted().toList() }

class SafeTensorsTest : FunSpec({
    val rng = SplittableRandom(3)
    val sample = SafeTensors(
        linkedMapOf(
            "policy.w" to Tensor.of(FloatArray(12) { rng.nextGaussian().toFloat() }, 3, 4),
            "policy.b" to Tensor.of(floatArrayOf(Float.NaN, Float.NEGATIVE_INFINITY, -0f), 3),
            "adam.m" to Tensor.of(DoubleArray(5) { rng.nextDouble(-1e300, 1e300) }, 5),
            "step" to Tensor.of(longArrayOf(Long.MIN_VALUE), *IntArray(0)), // a scalar: shape []
            "seeds" to Tensor.of(intArrayOf(1, -2, Int.MAX_VALUE), 3),
            "bytes" to Tensor.of(byteArrayOf(0, -1, 127), 3),
            "empty" to Tensor.of(DoubleArray(0), 0, 4),
        ),
        linkedMapOf("format" to "proxima", "config" to """{"clip": 0.2}"""),
    )

    test("round trip through a file: every dtype, scalars, empty tensors, special values, metadata") {
        val dir = Files.createTempDirectory("st")
        val f = dir.resolve("ckpt.safetensors")
        sample.write(f)
        val back = SafeTensors.read(f)
        back.tensors() shouldBe sample.tensors()
        back.metadata() shouldBe sample.metadata()
        back.tensor("step").shape().size shouldBe 0
        back.tensor("step").longs()[0] shouldBe Long.MIN_VALUE
        back.tensor("policy.b").floats()[0].toRawBits() shouldBe Float.NaN.toRawBits()
        // Written in the reference layout: I64, then F64 by name, then F32, I32, U8.
        back.tensors().keys.toList() shouldContainExactly listOf("step", "adam.m", "empty", "policy.b", "policy.w",
            "seeds", "bytes")
        listDir(dir) shouldBe listOf("ckpt.safetensors") // no temporary file left behind
        SafeTensors.fromBytes(sample.toBytes(), "mem").tensors() shouldBe sample.tensors()
        Files.readAllBytes(f) shouldBe sample.toBytes()
    }

    test("normaliser statistics survive a checkpoint bit for bit") {
        val rms = RunningMeanStd(3)
        rms.update(doubleArrayOf(0.1, 2.0, -3.0, 4.5, 0.3, 1e-7), 2, 3)
        val st = rms.state()
        val file = SafeTensors(mapOf("obs_rms.mean" to Tensor.vector(*st.mean()), "obs_rms.var" to
            Tensor.vector(*st.variance()), "obs_rms.count" to Tensor.of(doubleArrayOf(st.count()))), mapOf())
        val back = SafeTensors.fromBytes(file.toBytes(), "mem")
        val restored = RunningMeanStd(3)
        restored.restore(RunningMeanStd.State(back.tensor("obs_rms.mean").doubles(),
            back.tensor("obs_rms.var").doubles(), back.tensor("obs_rms.count").doubles()[0]))
        restored.state() shouldBe st
    }

    test("byte-level layout of a tiny file matches the format specification") {
        val bytes = SafeTensors(mapOf("a" to Tensor.of(floatArrayOf(1.0f, -2.5f), 2)), mapOf("format" to "pt")).toBytes()
        val json = """{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"""
        json.length shouldBe 85 // padded with 3 spaces to 88, a multiple of 8
        val expected = byteArrayOf(88, 0, 0, 0, 0, 0, 0, 0) + // N: u64 little-endian
            (json + "   ").toByteArray(Charsets.UTF_8) +
            byteArrayOf(0, 0, 0x80.toByte(), 0x3f, 0, 0, 0x20, 0xc0.toByte()) // 1.0f, -2.5f little-endian
        bytes shouldBe expected
    }

    test("reads the example from the reference implementation's documentation (unpadded header)") {
        // safetensors/src/tensor.rs, SafeTensors::deserialize doc example: '<' = 60-byte header, 16 zero bytes.
        val bytes = "<\u0000\u0000\u0000\u0000\u0000\u0000\u0000{\"test\":{\"dtype\":\"I32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}"
            .toByteArray(Charsets.ISO_8859_1) + ByteArray(16)
        val t = SafeTensors.fromBytes(bytes, "doc").tensor("test")
        t.shape() shouldBe intArrayOf(2, 2)
        t.ints() shouldBe IntArray(4)
    }

    test("a truncated file is refused, naming the file") {
        val dir = Files.createTempDirectory("st")
        val full = sample.toBytes()
        for (cut in listOf(full.size - 1, 100, 20, 5, 0)) {
            val f = dir.resolve("cut$cut.safetensors")
            Files.write(f, full.copyOf(cut))
            val msg = shouldThrow<SafeTensorsException> { SafeTensors.read(f) }.message!!
            msg shouldStartWith "$f: not a valid safetensors file: "
            msg shouldContain if (cut >= 8) "truncated" else "fewer than the 8-byte header length"
        }
    }

    test("random bytes and foreign files are refused") {
        val r = SplittableRandom(11)
        repeat(50) {
            val junk = ByteArray(r.nextInt(0, 4096)).also { a -> for (i in a.indices) a[i] = r.nextInt(256).toByte() }
            refused(junk) shouldStartWith "x.safetensors: not a valid safetensors file: "
        }
        refused("""{"a": {"dtype": "F32"}}""".toByteArray()) shouldContain "header length"
        refused("PK\u0003\u0004 a zip archive, or a pickle".toByteArray()) shouldContain "header length"
        refused(handMade("[1, 2]", ByteArray(0))) shouldContain "does not start with '{'"
        refused(handMade("{\"a\": ", ByteArray(0))) shouldContain "the header is not valid JSON"
        refused(handMade("{}", ByteArray(0), declaredLength = -1)) shouldContain "header length 18446744073709551615"
        refused(byteArrayOf(2, 0, 0, 0, 0, 0, 0, 0, '{'.code.toByte(), 0xff.toByte())) shouldContain "not UTF-8"
    }

    test("a header that lies about offsets, sizes or layout is refused") {
        val f32x2 = ByteArray(8)
        refused(handMade("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}}""", ByteArray(12))) shouldContain
            "tensor \"a\" is F32 [2] = 2 x 4 = 8 bytes, but its data_offsets [0, 12] span 12"
        refused(handMade("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""",
            ByteArray(12))) shouldContain "overlap tensor \"a\""
        refused(handMade("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", ByteArray(12))) shouldContain
            "4 bytes are not covered by any tensor"
        refused(handMade("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", ByteArray(9))) shouldContain
            "1 bytes after the last tensor"
        refused(handMade("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", ByteArray(7))) shouldContain
            "truncated by 1 bytes"
        refused(handMade("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", f32x2)) shouldContain
            "need 0 <= begin <= end"
        refused(handMade("""{"a":{"dtype":"BF16","shape":[4],"data_offsets":[0,8]}}""", f32x2)) shouldContain
            "dtype \"BF16\", which this reader does not support"
        refused(handMade("""{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", f32x2)) shouldContain
            "dimensions are non-negative integers"
        refused(handMade("""{"a":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}""", f32x2)) shouldContain
            "has entry 2.0"
        refused(handMade("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"x":1}}""", f32x2)) shouldContain
            "unknown field \"x\""
        refused(handMade("""{"a":{"dtype":"F32","shape":[2]}}""", f32x2)) shouldContain "needs \"data_offsets\""
        refused(handMade("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""",
            f32x2)) shouldContain "duplicate key \"a\""
        refused(handMade("""{"__metadata__":{"k":1},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", f32x2)) shouldContain
            "metadata \"k\" is long 1; the format allows only string values"
        refused(handMade("""{"a":{"dtype":"F64","shape":[1073741824,4],"data_offsets":[0,8]}}""", f32x2)) shouldContain
            "more elements than a Java array can hold"
    }

    test("writing replaces an existing file and refuses a missing directory") {
        val dir = Files.createTempDirectory("st")
        val f = dir.resolve("model.safetensors")
        Files.writeString(f, "old content")
        val one = SafeTensors(mapOf("x" to Tensor.vector(1.0, 2.0)))
        one.write(f)
        SafeTensors.read(f).tensors() shouldBe one.tensors()
        listDir(dir) shouldBe listOf("model.safetensors")
        shouldThrow<NoSuchFileException> { one.write(dir.resolve("missing/model.safetensors")) }.message shouldContain
            "its directory does not exist"
    }

    test("tensors check their shape and dtype") {
        shouldThrow<IllegalArgumentException> { Tensor.of(FloatArray(6), 4, 2) }.message shouldContain
            "shape [4, 2] holds 8 elements but the F32 data has 6"
        shouldThrow<IllegalStateException> { Tensor.vector(1.0).floats() }.message shouldContain "tensor is F64 [1]"
        shouldThrow<IllegalArgumentException> { SafeTensors(mapOf("__metadata__" to Tensor.vector(1.0))) }
        shouldThrow<IllegalArgumentException> { sample.tensor("nope") }.message shouldContain "present: ["
    }
})
