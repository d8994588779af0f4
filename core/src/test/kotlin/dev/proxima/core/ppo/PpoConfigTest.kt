package dev.proxima.core.ppo

import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.testing.CUE
import dev.proxima.core.testing.CueEnv
import dev.proxima.core.testing.TARGET
import dev.proxima.core.testing.cueConfig
import dev.proxima.core.train.Trainer
import io.kotest.matchers.collections.shouldContainExactly
import dev.proxima.core.nn.Network
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeInstanceOf

class PpoConfigTest : FunSpec({

    test("defaults are CleanRL's ppo.py") {
        val c = PpoConfig.builder().env(CUE).build()
        c.learningRate() shouldBe 2.5e-4
        c.numEnvs() shouldBe 4
        c.numSteps() shouldBe 128
        c.annealLr() shouldBe true
        c.gamma() shouldBe 0.99
        c.gaeLambda() shouldBe 0.95
        c.numMinibatches() shouldBe 4
        c.updateEpochs() shouldBe 4
        c.normAdv() shouldBe true
        c.clip() shouldBe 0.2
        c.clipVloss() shouldBe true
        c.entCoef() shouldBe 0.01
        c.vfCoef() shouldBe 0.5
        c.maxGradNorm() shouldBe 0.5
        c.targetKl().isNaN() shouldBe true
        c.adamEps() shouldBe 1e-5
        c.network() shouldBe Network.DEFAULT
        c.batchSize() shouldBe 512
        c.minibatchSize() shouldBe 128
        c.numUpdates(500_000) shouldBe 976
        c.losses().map { it.javaClass } shouldBe
            listOf(ClippedSurrogate::class.java, ValueLoss::class.java, EntropyBonus::class.java)
    }

    test("build() reports every problem at once, each with the value and a fix") {
        val e = shouldThrow<PpoConfigException> {
            PpoConfig.builder().env(CUE).numMinibatches(3).gamma(1.5).clip(-0.1).learningRate(Double.NaN)
                .entCoef(-1.0).targetKl(0.0).build()
        }
        e.problems() shouldHaveSize 6
        e.message shouldStartWith "invalid PPO configuration (6 problems)"
        e.message shouldContain "numMinibatches = 3: numEnvs*numSteps = 4*128 = 512 rows do not split into 3 equal" +
            " minibatches (170 each, 2 left over). Use a divisor of 512 (1, 2, 4, 8, 16, 32, ...) or change numSteps."
        e.message shouldContain "gamma = 1.5 is outside [0, 1]"
        e.message shouldContain "clip = -0.1 must be a positive finite number"
        e.message shouldContain "learningRate = NaN"
        e.message shouldContain "entCoef = -1.0 must be a finite number >= 0"
        e.message shouldContain "targetKl = 0.0"
    }

    test("a missing env and an unknown env id are reported, with the closest known id") {
        shouldThrow<PpoConfigException> { PpoConfig.builder().build() }.message shouldContain "env is not set"
        val registry = EnvRegistry().register(CUE).register(TARGET)
        val e = shouldThrow<PpoConfigException> { PpoConfig.builder().registry(registry).env("cue-v0").build() }
        e.message shouldContain "no environment \"cue-v0\". Known: Cue-v0, Target-v0. Did you mean \"Cue-v0\"?"
        PpoConfig.builder().registry(registry).env("Target-v0").build().env() shouldBe TARGET
    }

    test("settings that explicit loss terms would silently override are refused") {
        val e = shouldThrow<PpoConfigException> {
            PpoConfig.builder().env(CUE).clip(0.3).entCoef(0.02)
                .losses(ClippedSurrogate(0.2), ValueLoss(), ValueLoss()).build()
        }
        e.message shouldContain "clip = 0.3 has no effect: losses lists ClippedSurrogate"
        e.message shouldContain "reports under \"losses/value_loss\" like losses[1]"
        e.message shouldContain "entCoef was set but the loss terms are replaced with losses(...), so it has no effect"
    }

    test("a custom env from a constructor gets its class name as id") {
        val c = PpoConfig.builder().env(dev.proxima.core.env.EnvFactory { CueEnv() }).build()
        c.env().id() shouldBe "CueEnv"
        c.env().maxEpisodeSteps().isPresent shouldBe false
    }

    test("toBuilder round-trips and describe() renders CleanRL's table") {
        val c = cueConfig(5).clip(0.1).build()
        c.toBuilder().build().toMap() shouldBe c.toMap()
        c.toBuilder().seed(6).build().seed() shouldBe 6L
        c.describe() shouldContain "|clip|0.1|"
        c.describe() shouldStartWith "|param|value|\n|-|-|\n|env|Cue-v0|"
        c.toString() shouldContain "numEnvs=4"
    }

    test("the exception is an IllegalArgumentException, so generic callers can catch it") {
        shouldThrow<PpoConfigException> { PpoConfig.builder().env(CUE).numEnvs(0).build() }
            .shouldBeInstanceOf<IllegalArgumentException>()
    }

    test("a preset fills in only what was not set explicitly, whatever the order") {
        val cartPoleLike = dev.proxima.core.env.EnvSpec("CartPole-v1", dev.proxima.core.env.EnvFactory { CueEnv() }, 500, 475.0)
        val c = PpoConfig.builder().learningRate(5e-4).preset(Preset.TUNED).env(cartPoleLike).gamma(0.97).build()
        c.numEnvs() shouldBe 8
        c.updateEpochs() shouldBe 10
        c.gaeLambda() shouldBe 0.8
        c.learningRate() shouldBe 5e-4
        c.gamma() shouldBe 0.97
        c.preset().get() shouldBe Preset.TUNED
        c.describe() shouldContain "|preset|TUNED|"
        val e = shouldThrow<PpoConfigException> { PpoConfig.builder().env(CUE).preset(Preset.TUNED).build() }
        e.message shouldContain "preset = TUNED: no tuned preset for env Cue-v0. Presets exist for Acrobot-v1"
    }

    test("the CleanRL preset gives ppo_continuous_action.py's values for continuous actions") {
        val c = PpoConfig.builder().env(TARGET).preset(Preset.CLEANRL).build()
        c.numSteps() shouldBe 2048
        c.numEnvs() shouldBe 1
        c.numMinibatches() shouldBe 32
        c.updateEpochs() shouldBe 10
        c.learningRate() shouldBe 3e-4
        c.normalizeObservation() shouldBe true
        PpoConfig.builder().env(CUE).preset(Preset.CLEANRL).build().toMap() shouldBe
            PpoConfig.builder().env(CUE).build().toMap().plus("preset" to "CLEANRL")
    }

    test("logStdInit sets the Gaussian head's initial log-std") {
        Trainer.of(PpoConfig.builder().env(TARGET).logStdInit(-1.5).rollout(2, 8).numMinibatches(1).build())
            .start(16).use { run ->
                val net = run.agent().network()
                net.params()[net.logStdOffset()] shouldBe -1.5
            }
        shouldThrow<PpoConfigException> { PpoConfig.builder().env(TARGET).logStdInit(Double.NaN).build() }
            .message shouldContain "logStdInit = NaN"
    }

    test("every setting is declared once in Params and reachable by name, typed and as text") {
        Params.names() shouldContainExactly listOf("seed", "learningRate", "numEnvs", "numSteps", "annealLr", "gamma",
            "gaeLambda", "numMinibatches", "updateEpochs", "normAdv", "clip", "clipVloss", "entCoef", "annealEnt",
            "vfCoef", "maxGradNorm", "targetKl", "adamEps", "bootstrapTruncated", "normalizeObservation",
            "normalizeReward", "clipAction", "logStdInit", "continuousActions", "logStdBound", "network")
        val c = PpoConfig.builder().env(CUE).set(Params.NUM_ENVS, 8).set("learningRate", "3e-4")
            .set("targetKl", "0.015").set("network", "shared([32, 32], relu)").set("numSteps", "1_024").build()
        c.numEnvs() shouldBe 8
        c.learningRate() shouldBe 3e-4
        c.targetKl() shouldBe 0.015
        c.numSteps() shouldBe 1024
        c.network() shouldBe dev.proxima.core.nn.Network.shared(32, 32).activation(dev.proxima.core.nn.Activation.RELU)
        c.get(Params.CLIP) shouldBe 0.2
        // toMap lists every setting in the table's order, then the preset and the losses.
        c.toMap().keys.toList() shouldBe listOf("env") + Params.names() + listOf("preset", "losses")
        for (p in Params.all()) {
            val text = c.toMap()[p.name()].toString()
            PpoConfig.builder().env(CUE).set(p.name(), text).build().toMap()[p.name()].toString() shouldBe text
        }
    }

    test("a misspelt name or a bad value given as text is reported at build with the closest name") {
        val e = shouldThrow<PpoConfigException> {
            PpoConfig.builder().env(CUE).set("learningRat", "3e-4").set("numEnvs", "four").set("gamma", "2").build()
        }
        e.problems().size shouldBe 3
        e.message shouldContain "unknown setting \"learningRat\". Did you mean \"learningRate\"?"
        e.message shouldContain "numEnvs = \"four\" is not a whole number"
        e.message shouldContain "gamma = 2.0 is outside [0, 1]"
    }

    test("toBuilder keeps what was explicit and the preset: changing the seed changes nothing else") {
        val cartPoleLike = dev.proxima.core.env.EnvSpec("CartPole-v1", dev.proxima.core.env.EnvFactory { CueEnv() }, 500, 475.0)
        val c = PpoConfig.builder().env(cartPoleLike).preset(Preset.TUNED).clip(0.3).build()
        val d = c.toBuilder().seed(7).build()
        d.seed() shouldBe 7L
        d.preset().get() shouldBe Preset.TUNED
        d.toMap().minus("seed") shouldBe c.toMap().minus("seed")
        d.toBuilder().isSet(Params.CLIP) shouldBe true
        d.toBuilder().isSet(Params.NUM_ENVS) shouldBe false
    }

    test("addLoss adds a term to the default three without listing them") {
        val c = PpoConfig.builder().env(CUE).entCoef(0.02).addLoss(KlPenalty()).build()
        c.losses().map { it.key() } shouldContainExactly listOf(ClippedSurrogate.KEY, ValueLoss.KEY, EntropyBonus.KEY,
            KlPenalty.KEY)
        (c.losses()[2] as EntropyBonus).coef() shouldBe 0.02
    }

    test("a rollout that cannot fit in the heap is refused before anything is allocated") {
        val e = shouldThrow<PpoConfigException> {
            PpoConfig.builder().env(CUE).rollout(10_000_000, 128).numMinibatches(1).build()
        }
        e.message shouldContain "rows is too large"
        val f = shouldThrow<PpoConfigException> {
            PpoConfig.builder().env(CUE).rollout(2_000_000, 128).numMinibatches(1).build()
        }
        f.message shouldContain "more than this JVM's heap"
    }

    test("numUpdates refuses budgets beyond int updates, and runs of 0 steps") {
        val c = PpoConfig.builder().env(CUE).rollout(1, 1).numMinibatches(1).build()
        shouldThrow<IllegalArgumentException> { c.numUpdates(0) }.message shouldContain "at least 1 env step"
        shouldThrow<IllegalArgumentException> { c.numUpdates(1_000_000_000_000L) }.message shouldContain
            "at most 2,147,483,647 updates"
        c.numUpdates(2_000_000_000L) shouldBe 2_000_000_000
    }
})
