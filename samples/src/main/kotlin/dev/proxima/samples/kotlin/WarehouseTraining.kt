/**
 * A custom env written in Kotlin ([Warehouse], inventory control), checked with [EnvChecker], registered with Koin
 * in one line, referred to by id in `ppo { }`, and trained until it clearly beats a random policy and the best
 * fixed daily order.
 *
 * Run: `./mvnw -q -B -pl samples -am package -DskipTests -Dsample=kotlin.WarehouseTrainingKt` (`-Dsteps=N` for
 * another budget; the default is 100 000 steps).
 */
package dev.proxima.samples.kotlin

import dev.proxima.core.env.EnvSpec
import dev.proxima.core.ppo.EvalResult
import dev.proxima.core.train.TrainingResult
import dev.proxima.dsl.koin.env
import dev.proxima.dsl.ppo
import dev.proxima.core.env.check.EnvCheckReport
import dev.proxima.core.env.check.EnvChecker
import dev.proxima.samples.budget
import dev.proxima.samples.play
import dev.proxima.samples.randomPolicy
import java.util.Locale
import org.koin.core.Koin
import org.koin.dsl.koinApplication
import org.koin.dsl.module

/** The one-line registration: `Warehouse-v0`, eight weeks per episode. */
val warehouseModule = module {
    env(Warehouse.ID, maxEpisodeSteps = Warehouse.DAYS) { seed -> Warehouse(seed) }
}

/** What the sample measures. */
class WarehouseOutcome(
    val check: EnvCheckReport,
    val result: TrainingResult,
    val trained: EvalResult,
    val random: EvalResult,
    /** Always ordering 4 units, the mean daily demand: the best fixed order. */
    val fixedOrder: EvalResult,
)

/** Checks the env, trains it from its Koin id, and evaluates the agent and a random policy on the same seed. */
suspend fun warehouse(steps: Long, koin: Koin = koinApplication { modules(warehouseModule) }.koin,
    quiet: Boolean = false): WarehouseOutcome {
    val trainer = ppo(koin) {
        env(Warehouse.ID)
        seed(1)
        numEnvs(8); numSteps(64)
        gae(gamma = 0.98, lambda = 0.95)
        learningRate(1e-3); annealLr(true)
        updateEpochs(10); numMinibatches(4)
        normalizeReward(true)
        evaluate(every = 10, episodes = 20, listener = { e ->
            if (!quiet) println(String.format(Locale.ROOT, "step %7d  eval profit %6.1f", e.globalStep, e.meanReturn()))
        })
    }
    // Gymnasium's check_env, on the env exactly as training makes it (with the time limit and the contract checks).
    val check = EnvChecker.checkOrThrow(trainer.config.env())
    val result = trainer.train(steps)
    val trained = result.agent().evaluate(100, true, 2024)
    val random = randomPolicy(trainer.config.env(), 100, 2024)
    @Suppress("UNCHECKED_CAST")
    val spec = trainer.config.env() as EnvSpec<FloatArray, Int>
    val fixedOrder = play(spec, 100, 2024) { _, _ -> 4 }
    return WarehouseOutcome(check, result, trained, random, fixedOrder)
}

suspend fun main(args: Array<String>) {
    val o = warehouse(budget(args, 100_000))
    println("env check: ${o.check}")
    println(String.format(Locale.ROOT, "trained %d steps in %.1f s", o.result.steps(), o.result.seconds()))
    println(String.format(Locale.ROOT, "profit per 8 weeks over 100 episodes: trained %.1f ± %.1f, random %.1f ± %.1f,"
        + " always ordering 4: %.1f ± %.1f", o.trained.meanReturn(), o.trained.stdReturn(), o.random.meanReturn(),
        o.random.stdReturn(), o.fixedOrder.meanReturn(), o.fixedOrder.stdReturn()))
}
