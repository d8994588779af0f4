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
import dev.proxima.dsl.plugins.LossTermProvider
import dev.proxima.dsl.plugins.NetworkProvider
import dev.proxima.dsl.plugins.PluginNotFoundException
import dev.proxima.dsl.plugins.Plugins
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

/** Found through META-INF/services/dev.proxima.dsl.plugins.NetworkProvider in the test resources. */
class TestNetworkProvider : NetworkProvider {
    override fun networks(): Map<String, NetworkFactory> = mapOf("tiny-relu" to TINY)

    companion object {
        val TINY: Network = Network.shared(8).activation(Activation.RELU)
    }
}

/** Found through META-INF/services/dev.proxima.dsl.plugins.LossTermProvider in the test resources. */
class TestLossTermProvider : LossTermProvider {
    override fun lossTerms(): Map<String, Supplier<out LossTerm>> = mapOf("value-l2" to Supplier { ValueL2() })
}

class PluginsTest : FunSpec({

    test("the built-in module holds the classic-control envs, the named networks and the loss terms") {
        val koin = koinApplication { modules(proximaModule) }.koin
        koin.getAll<dev.proxima.core.env.EnvSpec<*, *>>().map { it.id() }.toSet() shouldBe
            ClassicControl.all().map { it.id() }.toSet()
        koin.get<NetworkPlugin>(named(BuiltinIds.SEPARATE_64_TANH)).factory shouldBe Network.DEFAULT
        koin.get<NetworkPlugin>(named(BuiltinIds.SHARED_64_RELU)).factory shouldBe
            Network.shared(64, 64).activation(Activation.RELU)
        val terms = koin.getAll<LossTermPlugin>().associate { it.id to it.create() }
        terms[BuiltinIds.CLIPPED_SURROGATE].shouldBeInstanceOf<ClippedSurrogate>().clip().isPresent shouldBe false
        terms[BuiltinIds.UNCLIPPED_SURROGATE].shouldBeInstanceOf<ClippedSurrogate>().clip().asDouble shouldBe
            Double.POSITIVE_INFINITY
        terms[BuiltinIds.VALUE_LOSS_UNCLIPPED].shouldBeInstanceOf<ValueLoss>().clipped() shouldBe false
        terms[BuiltinIds.ENTROPY_BONUS].shouldBeInstanceOf<EntropyBonus>().coef() shouldBe 0.01
        terms[BuiltinIds.KL_PENALTY].shouldBeInstanceOf<KlPenalty>().adaptive() shouldBe true
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
        val p = Plugins()
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
        val p = Plugins(app.koin)
        p.network("tiny-relu") shouldBeSameInstanceAs mine
        p.network(BuiltinIds.SEPARATE_64_TANH) shouldBeSameInstanceAs mine
        p.lossTerm(BuiltinIds.KL_PENALTY).shouldBeInstanceOf<KlPenalty>().adaptive() shouldBe false
        Plugins().lossTerm(BuiltinIds.KL_PENALTY).shouldBeInstanceOf<KlPenalty>().adaptive() shouldBe true
    }

    test("unknown network ids list the known ones and the closest") {
        val e = shouldThrow<PluginNotFoundException> { Plugins().network("shared-64-64-tahn") }
        e.message!! shouldContain "no network \"shared-64-64-tahn\"."
        e.message!! shouldContain "Did you mean \"shared-64-64-tanh\"?"
        e.message!! shouldContain "tiny-relu"
        e.message!! shouldContain "META-INF/services/dev.proxima.dsl.plugins.NetworkProvider"
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

    test("a registry passed to Plugins is consulted after Koin and before the built-ins") {
        val reg = EnvRegistry().register("CartPole-v1") { Corridor(it) }
        Plugins(null, reg).env("CartPole-v1").makeUnwrapped(1).shouldBeInstanceOf<Corridor>()
        Plugins(null, EnvRegistry()).env("CartPole-v1").id() shouldBe "CartPole-v1" // built-in fallback
    }
})
