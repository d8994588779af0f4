package dev.proxima.cluster

import com.hazelcast.client.HazelcastClient
import com.hazelcast.client.config.ClientConfig
import dev.proxima.cluster.transport.HazelcastTransport
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.io.ByteArrayOutputStream
import java.io.ObjectInputStream
import java.io.PrintStream
import java.io.Serializable
import java.time.Duration

/** A Java-serialised object whose deserialisation would run code: the learner must never deserialise it. */
class Gadget : Serializable {
    private fun readObject(input: ObjectInputStream) {
        input.defaultReadObject()
        deserialised = true
    }

    companion object {
        @Volatile
        var deserialised = false
        private const val serialVersionUID = 1L
    }
}

/** The transport's security defaults, on 127.0.0.1, with workers and clients in this JVM. */
class TransportTest : FunSpec({
    val transport = HazelcastTransport.create()

    test("a worker of another cluster name cannot join") {
        transport.bind("right-name", "127.0.0.1", Duration.ofSeconds(15)).use { learner ->
            val err = ByteArrayOutputStream()
            val code = Worker.builder().join(learner.address()).cluster("wrong-name")
                .connectTimeout(Duration.ofSeconds(3)).errors(PrintStream(err, true)).run()
            code shouldBe Worker.EXIT_CONNECT
            err.toString() shouldContain "as cluster \"wrong-name\""
            learner.receive(200) shouldBe null
            // The right name is let in, and its first message is its HELLO.
            transport.connect("right-name", learner.address(), Duration.ofSeconds(30), Duration.ofSeconds(15))
                .use { w ->
                    w.send(Messages.Hello(-1, 1, "h", listOf("CartPole-v1"), 1).encode())
                    val e = learner.receive(10_000)!!
                    e.from() shouldBe w.id()
                    Messages.read(e.body()).type shouldBe Messages.HELLO
                }
        }
    }

    test("a Java-serialised object is refused without being deserialised; so are bytes that are not ours") {
        transport.bind("filter", "127.0.0.1", Duration.ofSeconds(15)).use { learner ->
            val config = ClientConfig().setClusterName("filter")
            config.networkConfig.addAddress(learner.address())
            config.setProperty("hazelcast.phone.home.enabled", "false")
            val client = HazelcastClient.newHazelcastClient(config) // an intruder: Hazelcast's plain client
            try {
                val inbox = client.getQueue<Any>("proxima.learner")
                inbox.offer(Gadget())
                inbox.offer(byteArrayOf(1, 2, 3))
                inbox.offer("a string")
                val w = transport.connect("filter", learner.address(), Duration.ofSeconds(30), Duration.ofSeconds(15))
                w.use {
                    w.send(Messages.Ready(0, 1).encode())
                    val e = learner.receive(10_000)!!
                    e.from() shouldBe w.id() // the one real message; the three before it were refused
                }
                learner.refused() shouldBe 3
                Gadget.deserialised shouldBe false
            } finally {
                client.shutdown()
            }
        }
    }

    test("the wire format refuses foreign, damaged and other-version messages before allocating") {
        val good = Messages.Ready(2, 7).encode()
        Messages.Ready.decode(Messages.read(good)) shouldBe Messages.Ready(2, 7)
        shouldThrow<Wire.ProtocolException> { Messages.read(byteArrayOf(1, 2, 3)) }.message shouldContain "not a Proxima"
        val otherVersion = good.clone().also { it[4] = 99 }
        shouldThrow<Wire.ProtocolException> { Messages.read(otherVersion) }.message shouldContain "version 99"
        val truncated = good.copyOf(good.size - 2)
        shouldThrow<Wire.ProtocolException> { Messages.Ready.decode(Messages.read(truncated)) }
        // A length far beyond the message is refused, not allocated.
        val huge = Wire.Writer(Messages.SAMPLE, 16).i32(1).i32(Int.MAX_VALUE).bytes()
        shouldThrow<Wire.ProtocolException> { Messages.Sample.decode(Messages.read(huge)) }.message shouldContain
            "length"
        // Round trip of the largest message, with every optional part.
        val stats = dev.proxima.core.env.RunningMeanStd.State(doubleArrayOf(0.5), doubleArrayOf(2.0), 3.0)
        val r = Messages.Result(1, 2, 3, 4L, floatArrayOf(1f, 2f), floatArrayOf(0f), doubleArrayOf(-1.0),
            doubleArrayOf(0.25), doubleArrayOf(1.0), booleanArrayOf(true), booleanArrayOf(false), doubleArrayOf(0.0),
            doubleArrayOf(9.0), BooleanArray(0), doubleArrayOf(12.0), intArrayOf(12), longArrayOf(5), longArrayOf(6),
            true, floatArrayOf(3f, 4f), doubleArrayOf(0.0), longArrayOf(0), arrayOf(arrayOf(longArrayOf(1, 2))),
            doubleArrayOf(0.1), stats, stats, null, null)
        val back = Messages.Result.decode(Messages.read(r.encode()))
        back.obs().toList() shouldBe listOf(1f, 2f)
        back.envStates()!![0][0].toList() shouldBe listOf(1L, 2L)
        back.obsDelta() shouldBe stats
        back.rewardView() shouldBe null
    }
})
