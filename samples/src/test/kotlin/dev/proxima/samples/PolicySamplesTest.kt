package dev.proxima.samples

import dev.proxima.core.dist.CategoricalHead
import dev.proxima.core.dist.MultiDiscreteHead
import dev.proxima.core.dist.PolicyHead
import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.env.SyncVectorEnv
import dev.proxima.core.env.VectorEnvException
import dev.proxima.core.space.FlatLayout
import dev.proxima.core.env.check.EnvChecker
import dev.proxima.samples.java.Dials
import dev.proxima.samples.java.MaskedMaze
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThanOrEqual
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.util.ArrayDeque
import java.util.SplittableRandom
import java.util.random.RandomGenerator
import kotlin.math.abs
import kotlin.math.sqrt

/** Runs a uniformly random policy of [head] (zero logits), masked or not, for [steps] vector steps. */
private fun <O, A> randomPolicy(spec: EnvSpec<O, A>, head: PolicyHead, masked: Boolean, steps: Int): List<Double> {
    val n = 8
    SyncVectorEnv.of(spec, *LongArray(n) { 100L + it }).use { venv ->
        val obs = FloatArray(n * venv.obsDim())
        venv.reset(venv.seeds(), obs)
        val mask = if (masked) BooleanArray(n * venv.maskDim()) else null
        val logits = DoubleArray(n * head.policyDim())
        val actions = FloatArray(n * head.actionDim())
        val rngs = Array<RandomGenerator>(n) { SplittableRandom(7L + it) }
        val returns = mutableListOf<Double>()
        repeat(steps) {
            if (mask != null) venv.actionMasks(mask)
            head.sample(logits, null, mask, n, rngs, actions, DoubleArray(n))
            venv.step(actions, obs, DoubleArray(n), BooleanArray(n), BooleanArray(n), FloatArray(n * venv.obsDim()))
            mutableListOf<SyncVectorEnv.Episode>().also(venv::drainEpisodes).forEach { returns += it.ret() }
        }
        return returns
    }
}

/** Shortest-path distance of every open cell to the goal, by breadth-first search from G. */
private fun distances(): Map<Pair<Int, Int>, Int> {
    val layout = listOf("...#.", "##.#.", ".....", ".###.", "...#G")
    val dist = mutableMapOf((4 to 4) to 0)
    val queue = ArrayDeque(listOf(4 to 4))
    while (queue.isNotEmpty()) {
        val (r, c) = queue.poll()
        for ((dr, dc) in listOf(-1 to 0, 0 to 1, 1 to 0, 0 to -1)) {
            val next = r + dr to c + dc
            if (next.first in 0..4 && next.second in 0..4 && layout[next.first][next.second] != '#' && next !in dist) {
                dist[next] = dist.getValue(r to c) + 1
                queue.add(next)
            }
        }
    }
    return dist
}

class PolicySamplesTest : FunSpec({
    val registry = EnvRegistry.global()

    test("both envs are registered and pass the env checker with no findings, as make() gives them and raw") {
        for (id in listOf(MaskedMaze.ID, Dials.ID)) {
            val spec = registry.spec(id)
            withClue(EnvChecker.check(spec).toString()) { EnvChecker.check(spec).findings().shouldBeEmpty() }
            withClue(EnvChecker.check(spec.factory()).toString()) {
                EnvChecker.check(spec.factory()).findings().shouldBeEmpty()
            }
        }
    }

    context(MaskedMaze.ID) {
        @Suppress("UNCHECKED_CAST")
        val spec = registry.spec(MaskedMaze.ID) as EnvSpec<FloatArray, Int>

        test("the documented optimum: a shortest-path policy returns minus the start's distance, -5.5 on average") {
            val dist = distances()
            val starts = dist.filterValues { it > 0 }
            starts.size shouldBe 16
            listOf(starts.values.minOrNull(), starts.values.maxOrNull()) shouldBe listOf(1, 10)
            starts.values.average() shouldBe MaskedMaze.OPTIMAL_MEAN_RETURN * -1
            val moves = listOf(-1 to 0, 0 to 1, 1 to 0, 0 to -1)
            val seen = mutableSetOf<Pair<Int, Int>>()
            spec.make(0).use { env ->
                for (seed in 0L until 200L) {
                    var obs = env.reset(seed).observation()
                    var cell = obs.indexOfFirst { it == 1f }.let { it / 5 to it % 5 }
                    seen += cell
                    var ret = 0.0
                    val expected = -dist.getValue(cell).toDouble()
                    while (true) {
                        val a = moves.indices.first { val n = cell.first + moves[it].first to cell.second + moves[it].second
                            dist[n] == dist.getValue(cell) - 1 }
                        val s = env.step(a)
                        ret += s.reward()
                        obs = s.observation()
                        cell = obs.indexOfFirst { it == 1f }.let { it / 5 to it % 5 }
                        if (s.done()) break
                    }
                    ret shouldBe expected
                }
            }
            seen shouldBe starts.keys // every start occurred, each played optimally
        }

        test("a random masked policy never takes an illegal move; an unmasked one soon does and the env throws") {
            val head = CategoricalHead(4)
            val returns = randomPolicy(spec, head, masked = true, steps = 20_000) // 160 000 env steps, none illegal
            val mean = returns.average()
            println("MaskedMaze-v0: random masked policy, ${returns.size} episodes, mean return $mean")
            (mean > -80.0 && mean < -30.0) shouldBe true // far below the optimum of -5.5
            val e = shouldThrow<VectorEnvException> { randomPolicy(spec, head, masked = false, steps = 1_000) }
            e.cause!!.message shouldContain "the action mask rules it out"
        }
    }

    context(Dials.ID) {
        @Suppress("UNCHECKED_CAST")
        val spec = registry.spec(Dials.ID) as EnvSpec<Map<String, Any>, IntArray>

        test("the Dict observation flattens to 16 floats in Gymnasium's order; MultiDiscrete actions keep their starts") {
            SyncVectorEnv.of(spec, 1L).use { venv ->
                venv.obsDim() shouldBe 16
                venv.actionDim() shouldBe 3
                FlatLayout.of(venv.observationSpace()).describe() shouldBe "obs['round'] Discrete(4) one-hot [0, 4); " +
                    "obs['target'] MultiDiscrete([3 4 5], start=[1 1 1]) one-hot [4, 16)"
                val obs = FloatArray(16)
                venv.reset(longArrayOf(1), obs)
                val target = Dials().reset(1).observation()["target"] as IntArray // the copy's first target
                obs.toList().subList(0, 4) shouldBe listOf(1f, 0f, 0f, 0f)
                obs.sum() shouldBe 4f // round 0 and one setting per dial
                for (i in 0..2) obs[4 + listOf(0, 3, 7)[i] + target[i] - 1] shouldBe 1f
            }
        }

        test("the documented optimum 4.0, and a random MultiDiscrete policy's 4(1/3 + 1/4 + 1/5)/3") {
            Dials().use { env ->
                repeat(50) { ep ->
                    var obs = env.reset(ep.toLong()).observation()
                    var ret = 0.0
                    do {
                        val s = env.step(obs["target"] as IntArray)
                        ret += s.reward()
                        obs = s.observation()
                    } while (!s.done())
                    ret shouldBe Dials.OPTIMAL_RETURN
                }
            }
            val returns = randomPolicy(spec, MultiDiscreteHead(3, 4, 5), masked = false, steps = 5_000)
            val expected = 4 * (1.0 / 3 + 1.0 / 4 + 1.0 / 5) / 3
            val sd = sqrt(returns.sumOf { (it - expected) * (it - expected) } / returns.size)
            abs(returns.average() - expected) shouldBeLessThan 5 * sd / sqrt(returns.size.toDouble())
        }
    }

    context("learning with the trainer") {
        test("MaskedMaze: PPO learns the shortest paths without ever taking an illegal move (the env would throw)") {
            val config = dev.proxima.core.ppo.PpoConfig.builder().env(MaskedMaze.ID).seed(1).rollout(8, 64)
                .numMinibatches(4).updateEpochs(4).learningRate(1e-3).entCoef(0.01).gamma(0.99).build()
            val result = dev.proxima.core.train.Trainer.of(config).train(60_000)
            // Every training step went through the env, which throws on an illegal move: none was taken.
            result.steps() shouldBe 59_904L
            // The deterministic policy walks a shortest path from every start: each episode returns minus the start's
            // distance to the goal.
            val dist = distances()
            val agent = result.agent()
            val env = registry.spec(MaskedMaze.ID).make(2024) as dev.proxima.core.env.Env<FloatArray, Int>
            var obs = env.reset(2024).observation()
            var optimal = 0
            repeat(100) {
                val start = obs.indexOfFirst { it == 1f }
                val best = -dist.getValue(start / 5 to start % 5).toDouble()
                var ret = 0.0
                while (true) {
                    val step = env.step(agent.act(env, obs, true, null))
                    ret += step.reward()
                    obs = step.observation()
                    if (step.done()) break
                }
                if (ret == best) optimal++
                obs = env.reset().observation()
            }
            println("MaskedMaze after 60k steps: $optimal of 100 episodes on a shortest path")
            optimal shouldBe 100
            // Sampling as trained (not the mode) is masked too.
            result.agent().evaluate(50, false, 7).episodes() shouldBe 50
        }

        test("Dials: a MultiDiscrete policy learns to set three dials") {
            val config = dev.proxima.core.ppo.PpoConfig.builder().env(Dials.ID).seed(2).rollout(8, 64)
                .numMinibatches(4).updateEpochs(4).learningRate(1e-3).entCoef(0.01).build()
            val eval = dev.proxima.core.train.Trainer.of(config).train(60_000).agent().evaluate(100, true, 11)
            println("Dials after 60k steps: ${eval.meanReturn()} (optimum ${Dials.OPTIMAL_RETURN})")
            eval.meanReturn() shouldBeGreaterThanOrEqual 0.95 * Dials.OPTIMAL_RETURN
        }

        test("a masked, MultiDiscrete run resumes bit for bit, and its agent file keeps head and layout") {
            val config = dev.proxima.core.ppo.PpoConfig.builder().env(Dials.ID).seed(3).rollout(4, 32)
                .numMinibatches(2).updateEpochs(2).build()
            val straight = dev.proxima.core.train.Trainer.of(config).train(1_280)
            val file = kotlin.io.path.createTempFile("dials", ".safetensors")
            dev.proxima.core.train.Trainer.of(config).start(1_280).use { run -> run.trainUpdates(4); run.save(file) }
            val resumed = dev.proxima.core.train.Trainer.of(config).resume(file).use { it.train() }
            resumed.agent().network().params().toList() shouldBe straight.agent().network().params().toList()
            val agentFile = kotlin.io.path.createTempFile("dials-agent", ".safetensors")
            straight.agent().save(agentFile)
            val loaded = dev.proxima.core.ppo.Agent.load(agentFile)
            loaded.head().javaClass shouldBe straight.agent().head().javaClass
            loaded.metadata()[dev.proxima.core.ppo.Agent.OBSERVATION_LAYOUT] shouldContain "obs['"
            loaded.evaluate(5, true, 1) shouldBe straight.agent().evaluate(5, true, 1)
        }
    }
})
