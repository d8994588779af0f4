package dev.proxima.envs.box2d

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThanOrEqual

/**
 * A step allocates only its observation and its [dev.proxima.core.env.Step] record: the JNI calls that step Box2D,
 * read the bodies and joints, run the contact listener and filter ([PairOrder]) and cast the ten lidar rays allocate
 * nothing. Measured with the
 * JVM's per-thread allocation counter over about a second of random steps, resets excluded (a reset builds a new world).
 */
class AllocationTest : FunSpec({
    // float[n] (16-byte header + 4n, rounded to 8) + the Step record (at most 32 bytes with compressed oops), + 1 byte
    // for the TimeLimit, which builds a second Step record when it truncates (once per 1000-2000 steps).
    fun budget(obs: Int) = ((16 + 4 * obs + 7) / 8 * 8 + 32 + 1).toDouble()

    for (spec in Box2dEnvs.all()) {
        test("${spec.id()}: bytes allocated per step <= the observation + the Step record") {
            val r = Box2dSpeed.measure(spec, 1.0)
            val obs = if (spec.id().startsWith("Lunar")) 8 else 24
            r.bytesPerStep() shouldBeLessThanOrEqual budget(obs)
        }
    }
})
