package dev.proxima.dsl

import dev.proxima.core.dist.ContinuousActions
import dev.proxima.core.dist.LogStdBound
import dev.proxima.core.env.EnvFactory
import dev.proxima.core.env.EnvNotFoundException
import dev.proxima.core.plugin.Registry
import dev.proxima.core.ppo.Params
import dev.proxima.dsl.koin.toRegistry
import io.kotest.matchers.collections.shouldContainAll
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.nn.Activation
import dev.proxima.core.nn.Network
import dev.proxima.core.ppo.ClippedSurrogate
import dev.proxima.core.ppo.EntropyBonus
import dev.proxima.core.ppo.HeadGrads
import dev.proxima.core.ppo.HeadOutputs
import dev.proxima.core.ppo.KlPenalty
import dev.proxima.core.ppo.LossTerm
import dev.proxima.core.ppo.Minibatch
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.PpoConfigException
import dev.proxima.core.ppo.Preset
import dev.proxima.core.ppo.ValueLoss
import dev.proxima.dsl.koin.env
import dev.proxima.envs.classic.ClassicControl
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import org.koin.dsl.koinApplication
import org.koin.dsl.module

/** An auxiliary term as a user would write one: an L2 penalty on the value. */
class ValueL2(private val coef: Double = 1e-3) : LossTerm {
    override fun key() = "losses/value_l2"
    override fun weight(ctx: dev.proxima.core.ppo.LossContext) = coef
    override fun lossAndGrad(mb: Minibatch, out: HeadOutputs, grad: HeadGrads): Double {
        var s = 0.0
        for (i in 0 until mb.size()) {
            s += out.value(i) * out.value(i)
            grad.addValue(i, 2 * out.value(i) / mb.size())
        }
        return s / mb.size()
    }
}

class PpoDslTest : FunSpec({

    test("the issue's example compiles as written and sets every value it names") {
        val trainer = ppo {
            env(CartPole)
            clip(0.2)
            numEnvs(8); numSteps(128)
            gae(gamma = 0.99, lambda = 0.95)
            updateEpochs(4); numMinibatches(4)
            network {
                shared(64, 64)
                activation(Tanh)
            }
            loss {
                +ClippedSurrogate()
                +ValueLoss(coef = 0.5, clipped = true)
                +EntropyBonus(coef = 0.01)
                +ValueL2()
            }
            learningRate(3e-4); annealLr(true)
            seed(1)
        }
        val c = trainer.config
        c.env() shouldBeSameInstanceAs CartPole
        c.numEnvs() shouldBe 8
        c.numSteps() shouldBe 128
        c.gamma() shouldBe 0.99
        c.gaeLambda() shouldBe 0.95
        c.updateEpochs() shouldBe 4
        c.numMinibatches() shouldBe 4
        c.network() shouldBe Network.shared(64, 64)
        c.learningRate() shouldBe 3e-4
        c.annealLr() shouldBe true
        c.losses().map { it.javaClass } shouldContainExactly listOf(ClippedSurrogate::class.java,
            ValueLoss::class.java, EntropyBonus::class.java, ValueL2::class.java)
        (c.losses()[1] as ValueLoss).coef() shouldBe 0.5
        (c.losses()[2] as EntropyBonus).coef() shouldBe 0.01
        trainer.totalSteps shouldBe 100_000L
        trainer.workers shouldBe 1
        trainer.optimiserThreads shouldBe 1
    }

    test("optimiserThreads(n) reaches the core trainer") {
        val t = ppo { env(CartPole); optimiserThreads(2) }
        t.optimiserThreads shouldBe 2
        t.trainer.optimiserThreads() shouldBe 2
    }

    test("every PpoConfig setting is reachable and gives the config the Java builder gives") {
        val dsl = ppo {
            env(Pendulum)
            seed(7)
            numEnvs(2); numSteps(64)
            learningRate(1e-3); annealLr(false)
            gamma(0.9); gaeLambda(0.8)
            numMinibatches(8); updateEpochs(3)
            normAdv(false)
            clip(0.3)
            clipVloss(false); entCoef(0.0); annealEnt(true); vfCoef(0.25)
            maxGradNorm(1.5); targetKl(0.02); adamEps(1e-7)
            bootstrapTruncated(false); normalizeObservation(true); normalizeReward(true); clipAction(false)
            logStdInit(-0.5)
            continuousActions(ContinuousActions.TANH); logStdBound(LogStdBound.clamp(-20.0, 2.0))
            network(Network.separate(intArrayOf(32), intArrayOf(16)).activation(Activation.RELU))
            preset(CLEANRL)
        }.config
        val java = PpoConfig.builder().env(ClassicControl.pendulum()).seed(7).rollout(2, 64).learningRate(1e-3)
            .annealLr(false).gae(0.9, 0.8).numMinibatches(8).updateEpochs(3).normAdv(false).clip(0.3)
            .clipVloss(false).entCoef(0.0).annealEnt(true).vfCoef(0.25).maxGradNorm(1.5).targetKl(0.02)
            .adamEps(1e-7).bootstrapTruncated(false).normalizeObservation(true).normalizeReward(true)
            .clipAction(false).network(Network.separate(intArrayOf(32), intArrayOf(16)).activation(Activation.RELU))
            .logStdInit(-0.5).preset(Preset.CLEANRL)
            .continuousActions(ContinuousActions.TANH).logStdBound(LogStdBound.clamp(-20.0, 2.0))
            .build()
        dsl.toMap() shouldBe java.toMap()
        // Every key of the config is covered: a setting added to core without a DSL forwarder would show here.
        dsl.toMap().keys.filter { dsl.toMap()[it] == PpoConfig.builder().env(ClassicControl.pendulum()).build()
            .toMap()[it] } shouldBe listOf("env")
        // ... and every setting of core's table has a DSL function of the same name.
        val functions = PpoSpec::class.java.methods.map { it.name }.toSet()
        Params.names().filterNot { it in functions } shouldBe emptyList()
    }

    test("preset(TUNED) fills in what the block does not set, whatever the order") {
        val tuned = ppo { env(CartPole); preset(TUNED) }.config
        val javaTuned = PpoConfig.builder().env(ClassicControl.cartPole()).preset(Preset.TUNED).build()
        tuned.toMap() shouldBe javaTuned.toMap()
        tuned.numEnvs() shouldBe 8
        ppo { env(CartPole); updateEpochs(3); preset(TUNED) }.config.updateEpochs() shouldBe 3
        shouldThrow<PpoConfigException> { ppo { env { seed -> Corridor(seed) }; preset(TUNED) } }.message!! shouldContain
            "no tuned preset for env Corridor-v0"
    }

    test("defaults are CleanRL's, as the Java builder's") {
        ppo { env(CartPole) }.config.toMap() shouldBe PpoConfig.builder().env(ClassicControl.cartPole()).build().toMap()
    }

    test("the earlier short forms still compile (deprecated) and set the CleanRL-named fields") {
        @Suppress("DEPRECATION")
        val a = ppo { env(CartPole); envs(2); steps(16); epochs(2); minibatches(2); lr(1e-3); gae(0.9, 0.7) }.config
        val b = ppo {
            env(CartPole); numEnvs(2); numSteps(16); updateEpochs(2); numMinibatches(2); learningRate(1e-3)
            gamma(0.9); gaeLambda(0.7)
        }.config
        a.toMap() shouldBe b.toMap()
        ppo { env(CartPole); rollout(2, 16) }.config.batchSize() shouldBe 32
        // lr(x) without anneal keeps the annealing setting; gae with one argument keeps the other.
        @Suppress("DEPRECATION")
        val kept = ppo { env(CartPole); annealLr(false); lr(1e-3) }.config.annealLr()
        kept shouldBe false
        ppo { env(CartPole); set("learningRate", "1e-3"); set(Params.CLIP, 0.1) }.config.let {
            it.learningRate() shouldBe 1e-3
            it.clip() shouldBe 0.1
        }
        ppo { env(CartPole); gae(lambda = 0.5) }.config.gamma() shouldBe 0.99
    }

    test("env forms: object, id, constructor reference, seed lambda, factory, custom spec") {
        ppo { env("CartPole-v1") }.config.env().id() shouldBe "CartPole-v1"
        // One env(factory) form: a seed constructor by reference, a no-argument one in a lambda. A class with both
        // constructors is not ambiguous.
        ppo { env(::Corridor) }.config.env().makeUnwrapped(3).shouldBeInstanceOf<Corridor>().createdWithSeed shouldBe 3
        ppo { env { Corridor() } }.config.env().id() shouldBe "Corridor-v0"
        ppo { env(::Seeded) }.config.env().makeUnwrapped(4).shouldBeInstanceOf<Seeded>().seed shouldBe 4
        ppo { env(::WithDefault) }.config.env().makeUnwrapped(4).shouldBeInstanceOf<WithDefault>().seed shouldBe 4
        val seeds = mutableListOf<Long>()
        val t = ppo { env { seed -> seeds += seed; Corridor(seed) } }
        t.config.env().makeUnwrapped(42).shouldBeInstanceOf<Corridor>().createdWithSeed shouldBe 42
        ppo { env(EnvFactory { Corridor() }) }.config.env().id() shouldBe "Corridor-v0"
        val limited = ppo { env("Walk-v3", maxEpisodeSteps = 20, rewardThreshold = 0.9) { Corridor(it) } }.config.env()
        limited.id() shouldBe "Walk-v3"
        limited.maxEpisodeSteps().asInt shouldBe 20
        limited.rewardThreshold().asDouble shouldBe 0.9
        ppo { env(EnvSpec("Mine-v1", { Corridor() }, 9, 1.0)) }.config.env().id() shouldBe "Mine-v1"
        // The last env setting wins.
        ppo { env("Nope-v0"); env(CartPole) }.config.env() shouldBeSameInstanceAs CartPole
    }

    test("the env objects are the classic-control specs") {
        listOf(CartPole, Pendulum, MountainCar, MountainCarContinuous, Acrobot).zip(ClassicControl.all())
            .forEach { (obj, spec) ->
                obj.id() shouldBe spec.id()
                obj.factory() shouldBeSameInstanceAs spec.factory()
                obj.maxEpisodeSteps() shouldBe spec.maxEpisodeSteps()
                obj.rewardThreshold() shouldBe spec.rewardThreshold()
            }
    }

    test("invalid settings fail at build with one exception listing every problem, DSL ones included") {
        val e = shouldThrow<PpoConfigException> {
            ppo {
                env(CartPole)
                numEnvs(4); numSteps(128); numMinibatches(3)
                gamma(1.5)
                network { shared(64); actor(32) }
                workers(0)
                earlyStop()
            }
        }
        e.problems() shouldHaveSize 5
        e.message!! shouldStartWith "invalid PPO configuration (5 problems)"
        e.message!! shouldContain "numMinibatches = 3"
        e.message!! shouldContain "gamma = 1.5"
        e.message!! shouldContain "network: both shared(64) and actor(32) were given"
        e.message!! shouldContain "workers = 0"
        e.message!! shouldContain "EarlyStop(on=EVALUATION, threshold=env's) needs evaluations"
    }

    test("trainer settings that need the config are checked against it") {
        val e = shouldThrow<PpoConfigException> {
            ppo { env(Pendulum); numEnvs(2); workers(3); evaluate(every = 5); earlyStop() }
        }
        e.problems().joinToString("\n").let {
            it shouldContain "workers = 3 must not exceed numEnvs = 2"
            it shouldContain "env Pendulum-v1 has no reward threshold"
        }
        // Callback arguments are checked where they are given.
        shouldThrow<IllegalArgumentException> { ppo { env(CartPole); evaluate(every = 0) } }.message!! shouldContain
            "Evaluate.every(0)"
    }

    test("network block contradictions and bad sizes are problems, not exceptions from inside the block") {
        shouldThrow<PpoConfigException> { ppo { env(CartPole); network { use("shared-64-64-tanh"); shared(8) } } }
            .message!! shouldContain "use(\"shared-64-64-tanh\") was given together with shared(8)"
        shouldThrow<PpoConfigException> { ppo { env(CartPole); network { actor(0, 64) } } }
            .message!! shouldContain "actor[0] = 0"
        ppo { env(CartPole); network { critic(8) } }.config.network() shouldBe
            Network.separate(intArrayOf(64, 64), intArrayOf(8))
        ppo { env(CartPole); network { activation(Relu) } }.config.network() shouldBe
            Network.DEFAULT.activation(Activation.RELU)
        ppo { env(CartPole); network { use("separate-64-64-relu") } }.config.network() shouldBe
            Network.DEFAULT.activation(Activation.RELU)
    }

    test("the core's cross-checks still apply to the loss block") {
        val e = shouldThrow<PpoConfigException> {
            ppo { env(CartPole); clip(0.3); entCoef(0.02); loss { +ClippedSurrogate(clip = 0.2) } }
        }
        e.problems() shouldHaveSize 2
        e.message!! shouldContain "clip = 0.3 has no effect"
        e.message!! shouldContain "entCoef was set but the loss terms are replaced"
    }

    test("addLoss adds one term to the defaults, by instance or by id") {
        val c = ppo { env(CartPole); entCoef(0.0); addLoss(ValueL2()); addLoss("kl-penalty") }.config
        c.losses().map { it.key() } shouldContainExactly listOf("losses/policy_loss", "losses/value_loss",
            "losses/entropy", "losses/value_l2", "losses/kl_penalty")
        shouldThrow<PpoConfigException> { ppo { env(CartPole); addLoss("kl-penalti") } }.message!! shouldContain
            "Did you mean \"kl-penalty\"?"
    }

    test("loss terms by id: built-in, fresh per configuration; unknown ids suggest the closest") {
        val a = ppo { env(CartPole); loss { +ClippedSurrogate(); term("kl-penalty") } }.config.losses()[1]
        val b = ppo { env(CartPole); loss { +ClippedSurrogate(); term("kl-penalty") } }.config.losses()[1]
        a.shouldBeInstanceOf<KlPenalty>()
        (a === b) shouldBe false
        val e = shouldThrow<PpoConfigException> { ppo { env(CartPole); loss { term("kl-penalti") } } }
        e.message!! shouldContain "no loss term \"kl-penalti\""
        e.message!! shouldContain "Did you mean \"kl-penalty\"?"
        e.message!! shouldContain "clipped-surrogate"
        // Inside loss { } the capitalised builders take named arguments; statics of the classes stay reachable.
        val fixed = ppo { env(CartPole); loss { +ClippedSurrogate.unclipped(); +KlPenalty.fixed(0.3) } }
        (fixed.config.losses()[1] as KlPenalty).adaptive() shouldBe false
        val adaptive = ppo { env(CartPole); loss { +ClippedSurrogate(); +KlPenalty(beta = 2.0) } }
        (adaptive.config.losses()[1] as KlPenalty).initialBeta() shouldBe 2.0
    }

    test("an unknown env id lists Koin's, the registry's and the built-in ids and suggests the closest") {
        val app = koinApplication { modules(module { env("Warehouse-v0") { Corridor(it) } }) }
        val e = shouldThrow<PpoConfigException> { ppo(app) { env("Warehouse-v1") } }
        e.problems() shouldHaveSize 1
        val m = e.message!!
        m shouldContain "no environment \"Warehouse-v1\""
        m shouldContain "Warehouse-v0"
        m shouldContain "CartPole-v1"
        m shouldContain "Did you mean \"Warehouse-v0\"?"
        shouldThrow<PpoConfigException> { ppo { env("Cartpole-v1") } }.message!! shouldContain
            "Did you mean \"CartPole-v1\"?"
        // The EnvNotFoundException itself carries the union of ids.
        shouldThrow<EnvNotFoundException> {
            Registry.global().with(app.koin.toRegistry()).spec("Nope-v0")
        }.known() shouldContainExactly listOf("Acrobot-v1", "BipedalWalker-v3", "BipedalWalkerHardcore-v3",
            "CartPole-v1", "LunarLander-v3", "LunarLanderContinuous-v3", "MountainCar-v0", "MountainCarContinuous-v0",
            "Pendulum-v1", "Warehouse-v0")
    }

    test("Koin ids come first, then the registry given with registry(...)") {
        val app = koinApplication { modules(module { env("CartPole-v1", maxEpisodeSteps = 7) { Corridor(it) } }) }
        ppo(app) { env("CartPole-v1") }.config.env().maxEpisodeSteps().asInt shouldBe 7
        val reg = Registry().register("Line-v0") { Corridor(it) }
        ppo { registry(reg); env("Line-v0") }.config.env().id() shouldBe "Line-v0"
        ppo { env("Line-v0"); registry(reg) }.config.env().id() shouldBe "Line-v0"
    }
})
