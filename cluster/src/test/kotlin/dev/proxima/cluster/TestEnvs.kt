package dev.proxima.cluster

import dev.proxima.core.env.EnvProvider
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.env.Snapshottable
import dev.proxima.core.env.Step
import dev.proxima.core.env.Wrapper
import dev.proxima.envs.classic.CartPole

/**
 * CartPole that sleeps [SlowCartPole.MILLIS] ms per step, so a rollout lasts long enough to kill or freeze a worker in
 * the middle of it; snapshottable like CartPole (the sleep has no state). Registered for the worker JVMs the tests
 * start through [TestEnvProvider].
 */
class SlowCartPole : Wrapper<FloatArray, Int>(CartPole()), Snapshottable {
    override fun step(action: Int): Step<FloatArray> {
        Thread.sleep(MILLIS)
        return env.step(action)
    }

    override fun snapshot(): LongArray = LongArray(0)

    override fun restore(snapshot: LongArray) {}

    companion object {
        const val ID = "SlowCartPole-v0"
        const val MILLIS = 2L
        val SPEC: EnvSpec<FloatArray, Int> = EnvSpec(ID, { _ -> SlowCartPole() }, 500, 475.0)
    }
}

class TestEnvProvider : EnvProvider {
    override fun specs(): Collection<EnvSpec<*, *>> = listOf(SlowCartPole.SPEC)
}
