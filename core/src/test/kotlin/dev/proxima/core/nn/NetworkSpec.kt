package dev.proxima.core.nn

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import java.util.SplittableRandom

class NetworkSpec : FunSpec({

    test("the default is CleanRL's: separate 64-64 tanh") {
        Network.DEFAULT.toString() shouldBe "separate(actor=[64, 64], critic=[64, 64], tanh)"
        Network.DEFAULT.isShared() shouldBe false
        Network.DEFAULT.actor().toList() shouldBe listOf(64, 64)
        Network.DEFAULT.critic().toList() shouldBe listOf(64, 64)
        Network.DEFAULT.trunk().toList() shouldBe emptyList()
        Network.DEFAULT.activation() shouldBe Activation.TANH
    }

    test("toString reads like the builder call") {
        Network.shared(64, 64).activation(Activation.RELU).toString() shouldBe "shared([64, 64], relu)"
        Network.separate(intArrayOf(32), intArrayOf(128, 128)).toString() shouldBe
            "separate(actor=[32], critic=[128, 128], tanh)"
    }

    test("a value type: equals and hashCode follow the configuration; arrays are copied in and out") {
        val hidden = intArrayOf(64, 64)
        val a = Network.shared(*hidden)
        hidden[0] = 1
        a shouldBe Network.shared(64, 64)
        a.hashCode() shouldBe Network.shared(64, 64).hashCode()
        a.trunk()[0] = 5
        a.trunk()[0] shouldBe 64
        a shouldNotBe Network.shared(64, 64).activation(Activation.RELU)
        a shouldNotBe Network.separate(intArrayOf(64, 64), intArrayOf(64, 64))
        Network.separate(intArrayOf(64, 64), intArrayOf(64, 64)) shouldBe Network.DEFAULT
        a.activation(Activation.RELU).activation(Activation.TANH) shouldBe a
    }

    test("invalid sizes are all reported at once with the fix") {
        val e = shouldThrow<IllegalArgumentException> { Network.separate(intArrayOf(64, 0), intArrayOf(-3)) }
        e.message shouldContain "2 problems"
        e.message shouldContain "actor[1] = 0"
        e.message shouldContain "critic[0] = -3"
        shouldThrow<IllegalArgumentException> { Network.shared() }.message shouldContain "at least one trunk layer"
        shouldThrow<IllegalArgumentException> { Network.shared(64, 0) }.message shouldContain "hidden[1] = 0"
        shouldThrow<NullPointerException> { Network.DEFAULT.activation(null) }
    }

    test("create checks its dimensions and builds what the configuration says") {
        shouldThrow<IllegalArgumentException> { Network.DEFAULT.create(0, 2, 0, SplittableRandom(1)) }
            .message shouldContain "obsDim = 0"
        shouldThrow<IllegalArgumentException> { Network.DEFAULT.create(4, 2, -1, SplittableRandom(1)) }
            .message shouldContain "logStdDim = -1"
        val shared = Network.shared(16, 8).create(3, 2, 2, SplittableRandom(1))
        shared.toString() shouldBe "shared(trunk=[3, 16, 8], policy=2, value=1, tanh) + log_std[2], 229 parameters"
        shared.numParams() shouldBe (3 * 16 + 16) + (16 * 8 + 8) + (8 * 2 + 2) + (8 + 1) + 2
        shared.logStdOffset() shouldBe shared.numParams() - 2
        shared.obsDim() shouldBe 3
        shared.policyDim() shouldBe 2
        shared.logStdDim() shouldBe 2
    }
})
