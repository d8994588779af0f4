package dev.proxima.cluster

import dev.proxima.core.ppo.UpdateStats
import dev.proxima.dsl.CartPole
import dev.proxima.dsl.ppo
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.minutes

class ClusterDslTest : FunSpec({
    test("ppo { cluster(workers) { ... } } trains on workers, the same run as without") {
        val tmp = Files.createTempDirectory("proxima-cluster-dsl")
        val trainer = ppo {
            env(CartPole)
            seed(3)
            rollout(numEnvs = 4, numSteps = 64)
            numMinibatches(4)
            updateEpochs(2)
            cluster(workers = 2) {
                clusterName = "dsl-test"
                launcher = ThreadLauncher()
                onFailure = restart(3, 100.milliseconds)
                rolloutTimeout = 2.minutes
                checkpointOnFailure = tmp.resolve("failure.safetensors")
            }
        }
        val c = trainer.trainer.collector() as ClusterCollector
        c.clusterName() shouldBe "dsl-test"
        c.failurePolicy().kind() shouldBe FailurePolicy.Kind.RESTART
        c.failurePolicy().maxRestarts() shouldBe 3
        val local = trainer.trainer.toBuilder().collector(dev.proxima.core.train.RolloutCollector.local()).build()
        fun metrics(r: dev.proxima.core.train.TrainingResult) =
            r.updates().map { u -> u.metrics().filterKeys { it != UpdateStats.SPS && !it.startsWith("cluster/") } }
        metrics(trainer.trainer.train(512)) shouldBe metrics(local.train(512))
        c.status().failures() shouldBe 0
    }
})
