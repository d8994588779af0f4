package dev.proxima.dsl.koin

import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.nn.Activation
import dev.proxima.core.nn.Network
import dev.proxima.core.nn.NetworkFactory
import dev.proxima.core.ppo.ClippedSurrogate
import dev.proxima.core.ppo.EntropyBonus
import dev.proxima.core.ppo.KlPenalty
import dev.proxima.core.ppo.LossTerm
import dev.proxima.core.ppo.PpoConfigException
import dev.proxima.core.ppo.ValueLoss
import dev.proxima.dsl.CartPole
import dev.proxima.dsl.Corridor
import dev.proxima.dsl.ValueL2
import dev.proxima.core.plugin.LossTermProvider
import dev.proxima.core.plugin.NetworkProvider
import dev.proxima.core.plugin.PluginNotFoundException
import dev.proxima.core.plugin.Registry
import dev.proxima.dsl.ppo
import dev.proxima.envs.classic.ClassicControl
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import java.util.function.Supplier
import org.koin.core.context.startKoin
import org.koin.core.context.stopKoin
import org.koin.core.qualifier.named
import org.koin.dsl.koinApplication
import org.koin.dsl.module

/** Found through META-INF/services/dev.proxima.core.plugin.NetworkProvider in the test resources. */
class TestNetworkProvider : NetworkProvider {
    override fun networks(): Map<String, NetworkFactory> = mapOf("tiny-relu" to TINY)

    companion object {
        val TINY: Network = Network.shared(8).activation(Activation.RELU)
    }
}

/** Found through META-INF/services/dev.proxima.core.plugin.LossTermProvider in the test resources. */
class TestLossTermProvider : LossTermProvider {
    override fun lossTerms(): Map<String, Supplier<out LossTerm>> = mapOf("value-l2" to Supplier { ValueL2() })
}

class PluginsTest : FunSpec({

    test("ids that a provider resolves (gym:<id>, proxima-envs) are found through the DSL's lookup too") {
        val spec = Registry.global().spec("gym:CartPole-v1") // made lazily: no Python process starts here
        spec.id() shouldBe "gym:CartPole-v1"
        spec.shouldBeInstanceOf<dev.proxima.envs.gym.GymSpec>().pythonId() shouldBe "CartPole-v1"
        shouldThrow<dev.proxima.core.env.EnvNotFoundException> { Registry.global().spec("CartPol-v1") }.message shouldContain
            "Did you mean \"CartPole-v1\"?"
    }

    test("the built-in module holds the classic-control envs; core's registry the named networks and loss terms") {
        val koin = koinApplication { modules(proximaModule) }.koin
        koin.getAll<dev.proxima.core.env.EnvSpec<*, *>>().map { it.id() }.toSet() shouldBe
            ClassicControl.all().map { it.id() }.toSet()
        val r = Registry.global()
        r.network(BuiltinIds.SEPARATE_64_TANH) shouldBe Network.DEFAULT
        r.network(BuiltinIds.SHARED_64_RELU) shouldBe Network.shared(64, 64).activation(Activation.RELU)
        r.lossTerm(BuiltinIds.CLIPPED_SURROGATE).shouldBeInstanceOf<ClippedSurrogate>().clip().isPresent shouldBe false
        r.lossTerm(BuiltinIds.UNCLIPPED_SURROGATE).shouldBeInstanceOf<ClippedSurrogate>().clip().asDouble shouldBe
            Double.POSITIVE_INFINITY
        r.lossTerm(BuiltinIds.VALUE_LOSS_UNCLIPPED).shouldBeInstanceOf<ValueLoss>().clipped() shouldBe false
        r.lossTerm(BuiltinIds.ENTROPY_BONUS).shouldBeInstanceOf<EntropyBonus>().coef() shouldBe 0.01
        r.lossTerm(BuiltinIds.KL_PENALTY).shouldBeInstanceOf<KlPenalty>().adaptive() shouldBe true
    }

    test("one-line registrations of an env, a network and a loss term, used by id in ppo { }") {
        val wide = Network.shared(128, 128)
        val app = koinApplication {
            modules(module {
                env("Warehouse-v0", maxEpisodeSteps = 50, rewardThreshold = 0.5) { seed -> Corridor(seed) }
                network("wide", wide)
                lossTerm("l2") { ValueL2(0.1) }
            })
        }
        val c = ppo(app) {
            env("Warehouse-v0")
            network { use("wide") }
            loss { +ClippedSurrogate(); term("l2") }
        }.config
        c.env().id() shouldBe "Warehouse-v0"
        c.env().maxEpisodeSteps().asInt shouldBe 50
        c.env().makeUnwrapped(5).shouldBeInstanceOf<Corridor>().createdWithSeed shouldBe 5
        c.network() shouldBeSameInstanceAs wide
        c.losses()[1].shouldBeInstanceOf<ValueL2>()
        // ppo(koin) takes the container as well as the application.
        ppo(app.koin) { env("Warehouse-v0") }.config.env().id() shouldBe "Warehouse-v0"
    }

    test("ServiceLoader providers supply networks and loss terms for Java users") {
        val p = Registry.global()
        p.network("tiny-relu") shouldBeSameInstanceAs TestNetworkProvider.TINY
        p.lossTerm("value-l2").shouldBeInstanceOf<ValueL2>()
        p.networkIds() shouldContainAll listOf("tiny-relu", BuiltinIds.SEPARATE_64_TANH)
        ppo { env(CartPole); network { use("tiny-relu") } }.config.network() shouldBeSameInstanceAs
            TestNetworkProvider.TINY
    }

    test("Koin overrides ServiceLoader overrides the built-ins, for every kind") {
        val mine = Network.shared(4)
        val app = koinApplication {
            modules(module {
                network("tiny-relu", mine)
                network(BuiltinIds.SEPARATE_64_TANH, mine)
                lossTerm(BuiltinIds.KL_PENALTY) { KlPenalty.fixed(3.0) }
            })
        }
        val p = Registry.global().with(app.koin.toRegistry())
        p.network("tiny-relu") shouldBeSameInstanceAs mine
        p.network(BuiltinIds.SEPARATE_64_TANH) shouldBeSameInstanceAs mine
        p.lossTerm(BuiltinIds.KL_PENALTY).shouldBeInstanceOf<KlPenalty>().adaptive() shouldBe false
        Registry.global().lossTerm(BuiltinIds.KL_PENALTY).shouldBeInstanceOf<KlPenalty>().adaptive() shouldBe true
        ppo(app) { env(CartPole); network { use(BuiltinIds.SEPARATE_64_TANH) } }.config.network() shouldBeSameInstanceAs
            mine
    }

    test("unknown network ids list the known ones and the closest") {
        val e = shouldThrow<PluginNotFoundException> { Registry.global().network("shared-64-64-tahn") }
        e.message!! shouldContain "no network \"shared-64-64-tahn\"."
        e.message!! shouldContain "Did you mean \"shared-64-64-tanh\"?"
        e.message!! shouldContain "tiny-relu"
        e.message!! shouldContain "META-INF/services/dev.proxima.core.plugin.NetworkProvider"
        shouldThrow<PpoConfigException> { ppo { env(CartPole); network { use("resnet") } } }.message!! shouldContain
            "network: no network \"resnet\""
    }

    test("without an explicit container, ppo { } uses Koin's global context when it was started") {
        shouldThrow<PpoConfigException> { ppo { env("Global-v0") } }
        startKoin { modules(module { env("Global-v0") { Corridor(it) } }) }
        try {
            ppo { env("Global-v0") }.config.env().id() shouldBe "Global-v0"
        } finally {
            stopKoin()
        }
        shouldThrow<PpoConfigException> { ppo { env("Global-v0") } }
    }

    test("a registry given to ppo { } is consulted after Koin") {
        val reg = Registry().register("CartPole-v1") { Corridor(it) }
        ppo { registry(reg); env("CartPole-v1") }.config.env().makeUnwrapped(1).shouldBeInstanceOf<Corridor>()
        val app = koinApplication { modules(module { env("CartPole-v1", maxEpisodeSteps = 3) { Corridor(it) } }) }
        ppo(app) { registry(reg); env("CartPole-v1") }.config.env().maxEpisodeSteps().asInt shouldBe 3
    }

    test("a custom network registered by id round-trips through an agent checkpoint") {
        val custom = dev.proxima.core.nn.NetworkFactory { o, p, l, rng -> Network.shared(5).create(o, p, l, rng) }
        val reg = Registry.global().with(Registry().registerNetwork("five", custom))
        val trainer = ppo { registry(reg); env(CartPole); numSteps(32); network { use("five") } }
        val agent = trainer.trainBlocking(128).agent()
        val file = java.nio.file.Files.createTempFile("custom-net", ".safetensors")
        agent.save(file)
        val loaded = reg.loadAgent(file)
        loaded.evaluate(2, true, 3) shouldBe agent.evaluate(2, true, 3)
        shouldThrow<java.io.IOException> { dev.proxima.core.ppo.Agent.load(file) }.message!! shouldContain
            "register it under the name \"five\""
    }
})
