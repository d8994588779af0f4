package dev.proxima.cluster

import dev.proxima.cluster.transport.HazelcastTransport
import dev.proxima.cluster.transport.LearnerLink
import dev.proxima.cluster.transport.Transport
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.train.RolloutException
import dev.proxima.core.train.Trainer
import dev.proxima.envs.classic.CartPole
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.nio.file.Files
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.function.Consumer

/** Mistakes a user can make when setting a cluster up, reported before training (workers are threads here). */
class SetupTest : FunSpec({
    val tmp = Files.createTempDirectory("proxima-cluster-setup")

    test("a worker that cannot find the env fails the run before its first update, saying how to register it") {
        val unregistered = EnvSpec("Unregistered-v0", { _ -> CartPole() }, 500, 475.0)
        val config = PpoConfig.builder().env(unregistered).rollout(2, 32).numMinibatches(2).build()
        val c = ClusterCollector.builder().workers(2).clusterName("setup-env").launcher(ThreadLauncher())
            .checkpointOnFailure(tmp.resolve("env.safetensors")).build()
        val e = shouldThrow<RolloutException> { Trainer.builder(config).collector(c).build().train(64) }
        e.message!! shouldContain "Unregistered-v0"
        e.message!! shouldContain "Register the env in the worker"
    }

    test("a worker's error is what the run reports even when its lost connection is seen first") {
        // A worker sends its error, then exits. The learner's inbox has the error before the connection is reported
        // lost, but the learner may look at the loss first: this transport makes it do so every time, by holding each
        // error back from the waiting receive until its worker's loss has been reported (CI saw "connection lost").
        val unregistered = EnvSpec("Unregistered-v0", { _ -> CartPole() }, 500, 475.0)
        val config = PpoConfig.builder().env(unregistered).rollout(2, 32).numMinibatches(2).build()
        val c = ClusterCollector.builder().workers(2).clusterName("setup-order").launcher(ThreadLauncher())
            .transport(LossFirst(HazelcastTransport.create())).checkpointOnFailure(tmp.resolve("order.safetensors"))
            .build()
        val e = shouldThrow<RolloutException> { Trainer.builder(config).collector(c).build().train(64) }
        e.message!! shouldContain "Unregistered-v0"
        e.message!! shouldNotContain "connection was lost"
    }

    test("a failure policy that could leave less than one minibatch is refused when the run opens") {
        val config = PpoConfig.builder().env("CartPole-v1").rollout(4, 32).numMinibatches(1).build()
        val c = ClusterCollector.builder().workers(2).clusterName("setup-mb").launcher(ThreadLauncher())
            .onFailure(FailurePolicy.ignore(1)).build()
        shouldThrow<IllegalArgumentException> { Trainer.builder(config).collector(c).build().start(128) }
            .message!! shouldContain "less than one minibatch of 128"
    }
})

/**
 * A transport whose learner sees a worker's lost connection before the error that worker sent just before leaving:
 * the waiting receive holds each error back until its sender's loss has been reported to the run's listener, and only
 * a receive of what has already arrived ({@code receive(0)}) hands it over.
 */
private class LossFirst(private val inner: Transport) : Transport {
    override fun bind(clusterName: String, hostPort: String, heartbeatTimeout: Duration): LearnerLink =
        Link(inner.bind(clusterName, hostPort, heartbeatTimeout))

    override fun connect(clusterName: String, hostPort: String, connectTimeout: Duration, heartbeatTimeout: Duration) =
        inner.connect(clusterName, hostPort, connectTimeout, heartbeatTimeout)

    private class Link(private val inner: LearnerLink) : LearnerLink by inner {
        private val held = ConcurrentLinkedQueue<LearnerLink.Envelope>()
        private val lost: MutableSet<String> = ConcurrentHashMap.newKeySet()

        override fun onLost(listener: Consumer<String>) =
            inner.onLost { id -> listener.accept(id); lost.add(id) } // recorded after the run has it

        override fun receive(timeoutMillis: Long): LearnerLink.Envelope? {
            if (timeoutMillis == 0L) {
                return held.poll() ?: inner.receive(0)
            }
            val e = inner.receive(timeoutMillis) ?: return null
            if (Messages.read(e.body()).type != Messages.ERROR) {
                return e
            }
            held.add(e)
            val deadline = System.nanoTime() + 20_000_000_000L
            while (e.from() !in lost && System.nanoTime() < deadline) {
                Thread.sleep(5)
            }
            return null
        }
    }
}
