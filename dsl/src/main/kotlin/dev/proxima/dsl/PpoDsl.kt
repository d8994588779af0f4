/**
 * The `ppo { }` DSL: typed builders ([PpoSpec], [NetworkSpec], [LossSpec]) over core's [PpoConfig.Builder], the
 * built-in envs as values ([CartPole], [Pendulum], ...), and the entry point [ppo], which returns a
 * [dev.proxima.dsl.pipeline.PpoTrainer].
 */
package dev.proxima.dsl

import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvFactory
import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.nn.NetworkFactory
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.PpoConfigException
import dev.proxima.core.ppo.Preset
import dev.proxima.core.ppo.UpdateListener
import dev.proxima.dsl.pipeline.CheckpointListener
import dev.proxima.dsl.pipeline.EvalListener
import dev.proxima.dsl.pipeline.PpoTrainer
import dev.proxima.dsl.pipeline.StopOn
import dev.proxima.dsl.plugins.Plugins
import java.nio.file.Path
import kotlin.contracts.ExperimentalContracts
import kotlin.contracts.InvocationKind
import kotlin.contracts.contract
import kotlinx.coroutines.CoroutineDispatcher
import org.koin.core.Koin
import org.koin.core.KoinApplication

/** The one marker of every `ppo { }` builder: a setting of an outer block cannot be called from an inner one. */
@DslMarker
@Target(AnnotationTarget.CLASS, AnnotationTarget.TYPE)
annotation class PpoDsl

/**
 * A PPO run described in Kotlin, built into an immutable [PpoTrainer]; every problem is reported at once, when the
 * block ends, in one [PpoConfigException] (the same messages as the Java builder's).
 *
 * ```kotlin
 * val trainer = ppo {
 *     env(CartPole)                     // or env("CartPole-v1"), env(::MyEnv), env { seed -> MyEnv(seed) }
 *     seed(1)
 *     clip(0.2)
 *     envs(8); steps(128)
 *     gae(gamma = 0.99, lambda = 0.95)
 *     epochs(4); minibatches(4)
 *     network { shared(64, 64); activation(Tanh) }
 *     lr(3e-4, anneal = true)
 * }
 * val result = trainer.train(steps = 100_000)
 * ```
 * Defaults are CleanRL's `ppo.py`, as in [PpoConfig.Builder]; `preset(TUNED)` takes tuned values for the built-in
 * envs instead (rl-baselines3-zoo's, see [Preset]), for every setting the block does not give. Env ids are looked up in the Koin container of
 * [ppo]'s `koin` argument (or the global one, if Koin was started), then in [EnvRegistry] (ServiceLoader), then among
 * the built-ins.
 */
@OptIn(ExperimentalContracts::class)
fun ppo(block: PpoSpec.() -> Unit): PpoTrainer {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    return PpoSpec(null).apply(block).build()
}

/** [ppo] resolving ids (envs, networks, loss terms) in [koin] first. */
@OptIn(ExperimentalContracts::class)
fun ppo(koin: Koin, block: PpoSpec.() -> Unit): PpoTrainer {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    return PpoSpec(koin).apply(block).build()
}

/** [ppo] resolving ids in the container of [app], e.g. `koinApplication { modules(myModule) }`. */
@OptIn(ExperimentalContracts::class)
fun ppo(app: KoinApplication, block: PpoSpec.() -> Unit): PpoTrainer {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    return PpoSpec(app.koin).apply(block).build()
}

/**
 * The body of `ppo { }`. One forwarder per [PpoConfig.Builder] setting with CleanRL's camelCased name
 * (`learningRate`, `numEnvs`, `updateEpochs`, ...), plus the short forms users write (`lr`, `envs`, `steps`,
 * `epochs`, `minibatches`, `gae`), the `network { }` and `loss { }` blocks, and the trainer's own settings
 * (`workers`, `totalSteps`, callbacks).
 */
@PpoDsl
class PpoSpec internal constructor(private val koin: Koin?) {
    private val b = PpoConfig.builder()
    private val t = PpoTrainer.builder()
    private var envId: String? = null
    private var registry: EnvRegistry? = null
    private var network: ((Plugins, MutableList<String>) -> NetworkFactory?)? = null
    private var loss: LossSpec? = null

    // ----------------------------------------------------------------------------------------------- environment

    /** The env to train on, with its time limit and reward threshold, e.g. `env(CartPole)`. */
    fun env(spec: EnvSpec<*, *>) {
        envId = null
        b.env(spec)
    }

    /** An env by id, e.g. `env("CartPole-v1")`: Koin first, then [EnvRegistry] (ServiceLoader), then built-ins. */
    fun env(id: String) {
        envId = id
    }

    /**
     * A custom env made by [factory] from each copy's seed, e.g. `env { seed -> Warehouse(seed) }` or
     * `env(::Warehouse)`. Its id is the env's `name()`; it has no time limit (the env must end its episodes itself)
     * and no reward threshold: give them with `env(id, maxEpisodeSteps, rewardThreshold) { ... }`.
     */
    fun env(factory: (seed: Long) -> Env<*, *>) {
        envId = null
        b.env(envFactory(factory))
    }

    /**
     * A custom env under [id], made by [factory] from each copy's seed, with a time limit of [maxEpisodeSteps]
     * (0: none) and a [rewardThreshold] for `earlyStop()` (NaN: none):
     * `env("Warehouse-v0", maxEpisodeSteps = 56) { seed -> Warehouse(seed) }`.
     */
    fun env(
        id: String,
        maxEpisodeSteps: Int = 0,
        rewardThreshold: Double = Double.NaN,
        factory: (seed: Long) -> Env<*, *>,
    ) {
        envId = null
        b.env(EnvSpec(id, envFactory(factory), maxEpisodeSteps, rewardThreshold))
    }

    /** A custom env from a no-argument constructor, e.g. `env(::GridWorld)`. */
    @JvmName("envFromConstructor")
    fun env(constructor: () -> Env<*, *>) {
        env { _: Long -> constructor() }
    }

    /** A custom env from a Java [EnvFactory]. */
    fun env(factory: EnvFactory<*, *>) {
        envId = null
        b.env(factory)
    }

    /** The registry `env("id")` consults after Koin (default [EnvRegistry.global]). */
    fun registry(registry: EnvRegistry) {
        this.registry = registry
        b.registry(registry)
    }

    // ----------------------------------------------------------------------------------------------- rollout

    /** The one seed from which network init, env seeds, action sampling and minibatch order derive. */
    fun seed(seed: Long) { b.seed(seed) }

    /** Env copies stepped in lock-step (CleanRL `num_envs`, default 4). */
    fun numEnvs(n: Int) { b.numEnvs(n) }

    /** [numEnvs]. */
    fun envs(n: Int) { b.numEnvs(n) }

    /** Steps per env copy per rollout (CleanRL `num_steps`, default 128). */
    fun numSteps(n: Int) { b.numSteps(n) }

    /** [numSteps]. */
    fun steps(n: Int) { b.numSteps(n) }

    /** [numEnvs] × [numSteps] steps per rollout. */
    fun rollout(numEnvs: Int, numSteps: Int) { b.rollout(numEnvs, numSteps) }

    // ----------------------------------------------------------------------------------------------- optimisation

    fun learningRate(lr: Double) { b.learningRate(lr) }

    /** Linear learning-rate annealing to 0 over the run (CleanRL `anneal_lr`, default on). */
    fun annealLr(on: Boolean) { b.annealLr(on) }

    /** The learning rate, and whether it anneals linearly to 0 (`null` leaves that setting as it is). */
    fun lr(value: Double, anneal: Boolean? = null) {
        b.learningRate(value)
        anneal?.let { b.annealLr(it) }
    }

    fun gamma(gamma: Double) { b.gamma(gamma) }
    fun gaeLambda(lambda: Double) { b.gaeLambda(lambda) }

    /** The discount γ and GAE's λ (CleanRL: 0.99, 0.95); an argument left out keeps its value. */
    fun gae(gamma: Double? = null, lambda: Double? = null) {
        gamma?.let { b.gamma(it) }
        lambda?.let { b.gaeLambda(it) }
    }

    fun numMinibatches(n: Int) { b.numMinibatches(n) }

    /** [numMinibatches]. */
    fun minibatches(n: Int) { b.numMinibatches(n) }

    fun updateEpochs(n: Int) { b.updateEpochs(n) }

    /** [updateEpochs]. */
    fun epochs(n: Int) { b.updateEpochs(n) }

    fun normAdv(on: Boolean) { b.normAdv(on) }

    /** The clip range ε of the clipped surrogate (and of value clipping), default 0.2. */
    fun clip(value: Double) { b.clip(value) }

    fun clipVloss(on: Boolean) { b.clipVloss(on) }
    fun entCoef(coef: Double) { b.entCoef(coef) }
    fun annealEnt(on: Boolean) { b.annealEnt(on) }
    fun vfCoef(coef: Double) { b.vfCoef(coef) }

    /** Global gradient-norm clip (default 0.5); `Double.POSITIVE_INFINITY` turns it off. */
    fun maxGradNorm(norm: Double) { b.maxGradNorm(norm) }

    /** Stop an update's epochs once approx KL exceeds this (default: never). */
    fun targetKl(kl: Double) { b.targetKl(kl) }

    fun adamEps(eps: Double) { b.adamEps(eps) }

    /** Bootstrap truncated episodes with V(final observation) (default on; off is CleanRL as written). */
    fun bootstrapTruncated(on: Boolean) { b.bootstrapTruncated(on) }

    /** Initial Gaussian `log_std` (CleanRL: 0, σ = 1); lower starts with less exploration noise. */
    fun logStdInit(value: Double) { b.logStdInit(value) }

    fun normalizeObservation(on: Boolean) { b.normalizeObservation(on) }
    fun normalizeReward(on: Boolean) { b.normalizeReward(on) }
    fun clipAction(on: Boolean) { b.clipAction(on) }

    // ----------------------------------------------------------------------------------------------- presets

    /** rl-baselines3-zoo's (or CleanRL's) tuned values for the env, where core has them; see [Preset.TUNED]. */
    val TUNED: Preset get() = Preset.TUNED

    /** CleanRL's defaults for the env's kind of action (`ppo.py` or `ppo_continuous_action.py`). */
    val CLEANRL: Preset get() = Preset.CLEANRL

    /**
     * Takes every setting not given in this block (before or after this call) from [preset] for the env, e.g.
     * `ppo { env(CartPole); preset(TUNED); seed(3) }`. Without a preset the defaults are CleanRL's `ppo.py`.
     */
    fun preset(preset: Preset) { b.preset(preset) }

    // ----------------------------------------------------------------------------------------------- model and loss

    /** The actor-critic architecture; see [NetworkSpec]. */
    @OptIn(ExperimentalContracts::class)
    fun network(block: NetworkSpec.() -> Unit) {
        contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
        val spec = NetworkSpec().apply(block)
        network = spec::resolve
    }

    /** A network factory instance, e.g. `network(Network.shared(128, 128))`. */
    fun network(factory: NetworkFactory) {
        network = { _, _ -> factory }
    }

    /** The loss terms, replacing the default three; see [LossSpec]. */
    @OptIn(ExperimentalContracts::class)
    fun loss(block: LossSpec.() -> Unit) {
        contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
        loss = LossSpec().apply(block)
    }

    /** [loss], under the core builder's name. */
    @OptIn(ExperimentalContracts::class)
    fun losses(block: LossSpec.() -> Unit) {
        contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
        loss(block)
    }

    // ----------------------------------------------------------------------------------------------- trainer

    /** Sampling coroutines per rollout step, in `[1, numEnvs]` (default 1); results do not depend on it. */
    fun workers(n: Int) { t.workers(n) }

    /** The budget `train()` and `updates()` use when given none (default 100 000 env steps). */
    fun totalSteps(steps: Long) { t.totalSteps(steps) }

    /** Called after every update. */
    fun onUpdate(listener: UpdateListener) { t.onUpdate(listener) }

    /**
     * Evaluates the agent every [every] updates (and after the last) on [episodes] episodes, deterministically
     * unless told otherwise, and passes the result to [listener].
     */
    fun evaluate(every: Int, episodes: Int, deterministic: Boolean = true, listener: EvalListener = EvalListener.NONE) {
        t.evaluate(every, episodes, deterministic, listener)
    }

    /** The seed every evaluation starts from (default: the run's seed). */
    fun evalSeed(seed: Long) { t.evalSeed(seed) }

    /** Calls [listener] with the run's stages every [every] updates, between updates (e.g. `stages.save(path)`). */
    fun checkpoints(every: Int, listener: CheckpointListener) { t.checkpoints(every, listener) }

    /** Writes a training checkpoint every [every] updates to [dir] as `update-000010.safetensors`. */
    fun checkpoints(every: Int, dir: Path) { t.checkpoints(every, dir) }

    /**
     * Stops once the mean return watched ([on]: evaluation by default) reaches [threshold]; NaN (the default) takes
     * the env's reward threshold.
     */
    fun earlyStop(on: StopOn = StopOn.EVALUATION, threshold: Double = Double.NaN) { t.earlyStop(on, threshold) }

    /** Runs sampling and training on [dispatcher] (default `Dispatchers.Default`; `Dispatchers.IO` for blocking envs). */
    fun dispatcher(dispatcher: CoroutineDispatcher) { t.dispatcher(dispatcher) }

    internal fun build(): PpoTrainer {
        val plugins = Plugins(koin, registry)
        val problems = ArrayList<String>()
        envId?.let { id ->
            try {
                b.registry(plugins.envRegistry()).env(id)
            } catch (e: RuntimeException) {
                problems += "env: ${e.message}"
            }
        }
        network?.invoke(plugins, problems)?.let { b.network(it) }
        loss?.resolve(plugins, problems)?.let { b.losses(it) }
        val config = try {
            b.build()
        } catch (e: PpoConfigException) {
            problems.addAll(0, e.problems())
            null
        }
        problems += t.problems(config)
        if (problems.isNotEmpty() || config == null) {
            throw PpoConfigException(problems)
        }
        return t.build(config)
    }

    @Suppress("UNCHECKED_CAST")
    private fun envFactory(factory: (Long) -> Env<*, *>) = EnvFactory { seed -> factory(seed) as Env<Any, Any> }
}
