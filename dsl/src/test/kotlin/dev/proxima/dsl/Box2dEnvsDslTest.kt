package dev.proxima.dsl

import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.Preset
import dev.proxima.core.ppo.Preset.TUNED
import dev.proxima.envs.box2d.Box2dEnvs
import dev.proxima.envs.box2d.LunarLanderEnv
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf

/** `env(LunarLander)` and friends compile as written and are the registered specs. */
class Box2dEnvsDslTest : FunSpec({
    test("the four Box2D objects carry Gymnasium's ids, limits and thresholds") {
        listOf(LunarLander, LunarLanderContinuous, BipedalWalker, BipedalWalkerHardcore).map { it.id() } shouldBe
            listOf("LunarLander-v3", "LunarLanderContinuous-v3", "BipedalWalker-v3", "BipedalWalkerHardcore-v3")
        for (spec in listOf(LunarLander, LunarLanderContinuous, BipedalWalker, BipedalWalkerHardcore)) {
            val registered = EnvRegistry.global().spec(spec.id())
            spec.maxEpisodeSteps() shouldBe registered.maxEpisodeSteps()
            spec.rewardThreshold() shouldBe registered.rewardThreshold()
        }
    }

    test("ppo { env(LunarLander); preset(TUNED) } is the Java builder's config, with rl-zoo3's values") {
        val k = ppo { env(LunarLander); preset(TUNED) }.config
        val j = PpoConfig.builder().env(Box2dEnvs.lunarLander().spec()).preset(Preset.TUNED).build()
        k.toMap() shouldBe j.toMap()
        k.numEnvs() shouldBe 16
        k.gamma() shouldBe 0.999
        ppo { env(BipedalWalker); preset(TUNED) }.config.normalizeObservation() shouldBe true
        ppo { env(LunarLanderContinuous) }.config.env().makeUnwrapped(0).use { it.shouldBeInstanceOf<LunarLanderEnv<*>>() }
    }

    test("Gymnasium's options through the Java builder") {
        val windy = ppo { env(Box2dEnvs.lunarLander().enableWind(true).gravity(-5.0).spec()) }.config
        windy.env().makeUnwrapped(0).use { e ->
            val lander = e.shouldBeInstanceOf<LunarLanderEnv<*>>()
            lander.windEnabled() shouldBe true
            lander.gravity() shouldBe -5.0
        }
    }
})
