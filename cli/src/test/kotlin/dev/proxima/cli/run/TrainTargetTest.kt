package dev.proxima.cli.run

import dev.proxima.core.ppo.PpoConfig
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf

class TrainTargetTest : FunSpec({
    val config = PpoConfig.builder().env("CartPole-v1").rollout(2, 16).numMinibatches(2).updateEpochs(1).seed(5).build()

    test("a PpoConfig is a target; anything else is not") {
        TrainTarget.of(config).shouldBeInstanceOf<ConfigTarget>().config shouldBe config
        TrainTarget.of("hello").shouldBeNull()
        TrainTarget.of(null).shouldBeNull()
    }

    test("withSeed changes only the seed") {
        val t = TrainTarget.of(config)!!.withSeed(9)
        t.config.seed() shouldBe 9L
        t.config.toMap().filterKeys { it != "seed" } shouldBe config.toMap().filterKeys { it != "seed" }
    }

    test("training stops between updates when asked, and the finish hook still sees the run") {
        var seen = 0
        var finishedAt = -1L
        val result = ConfigTarget(config).train(32L * 10, { stats, run ->
            seen = stats.update()
            run.agent().env().id() shouldBe "CartPole-v1"
        }, stop = { seen >= 3 }, finish = { run -> finishedAt = run.agent().network().numParams().toLong() })
        result.updates().size shouldBe 3
        result.steps() shouldBe 96L
        (finishedAt > 0) shouldBe true
    }
})
