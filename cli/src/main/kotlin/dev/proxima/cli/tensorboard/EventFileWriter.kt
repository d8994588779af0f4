package dev.proxima.cli.tensorboard

import java.io.BufferedOutputStream
import java.io.Closeable
import java.io.OutputStream
import java.net.InetAddress
import java.nio.ByteBuffer
import java.nio.ByteOrder
import java.nio.file.Files
import java.nio.file.Path
import java.util.zip.CRC32C

/**
 * Writes scalars to a TensorBoard event file, `events.out.tfevents.<unix seconds>.<host>`, with no TensorFlow or
 * protobuf library: no maintained JVM writer exists, and the format is small.
 *
 * The file is a sequence of TFRecords (`tensorflow/core/lib/io/record_writer.cc`; TensorBoard's
 * `tensorboard/summary/writer/record_writer.py`), each holding one serialised `tensorflow.Event`
 * (`tensorflow/core/util/event.proto`). The first event carries only `file_version = "brain.Event:2"`, as
 * TensorBoard's `EventFileWriter` writes it; each later one carries a `Summary` of scalar values, encoded as
 * `Summary.Value{tag, simple_value}` (`tensorflow/core/framework/summary.proto`), the form PyTorch's
 * `SummaryWriter.add_scalar` writes and TensorBoard's scalar dashboard reads.
 *
 * Each [scalars] call appends one event and flushes, so a TensorBoard pointed at a live run sees every update.
 * Not thread-safe.
 */
class EventFileWriter private constructor(val file: Path, private val out: OutputStream) : Closeable {

    /** Appends one event at [step] with a `simple_value` per entry of [values] (NaN values are written as NaN). */
    fun scalars(step: Long, values: Map<String, Double>, wallTime: Double = nowSeconds()) {
        val summary = Protobuf()
        for ((tag, value) in values) {
            val v = Protobuf()
            v.string(SUMMARY_VALUE_TAG, tag)
            v.float32(SUMMARY_VALUE_SIMPLE_VALUE, value.toFloat())
            summary.message(SUMMARY_VALUE, v)
        }
        val event = Protobuf()
        event.double64(EVENT_WALL_TIME, wallTime)
        event.int64(EVENT_STEP, step)
        event.message(EVENT_SUMMARY, summary)
        writeRecord(event.toByteArray())
    }

    /**
     * Appends `SessionLog{status: START}` at [step]: a run resumed from a checkpoint says so, and TensorBoard's loader
     * (`EventAccumulator`, `purge_orphaned_data`) then drops the events of earlier files at steps >= [step], those an
     * interrupted run wrote after its last checkpoint, which the resumed run writes again.
     */
    fun sessionStart(step: Long, wallTime: Double = nowSeconds()) {
        val log = Protobuf()
        log.int64(SESSION_LOG_STATUS, SESSION_LOG_START.toLong())
        val event = Protobuf()
        event.double64(EVENT_WALL_TIME, wallTime)
        event.int64(EVENT_STEP, step)
        event.message(EVENT_SESSION_LOG, log)
        writeRecord(event.toByteArray())
    }

    private fun writeRecord(data: ByteArray) {
        try {
            out.write(record(data))
            out.flush()
        } catch (e: java.io.IOException) {
            throw dev.proxima.cli.files.FileWriteException(file, e)
        }
    }

    override fun close() {
        out.close()
    }

    companion object {
        // Field numbers of event.proto and summary.proto.
        const val EVENT_WALL_TIME = 1
        const val EVENT_STEP = 2
        const val EVENT_FILE_VERSION = 3
        const val EVENT_SUMMARY = 5
        const val EVENT_SESSION_LOG = 7
        const val SESSION_LOG_STATUS = 1
        const val SESSION_LOG_START = 1
        const val SUMMARY_VALUE = 1
        const val SUMMARY_VALUE_TAG = 1
        const val SUMMARY_VALUE_SIMPLE_VALUE = 2

        /** The version string TensorBoard's own writer puts in the first event of a file. */
        const val FILE_VERSION = "brain.Event:2"

        /**
         * Creates `events.out.tfevents.<unix seconds>.<host>` in [dir] (made if missing) and writes the file-version
         * event. An existing file of that name (two writers in one second) gets a numeric suffix instead.
         */
        @JvmStatic
        fun create(dir: Path, wallTime: Double = nowSeconds(), host: String = hostName()): EventFileWriter {
            Files.createDirectories(dir)
            val base = "events.out.tfevents.%010d.%s".format(wallTime.toLong(), host)
            var file = dir.resolve(base)
            var n = 1
            while (Files.exists(file)) {
                file = dir.resolve("$base.${n++}")
            }
            val writer = EventFileWriter(file, BufferedOutputStream(Files.newOutputStream(file)))
            val first = Protobuf()
            first.double64(EVENT_WALL_TIME, wallTime)
            first.string(EVENT_FILE_VERSION, FILE_VERSION)
            writer.writeRecord(first.toByteArray())
            return writer
        }

        /**
         * One TFRecord: `uint64 length`, `uint32 masked_crc32c(length bytes)`, `data`, `uint32 masked_crc32c(data)`,
         * all little-endian.
         */
        @JvmStatic
        fun record(data: ByteArray): ByteArray {
            val b = ByteBuffer.allocate(8 + 4 + data.size + 4).order(ByteOrder.LITTLE_ENDIAN)
            b.putLong(data.size.toLong())
            b.putInt(maskedCrc32c(b.array(), 0, 8))
            b.put(data)
            b.putInt(maskedCrc32c(data, 0, data.size))
            return b.array()
        }

        /**
         * CRC-32C masked as TensorFlow's `crc32c::Mask` does (`tensorflow/core/lib/hash/crc32c.h`): rotate right by
         * 15 bits and add a constant, because "computing the CRC of a string that contains embedded CRCs" is
         * problematic.
         */
        @JvmStatic
        fun maskedCrc32c(data: ByteArray, offset: Int, length: Int): Int {
            val crc = CRC32C()
            crc.update(data, offset, length)
            val c = crc.value.toInt()
            return ((c ushr 15) or (c shl 17)) + 0xa282ead8.toInt()
        }

        private fun nowSeconds(): Double = System.currentTimeMillis() / 1000.0

        private fun hostName(): String {
            val name = try {
                InetAddress.getLocalHost().hostName
            } catch (e: Exception) {
                System.getenv("HOSTNAME") ?: "localhost"
            }
            // The host goes into a file name: keep it to characters every file system accepts.
            return name.replace(Regex("[^A-Za-z0-9._-]"), "_").ifEmpty { "localhost" }
        }
    }
}

/** A protobuf message being encoded: fields appended in order, in the wire format of the protobuf encoding guide. */
internal class Protobuf {
    private val bytes = java.io.ByteArrayOutputStream()

    fun double64(field: Int, value: Double) {
        tag(field, WIRE_FIXED64)
        fixed(java.lang.Double.doubleToRawLongBits(value), 8)
    }

    fun float32(field: Int, value: Float) {
        tag(field, WIRE_FIXED32)
        fixed(java.lang.Float.floatToRawIntBits(value).toLong(), 4)
    }

    /** An int64 field: varint of the two's complement (so negative values take 10 bytes, as protobuf does). */
    fun int64(field: Int, value: Long) {
        tag(field, WIRE_VARINT)
        varint(value)
    }

    fun string(field: Int, value: String) {
        bytes(field, value.toByteArray(Charsets.UTF_8))
    }

    fun message(field: Int, value: Protobuf) {
        bytes(field, value.toByteArray())
    }

    private fun bytes(field: Int, value: ByteArray) {
        tag(field, WIRE_LENGTH_DELIMITED)
        varint(value.size.toLong())
        bytes.write(value)
    }

    fun toByteArray(): ByteArray = bytes.toByteArray()

    private fun tag(field: Int, wireType: Int) = varint(((field shl 3) or wireType).toLong())

    private fun varint(value: Long) {
        var v = value
        while (v and 0x7FL.inv() != 0L) {
            bytes.write(((v and 0x7F) or 0x80).toInt())
            v = v ushr 7
        }
        bytes.write(v.toInt())
    }

    private fun fixed(value: Long, size: Int) {
        for (i in 0 until size) {
            bytes.write(((value ushr (8 * i)) and 0xFF).toInt())
        }
    }

    companion object {
        const val WIRE_VARINT = 0
        const val WIRE_FIXED64 = 1
        const val WIRE_LENGTH_DELIMITED = 2
        const val WIRE_FIXED32 = 5
    }
}
