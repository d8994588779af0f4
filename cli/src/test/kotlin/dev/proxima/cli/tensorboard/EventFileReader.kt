package dev.proxima.cli.tensorboard

import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.CRC32C

/**
 * Test-side reader of TensorBoard event files, written from the format description (TFRecord framing of
 * `tensorflow/core/lib/io/record_reader.cc`, `event.proto`, `summary.proto`) rather than from [EventFileWriter], so
 * a misunderstanding in the writer shows up as a mismatch. Verifies both CRCs of every record and refuses anything
 * it does not understand.
 */
object EventFileReader {
    data class Value(val tag: String, val simpleValue: Float)
    data class Event(val wallTime: Double, val step: Long, val fileVersion: String?, val values: List<Value>,
        val sessionStatus: Int? = null)

    class CorruptRecord(message: String) : Exception(message)

    fun read(file: Path): List<Event> = records(Files.readAllBytes(file)).map { decodeEvent(it) }

    fun records(bytes: ByteArray): List<ByteArray> {
        val b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN)
        val out = ArrayList<ByteArray>()
        while (b.hasRemaining()) {
            if (b.remaining() < 12) throw CorruptRecord("truncated header at ${b.position()}")
            val headerStart = b.position()
            val length = b.long
            val lengthCrc = b.int
            if (lengthCrc != masked(bytes, headerStart, 8)) throw CorruptRecord("length CRC mismatch at $headerStart")
            if (length < 0 || length > b.remaining() - 4) throw CorruptRecord("record length $length overruns the file")
            val dataStart = b.position()
            val data = ByteArray(length.toInt())
            b.get(data)
            val dataCrc = b.int
            if (dataCrc != masked(bytes, dataStart, data.size)) throw CorruptRecord("data CRC mismatch at $dataStart")
            out += data
        }
        return out
    }

    /** masked_crc = ((crc >> 15) | (crc << 17)) + 0xa282ead8, in uint32 arithmetic. */
    private fun masked(bytes: ByteArray, off: Int, len: Int): Int {
        val c = CRC32C().apply { update(bytes, off, len) }.value
        val rotated = ((c ushr 15) or (c shl 17)) and 0xFFFFFFFFL
        return ((rotated + 0xa282ead8L) and 0xFFFFFFFFL).toInt()
    }

    private fun decodeEvent(data: ByteArray): Event {
        var wall = 0.0
        var step = 0L
        var version: String? = null
        val values = ArrayList<Value>()
        var status: Int? = null
        Pb(data).fields { field, wire, pb ->
            when {
                field == 1 && wire == 1 -> wall = java.lang.Double.longBitsToDouble(pb.fixed(8))
                field == 2 && wire == 0 -> step = pb.varint()
                field == 3 && wire == 2 -> version = String(pb.bytes(), Charsets.UTF_8)
                field == 5 && wire == 2 -> Pb(pb.bytes()).fields { f, w, s ->
                    if (f == 1 && w == 2) values += decodeValue(s.bytes()) else s.skip(w)
                }
                // SessionLog (event.proto field 7): its status (field 1, an enum: 1 = START)
                field == 7 && wire == 2 -> Pb(pb.bytes()).fields { f, w, s ->
                    if (f == 1 && w == 0) status = s.varint().toInt() else s.skip(w)
                }
                else -> throw CorruptRecord("unexpected Event field $field (wire type $wire)")
            }
        }
        return Event(wall, step, version, values, status)
    }

    private fun decodeValue(data: ByteArray): Value {
        var tag: String? = null
        var simple: Float? = null
        Pb(data).fields { f, w, s ->
            when {
                f == 1 && w == 2 -> tag = String(s.bytes(), Charsets.UTF_8)
                f == 2 && w == 5 -> simple = java.lang.Float.intBitsToFloat(s.fixed(4).toInt())
                else -> throw CorruptRecord("unexpected Summary.Value field $f (wire type $w)")
            }
        }
        return Value(tag ?: throw CorruptRecord("value without tag"), simple ?: throw CorruptRecord("no simple_value"))
    }

    private class Pb(val d: ByteArray) {
        var p = 0

        fun fields(each: (Int, Int, Pb) -> Unit) {
            while (p < d.size) {
                val key = varint()
                each((key ushr 3).toInt(), (key and 7).toInt(), this)
            }
        }

        fun varint(): Long {
            var result = 0L
            var shift = 0
            while (true) {
                if (shift >= 64) throw CorruptRecord("varint too long")
                val b = d[p++].toInt() and 0xFF
                result = result or ((b and 0x7F).toLong() shl shift)
                if (b and 0x80 == 0) return result
                shift += 7
            }
        }

        fun fixed(n: Int): Long {
            var v = 0L
            for (i in 0 until n) v = v or ((d[p++].toLong() and 0xFF) shl (8 * i))
            return v
        }

        fun bytes(): ByteArray {
            val n = varint().toInt()
            if (n < 0 || p + n > d.size) throw CorruptRecord("length $n overruns the message")
            return d.copyOfRange(p, p + n).also { p += n }
        }

        fun skip(wire: Int) {
            when (wire) {
                0 -> varint()
                1 -> p += 8
                2 -> bytes()
                5 -> p += 4
                else -> throw CorruptRecord("unknown wire type $wire")
            }
        }
    }
}
