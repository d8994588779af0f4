package dev.proxima.core.train

import dev.proxima.core.checkpoint.CheckpointException
import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.io.SafeTensors
import dev.proxima.core.optim.NonFiniteException
import dev.proxima.core.ppo.Agent
import dev.proxima.core.ppo.ClippedSurrogate
import dev.proxima.core.ppo.HeadGrads
import dev.proxima.core.ppo.HeadOutputs
import dev.proxima.core.ppo.KlPenalty
import dev.proxima.core.ppo.LossContext
import dev.proxima.core.ppo.LossTerm
import dev.proxima.core.ppo.Minibatch
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.UpdateStats
import dev.proxima.core.ppo.ValueLoss
import dev.proxima.core.run.Rng
import dev.proxima.core.testing.CUE
import dev.proxima.core.testing.TARGET
import dev.proxima.core.testing.cueConfig
import dev.proxima.core.testing.deterministic
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
import java.util.concurrent.Executors

/** Trains at most [n] updates and passes the call's result on. */
private fun TrainingRun.trainWithStopAt(n: Int, onResult: (TrainingResult) -> Unit) {
    trainUpdates(n - updatesDone())
    onResult(result())
}

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
        fun run(seed: Long): Pair<List<Map<String, Double>>, List<Double>> {
            val r = Trainer.of(cueConfig(seed).build()).train(1_024)
            return r.updates().map { it.deterministic() } to r.agent().network().params().toList()
        }
        val (a, pa) = run(7)
        val (b, pb) = run(7)
        a shouldBe b
        pa shouldBe pb
        run(8).second shouldNotBe pa
    }

    test("splitting sampling over workers, on threads or in any order, gives the same run") {
        val config = cueConfig(3).build()
        fun run(t: Trainer): Pair<List<Map<String, Double>>, List<Double>> {
            val r = t.train(1_024)
            return r.updates().map { it.deterministic() } to r.agent().network().params().toList()
        }
        val sequential = run(Trainer.of(config))
        run(Trainer.builder(config).workers(3).build()) shouldBe sequential
        val reversed = SamplingExecutor { n, task -> for (w in n - 1 downTo 0) task.accept(w) }
        run(Trainer.builder(config).workers(4).samplingExecutor(reversed).build()) shouldBe sequential
        val pool = Executors.newFixedThreadPool(2)
        try {
            run(Trainer.builder(config).workers(2).executor(pool).build()) shouldBe sequential
        } finally {
            pool.shutdown()
        }
    }

    test("a truncated episode is bootstrapped with V(final observation); termination is not") {
        RunState.create(cueConfig().build(), 128, 1).use { s ->
            val episodes = ArrayList<dev.proxima.core.env.SyncVectorEnv.Episode>()
            s.collector.collect(s.rollout, 1, SamplingExecutor.direct(), episodes)
            val r = s.rollout
            for (row in 0 until r.size()) {
                if (r.truncated(row)) r.finalValue(row) shouldNotBe 0.0 else r.finalValue(row) shouldBe 0.0
            }
            (0 until r.size()).count { r.truncated(it) } shouldBe 8
            episodes.size shouldBe 8
        }
        RunState.create(cueConfig().bootstrapTruncated(false).build(), 128, 1).use { s ->
            s.collector.collect(s.rollout, 1, SamplingExecutor.direct(), ArrayList())
            (0 until s.rollout.size()).all { s.rollout.finalValue(it) == 0.0 } shouldBe true
        }
    }

    test("continuous actions: the env gets clipped actions, the rollout keeps the raw samples") {
        val config = PpoConfig.builder().env(TARGET).seed(2).rollout(2, 64).numMinibatches(2).learningRate(3e-3)
            .entCoef(0.0).build()
        RunState.create(config, 128, 1).use { s ->
            s.collector.collect(s.rollout, 1, SamplingExecutor.direct(), ArrayList())
            val actions = s.rollout.actionBuffer()
            // log_std starts at 0 (σ = 1), so many raw samples fall outside [-1, 1].
            (actions.count { it > 1f || it < -1f } > 10) shouldBe true
        }
        val before = PpoLoop.train(config, 128).agent().evaluate(10, true, 5).meanReturn()
        val after = PpoLoop.train(config, 16_384).agent().evaluate(10, true, 5).meanReturn()
        after shouldBeGreaterThan before
        after shouldBeGreaterThan -0.5 // 8 steps of squared error: a policy that ignores the target scores ~ -2.7
    }

    context("stopping and continuing") {
        test("stop() ends the call after the current update; training again continues the same run") {
            val config = cueConfig(5).build()
            val straight = Trainer.of(config).train(1_024)
            var calls = 0
            Trainer.builder(config).onUpdate { calls++ }.build().start(1_024).use { run ->
                var first: TrainingResult? = null
                run.trainWithStopAt(3) { first = it }
                first!!.updates().size shouldBe 3
                run.isFinished shouldBe false
                val all = run.train()
                all.updates().size shouldBe 8
                run.isFinished shouldBe true
                all.updates().map { it.deterministic() } shouldBe straight.updates().map { it.deterministic() }
                all.agent().network().params().toList() shouldBe straight.agent().network().params().toList()
            }
            calls shouldBe 8
        }

        test("trainAsync: cancel stops between updates and leaves a usable agent; whenStopped tells when") {
            val config = cueConfig(6).build()
            val started = java.util.concurrent.CountDownLatch(1)
            val t = Trainer.builder(config).onUpdate { started.countDown() }.build()
            t.start(200_000).use { run ->
                val future = run.trainAsync()
                started.await()
                future.cancel(true) shouldBe true
                val result = run.whenStopped().get()
                val done = result.updates().size
                (done in 1 until run.numUpdates()) shouldBe true
                run.updatesDone() shouldBe done
                result.agent().evaluate(2, true, 1).episodes() shouldBe 2
                run.stopReason().get() shouldBe "cancelled"
            }
        }

        test("an early stop on evaluation ends the run, saves the best agent, and says why") {
            val best = tmp.resolve("best.safetensors")
            val evals = ArrayList<Evaluation>()
            val trainer = Trainer.builder(cueConfig(1).build())
                .callback(Evaluate.every(2).episodes(5).saveBest(best).listener { evals += it })
                .callback(EarlyStop.onEvaluation(12.0))
                .build()
            val result = trainer.train(50_000)
            result.stoppedEarly() shouldBe true
            result.earlyStop() shouldContain "evaluation mean return"
            evals.last().meanReturn() shouldBeGreaterThan 12.0
            (result.updates().size < 50_000 / 128) shouldBe true
            val loaded = Agent.load(best, EnvRegistry().register(CUE))
            loaded.metadata()[Evaluate.EVAL_SEED] shouldBe (1L + Evaluate.SEED_OFFSET).toString()
            loaded.evaluate(5, true, 1L + Evaluate.SEED_OFFSET).meanReturn() shouldBe
                evals.filter { it.best() }.last().meanReturn()
        }

        test("the builder reports every problem with the callbacks at once") {
            val e = shouldThrow<dev.proxima.core.ppo.PpoConfigException> {
                Trainer.builder(cueConfig().build()).workers(9).totalSteps(0)
                    .callback(EarlyStop.onEvaluation()).callback(Checkpoint.every(3)).build()
            }
            e.problems().size shouldBe 5
            e.message shouldContain "workers = 9 must not exceed numEnvs = 4"
            e.message shouldContain "totalSteps = 0"
            e.message shouldContain "needs evaluations"
            e.message shouldContain "has no reward threshold"
            e.message shouldContain "has no destination"
        }
    }

    context("checkpoints") {
        fun resumesExactly(config: PpoConfig, total: Long, stopAt: Int, name: String) {
            val straight = Trainer.of(config).train(total)
            val file = tmp.resolve(name)
            val dir = tmp.resolve("$name.dir")
            val first = Trainer.builder(config).callback(Checkpoint.every(stopAt).to(dir)).build().start(total)
                .use { run ->
                    run.trainWithStopAt(stopAt) {}
                    run.save(file)
                    run.result().updates()
                }
            Files.readAllBytes(dir.resolve(Checkpoint.fileName(stopAt))).toList() shouldBe
                Files.readAllBytes(file).toList()
            val resumed = Trainer.of(config).resume(file).use { run ->
                run.updatesDone() shouldBe stopAt
                run.train()
            }
            (first + resumed.updates()).map { it.deterministic() } shouldBe
                straight.updates().map { it.deterministic() }
            resumed.agent().network().params().toList() shouldBe straight.agent().network().params().toList()
        }

        test("saving mid-run and resuming continues exactly the uninterrupted run (discrete)") {
            resumesExactly(cueConfig(11).build(), 2_048, 7, "cue.safetensors")
        }

        test("... and with normalisers, a Gaussian head and the KL penalty's adaptive state") {
            val config = PpoConfig.builder().env(TARGET).seed(4).rollout(2, 64).numMinibatches(2)
                .normalizeObservation(true).normalizeReward(true)
                .losses(ClippedSurrogate(), ValueLoss(0.5, true), KlPenalty()).build()
            resumesExactly(config, 1_280, 4, "target.safetensors")
        }

        test("... and with 3 sampling workers, resumed with 2") {
            val config = cueConfig(12).build()
            val straight = Trainer.of(config).train(2_048)
            val file = tmp.resolve("workers.safetensors")
            Trainer.builder(config).workers(3).build().start(2_048).use { run ->
                run.trainWithStopAt(5) {}
                run.save(file)
            }
            val resumed = Trainer.builder(config).workers(2).build().resume(file).use { it.train() }
            resumed.agent().network().params().toList() shouldBe straight.agent().network().params().toList()
        }

        test("a finished run saves the same bytes before and after close, and a longer budget continues it exactly") {
            // At its end a run releases its env copies and keeps only their snapshot; the rest of the checkpoint is
            // taken when a save asks for it, from state that no longer changes. (No learning-rate annealing: its
            // schedule depends on the budget.)
            val config = PpoConfig.builder().env(TARGET).seed(6).rollout(2, 64).numMinibatches(2)
                .normalizeObservation(true).normalizeReward(true).annealLr(false).build()
            val straight = Trainer.of(config).train(1_280)
            val before = tmp.resolve("finished-before.safetensors")
            val after = tmp.resolve("finished-after.safetensors")
            val run = Trainer.of(config).start(640)
            run.train()
            run.isFinished() shouldBe true
            run.save(before)
            run.close()
            run.save(after)
            Files.readAllBytes(after).toList() shouldBe Files.readAllBytes(before).toList()
            val resumed = Trainer.of(config).resume(after, 1_280).use { it.train() }
            resumed.agent().network().params().toList() shouldBe straight.agent().network().params().toList()
            val unfinished = Trainer.of(config).start(640)
            unfinished.trainUpdates(1)
            unfinished.close()
            shouldThrow<IllegalStateException> { unfinished.save(tmp.resolve("closed.safetensors")) }
                .message shouldContain "save before closing it"
        }

        test("a checkpoint refuses another configuration and lists the differences") {
            val file = tmp.resolve("cfg.safetensors")
            Trainer.of(cueConfig().build()).start(256).use { run -> run.trainWithStopAt(1) {}; run.save(file) }
            val e = shouldThrow<CheckpointException> {
                Trainer.of(cueConfig().numEnvs(8).learningRate(1e-3).build()).resume(file)
            }
            e.message shouldContain "numEnvs: checkpoint 4, now 8"
            e.message shouldContain "learningRate: checkpoint 0.003, now 0.001"
        }

        test("a custom loss term without toString is named, with what to do") {
            class NoText : LossTerm {
                override fun key() = "losses/notext"
                override fun lossAndGrad(mb: Minibatch, out: HeadOutputs, grad: HeadGrads) = 0.0
            }
            val file = tmp.resolve("notext.safetensors")
            Trainer.of(cueConfig().addLoss(NoText()).build()).start(256).use { run ->
                run.trainWithStopAt(1) {}
                run.save(file)
            }
            val e = shouldThrow<CheckpointException> { Trainer.of(cueConfig().addLoss(NoText()).build()).resume(file) }
            e.message shouldContain "NoText has no toString() of its own"
        }

        test("truncated, foreign and non-Proxima files are refused with a clear message") {
            val file = tmp.resolve("good.safetensors")
            Trainer.of(cueConfig().build()).start(256).use { run -> run.trainWithStopAt(1) {}; run.save(file) }
            val bytes = Files.readAllBytes(file)
            val truncated = tmp.resolve("truncated.safetensors")
            Files.write(truncated, bytes.copyOf(bytes.size - 10))
            shouldThrow<java.io.IOException> { Trainer.of(cueConfig().build()).resume(truncated) }
                .message shouldContain "truncated.safetensors"
            val foreign = tmp.resolve("foreign.bin")
            Files.write(foreign, ByteArray(4096) { (it * 31 + 7).toByte() })
            shouldThrow<java.io.IOException> { Agent.load(foreign) }.message shouldContain "foreign.bin"
            val other = tmp.resolve("other.safetensors")
            SafeTensors(mapOf("w" to SafeTensors.Tensor.of(doubleArrayOf(1.0, 2.0), 2)), mapOf()).write(other)
            shouldThrow<CheckpointException> { Agent.load(other) }.message shouldContain "not a Proxima checkpoint"
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
            shouldThrow<CheckpointException> { Trainer.of(cueConfig().build()).resume(file) }
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
            override fun copy(): LossTerm = NanAfter(update)
        }
        val config = cueConfig().losses(ClippedSurrogate(), ValueLoss(), NanAfter(2)).build()
        Trainer.of(config).start(512).use { run ->
            run.trainWithStopAt(1) {}
            val good = run.agent().network().params().toList()
            val e = shouldThrow<NonFiniteException> { run.train() }
            e.message shouldContain "losses/bad"
            e.message shouldContain "update 2, epoch 1, minibatch 1"
            run.agent().network().params().toList() shouldBe good
            shouldThrow<IllegalStateException> { run.train() }.message shouldContain "failed earlier"
        }
    }

    test("a learning rate that makes the weights overflow is caught after the step, with the last good weights") {
        val config = cueConfig().learningRate(1e300).maxGradNorm(Double.POSITIVE_INFINITY).build()
        Trainer.of(config).start(512).use { run ->
            val before = run.agent().network().params().toList()
            val e = shouldThrow<NonFiniteException> { run.train() }
            e.message shouldContain "update 1, epoch 1, minibatch"
            e.what() shouldBe "parameter"
            run.agent().network().params().toList() shouldBe before
        }
    }

    test("the explained variance of a good critic approaches 1") {
        val stats = PpoLoop.train(cueConfig().build(), 8_192).updates()
        stats.last().explainedVariance() shouldBeGreaterThan 0.0
        stats.last().approxKl() shouldBeLessThan 0.1
    }

    context("warnings instead of silence") {
        /** CUE without snapshots: a wrapper that is not Snapshottable stops the env chain from being saved. */
        val unsaved = dev.proxima.core.env.EnvSpec("Unsaved-v0", dev.proxima.core.env.EnvFactory {
            object : dev.proxima.core.env.Wrapper<FloatArray, Int>(dev.proxima.core.testing.CueEnv()) {}
        }, 16, Double.NaN)

        test("resuming an env that cannot be snapshotted warns, naming the env") {
            val config = PpoConfig.builder().env(unsaved).seed(2).rollout(4, 32).numMinibatches(4).build()
            val file = tmp.resolve("unsaved.safetensors")
            Trainer.of(config).start(1_024).use { run -> run.trainUpdates(2); run.save(file) }
            val warnings = ArrayList<String>()
            val trainer = Trainer.builder(config).callback(object : Callback {
                override fun onUpdate(event: UpdateEvent) {}
                override fun onWarning(message: String) { warnings += message }
            }).build()
            trainer.resume(file).use { it.trainUpdates(1) }
            warnings.size shouldBe 1
            warnings[0] shouldContain "resuming Unsaved-v0 at update 2"
            warnings[0] shouldContain "cannot be snapshotted"
            warnings[0] shouldContain "not bit for bit"
        }

        test("an env that never ends is reported once; evaluating it fails at a bound instead of hanging") {
            val endless = dev.proxima.core.env.EnvSpec("Endless-v0", dev.proxima.core.env.EnvFactory {
                dev.proxima.core.testing.CueEnv() }, 0, Double.NaN)
            val config = PpoConfig.builder().env(endless).seed(2).rollout(4, 32).numMinibatches(4).build()
            val warnings = ArrayList<String>()
            val result = Trainer.builder(config).warnNoEpisodeAfter(512).callback(object : Callback {
                override fun onUpdate(event: UpdateEvent) {}
                override fun onWarning(message: String) { warnings += message }
            }).build().train(1_024)
            warnings.size shouldBe 1
            warnings[0] shouldContain "no episode of Endless-v0 has ended in the first 512 env steps"
            result.last().episodicReturn().isNaN() shouldBe true
            shouldThrow<IllegalStateException> { result.agent().evaluate(1, true, 1, 1_000) }.message shouldContain
                "ran 1,000 steps without ending"
        }
    }
})
