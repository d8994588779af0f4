package dev.proxima.dsl.pipeline

import dev.proxima.core.ppo.UpdateStats
import dev.proxima.core.testing.deterministic
import dev.proxima.core.testing.fingerprint
import dev.proxima.core.train.Evaluation
import dev.proxima.core.train.PpoLoop
import dev.proxima.core.train.Trainer
import dev.proxima.dsl.CartPole
import dev.proxima.dsl.Corridor
import dev.proxima.dsl.Pendulum
import dev.proxima.dsl.ppo
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import java.util.concurrent.CompletableFuture
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import kotlin.io.path.createTempDirectory
import kotlin.io.path.listDirectoryEntries
import kotlin.io.path.name
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch

private const val CART_STEPS = 6L * 32 * 8 // 8 updates of 6 envs × 32 steps

private fun cartPole(workers: Int) = ppo {
    env(CartPole)
    seed(3)
    numEnvs(6); numSteps(32)
    numMinibatches(4); updateEpochs(2)
    workers(workers)
}

/**
 * The Kotlin adapter over core's trainer: the same runs whichever entry point or sampling executor, a cold Flow,
 * cancellation between updates, and the DSL's callbacks reaching core's.
 */
class PpoTrainerTest : FunSpec({

    test("Java's PpoLoop and Trainer, and every Kotlin entry, with 1 to 4 workers, give one and the same run") {
        val java = PpoLoop.train(cartPole(1).config, CART_STEPS)
        java.updates() shouldHaveSize 8
        java.updates().sumOf { it.episodes() } shouldNotBe 0 // the run must have done something
        val expected = java.fingerprint()
        for (w in listOf(1, 3, 4)) {
            cartPole(w).trainBlocking(CART_STEPS).fingerprint() shouldBe expected
        }
        val t = cartPole(2)
        t.train(CART_STEPS).fingerprint() shouldBe expected
        t.trainAsync(CART_STEPS).get().fingerprint() shouldBe expected
        Trainer.builder(t.config).workers(2).build().train(CART_STEPS).fingerprint() shouldBe expected
        ppo {
            env(CartPole); seed(3); numEnvs(6); numSteps(32); numMinibatches(4); updateEpochs(2)
            workers(3); dispatcher(Dispatchers.IO)
        }.train(CART_STEPS).fingerprint() shouldBe expected
    }

    test("workers do not change a Gaussian run with observation and reward normalisation and truncation") {
        fun pendulum(workers: Int) = ppo {
            env(Pendulum)
            seed(11)
            numEnvs(4); numSteps(64)
            numMinibatches(4); updateEpochs(2)
            normalizeObservation(true); normalizeReward(true)
            network { actor(32); critic(32) }
            workers(workers)
        }
        val steps = 4L * 64 * 5 // 5 updates; Pendulum truncates at 200 steps, so episodes end within the run
        val one = pendulum(1).trainBlocking(steps)
        val two = pendulum(2).trainBlocking(steps)
        one.updates().sumOf { it.episodes() } shouldNotBe 0
        two.fingerprint() shouldBe one.fingerprint()
        two.agent().observationNormalizer().stats().mean().toList() shouldBe
            one.agent().observationNormalizer().stats().mean().toList()
    }

    test("updates() is cold: nothing is made until collected, and each collection is a new run from the seed") {
        val made = AtomicInteger()
        val trainer = ppo {
            env("Count-v0", maxEpisodeSteps = 50) { seed -> made.incrementAndGet(); Corridor(seed) }
            seed(5); numEnvs(2); numSteps(16); numMinibatches(2); updateEpochs(1)
        }
        val before = made.get()
        val flow = trainer.updates(2L * 16 * 3)
        made.get() shouldBe before
        val first = flow.toList()
        (made.get() > before) shouldBe true
        val second = flow.toList()
        first shouldHaveSize 3
        second.map { it.deterministic() } shouldBe first.map { it.deterministic() }
    }

    test("cancelling the collector keeps whole updates; collecting the run again continues it exactly") {
        val full = cartPole(1).trainBlocking(CART_STEPS)
        cartPole(2).run(CART_STEPS).use { run ->
            val firstThree = run.updates().take(3).toList()
            run.updatesDone() shouldBe 3
            run.isFinished shouldBe false
            val rest = run.updates().toList()
            (firstThree + rest).map { it.deterministic() } shouldBe full.updates().map { it.deterministic() }
            run.agent().network().params().toList() shouldBe full.agent().network().params().toList()
            run.isFinished shouldBe true
            run.updates().toList() shouldHaveSize 0 // a finished run has nothing more to give
        }
    }

    test("cancelling the collecting coroutine in the middle of an update finishes that update, then stops") {
        val envs = 2
        val stepsPer = 16
        val budget = envs.toLong() * stepsPer * 6
        fun hooked(onStep: (Long) -> Unit) = ppo {
            val count = AtomicLong()
            env("Hooked-v0", maxEpisodeSteps = 40) { seed -> Hooked(Corridor(seed)) { onStep(count.incrementAndGet()) } }
            seed(9); numEnvs(envs); numSteps(stepsPer); numMinibatches(2); updateEpochs(2)
        }
        val middleOfUpdate3 = envs.toLong() * stepsPer * 2 + 7
        val full = hooked { }.trainBlocking(budget)
        val job = CompletableFuture<Job>()
        hooked { if (it == middleOfUpdate3) job.get().cancel() }.run(budget).use { run ->
            val seen = mutableListOf<UpdateStats>()
            coroutineScope {
                job.complete(launch(Dispatchers.Default) { run.updates().collect { seen += it } })
            }
            job.get().isCancelled shouldBe true
            // Update 3 was in progress when the cancellation came: it completed and counts, but was not emitted.
            run.updatesDone() shouldBe 3
            seen shouldHaveSize 2
            run.result().updates().map { it.deterministic() } shouldBe
                full.updates().take(3).map { it.deterministic() }
            run.agent().evaluate(2, true, 1).episodes() shouldBe 2
            run.train().fingerprint() shouldBe full.fingerprint()
        }
    }

    test("the DSL's callbacks are core's: evaluation, best model, early stop, checkpoints, listeners") {
        val dir = createTempDirectory("dsl-callbacks")
        val evals = mutableListOf<Evaluation>()
        val updates = mutableListOf<Int>()
        val trainer = ppo {
            env(CartPole); seed(1); preset(TUNED)
            onUpdate { updates += it.update() }
            evaluate(every = 5, episodes = 3, saveBest = dir.resolve("best.safetensors")) { evals += it }
            checkpoints(every = 10, dir = dir.resolve("ckpt"), keepLast = 2)
            earlyStop()
        }
        val result = trainer.train(100_000)
        result.stoppedEarly() shouldBe true
        evals.last().meanReturn() shouldBe 500.0
        updates shouldBe (1..result.updates().size).toList()
        evals.map { it.update() } shouldBe (5..result.updates().size step 5).toList()
        dir.resolve("best.safetensors").toFile().exists() shouldBe true
        val kept = dir.resolve("ckpt").listDirectoryEntries().map { it.name }.sorted()
        (kept.size in 1..2) shouldBe true
        kept.last() shouldBe dev.proxima.core.train.Checkpoint.fileName(result.updates().size / 10 * 10)
    }

    test("the default budget comes from totalSteps(...)") {
        ppo { env(CartPole); numEnvs(2); numSteps(16); totalSteps(64) }.trainBlocking().updates() shouldHaveSize 2
    }
})
