package dev.proxima.cli.tensorboard

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldMatch
import io.kotest.property.Arb
import io.kotest.property.arbitrary.double
import io.kotest.property.arbitrary.list
import io.kotest.property.arbitrary.long
import io.kotest.property.arbitrary.string
import io.kotest.property.checkAll
import java.nio.file.Files

class EventFileWriterTest : FunSpec({
    val dir = Files.createTempDirectory("tb-test")

    test("the first record is TensorBoard's own: masked CRC of its 24-byte length is the well-known a3 7f 4b 22") {
        // Every file TensorBoard/TensorFlow writes starts 18 00 00 00 00 00 00 00 a3 7f 4b 22: the file-version
        // event (wall_time + "brain.Event:2") is 24 bytes long. An independent check of framing, CRC-32C and mask.
        EventFileWriter.create(dir.resolve("first"), wallTime = 1.7e9, host = "h").use { w ->
            val bytes = Files.readAllBytes(w.file)
            bytes.copyOfRange(0, 12).joinToString(" ") { "%02x".format(it) } shouldBe
                "18 00 00 00 00 00 00 00 a3 7f 4b 22"
            val events = EventFileReader.read(w.file)
            events shouldHaveSize 1
            events[0].fileVersion shouldBe "brain.Event:2"
            events[0].wallTime shouldBe 1.7e9
        }
    }

    test("file name is events.out.tfevents.<10-digit seconds>.<host>, and a second writer in the same second gets its own file") {
        val d = dir.resolve("names")
        EventFileWriter.create(d, wallTime = 1_700_000_123.9, host = "box.lan").use { a ->
            a.file.fileName.toString() shouldBe "events.out.tfevents.1700000123.box.lan"
            EventFileWriter.create(d, wallTime = 1_700_000_123.2, host = "box.lan").use { b ->
                b.file.fileName.toString() shouldMatch Regex("events\\.out\\.tfevents\\.1700000123\\.box\\.lan\\.1")
            }
        }
    }

    test("scalars read back with their steps, tags, wall times and float values") {
        checkAll(30, Arb.list(Arb.double(-1e30, 1e30), 1..12), Arb.long(0, Long.MAX_VALUE / 2),
            Arb.string(1..20)) { values, step, tagBase ->
            val d = Files.createTempDirectory(dir, "prop")
            val tags = values.indices.map { "$tagBase/$it" }
            EventFileWriter.create(d).use { w ->
                w.scalars(step, tags.zip(values).toMap(), wallTime = 123.25)
                w.scalars(step + 1, mapOf("losses/x" to -0.5))
                val events = EventFileReader.read(w.file)
                events shouldHaveSize 3
                events[1].step shouldBe step
                events[1].wallTime shouldBe 123.25
                events[1].values.map { it.tag } shouldBe tags
                events[1].values.map { it.simpleValue.toBits() } shouldBe values.map { it.toFloat().toBits() }
                events[2].step shouldBe step + 1
                events[2].values shouldBe listOf(EventFileReader.Value("losses/x", -0.5f))
            }
        }
    }

    test("negative steps encode as 10-byte varints and read back") {
        EventFileWriter.create(dir.resolve("neg")).use { w ->
            w.scalars(-3, mapOf("a" to 1.0))
            EventFileReader.read(w.file)[1].step shouldBe -3L
        }
    }

    test("the reader refuses a flipped byte, so the read-back tests can fail") {
        EventFileWriter.create(dir.resolve("flip")).use { w ->
            w.scalars(7, mapOf("charts/SPS" to 1234.0))
            val bytes = Files.readAllBytes(w.file)
            for (pos in listOf(3, 10, 40, bytes.size - 2)) {
                val bad = bytes.clone()
                bad[pos] = (bad[pos].toInt() xor 0x10).toByte()
                shouldThrow<EventFileReader.CorruptRecord> { EventFileReader.records(bad) }
            }
        }
    }
})
