package dev.proxima.envs.box2d

import dev.proxima.core.env.EnvContractException
import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.env.Snapshottable
import dev.proxima.core.env.check.EnvChecker
import dev.proxima.core.env.check.Finding.Check
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf

/** Registration, options, the env checker, the contract and the natives error. */
class Box2dEnvsTest : FunSpec({
    test("the four ids are registered through the EnvProvider SPI with Gymnasium's limits and thresholds") {
        val r = EnvRegistry.global()
        r.ids() shouldContainAll listOf("LunarLander-v3", "LunarLanderContinuous-v3", "BipedalWalker-v3",
            "BipedalWalkerHardcore-v3")
        r.spec("LunarLander-v3").maxEpisodeSteps().asInt shouldBe 1000
        r.spec("LunarLanderContinuous-v3").rewardThreshold().asDouble shouldBe 200.0
        r.spec("BipedalWalker-v3").maxEpisodeSteps().asInt shouldBe 1600
        r.spec("BipedalWalkerHardcore-v3").maxEpisodeSteps().asInt shouldBe 2000
        r.make("BipedalWalkerHardcore-v3", 0).unwrapped().shouldBeInstanceOf<BipedalWalker>().hardcore() shouldBe true
    }

    for (spec in Box2dEnvs.all()) {
        test("${spec.id()} passes the env checker as make() gives it and raw") {
            val made = EnvChecker.check(spec)
            withClue(made.toString()) { made.findings().shouldBeEmpty() }
            val raw = EnvChecker.check(spec.factory())
            withClue(raw.toString()) {
                raw.passed() shouldBe true
                // Like Gymnasium, the raw continuous envs accept (and clip) finite out-of-range actions.
                raw.warnings().map { it.check() }.toSet() shouldBe
                    if (spec.id() == "LunarLander-v3") emptySet() else setOf(Check.REJECTS_INVALID_ACTION)
            }
        }
        test("${spec.id()} is not Snapshottable (a Box2D world cannot be written back)") {
            spec.makeUnwrapped(0).use { (it is Snapshottable) shouldBe false }
        }
    }

    test("options: gravity out of (-12, 0) is refused with Gymnasium's bound; wind changes the trajectory") {
        shouldThrow<IllegalArgumentException> { Box2dEnvs.lunarLander().gravity(-12.5).spec() }.message shouldContain
            "gravity = -12.5 must be between -12 and 0"
        shouldThrow<IllegalArgumentException> { Box2dEnvs.lunarLanderContinuous().gravity(0.0).build() }
        val calm = Box2dEnvs.lunarLander().build()
        val windy = Box2dEnvs.lunarLander().enableWind(true).windPower(20.0).turbulencePower(2.0).build()
        val low = Box2dEnvs.lunarLander().gravity(-2.0).build()
        windy.windEnabled() shouldBe true
        windy.windPower() shouldBe 20.0
        low.gravity() shouldBe -2.0
        calm.reset(1); windy.reset(1); low.reset(1)
        var a = calm.step(0).observation()
        var b = windy.step(0).observation()
        var c = low.step(0).observation()
        repeat(20) { a = calm.step(0).observation(); b = windy.step(0).observation(); c = low.step(0).observation() }
        b[0] shouldNotBe a[0] // wind pushes sideways
        (c[3] > a[3]) shouldBe true // weaker gravity: falls slower
        listOf(calm, windy, low).forEach { it.close() }
    }

    test("the contract: step before reset, after termination, with null, NaN or the wrong length") {
        LunarLander().use { env ->
            shouldThrow<EnvContractException> { env.step(0) }.message shouldContain "before reset()"
            env.reset(0)
            shouldThrow<EnvContractException> { env.step(4) }.message shouldContain "Discrete(4)"
            shouldThrow<EnvContractException> { env.step(null) }
            var s = env.step(2)
            while (!s.terminated()) s = env.step(2) // the main engine alone flies off screen
            shouldThrow<EnvContractException> { env.step(0) }.message shouldContain "after the episode terminated"
        }
        BipedalWalker().use { env ->
            env.reset(0)
            shouldThrow<EnvContractException> { env.step(FloatArray(3)) }.message shouldContain "float[4]"
            shouldThrow<EnvContractException> { env.step(floatArrayOf(0f, Float.NaN, 0f, 0f)) }.message shouldContain "NaN"
        }
    }

    test("the same seed gives the same episode; close is idempotent and reset works after it") {
        val e1 = LunarLanderContinuous()
        val e2 = LunarLanderContinuous()
        e1.reset(42).observation().toList() shouldBe e2.reset(42).observation().toList()
        repeat(50) { e1.step(floatArrayOf(0.6f, -0.7f)).observation().toList() shouldBe e2.step(floatArrayOf(0.6f, -0.7f)).observation().toList() }
        e1.close(); e1.close()
        shouldThrow<IllegalStateException> { e1.bodies() }
        e1.reset(42).observation().toList() shouldBe e2.reset(42).observation().toList()
        e1.close(); e2.close()
    }

    test("on an unsupported platform the error names it and the supported ones") {
        // A child JVM that reports a CPU the natives-desktop jars have no library for.
        val java = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString()
        val p = ProcessBuilder(java, "-Dos.arch=sparcv9", "-cp", System.getProperty("java.class.path"),
            NativesProbe::class.java.name).redirectErrorStream(true).start()
        val output = p.inputStream.bufferedReader().readText()
        p.waitFor()
        output shouldContain "Box2dNativesException: cannot load libGDX's natives (gdx, gdx-box2d) on this platform:" +
            " ${System.getProperty("os.name")} sparcv9"
        output shouldContain "support Linux x86_64"
    }
})
