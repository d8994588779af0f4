package dev.proxima.core.ppo

import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.io.SafeTensors
import dev.proxima.core.optim.NonFiniteException
import dev.proxima.core.run.Rng
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import java.nio.file.Path

/** Metrics without wall-clock ones, for bit-identity comparisons. */
fun UpdateStats.deterministic(): Map<String, Double> = metrics().filterKeys { it != UpdateStats.SPS }

private fun runUpdates(s: Stages, n: Int): List<Map<String, Double>> = List(n) { s.runUpdate().deterministic() }

class TrainerTest : FunSpec({
    val tmp: Path = Files.createTempDirectory("proxima-trainer")

    test("PPO learns the cue task well above a random policy (0.5 per step)") {
        val result = PpoLoop.train(cueConfig().build(), 8_192)
        val eval = result.agent().evaluate(20, true, 99)
        // 16 steps per episode: a random policy averages 8.
        eval.meanReturn() shouldBeGreaterThan 15.0
        result.updates().size shouldBe 64
        result.last().globalStep() shouldBe 8_192L
    }

    test("CleanRL's metric keys are reported for every update") {
        val stats = PpoLoop.train(cueConfig().build(), 256).updates()
        stats.forEach { s ->
            s.metrics().keys.toList() shouldContainExactly listOf(
                UpdateStats.LEARNING_RATE, UpdateStats.VALUE_LOSS, UpdateStats.POLICY_LOSS, UpdateStats.ENTROPY,
                UpdateStats.OLD_APPROX_KL, UpdateStats.APPROX_KL, UpdateStats.CLIPFRAC,
                UpdateStats.EXPLAINED_VARIANCE, UpdateStats.SPS, UpdateStats.EPISODIC_RETURN,
                UpdateStats.EPISODIC_LENGTH,
            )
        }
        // Linear annealing: lr of update u is lr * (1 - (u-1)/numUpdates).
        stats[0].learningRate() shouldBe 3e-3
        stats[1].learningRate() shouldBe 3e-3 * 0.5
        // 4 copies × 32 steps, episodes of 16 steps: 8 episodes end per rollout, each with length 16.
        stats[0].episodes() shouldBe 8
        stats[0].episodicLength() shouldBe 16.0
    }

    test("the same seed gives a bit-identical run; another seed does not") {
        fun run(seed: Long): Pair<List<Map<String, Double>>, DoubleArray> {
            Stages(cueConfig(seed).build(), 1_024, 1).use { s ->
                val stats = runUpdates(s, s.numUpdates())
                return stats to s.agent().network().params().clone()
            }
        }
        val (a, pa) = run(7)
        val (b, pb) = run(7)
        a shouldBe b
        pa.toList() shouldBe pb.toList()
        run(8).second.toList() shouldNotBe pa.toList()
    }

    test("splitting sampling over workers, in any order, gives the same run") {
        val config = cueConfig(3).build()
        val sequential = Stages(config, 1_024, 1).use { runUpdates(it, it.numUpdates()) }
        val split = Stages(config, 1_024, 3).use { s ->
            List(s.numUpdates()) {
                for (t in 0 until config.numSteps()) {
                    s.beginRolloutStep(t)
                    for (w in s.numWorkers() - 1 downTo 0) s.sampleSlice(w, t)
                    s.endRolloutStep(t)
                }
                s.finishRollout()
                s.advantage()
                val stats = s.optimise()
                s.syncOldPolicy()
                stats.deterministic()
            }
        }
        split shouldBe sequential
    }

    test("a truncated episode is bootstrapped with V(final observation); termination is not") {
        Stages(cueConfig().build(), 128, 1).use { s ->
            s.sample()
            val r = s.rollout()
            for (row in 0 until r.size()) {
                if (r.truncated(row)) r.finalValues[row] shouldNotBe 0.0 else r.finalValues[row] shouldBe 0.0
            }
            (0 until r.size()).count { r.truncated(it) } shouldBe 8
        }
        Stages(cueConfig().bootstrapTruncated(false).build(), 128, 1).use { s ->
            s.sample()
            s.rollout().finalValues.all { it == 0.0 } shouldBe true
        }
    }

    test("continuous actions: the env gets clipped actions, the rollout keeps the raw samples") {
        val config = PpoConfig.builder().env(TARGET).seed(2).rollout(2, 64).numMinibatches(2).learningRate(3e-3)
            .entCoef(0.0).build()
        Stages(config, 128, 1).use { s ->
            s.sample()
            val actions = s.rollout().actions
            // log_std starts at 0 (σ = 1), so many raw samples fall outside [-1, 1].
            (actions.count { it > 1f || it < -1f } > 10) shouldBe true
        }
        val before = PpoLoop.train(config, 128).agent().evaluate(10, true, 5).meanReturn()
        val after = PpoLoop.train(config, 16_384).agent().evaluate(10, true, 5).meanReturn()
        after shouldBeGreaterThan before
        after shouldBeGreaterThan -0.5 // 8 steps of squared error: a policy that ignores the target scores ~ -2.7
    }

    context("checkpoints") {
        fun resumesExactly(config: PpoConfig, total: Long, stopAt: Int, name: String) {
            val straight = Stages(config, total, 1).use { s ->
                runUpdates(s, s.numUpdates()) to s.agent().network().params().clone()
            }
            val file = tmp.resolve(name)
            val first = Stages(config, total, 1).use { s ->
                val stats = runUpdates(s, stopAt)
                s.save(file)
                stats
            }
            val resumed = Stages.restore(config, total, 1, file).use { s ->
                s.update() shouldBe stopAt
                (first + runUpdates(s, s.numUpdates() - stopAt)) to s.agent().network().params().clone()
            }
            resumed.first shouldBe straight.first
            resumed.second.toList() shouldBe straight.second.toList()
        }

        test("saving mid-run and restoring continues exactly the uninterrupted run (discrete)") {
            resumesExactly(cueConfig(11).build(), 2_048, 7, "cue.safetensors")
        }

        test("... and with normalisers, a Gaussian head and the KL penalty's adaptive state") {
            val config = PpoConfig.builder().env(TARGET).seed(4).rollout(2, 64).numMinibatches(2)
                .normalizeObservation(true).normalizeReward(true)
                .losses(ClippedSurrogate(), ValueLoss(0.5, true), KlPenalty()).build()
            resumesExactly(config, 1_280, 4, "target.safetensors")
        }

        test("a checkpoint refuses another configuration and lists the differences") {
            val file = tmp.resolve("cfg.safetensors")
            Stages(cueConfig().build(), 256, 1).use { s -> s.runUpdate(); s.save(file) }
            val e = shouldThrow<Checkpoint.CheckpointException> {
                Stages.restore(cueConfig().numEnvs(8).learningRate(1e-3).build(), 256, 1, file)
            }
            e.message shouldContain "numEnvs: checkpoint 4, now 8"
            e.message shouldContain "learningRate: checkpoint 0.003, now 0.001"
        }

        test("truncated, foreign and non-Proxima files are refused with a clear message") {
            val file = tmp.resolve("good.safetensors")
            Stages(cueConfig().build(), 256, 1).use { s -> s.runUpdate(); s.save(file) }
            val bytes = Files.readAllBytes(file)
            val truncated = tmp.resolve("truncated.safetensors")
            Files.write(truncated, bytes.copyOf(bytes.size - 10))
            shouldThrow<java.io.IOException> { Stages.restore(cueConfig().build(), 256, 1, truncated) }
                .message shouldContain "truncated.safetensors"
            val foreign = tmp.resolve("foreign.bin")
            Files.write(foreign, ByteArray(4096) { (it * 31 + 7).toByte() })
            shouldThrow<java.io.IOException> { Agent.load(foreign) }.message shouldContain "foreign.bin"
            val other = tmp.resolve("other.safetensors")
            SafeTensors(mapOf("w" to SafeTensors.Tensor.of(doubleArrayOf(1.0, 2.0), 2)), mapOf()).write(other)
            shouldThrow<Checkpoint.CheckpointException> { Agent.load(other) }.message shouldContain
                "not a Proxima checkpoint"
        }

        test("an agent saved and loaded acts exactly as before") {
            val agent = PpoLoop.train(cueConfig().normalizeObservation(true).build(), 1_024).agent()
            val file = tmp.resolve("agent.safetensors")
            agent.save(file)
            val loaded = Agent.load(file, EnvRegistry().register(CUE))
            val rng = Rng(5)
            repeat(50) {
                val obs = floatArrayOf(if (rng.nextBoolean()) 1f else -1f, rng.nextFloat() - 0.5f)
                loaded.actFlat(obs, true, null).toList() shouldBe agent.actFlat(obs, true, null).toList()
                loaded.value(obs) shouldBe agent.value(obs)
            }
            loaded.evaluate(5, true, 1) shouldBe agent.evaluate(5, true, 1)
            shouldThrow<Checkpoint.CheckpointException> { Stages.restore(cueConfig().build(), 256, 1, file) }
                .message shouldContain "agent checkpoint"
        }
    }

    test("a non-finite loss stops training, names the update and the term, and keeps the last good weights") {
        class NanAfter(private val update: Int) : LossTerm {
            private var current = 0
            override fun key() = "losses/bad"
            override fun beginUpdate(ctx: LossContext) { current = ctx.update() }
            override fun lossAndGrad(mb: Minibatch, out: HeadOutputs, grad: HeadGrads): Double =
                if (current >= update) Double.NaN else 0.0
        }
        val config = cueConfig().losses(ClippedSurrogate(), ValueLoss(), NanAfter(2)).build()
        Stages(config, 512, 1).use { s ->
            s.runUpdate()
            val good = s.agent().network().params().clone()
            val e = shouldThrow<NonFiniteException> { s.runUpdate() }
            e.message shouldContain "losses/bad"
            e.message shouldContain "update 2, epoch 1, minibatch 1"
            s.agent().network().params().toList() shouldBe good.toList()
        }
    }

    test("the explained variance of a good critic approaches 1") {
        val stats = PpoLoop.train(cueConfig().build(), 8_192).updates()
        stats.last().explainedVariance() shouldBeGreaterThan 0.0
        stats.last().approxKl() shouldBeLessThan 0.1
    }
})
