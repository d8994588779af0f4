package dev.proxima.dsl.pipeline

import dev.proxima.core.ppo.Agent
import dev.proxima.core.ppo.PpoLoop
import dev.proxima.core.ppo.Stages
import dev.proxima.core.ppo.UpdateStats
import dev.proxima.dsl.CartPole
import dev.proxima.dsl.Corridor
import dev.proxima.dsl.Pendulum
import dev.proxima.dsl.ppo
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeIn
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import kotlin.io.path.createTempDirectory
import kotlin.io.path.listDirectoryEntries
import kotlin.io.path.name
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.flow.take
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.launch

private const val CART_STEPS = 6L * 32 * 8 // 8 updates of 6 envs × 32 steps

private fun cartPole(workers: Int) = ppo {
    env(CartPole)
    seed(3)
    envs(6); steps(32)
    minibatches(4); epochs(2)
    workers(workers)
}

class PipelineTest : FunSpec({

    test("1, 3 and 4 workers and the Java PpoLoop give identical statistics and parameters (categorical)") {
        val java = PpoLoop.train(cartPole(1).config, CART_STEPS)
        val runs = listOf(1, 3, 4).map { w -> cartPole(w).trainBlocking(CART_STEPS) }
        java.updates() shouldHaveSize 8
        // The run must have done something for the comparison to mean anything.
        java.updates().sumOf { it.episodes() } shouldNotBe 0
        for (r in runs) {
            r.comparable() shouldBe java.comparable()
            r.agent().params() shouldBe java.agent().params()
        }
    }

    test("workers do not change a Gaussian run with observation and reward normalisation and truncation") {
        fun pendulum(workers: Int) = ppo {
            env(Pendulum)
            seed(11)
            envs(4); steps(64)
            minibatches(4); epochs(2)
            normalizeObservation(true); normalizeReward(true)
            network { actor(32); critic(32) }
            workers(workers)
        }
        val steps = 4L * 64 * 5 // 5 updates; Pendulum truncates at 200 steps, so episodes end within the run
        val one = pendulum(1).trainBlocking(steps)
        val two = pendulum(2).trainBlocking(steps)
        val java = PpoLoop.train(pendulum(1).config, steps)
        one.updates().sumOf { it.episodes() } shouldNotBe 0
        two.comparable() shouldBe one.comparable()
        java.comparable() shouldBe one.comparable()
        two.agent().params() shouldBe one.agent().params()
        two.agent().observationNormalizer().stats().mean().toList() shouldBe
            one.agent().observationNormalizer().stats().mean().toList()
    }

    test("updates() is cold: nothing is made until collected, and each collection is a new run from the seed") {
        val made = AtomicInteger()
        val trainer = ppo {
            env("Count-v0", maxEpisodeSteps = 50) { seed -> made.incrementAndGet(); Corridor(seed) }
            seed(5); envs(2); steps(16); minibatches(2); epochs(1)
        }
        val before = made.get()
        val flow = trainer.updates(2L * 16 * 3)
        made.get() shouldBe before
        val first = flow.toList()
        made.get() shouldBe before + 2
        val second = flow.toList()
        first shouldHaveSize 3
        second.comparable() shouldBe first.comparable()
    }

    test("suspend train, trainBlocking and trainAsync give the same run") {
        val t = cartPole(2)
        val a = t.train(CART_STEPS)
        val b = t.trainBlocking(CART_STEPS)
        val c = t.trainAsync(CART_STEPS).get()
        b.comparable() shouldBe a.comparable()
        c.comparable() shouldBe a.comparable()
        c.agent().params() shouldBe a.agent().params()
    }

    test("cancelling the collector keeps whole updates; collecting the run again continues it exactly") {
        val full = cartPole(1).trainBlocking(CART_STEPS)
        val run = cartPole(2).run(CART_STEPS)
        val firstThree = run.updates().take(3).toList()
        run.updatesDone() shouldBe 3
        run.isFinished shouldBe false
        val rest = run.updates().toList()
        (firstThree + rest).comparable() shouldBe full.comparable()
        run.agent().params() shouldBe full.agent().params()
        run.isFinished shouldBe true
        run.updates().toList() shouldHaveSize 0 // a finished run has nothing more to give
    }

    // The env of the following tests lets the test act in the middle of update 3 (rows 2*16*2 .. 2*16*3 of steps).
    val envs = 2
    val stepsPer = 16
    val updates = 6
    val budget = envs.toLong() * stepsPer * updates
    fun hooked(onStep: (Long) -> Unit) = ppo {
        val count = AtomicLong()
        env("Hooked-v0", maxEpisodeSteps = 40) { seed -> Hooked(Corridor(seed)) { onStep(count.incrementAndGet()) } }
        seed(9); envs(envs); steps(stepsPer); minibatches(2); epochs(2)
    }
    val middleOfUpdate3 = envs.toLong() * stepsPer * 2 + 7

    test("cancelling the collecting coroutine in the middle of an update finishes that update, then stops") {
        val full = hooked { }.trainBlocking(budget)
        val job = CompletableFuture<Job>()
        val trainer = hooked { if (it == middleOfUpdate3) job.get().cancel() }
        val run = trainer.run(budget)
        val seen = mutableListOf<UpdateStats>()
        coroutineScope {
            job.complete(launch(Dispatchers.Default) { run.updates().collect { seen += it } })
        }
        job.get().isCancelled shouldBe true
        // Update 3 was in progress when the cancellation came: it completed and counts, but was not emitted.
        run.updatesDone() shouldBe 3
        seen shouldHaveSize 2
        run.result().comparable() shouldBe full.comparable().take(3)
        // The agent is usable and is that of the 3 updates: continuing the run reaches the uninterrupted result.
        run.agent().evaluate(2, true, 1).episodes() shouldBe 2
        run.trainBlocking().comparable() shouldBe full.comparable()
        run.agent().params() shouldBe full.agent().params()
    }

    test("future.cancel(true) stops after the current update; whenStopped gives the consistent agent") {
        val full = hooked { }.trainBlocking(budget)
        val futureRef = CompletableFuture<CompletableFuture<*>>()
        val run = hooked { if (it == middleOfUpdate3) futureRef.get().cancel(true) }.run(budget)
        val started = CompletableFuture<Unit>()
        val future = run.trainAsync { if (it.update() == 1) started.complete(Unit) }
        futureRef.complete(future)
        started.get()
        val stopped = run.whenStopped().get()
        future.isCancelled shouldBe true
        shouldThrow<CancellationException> { future.get() }
        stopped.updates() shouldHaveSize 3
        stopped.comparable() shouldBe full.comparable().take(3)
        run.agent().params() shouldBe stopped.agent().params()
        run.trainBlocking().agent().params() shouldBe full.agent().params()
    }

    test("interrupting trainBlocking throws; the update then in progress still completes and counts") {
        val full = hooked { }.trainBlocking(budget)
        val run = hooked { }.run(budget)
        shouldThrow<InterruptedException> {
            run.trainBlocking { if (it.update() == 2) Thread.currentThread().interrupt() }
        }
        Thread.interrupted() shouldBe false // runBlocking consumed the interrupt
        val stopped = run.whenStopped().get()
        // runBlocking notices the interrupt when its thread next runs its event loop: during update 3, or (on a busy
        // machine) only once update 3 has finished and update 4 started. Either way whole updates, in order.
        stopped.updates().size shouldBeIn listOf(3, 4)
        stopped.comparable() shouldBe full.comparable().take(stopped.updates().size)
        run.trainBlocking().comparable() shouldBe full.comparable() // a run's result covers all its updates
    }

    test("stop() ends training after the current update with a normal result") {
        val run = cartPole(1).run(CART_STEPS)
        val r = run.trainBlocking { if (it.update() == 2) run.stop() }
        r.updates() shouldHaveSize 2
        run.isFinished shouldBe false
        run.trainBlocking().updates() shouldHaveSize 8
    }

    test("a run refuses a second concurrent collection and training after close") {
        val run = hooked { }.run(budget)
        coroutineScope {
            val inside = CompletableFuture<Unit>()
            val release = CompletableFuture<Unit>()
            val first = async(Dispatchers.Default) { run.updates().collect { inside.complete(Unit); release.join() } }
            inside.get()
            shouldThrow<IllegalStateException> { run.updates().toList() }.message shouldBe
                "this run is already training; collect one flow of a run at a time"
            release.complete(Unit)
            first.cancel()
        }
        run.close()
        shouldThrow<IllegalStateException> { run.trainBlocking() }.message shouldBe "this run is closed"
        run.agent().evaluate(1, true, 0).episodes() shouldBe 1 // the agent outlives the env copies
    }

    test("evaluation every N updates and after the last, with the configured episodes and seed") {
        val evals = mutableListOf<Evaluation>()
        val t = ppo {
            env(CartPole); seed(2); envs(2); steps(16); minibatches(2); epochs(1)
            evaluate(every = 2, episodes = 3) { evals += it }
            evalSeed(77)
        }
        val result = t.trainBlocking(2L * 16 * 5)
        evals.map { it.update } shouldContainExactly listOf(2, 4, 5)
        evals.forEach { it.result.episodes() shouldBe 3 }
        evals.last().globalStep shouldBe result.last().globalStep()
        // The last evaluation is the final agent's, on the evaluation seed.
        evals.last().result shouldBe result.agent().evaluate(3, true, 77)
    }

    test("early stop on the evaluation return uses the env's reward threshold") {
        val evals = mutableListOf<Evaluation>()
        val t = ppo {
            env("Walk-v0", maxEpisodeSteps = 30, rewardThreshold = -1.0) { Corridor(it) }
            seed(1); envs(2); steps(16); minibatches(2); epochs(1)
            evaluate(every = 3, episodes = 2) { evals += it }
            earlyStop()
        }
        val run = t.run(2L * 16 * 20)
        val r = run.trainBlocking()
        // Any Corridor episode returns more than -1 (at most 30 steps of -0.01), so the first evaluation stops it.
        r.updates() shouldHaveSize 3
        evals shouldHaveSize 1
        run.stoppedEarly shouldBe true
        run.isFinished shouldBe true
    }

    test("early stop on the episodic return with a given threshold") {
        val t = ppo {
            env("Walk-v0", maxEpisodeSteps = 30) { Corridor(it) }
            seed(1); envs(2); steps(16); minibatches(2); epochs(1)
            earlyStop(on = StopOn.EPISODIC_RETURN, threshold = -0.5)
        }
        val r = t.trainBlocking(2L * 16 * 20)
        r.updates().size shouldBeLessThan 20
        r.last().episodicReturn() shouldBeGreaterThan -0.5
        r.updates().dropLast(1).forEach { (it.episodicReturn() >= -0.5) shouldBe false }
    }

    test("checkpoint callbacks see the stages between updates; update listeners see every update in order") {
        val seen = mutableListOf<Pair<Int, Long>>()
        val order = mutableListOf<Int>()
        val t = ppo {
            env(CartPole); seed(4); envs(2); steps(16); minibatches(2); epochs(1)
            onUpdate { order += it.update() }
            checkpoints(every = 3) { s: Stages -> seen += s.update() to s.globalStep() }
        }
        val listened = mutableListOf<Int>()
        t.trainBlocking(2L * 16 * 7) { listened += it.update() }
        seen shouldContainExactly listOf(3 to 96L, 6 to 192L)
        order shouldContainExactly (1..7).toList()
        listened shouldContainExactly (1..7).toList()
    }

    test("checkpoints every N updates; resume() continues exactly, also with more workers; agents save and load") {
        val dir = createTempDirectory("proxima-dsl-ckpt")
        try {
            fun trainer(workers: Int) = ppo {
                env(CartPole); seed(6); envs(2); steps(16); minibatches(2); epochs(2)
                workers(workers)
                checkpoints(every = 2, dir)
            }
            val steps = 2L * 16 * 6
            val full = trainer(1).trainBlocking(steps)
            dir.listDirectoryEntries().map { it.name }.sorted() shouldContainExactly
                listOf("update-000002.safetensors", "update-000004.safetensors", "update-000006.safetensors")
            val resumed = trainer(2).resume(dir.resolve(PpoTrainer.checkpointName(4)), steps).trainBlocking()
            resumed.updates().map { it.update() } shouldContainExactly listOf(5, 6)
            resumed.comparable() shouldBe full.comparable().drop(4)
            resumed.agent().params() shouldBe full.agent().params()

            val file = dir.resolve("agent.safetensors")
            full.agent().save(file)
            val loaded = Agent.load(file)
            loaded.params() shouldBe full.agent().params()
            loaded.evaluate(2, true, 3) shouldBe full.agent().evaluate(2, true, 3)
        } finally {
            dir.toFile().deleteRecursively()
        }
    }

    test("the default budget comes from totalSteps(...)") {
        val t = ppo { env(CartPole); envs(2); steps(16); minibatches(2); epochs(1); totalSteps(64) }
        t.trainBlocking().updates() shouldHaveSize 2
        t.totalSteps shouldBe 64L
    }
})
