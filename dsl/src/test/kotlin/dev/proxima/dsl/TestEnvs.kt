package dev.proxima.dsl

import dev.proxima.core.env.Env
import dev.proxima.core.env.Reset
import dev.proxima.core.env.Step
import dev.proxima.core.space.Box
import dev.proxima.core.space.Discrete
import dev.proxima.core.space.Space
import java.util.SplittableRandom

/**
 * A walk on a line of [length] cells: start in the middle, action 0 steps left, 1 right; reaching the right end pays
 * +1 and terminates, the left end terminates with 0, every step costs 0.01. Observation: the position scaled to
 * [-1, 1] and a noise value drawn at reset. Counts the seeds it was created with, for the factory tests.
 */
class Corridor(val createdWithSeed: Long = -1, private val length: Int = 7) : Env<FloatArray, Int> {
    private var rng: SplittableRandom? = null
    private var pos = 0
    private var noise = 0f

    constructor() : this(-1)

    override fun observationSpace(): Space<FloatArray> = Box.of(-1f, 1f, 2)
    override fun actionSpace(): Space<Int> = Discrete(2)
    override fun name() = "Corridor-v0"

    override fun reset(seed: Long): Reset<FloatArray> {
        rng = SplittableRandom(seed)
        return reset()
    }

    override fun reset(): Reset<FloatArray> {
        pos = length / 2
        noise = checkNotNull(rng) { "reset(seed) first" }.nextDouble(-1.0, 1.0).toFloat()
        return Reset(obs())
    }

    override fun step(action: Int): Step<FloatArray> {
        require(action == 0 || action == 1) { "action $action is not 0 or 1" }
        pos += if (action == 1) 1 else -1
        val right = pos >= length - 1
        val left = pos <= 0
        return Step(obs(), (if (right) 1.0 else 0.0) - 0.01, right || left, false)
    }

    private fun obs() = floatArrayOf(2f * pos / (length - 1) - 1f, noise)
}

/** An env with only a seed constructor, as in `env(::Seeded)`. */
class Seeded(val seed: Long) : Env<FloatArray, Int> by Corridor(seed) {
    override fun name() = "Seeded-v0"
}

/** An env whose seed constructor has a default, so `::WithDefault` fits both `() -> Env` and `(Long) -> Env`. */
class WithDefault(val seed: Long = 99) : Env<FloatArray, Int> by Corridor(seed) {
    override fun name() = "WithDefault-v0"
}
