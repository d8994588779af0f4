package dev.proxima.core.env

import dev.proxima.core.space.Box
import dev.proxima.core.space.Discrete
import dev.proxima.core.space.Space
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

/**
 * Copies of a counter env that live "elsewhere": [Remote] holds their state and steps them in batches, as the Python
 * bridge does. obs = [t, last action], reward = action, terminated at t = length; a reset continues at t = 0.
 */
private class Remote(val length: Int) : StepBatch {
    val t = IntArray(16)
    val calls = mutableListOf<List<Int>>() // the slots of each stepAll
    val cached = arrayOfNulls<Step<FloatArray>>(16)
    val cachedReset = arrayOfNulls<FloatArray>(16)
    var singleSteps = 0

    fun stepOne(slot: Int, action: Int): Step<FloatArray> {
        t[slot]++
        return Step(floatArrayOf(t[slot].toFloat(), action.toFloat()), action.toDouble(), t[slot] >= length, false)
    }

    override fun stepAll(slots: IntArray, actions: Array<Any?>, from: Int, to: Int) {
        calls += (from until to).map { slots[it] }
        for (k in from until to) {
            val s = stepOne(slots[k], actions[k] as Int)
            cached[slots[k]] = s
            if (s.done()) {
                t[slots[k]] = 0
                cachedReset[slots[k]] = floatArrayOf(0f, -1f)
            }
        }
    }
}

private class RemoteCopy(val remote: Remote, val slot: Int) : Env<FloatArray, Int>, BatchStepped {
    override fun observationSpace(): Space<FloatArray> = Box.of(-100f, 100f, 2)
    override fun actionSpace(): Space<Int> = Discrete(3)
    override fun reset(seed: Long): Reset<FloatArray> = reset()
    override fun reset(): Reset<FloatArray> {
        val r = remote.cachedReset[slot]
        remote.cachedReset[slot] = null
        if (r == null) remote.t[slot] = 0
        return Reset(r ?: floatArrayOf(0f, -1f))
    }

    override fun step(action: Int): Step<FloatArray> {
        val s = remote.cached[slot]
        remote.cached[slot] = null
        if (s != null) return s
        remote.singleSteps++
        return remote.stepOne(slot, action)
    }

    override fun stepBatch(): StepBatch = remote
    override fun batchSlot(): Int = slot
}

/** A wrapper batched stepping must not look through (it could change actions). */
private class Opaque<O, A>(env: Env<O, A>) : Wrapper<O, A>(env)

class BatchSteppingTest : FunSpec({

    fun run(vec: SyncVectorEnv<FloatArray, Int>, steps: Int, ranges: List<IntRange>? = null): List<String> {
        val n = vec.numEnvs()
        val obs = FloatArray(2 * n); val fin = FloatArray(2 * n); val rew = DoubleArray(n)
        val term = BooleanArray(n); val trunc = BooleanArray(n)
        vec.reset(LongArray(n) { it.toLong() }, obs)
        val trace = mutableListOf<String>()
        for (t in 0 until steps) {
            val actions = FloatArray(n) { ((t + it) % 3).toFloat() }
            if (ranges == null) {
                vec.step(actions, obs, rew, term, trunc, fin)
            } else {
                for (r in ranges) vec.step(r.first, r.last + 1, actions, obs, rew, term, trunc, fin)
                vec.finishStep(obs, rew, term, trunc, fin)
            }
            trace += "${obs.toList()} ${rew.toList()} ${term.toList()} ${fin.toList()}"
        }
        return trace
    }

    test("copies of one batch under EnvChecks and TimeLimit are stepped with one stepAll per vector step") {
        val remote = Remote(length = 3)
        val spec = EnvSpec("Remote-v0", EnvFactory { seed -> RemoteCopy(remote, seed.toInt()) }, 100, Double.NaN)
        val batched = SyncVectorEnv.of(spec, 0, 1, 2, 3).use { run(it, 10) }
        remote.calls.size shouldBe 10
        remote.calls.forEach { it shouldBe listOf(0, 1, 2, 3) }
        remote.singleSteps shouldBe 0

        val alone = Remote(length = 3)
        val single = SyncVectorEnv.of(EnvFactory { seed -> Opaque(RemoteCopy(alone, seed.toInt())) }, 0, 1, 2, 3)
            .use { run(it, 10) }
        alone.calls.size shouldBe 0
        alone.singleSteps shouldBe 40
        batched shouldBe single // same observations, rewards, flags and final observations, resets included
    }

    test("range steps (parallel workers) make one stepAll per range, and copies of different batches are grouped") {
        val a = Remote(length = 4)
        val b = Remote(length = 4)
        val vec = SyncVectorEnv.of(EnvFactory { seed -> RemoteCopy(if (seed % 2 == 0L) a else b, seed.toInt()) },
            0, 1, 2, 3, 4, 5)
        vec.use { run(it, 3, listOf(0..2, 3..5)) }
        a.calls shouldBe List(3) { listOf(listOf(0, 2), listOf(4)) }.flatten()
        b.calls shouldBe List(3) { listOf(listOf(1), listOf(3, 5)) }.flatten()
    }

    test("a failing batch is reported as the vector env's failure, naming the batched step") {
        val remote = object : StepBatch {
            override fun stepAll(slots: IntArray, actions: Array<Any?>, from: Int, to: Int) =
                throw IllegalStateException("remote side gone")
        }
        val vec = SyncVectorEnv.of(EnvFactory { seed ->
            object : Env<FloatArray, Int>, BatchStepped {
                override fun observationSpace(): Space<FloatArray> = Box.of(-1f, 1f, 1)
                override fun actionSpace(): Space<Int> = Discrete(2)
                override fun reset(seed: Long) = Reset(floatArrayOf(0f))
                override fun reset() = Reset(floatArrayOf(0f))
                override fun step(action: Int) = Step(floatArrayOf(0f), 0.0, false, false)
                override fun stepBatch(): StepBatch = remote
                override fun batchSlot() = seed.toInt()
            }
        }, 0, 1)
        vec.reset(longArrayOf(0, 1), FloatArray(2))
        val e = shouldThrow<VectorEnvException> {
            vec.step(FloatArray(2), FloatArray(2), DoubleArray(2), BooleanArray(2), BooleanArray(2), FloatArray(2))
        }
        e.message shouldContain "a batched step of 2 copies"
        e.message shouldContain "remote side gone"
        shouldThrow<IllegalStateException> {
            vec.step(FloatArray(2), FloatArray(2), DoubleArray(2), BooleanArray(2), BooleanArray(2), FloatArray(2))
        }.message shouldContain "call reset"
    }
})
