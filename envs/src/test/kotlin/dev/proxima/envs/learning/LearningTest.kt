package dev.proxima.envs.learning

import dev.proxima.core.env.EnvSpec
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.train.PpoLoop
import dev.proxima.core.run.Rng
import dev.proxima.envs.classic.ClassicControl
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeGreaterThanOrEqual
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe

/** Mean return of [episodes] episodes of uniformly random actions: the bar a learner must clearly beat. */
fun <O, A> randomReturn(spec: EnvSpec<O, A>, episodes: Int, seed: Long): Double {
    val rng = Rng(seed)
    spec.make(seed).use { env ->
        env.reset(seed)
        var total = 0.0
        repeat(episodes) {
            while (true) {
                val s = env.step(env.actionSpace().sample(rng))
                total += s.reward()
                if (s.done()) break
            }
            env.reset()
        }
        return total / episodes
    }
}

/**
 * Fixed-seed learning runs: deterministic, so each asserts a figure that a regression in the algorithm, the network
 * or an env would move. Reaching every env's threshold is the benchmark's job (BENCHMARKS.md); here each run is short.
 */
class LearningTest : FunSpec({

    test("CartPole-v1 is solved (mean evaluation return >= 475) within 100,000 steps") {
        // rl-baselines3-zoo hyperparams/ppo.yml CartPole-v1: 8 envs x 32 steps, gamma 0.98, lambda 0.8,
        // 20 epochs, minibatch 256/8 = 32, lr 1e-3 linearly annealed, no entropy bonus.
        val config = PpoConfig.builder().env(ClassicControl.cartPole()).seed(1)
            .rollout(8, 32).gae(0.98, 0.8).updateEpochs(20).numMinibatches(8).learningRate(1e-3).entCoef(0.0)
            .build()
        val result = PpoLoop.train(config, 100_000)
        (result.steps() <= 100_000) shouldBe true
        val eval = result.agent().evaluate(20, true, 2024)
        eval.meanReturn() shouldBeGreaterThanOrEqual 475.0
    }

    test("Acrobot-v1 learns far above a random policy in 50,000 steps") {
        val config = PpoConfig.builder().env(ClassicControl.acrobot()).seed(1)
            .learningRate(1e-3).annealLr(false).entCoef(0.0).build()
        val random = randomReturn(ClassicControl.acrobot(), 5, 7)
        random shouldBeLessThan -450.0
        val eval = PpoLoop.train(config, 50_000).agent().evaluate(10, false, 2024)
        eval.meanReturn() shouldBeGreaterThan -150.0
    }

    test("Pendulum-v1 learns far above a random policy in 50,000 steps (Gaussian head, normalisation)") {
        val config = PpoConfig.builder().env(ClassicControl.pendulum()).seed(1)
            .rollout(4, 256).gae(0.9, 0.95).updateEpochs(10).numMinibatches(8).learningRate(1e-3).annealLr(false)
            .entCoef(0.0).normalizeObservation(true).normalizeReward(true).build()
        val random = randomReturn(ClassicControl.pendulum(), 10, 7)
        random shouldBeLessThan -900.0
        val eval = PpoLoop.train(config, 50_000).agent().evaluate(10, true, 2024)
        eval.meanReturn() shouldBeGreaterThan -400.0
    }
})
