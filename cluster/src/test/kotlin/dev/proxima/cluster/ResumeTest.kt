package dev.proxima.cluster

import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.UpdateStats
import dev.proxima.core.train.Trainer
import dev.proxima.core.train.TrainingResult
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.nio.file.Files

/** Checkpoints move between one JVM and a cluster (workers are threads here). */
class ResumeTest : FunSpec({
    val tmp = Files.createTempDirectory("proxima-cluster-resume")

    fun TrainingResult.fingerprint() =
        updates().map { u -> u.metrics().filterKeys { it != UpdateStats.SPS && !it.startsWith("cluster/") } } to
            agent().network().params().toList()

    test("a single-JVM checkpoint resumes in a cluster mid-episode, bit for bit as the single run continues") {
        val config = PpoConfig.builder().env("CartPole-v1").seed(11).rollout(4, 32).numMinibatches(2).build()
        val file = tmp.resolve("update-3.safetensors")
        Trainer.of(config).start(128L * 6).use { run ->
            run.trainUpdates(3)
            run.save(file)
        }
        val single = Trainer.of(config).resume(file).use { it.train() }
        val c = ClusterCollector.builder().workers(2).clusterName("resume").launcher(ThreadLauncher())
            .checkpointOnFailure(tmp.resolve("failure.safetensors")).build()
        val dist = Trainer.builder(config).collector(c).build().resume(file).use { it.train() }
        dist.updates().map { it.update() } shouldBe listOf(4, 5, 6)
        dist.fingerprint() shouldBe single.fingerprint()
    }
})
