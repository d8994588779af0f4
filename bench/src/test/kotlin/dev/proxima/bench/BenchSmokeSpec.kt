package dev.proxima.bench

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/** Runs each benchmark body a few times, so a broken benchmark fails `./mvnw test` instead of a JMH run. */
class BenchSmokeSpec : FunSpec({

    test("infer runs at every benchmarked batch size and gives finite outputs") {
        for ((batch, width) in listOf(1 to 64, 8 to 64, 64 to 64, 16 to 256)) {
            val b = InferBench()
            b.batch = batch
            b.width = width
            b.setup()
            b.infer().isFinite() shouldBe true
            b.values.all { it.isFinite() } shouldBe true
            b.policy.all { it.isFinite() } shouldBe true
        }
    }

    test("a training step lowers the synthetic loss and reports a finite gradient norm") {
        val b = TrainStepBench()
        b.minibatch = 64
        b.width = 64
        b.threads = 2
        b.setup()
        fun loss(): Double {
            b.net.infer(b.obs, b.minibatch, b.policy, b.values)
            var s = 0.0
            for (i in b.policy.indices) s += (b.policy[i] - b.policyTarget[i]).let { it * it }
            for (i in b.values.indices) s += (b.values[i] - b.valueTarget[i]).let { it * it }
            return s
        }
        val before = loss()
        repeat(20) { b.trainStep().isFinite() shouldBe true }
        (loss() < before) shouldBe true
        b.tearDown()
    }
})
