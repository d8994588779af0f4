package dev.proxima.cluster

import dev.proxima.core.checkpoint.Checkpoints
import dev.proxima.core.checkpoint.RunRecord
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.UpdateStats
import dev.proxima.core.train.RolloutException
import dev.proxima.core.train.Trainer
import dev.proxima.core.train.TrainingResult
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.ints.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

/**
 * Cluster runs on 127.0.0.1 with worker JVMs started by the learner's local-process launcher: the run equals the
 * single-JVM run, and killed, frozen or missing workers are dropped, replaced or stop the run (with a checkpoint),
 * always within the timeouts.
 */
class ClusterRunTest : FunSpec({
    val tmp = Files.createTempDirectory("proxima-cluster-test")
    val t0 = System.nanoTime()

    fun cartPole(env: String = "CartPole-v1", seed: Long = 3): PpoConfig.Builder =
        PpoConfig.builder().env(env).seed(seed).rollout(4, 64).numMinibatches(4).updateEpochs(2)

    /** Records every event (and prints it with the time, for the test log). */
    class Events : ClusterListener {
        val all = CopyOnWriteArrayList<ClusterEvent>()
        var onSampling: (ClusterEvent.SamplingStarted) -> Unit = {}
        override fun onEvent(event: ClusterEvent) {
            all += event
            println("%7.2f s  %s".format((System.nanoTime() - t0) / 1e9, event))
            if (event is ClusterEvent.SamplingStarted) onSampling(event)
        }
        fun pid(index: Int) = all.filterIsInstance<ClusterEvent.WorkerJoined>().last { it.index == index }.pid
        inline fun <reified E : ClusterEvent> of() = all.filterIsInstance<E>()
    }

    fun cluster(name: String, events: Events, workers: Int = 2): ClusterCollector.Builder = ClusterCollector.builder()
        .workers(workers)
        .clusterName(name)
        .launcher(WorkerLauncher.localProcesses().logDir(tmp.resolve(name)).jvmArgs("-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1"))
        .checkpointOnFailure(tmp.resolve("$name-failure.safetensors"))
        .joinTimeout(Duration.ofSeconds(90))
        .listener(events)

    /** Trains [steps] and returns the result and the final training checkpoint. */
    fun train(trainer: Trainer, steps: Long, file: Path): Pair<TrainingResult, RunRecord> =
        trainer.start(steps).use { run ->
            val r = run.train()
            run.save(file)
            r to Checkpoints.readRun(file)
        }

    /** Every update's metrics but the wall-clock ones. */
    fun TrainingResult.metrics() =
        updates().map { u -> u.metrics().filterKeys { it != UpdateStats.SPS && !it.startsWith("cluster/") } }

    fun TrainingResult.workersPerUpdate() = updates().map { it.metrics()[ClusterCollector.METRIC_WORKERS]!!.toInt() }

    /** Kills (SIGKILL) [pid] after [millis], on another thread: in the middle of the rollout that just started. */
    fun killLater(pid: Long, millis: Long) = Thread {
        Thread.sleep(millis)
        ProcessHandle.of(pid).ifPresent { it.destroyForcibly() }
    }.start()

    fun signal(pid: Long, sig: String) = ProcessBuilder("kill", "-$sig", pid.toString()).start().waitFor()

    test("1 learner + 2 worker JVMs train CartPole bit for bit as the single-JVM run") {
        val config = cartPole().build()
        val steps = 4L * 64 * 8
        val (single, singleRun) = train(Trainer.of(config), steps, tmp.resolve("single.safetensors"))
        val events = Events()
        val c = cluster("parity", events).build()
        val (dist, distRun) = train(Trainer.builder(config).collector(c).build(), steps, tmp.resolve("dist.safetensors"))
        dist.metrics() shouldBe single.metrics()
        dist.agent().network().params().toList() shouldBe single.agent().network().params().toList()
        // The whole training checkpoint too: optimiser, every copy's stream, state and running episode.
        distRun.adamM().toList() shouldBe singleRun.adamM().toList()
        distRun.actionRngs().toList() shouldBe singleRun.actionRngs().toList()
        distRun.nextObs().toList() shouldBe singleRun.nextObs().toList()
        distRun.episodeLengths().toList() shouldBe singleRun.episodeLengths().toList()
        distRun.envStates()!!.map { c -> c.map { it.toList() } } shouldBe
            singleRun.envStates()!!.map { c -> c.map { it.toList() } }
        dist.workersPerUpdate() shouldBe List(8) { 2 }
        c.status().failures() shouldBe 0
        events.of<ClusterEvent.WorkerJoined>().map { it.index }.sorted() shouldBe listOf(0, 1)
    }

    test("a worker killed mid-rollout under ignore(1): its slice is dropped and the run finishes on the survivor") {
        val config = cartPole(SlowCartPole.ID).build()
        val events = Events()
        events.onSampling = { if (it.update == 3) killLater(events.pid(1), 100) }
        val c = cluster("ignore", events).onFailure(FailurePolicy.ignore(1)).build()
        val run = Trainer.builder(config).collector(c).build().start(4L * 64 * 6)
        val result = run.use { it.train() }
        result.updates().size shouldBe 6
        result.workersPerUpdate() shouldBe listOf(2, 2, 1, 1, 1, 1)
        run.globalStep() shouldBe 2L * 256 + 4 * 128 // the survivor's rows only from update 3 on
        events.of<ClusterEvent.WorkerFailed>().single().let { it.index shouldBe 1; it.update shouldBe 3 }
        c.status().workersAlive() shouldBe 0 // closed
    }

    test("a worker killed mid-rollout under restart: a replacement with its index joins and the run finishes") {
        val config = cartPole(SlowCartPole.ID).build()
        val events = Events()
        events.onSampling = { if (it.update == 2) killLater(events.pid(0), 100) }
        val c = cluster("restart", events).onFailure(FailurePolicy.restart(2, Duration.ofMillis(200))).build()
        val result = Trainer.builder(config).collector(c).build().train(4L * 64 * 5)
        result.updates().size shouldBe 5
        result.workersPerUpdate() shouldBe listOf(2, 1, 2, 2, 2)
        events.of<ClusterEvent.WorkerRestarting>().single().index shouldBe 0
        val joined = events.of<ClusterEvent.WorkerJoined>()
        joined.filter { it.index == 0 }.map { it.generation } shouldBe listOf(1, 2)
        c.status().restarts() shouldBe 1
    }

    test("below minWorkers the run stops at once with a clear error and a checkpoint that resumes") {
        val config = cartPole(SlowCartPole.ID).build()
        val events = Events()
        events.onSampling = { if (it.update == 3) killLater(events.pid(1), 100) }
        val c = cluster("stop", events).build() // FailurePolicy.fail(): every worker is needed
        val trainer = Trainer.builder(config).collector(c).build()
        val started = System.nanoTime()
        val e = trainer.start(4L * 64 * 6).use { run -> shouldThrow<RolloutException> { run.train() } }
        ((System.nanoTime() - started) / 1_000_000_000).toInt() shouldBeLessThan 120
        e.message!! shouldContain "1 of 2 workers delivered"
        e.message!! shouldContain "saved to"
        val file = e.savedTo().get()
        Checkpoints.readRun(file).update() shouldBe 2 // the last completed update
        // The checkpoint of a cluster run resumes anywhere, here in one JVM.
        val resumed = Trainer.of(config).resume(file).use { it.train() }
        resumed.updates().map { it.update() } shouldBe listOf(3, 4, 5, 6)
    }

    test("a frozen worker (SIGSTOP) is timed out, killed and dropped") {
        val config = cartPole(SlowCartPole.ID).build()
        val events = Events()
        var frozen = -1L
        events.onSampling = {
            if (it.update == 2) {
                frozen = events.pid(1)
                Thread { Thread.sleep(100); signal(frozen, "STOP") }.start()
            }
        }
        val c = cluster("freeze", events).onFailure(FailurePolicy.ignore(1)).rolloutTimeout(Duration.ofSeconds(4))
            .heartbeatTimeout(Duration.ofSeconds(60)).build()
        try {
            val result = Trainer.builder(config).collector(c).build().train(4L * 64 * 4)
            result.workersPerUpdate() shouldBe listOf(2, 1, 1, 1)
            events.of<ClusterEvent.WorkerFailed>().single().cause shouldContain "rolloutTimeout"
            Thread.sleep(500)
            ProcessHandle.of(frozen).map { it.isAlive }.orElse(false) shouldBe false
        } finally {
            if (frozen > 0) signal(frozen, "KILL")
        }
    }

    test("a worker frozen between rollouts is lost by its heartbeat and replaced") {
        val config = cartPole(SlowCartPole.ID).build()
        val events = Events()
        var frozen = -1L
        events.onSampling = {
            if (it.update == 2) {
                frozen = events.pid(1)
                signal(frozen, "STOP") // before it even receives the policy
            }
        }
        val c = cluster("heartbeat", events).onFailure(FailurePolicy.restart(1, Duration.ZERO))
            .rolloutTimeout(Duration.ofMinutes(5)).heartbeatTimeout(Duration.ofSeconds(3)).build()
        try {
            val result = Trainer.builder(config).collector(c).build().train(4L * 64 * 3)
            result.workersPerUpdate() shouldBe listOf(2, 1, 2)
            events.of<ClusterEvent.WorkerFailed>().single().cause shouldContain "heartbeat"
        } finally {
            if (frozen > 0) signal(frozen, "KILL")
        }
    }

    test("a worker that cannot start fails the run within the join timeout, naming its log") {
        val config = cartPole().build()
        val events = Events()
        val c = cluster("nostart", events).launcher(WorkerLauncher.localProcesses().mainClass("no.such.Main")
            .logDir(tmp.resolve("nostart"))).build()
        val e = shouldThrow<RolloutException> { Trainer.builder(config).collector(c).build().train(256) }
        e.message!! shouldContain "exited with code 1"
        e.message!! shouldContain "no.such.Main"
    }
})
