package dev.proxima.cluster

import dev.proxima.core.env.EnvSpec
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.train.RolloutException
import dev.proxima.core.train.Trainer
import dev.proxima.envs.classic.CartPole
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files

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

    test("a failure policy that could leave less than one minibatch is refused when the run opens") {
        val config = PpoConfig.builder().env("CartPole-v1").rollout(4, 32).numMinibatches(1).build()
        val c = ClusterCollector.builder().workers(2).clusterName("setup-mb").launcher(ThreadLauncher())
            .onFailure(FailurePolicy.ignore(1)).build()
        shouldThrow<IllegalArgumentException> { Trainer.builder(config).collector(c).build().start(128) }
            .message!! shouldContain "less than one minibatch of 128"
    }
})
