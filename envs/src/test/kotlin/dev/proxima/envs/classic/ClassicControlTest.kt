package dev.proxima.envs.classic

import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvChecks
import dev.proxima.core.env.EnvContractException
import dev.proxima.core.env.EnvProvider
import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.env.TimeLimit
import dev.proxima.core.env.Wrapper
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.lang.management.ManagementFactory
import java.util.ServiceLoader
import kotlin.math.PI
import kotlin.math.abs

@Suppress("UNCHECKED_CAST")
private fun raw(spec: EnvSpec<*, *>): ClassicControlEnv<Any> = spec.makeUnwrapped(0) as ClassicControlEnv<Any>

class ClassicControlTest : FunSpec({

    context("specs") {
        test("ids, time limits and reward thresholds are Gymnasium's") {
            ClassicControl.all().map { it.id() } shouldContainExactly
                listOf("CartPole-v1", "Pendulum-v1", "MountainCar-v0", "MountainCarContinuous-v0", "Acrobot-v1")
            ClassicControl.all().map { it.maxEpisodeSteps().asInt } shouldContainExactly listOf(500, 200, 200, 999, 500)
            ClassicControl.all().map { if (it.rewardThreshold().isPresent) it.rewardThreshold().asDouble else null } shouldContainExactly
                listOf(475.0, null, -110.0, 90.0, -100.0)
            ClassicControl.cartPole().makeUnwrapped(0).shouldBeInstanceOf<CartPole>()
            ClassicControl.pendulum().makeUnwrapped(0).shouldBeInstanceOf<Pendulum>()
            ClassicControl.mountainCar().makeUnwrapped(0).shouldBeInstanceOf<MountainCar>()
            ClassicControl.mountainCarContinuous().makeUnwrapped(0).shouldBeInstanceOf<MountainCarContinuous>()
            ClassicControl.acrobot().makeUnwrapped(0).shouldBeInstanceOf<Acrobot>()
        }

        test("the provider is found through META-INF/services and fills the global registry") {
            ServiceLoader.load(EnvProvider::class.java).map { it::class.java } shouldContain ClassicControlProvider::class.java
            for (spec in ClassicControl.all()) {
                EnvRegistry.global().spec(spec.id()) shouldBe spec
            }
            EnvRegistry.global().make("CartPole-v1", 0).unwrapped().shouldBeInstanceOf<CartPole>()
        }

        test("make() puts the contract checks outside the time limit, and a step after truncation is refused") {
            @Suppress("UNCHECKED_CAST")
            val env = (ClassicControl.pendulum() as EnvSpec<FloatArray, FloatArray>).make(0)
            env.shouldBeInstanceOf<EnvChecks<*, *>>()
            Wrapper.find(env, TimeLimit::class.java)!!.maxEpisodeSteps() shouldBe 200
            env.reset(1)
            val a = floatArrayOf(0.5f)
            repeat(199) { env.step(a).truncated() shouldBe false }
            val last = env.step(a)
            last.truncated() shouldBe true
            last.terminated() shouldBe false
            shouldThrow<EnvContractException> { env.step(a) }.message!! shouldContain "after the episode ended"
            env.reset().observation().size shouldBe 3
        }

        test("make() rejects actions outside the space that the raw env would clip") {
            @Suppress("UNCHECKED_CAST")
            val env = (ClassicControl.mountainCarContinuous() as EnvSpec<FloatArray, FloatArray>).make(0)
            env.reset(0)
            shouldThrow<EnvContractException> { env.step(floatArrayOf(1.5f)) }.message!! shouldContain "outside the action space"
        }
    }

    context("reset") {
        test("reset distributions: Gymnasium's ranges, float32 for Acrobot, and the seed decides") {
            val lows = DoubleArray(4) { 1.0 }
            val highs = DoubleArray(4) { -1.0 }
            for (seed in 0L until 400L) {
                val cp = CartPole()
                cp.reset(seed)
                cp.state().forEachIndexed { i, v ->
                    (abs(v) <= 0.05) shouldBe true
                    lows[i] = minOf(lows[i], v)
                    highs[i] = maxOf(highs[i], v)
                }
                val pe = Pendulum().apply { reset(seed) }.state()
                (pe[0] >= -PI && pe[0] < PI && pe[1] >= -1.0 && pe[1] < 1.0) shouldBe true
                for (mc in listOf(MountainCar().apply { reset(seed) }, MountainCarContinuous().apply { reset(seed) })) {
                    val s = mc.state()
                    (s[0] >= -0.6 && s[0] < -0.4) shouldBe true
                    s[1] shouldBe 0.0
                }
                Acrobot().apply { reset(seed) }.state().forEach {
                    (abs(it) <= 0.1) shouldBe true
                    it.toFloat().toDouble() shouldBe it // reset casts to float32
                }
            }
            // The draws fill the range rather than sit at one point.
            lows.forEach { it shouldBeLessThan -0.045 }
            highs.forEach { (-it) shouldBeLessThan -0.045 }
        }

        test("reset(seed) repeats, reset() continues the stream, other seeds differ") {
            for (spec in ClassicControl.all()) {
                val a = raw(spec)
                val b = raw(spec)
                val first = a.reset(42).observation()
                b.reset(42).observation() shouldBe first
                a.reset(42).observation() shouldBe first
                val next = a.reset().observation()
                next shouldNotBe first
                b.reset().observation() shouldBe next
                a.reset(43).observation() shouldNotBe first
            }
        }

        test("MountainCarContinuous holds a float64 state after reset and float32 after a step") {
            val env = MountainCarContinuous()
            env.reset(5)
            env.isFloat32State shouldBe false
            env.state()[0].toFloat().toDouble() shouldNotBe env.state()[0]
            env.step(floatArrayOf(0.3f))
            env.isFloat32State shouldBe true
            env.state().forEach { it.toFloat().toDouble() shouldBe it }
            env.setState(-0.5, 0.0)
            env.isFloat32State shouldBe false
        }
    }

    context("raw env contract") {
        test("stepping before reset fails and names the fix") {
            for (spec in ClassicControl.all()) {
                val env = raw(spec)
                val action: Any = if (env.actionSpace() is dev.proxima.core.space.Discrete) 0 else floatArrayOf(0f)
                shouldThrow<EnvContractException> { env.step(action) }.message!! shouldContain "before reset()"
            }
        }

        test("stepping after termination fails until reset or setState") {
            val env = CartPole()
            env.reset(0)
            env.setState(2.39, 1.0, 0.0, 0.0)
            env.step(1).terminated() shouldBe true
            shouldThrow<EnvContractException> { env.step(1) }.message!! shouldContain "after the episode terminated"
            env.setState(0.0, 0.0, 0.0, 0.0)
            env.step(1).terminated() shouldBe false
        }

        test("discrete actions outside the space are rejected with the choices") {
            val cp = CartPole().apply { reset(0) }
            shouldThrow<EnvContractException> { cp.step(2) }.message!! shouldContain "Discrete(2). Use 0 (push left) or 1 (push right)"
            shouldThrow<EnvContractException> { MountainCar().apply { reset(0) }.step(-1) }.message!! shouldContain "Discrete(3)"
            @Suppress("UNCHECKED_CAST")
            val acrobot = Acrobot().apply { reset(0) } as Env<FloatArray, Int?>
            shouldThrow<EnvContractException> { acrobot.step(null) }.message!! shouldContain "action null"
        }

        test("continuous actions: NaN and wrong length rejected, out-of-range clipped as in Gymnasium") {
            val p = Pendulum().apply { reset(0) }
            shouldThrow<EnvContractException> { p.step(floatArrayOf(Float.NaN)) }.message!! shouldContain "NaN"
            shouldThrow<EnvContractException> { p.step(floatArrayOf(1f, 2f)) }.message!! shouldContain "float[1]"
            p.setState(1.0, 0.5)
            val clipped = p.step(floatArrayOf(7f))
            val stateClipped = p.state()
            p.setState(1.0, 0.5)
            val atBound = p.step(floatArrayOf(2f))
            p.state() shouldBe stateClipped
            clipped.reward() shouldBe atBound.reward() // Pendulum's reward uses the clipped torque

            val m = MountainCarContinuous().apply { reset(0) }
            m.setState(-0.5, 0.0)
            val big = m.step(floatArrayOf(3f))
            val stateBig = m.state()
            m.setState(-0.5, 0.0)
            m.step(floatArrayOf(1f))
            m.state() shouldBe stateBig
            big.reward() shouldBe -0.9 // ...but MountainCarContinuous's reward uses the unclipped action: -0.1 * 3^2
        }

        test("setState checks the number of values and names the layout") {
            shouldThrow<IllegalArgumentException> { Acrobot().setState(1.0, 2.0) }.message!! shouldContain
                "expected 4 values (theta1, theta2, dtheta1, dtheta2) but got 2"
            CartPole().apply { setState(0.1, 0.2, 0.3, 0.4) }.state().toList() shouldBe listOf(0.1, 0.2, 0.3, 0.4)
        }
    }

    test("a step allocates only its observation and its Step (well under 160 bytes)") {
        val bean = ManagementFactory.getThreadMXBean() as com.sun.management.ThreadMXBean
        bean.isThreadAllocatedMemoryEnabled shouldBe true
        for (spec in ClassicControl.all()) {
            val env = raw(spec)
            val continuous = floatArrayOf(0.25f)
            val discrete = env.actionSpace() is dev.proxima.core.space.Discrete
            env.reset(0)
            fun run(n: Int) {
                for (i in 0 until n) {
                    val s = if (discrete) env.step(i % 2) else env.step(continuous)
                    if (s.terminated()) env.reset()
                }
            }
            run(30_000) // let the JIT compile step()
            val before = bean.currentThreadAllocatedBytes
            run(20_000)
            val perStep = (bean.currentThreadAllocatedBytes - before) / 20_000.0
            println("${spec.id()}: $perStep bytes allocated per step")
            perStep shouldBeLessThan 160.0
        }
    }
})
