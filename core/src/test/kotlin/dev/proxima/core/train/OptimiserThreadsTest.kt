package dev.proxima.core.train

import dev.proxima.core.internal.ThreadTeam
import dev.proxima.core.nn.Network
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.PpoConfigException
import dev.proxima.core.testing.cueConfig
import dev.proxima.core.testing.fingerprint
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import java.util.concurrent.atomic.AtomicIntegerArray

/**
 * Issue 12: the optimiser's threads split each minibatch (two threads: actor and critic side by side; more: rows,
 * rows of dW) and Adam's update (ranges), never a sum, so a run is the same bits with 1, 2 or 3 of them. Minibatches
 * of 128 rows and a network of ~37k parameters, so that both the layers and Adam do split (Mlp.MIN_PARALLEL_ROWS,
 * Adam's MIN_PARALLEL_PARAMS); the shared network and odd widths cover the other code paths and uneven splits.
 */
class OptimiserThreadsTest : FunSpec({
    val tmp = Files.createTempDirectory("proxima-optimiser-threads")

    fun separate(seed: Long): PpoConfig = cueConfig(seed).rollout(4, 64).numMinibatches(2)
        .network(Network.separate(intArrayOf(130, 127), intArrayOf(129))).build()

    fun shared(seed: Long): PpoConfig = cueConfig(seed).rollout(4, 64).numMinibatches(2)
        .network(Network.shared(131, 67)).build()

    for ((name, config) in listOf("separate" to separate(21), "shared" to shared(22))) {
        test("$name network: 1, 2 and 3 optimiser threads train the same bits") {
            val one = Trainer.builder(config).build().train(1_024).fingerprint()
            Trainer.builder(config).optimiserThreads(2).build().train(1_024).fingerprint() shouldBe one
            Trainer.builder(config).optimiserThreads(3).workers(2).build().train(1_024).fingerprint() shouldBe one
        }
    }

    test("a run saved with 3 optimiser threads and resumed with 2 continues the 1-thread run exactly") {
        val config = separate(23)
        val straight = Trainer.of(config).train(1_536)
        val file = tmp.resolve("threads.safetensors")
        Trainer.builder(config).optimiserThreads(3).build().start(1_536).use { run ->
            run.trainUpdates(2)
            run.save(file)
        }
        val resumed = Trainer.builder(config).optimiserThreads(2).build().resume(file).use { it.train() }
        resumed.agent().network().params().toList() shouldBe straight.agent().network().params().toList()
    }

    test("optimiserThreads below 1 is refused with the value and the fix; toString shows the setting") {
        val e = shouldThrow<PpoConfigException> { Trainer.builder(cueConfig().build()).optimiserThreads(0).build() }
        e.message shouldContain "optimiserThreads = 0 must be at least 1"
        e.message shouldContain "optimiserThreads(1)"
        Trainer.builder(cueConfig().build()).optimiserThreads(2).build().toString() shouldContain "optimiserThreads=2"
        Trainer.builder(cueConfig().build()).optimiserThreads(2).build().toBuilder().build().optimiserThreads() shouldBe 2
    }

    test("a thread team runs each section on every member and rethrows a member's failure") {
        ThreadTeam.of(3, "test-team").use { team ->
            val hits = AtomicIntegerArray(3)
            repeat(1_000) { team.run({ m, n -> n shouldBe 3; hits.incrementAndGet(m) }, true) }
            (0 until 3).map { hits.get(it) } shouldBe listOf(1_000, 1_000, 1_000)
            team.run({ m, n -> (m to n) shouldBe (0 to 1) }, false)
            val e = shouldThrow<IllegalStateException> {
                team.run({ m, _ -> if (m == 2) throw IllegalStateException("member 2 failed") }, true)
            }
            e.message shouldBe "member 2 failed"
            team.run({ _, _ -> }, true) // still usable
        }
    }

    test("each part of a section runs exactly once, whether its own member or another claims it") {
        // Members claim their own part first and then steal; back-to-back tiny sections, and pauses long enough for
        // the members to park, exercise both (the caller takes a parked member's part when it gets there first).
        for (size in 2..4) {
            ThreadTeam.of(size, "test-claims").use { team ->
                val runs = java.util.concurrent.atomic.AtomicLongArray(size)
                var section = 0L
                repeat(20_000) { i ->
                    section++
                    val s = section
                    team.run({ m, _ ->
                        val before = runs.getAndSet(m, s)
                        if (before != s - 1) throw IllegalStateException("part $m: last run in section $before, now $s")
                    }, true)
                    if (i % 5_000 == 4_999) Thread.sleep(2) // the members spin 0.1 ms, then park
                }
                (0 until size).map { runs.get(it) } shouldBe List(size) { section }
            }
        }
    }
})
