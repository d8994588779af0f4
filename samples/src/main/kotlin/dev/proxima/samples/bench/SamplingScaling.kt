/**
 * Benchmark (not a test): how sampling scales with workers when env steps are slow.
 *
 * Run: `./mvnw -q -B -pl samples -am package -DskipTests -Dsample=bench.SamplingScalingKt` with optional
 * `-Dmicros=1000` (the cost of one env step) and `-Dmode=busy|sleep`. `busy` spins the CPU for each step (a physics
 * engine), so it scales with the free cores; `sleep` waits (a simulator in another process, a remote env), runs the
 * workers on `Dispatchers.IO` and scales past the core count. Prints env steps per second of whole updates (one
 * epoch of one minibatch, so sampling dominates), for 1, 2, 4 and 8 workers over 8 CartPole copies, and the speed-up
 * over one worker.
 */
package dev.proxima.samples.bench

import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.env.Step
import dev.proxima.core.env.Wrapper
import dev.proxima.dsl.CartPole
import dev.proxima.dsl.ppo
import java.util.Locale
import java.util.concurrent.locks.LockSupport
import kotlinx.coroutines.Dispatchers

/** Makes every step of [env] cost [micros] µs, spinning or sleeping. */
class Slow<O, A>(env: Env<O, A>, private val micros: Long, private val busy: Boolean) : Wrapper<O, A>(env) {
    override fun step(action: A): Step<O> {
        val until = System.nanoTime() + micros * 1_000
        if (busy) {
            while (System.nanoTime() < until) Thread.onSpinWait()
        } else {
            while (System.nanoTime() < until) LockSupport.parkNanos(until - System.nanoTime())
        }
        return super.step(action)
    }
}

fun main() {
    val micros = System.getProperty("micros", "1000").toLong()
    val busy = System.getProperty("mode", "busy") != "sleep"
    val dispatcher = if (busy) Dispatchers.Default else Dispatchers.IO
    val spec = EnvSpec("SlowCartPole-v1", { seed -> Slow(CartPole.factory().create(seed), micros, busy) }, 500, 475.0)
    val numEnvs = 8
    val numSteps = 32
    println("${if (busy) "busy" else "sleeping"} env, $micros µs per step, $numEnvs env copies, " +
        "${Runtime.getRuntime().availableProcessors()} cores")
    var base = 0.0
    for (workers in listOf(1, 2, 4, 8)) {
        val trainer = ppo {
            env(spec); numEnvs(numEnvs); numSteps(numSteps); updateEpochs(1); numMinibatches(1)
            workers(workers); dispatcher(dispatcher)
        }
        val sps = trainer.run(1_000_000).use { run ->
            run.trainUpdates(1) // warm-up: JIT, env resets
            val rollouts = 4
            val t0 = System.nanoTime()
            run.trainUpdates(rollouts)
            rollouts * numEnvs * numSteps / ((System.nanoTime() - t0) / 1e9)
        }
        if (workers == 1) base = sps
        println(String.format(Locale.ROOT, "workers %d: %8.0f steps/s  x%.2f", workers, sps, sps / base))
    }
}
