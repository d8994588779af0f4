package dev.proxima.cluster

import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.UpdateStats
import dev.proxima.core.train.Trainer
import dev.proxima.core.train.TrainingResult
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import java.nio.file.Files

/**
 * With observation and reward normalisation, workers normalise with the published statistics updated by their own
 * copies and the learner merges in worker order: deterministic for a seed and worker count, equal to the single run
 * with one worker, and every observation counted once. Workers are threads here (each its own Hazelcast client).
 */
class NormalizationTest : FunSpec({
    val tmp = Files.createTempDirectory("proxima-cluster-norm")
    val config = PpoConfig.builder().env("Pendulum-v1").seed(5).rollout(4, 64).numMinibatches(4).updateEpochs(2)
        .normalizeObservation(true).normalizeReward(true).build()
    val steps = 4L * 64 * 5

    fun cluster(name: String, workers: Int) = ClusterCollector.builder().workers(workers).clusterName(name)
        .launcher(ThreadLauncher()).checkpointOnFailure(tmp.resolve("$name.safetensors")).build()

    fun TrainingResult.fingerprint() =
        updates().map { u -> u.metrics().filterKeys { it != UpdateStats.SPS && !it.startsWith("cluster/") } } to
            agent().network().params().toList()

    test("normalised runs: deterministic per worker count, the single run with one worker, every sample counted") {
        val single = Trainer.of(config).train(steps)
        val one = Trainer.builder(config).collector(cluster("norm-1", 1)).build().train(steps)
        one.fingerprint() shouldBe single.fingerprint()
        one.agent().observationNormalizer().stats().state() shouldBe
            single.agent().observationNormalizer().stats().state()

        val a = Trainer.builder(config).collector(cluster("norm-2a", 2)).build().train(steps)
        val b = Trainer.builder(config).collector(cluster("norm-2b", 2)).build().train(steps)
        a.fingerprint() shouldBe b.fingerprint()
        a.fingerprint() shouldNotBe single.fingerprint() // workers see only their copies within a rollout
        val s = single.agent().observationNormalizer().stats()
        val d = a.agent().observationNormalizer().stats()
        d.count() shouldBe (s.count() plusOrMinus 1e-9) // 4 reset observations + 4 per step, each merged once
        for (j in 0 until s.dim()) d.mean(j) shouldBe (s.mean(j) plusOrMinus 0.1 * (1 + Math.abs(s.mean(j))))
    }
})
