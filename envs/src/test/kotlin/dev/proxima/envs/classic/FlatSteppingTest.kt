package dev.proxima.envs.classic

import dev.proxima.core.env.EnvFactory
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.env.FlatStepped
import dev.proxima.core.env.Snapshottable
import dev.proxima.core.env.SyncVectorEnv
import dev.proxima.core.env.Wrapper
import dev.proxima.core.space.Box
import dev.proxima.core.space.Discrete
import dev.proxima.core.testing.Allocation
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import java.util.SplittableRandom

/**
 * The vector env's flat path ([FlatStepped]) on the built-in envs: the same results bit for bit as the object path
 * ([dev.proxima.core.env.Env.step]), and no allocation per env step.
 */
class FlatSteppingTest : FunSpec({

    /** A wrapper that is not [FlatStepped], so the vector env steps the copy through `Env.step`. */
    class ObjectPath<O, A>(env: dev.proxima.core.env.Env<O, A>) : Wrapper<O, A>(env)

    /** Random actions in the flat layout: a Discrete index as a float, a Box value inside the bounds. */
    fun fillActions(rng: SplittableRandom, actions: FloatArray, vec: SyncVectorEnv<*, *>) {
        val space = vec.actionSpace()
        for (k in actions.indices) {
            actions[k] = if (space is Box) {
                val d = k % vec.actionDim()
                (space.low(d) + (space.high(d) - space.low(d)) * rng.nextDouble()).toFloat()
            } else {
                rng.nextInt((space as Discrete).n()).toFloat()
            }
        }
    }

    for (spec in ClassicControl.all()) {
        test("${spec.id()}: the flat path gives the object path's observations, rewards, flags and final observations") {
            @Suppress("UNCHECKED_CAST")
            val s = spec as EnvSpec<Any, Any>
            val seeds = longArrayOf(3, 5, 8)
            val flat = SyncVectorEnv.of(s, *seeds)
            val objects = SyncVectorEnv.of(EnvFactory<Any, Any> { seed -> ObjectPath(s.make(seed)) }, *seeds)
            FlatStepped.of(flat.env(0)).shouldNotBeNull()
            FlatStepped.of(objects.env(0)) shouldBe null
            val n = seeds.size
            val dim = flat.obsDim()
            val o1 = FloatArray(n * dim); val o2 = FloatArray(n * dim)
            val f1 = FloatArray(n * dim); val f2 = FloatArray(n * dim)
            val r1 = DoubleArray(n); val r2 = DoubleArray(n)
            val t1 = BooleanArray(n); val t2 = BooleanArray(n)
            val u1 = BooleanArray(n); val u2 = BooleanArray(n)
            flat.reset(seeds, o1)
            objects.reset(seeds, o2)
            o1.toList() shouldBe o2.toList()
            val rng = SplittableRandom(11)
            val actions = FloatArray(n * flat.actionDim())
            var ends = 0
            for (step in 1..3000) {
                fillActions(rng, actions, flat)
                flat.step(actions, o1, r1, t1, u1, f1)
                objects.step(actions, o2, r2, t2, u2, f2)
                withClue("step $step") {
                    o1.map { it.toRawBits() } shouldBe o2.map { it.toRawBits() }
                    f1.map { it.toRawBits() } shouldBe f2.map { it.toRawBits() }
                    r1.map { it.toRawBits() } shouldBe r2.map { it.toRawBits() }
                    t1.toList() shouldBe t2.toList()
                    u1.toList() shouldBe u2.toList()
                }
                ends += t1.count { it } + u1.count { it }
            }
            val e1 = ArrayList<SyncVectorEnv.Episode>(); val e2 = ArrayList<SyncVectorEnv.Episode>()
            flat.drainEpisodes(e1)
            objects.drainEpisodes(e2)
            e1 shouldBe e2
            e1.size shouldBe ends
            for (i in 0 until n) {
                val inner = (objects.env(i) as Wrapper<*, *>).inner()
                flat.snapshotCopy(i).map { it.toList() } shouldBe Snapshottable.captureChain(inner).map { it.toList() }
            }
            flat.close()
            objects.close()
        }
    }

    test("CartPole-v1: stepping a SyncVectorEnv allocates nothing per env step (after warm-up)") {
        val seeds = longArrayOf(1, 2, 3, 4)
        val n = seeds.size
        val vec = SyncVectorEnv.of(ClassicControl.cartPole(), *seeds)
        val obs = FloatArray(n * vec.obsDim())
        val finalObs = FloatArray(n * vec.obsDim())
        val rewards = DoubleArray(n)
        val terminated = BooleanArray(n)
        val truncated = BooleanArray(n)
        val actions = FloatArray(n)
        val episodes = ArrayList<SyncVectorEnv.Episode>(1 shl 16)
        vec.reset(seeds, obs)
        // A bang-bang controller on the pole's angle and angular velocity, with a random push now and then: episodes
        // last tens to hundreds of steps, so terminations, truncations and auto-resets all happen in the window.
        val rng = SplittableRandom(7)
        fun run(steps: Int) {
            episodes.clear() // keeps the capacity: the episodes of the last window only
            for (t in 0 until steps) {
                for (i in 0 until n) {
                    val o = i * 4
                    actions[i] = if (rng.nextInt(8) == 0) rng.nextInt(2).toFloat()
                    else if (obs[o + 2] + 0.5f * obs[o + 3] > 0f) 1f else 0f
                }
                vec.step(actions, obs, rewards, terminated, truncated, finalObs)
            }
            vec.drainEpisodes(episodes)
        }
        run(50_000) // warm-up: the JIT compiles the loop
        val steps = 100_000
        // Windows until the JIT has compiled the loop (testing.Allocation): on a loaded machine C2 can still be busy
        // after the warm-up, and interpreted code allocates what compiled code keeps in registers.
        val bytes = Allocation.steadyState(rounds = 1, budget = 2L * steps * n, maxWindows = 10) { run(steps) }
        val perEnvStep = bytes.toDouble() / (steps.toLong() * n)
        // Only the Episode record (32 bytes) per finished episode may remain: well under 1 byte per env step here.
        // The object path allocated a Step, a float[4] and, per episode, a Reset: about 64 bytes per env step.
        withClue("$bytes bytes over ${steps * n} env steps and ${episodes.size} episodes") {
            (episodes.size > 100) shouldBe true
            perEnvStep shouldBeLessThan 2.0
        }
        vec.close()
    }
})
