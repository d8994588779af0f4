/**
 * The `ppo { }` DSL: typed builders ([PpoSpec], [NetworkSpec], [LossSpec]) over core's [PpoConfig.Builder] and
 * [Trainer.Builder], the built-in envs as values ([CartPole], [Pendulum], ...), and the entry point [ppo], which
 * returns a [dev.proxima.dsl.pipeline.PpoTrainer].
 */
package dev.proxima.dsl

import dev.proxima.core.dist.ContinuousActions
import dev.proxima.core.dist.LogStdBound
import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvFactory
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.nn.NetworkFactory
import dev.proxima.core.plugin.Registry
import dev.proxima.core.ppo.LossTerm
import dev.proxima.core.ppo.Param
import dev.proxima.core.ppo.Params
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.PpoConfigException
import dev.proxima.core.ppo.Preset
import dev.proxima.core.train.Callback
import dev.proxima.core.train.Checkpoint
import dev.proxima.core.train.EarlyStop
import dev.proxima.core.train.EvalListener
import dev.proxima.core.train.Evaluate
import dev.proxima.core.train.RolloutCollector
import dev.proxima.core.train.Trainer
import dev.proxima.core.train.UpdateListener
import dev.proxima.dsl.koin.toRegistry
import dev.proxima.dsl.pipeline.PpoTrainer
import dev.proxima.dsl.pipeline.asSamplingExecutor
import java.nio.file.Path
import kotlin.contracts.ExperimentalContracts
import kotlin.contracts.InvocationKind
import kotlin.contracts.contract
import kotlinx.coroutines.CoroutineDispatcher
import org.koin.core.Koin
import org.koin.core.KoinApplication
import org.koin.core.context.GlobalContext

/** The one marker of every `ppo { }` builder: a setting of an outer block cannot be called from an inner one. */
@DslMarker
@Target(AnnotationTarget.CLASS, AnnotationTarget.TYPE)
annotation class PpoDsl

/**
 * A PPO run described in Kotlin, built into an immutable [PpoTrainer]; every problem is reported at once, when the
 * block ends, in one [PpoConfigException] (the same messages as the Java builders').
 *
 * ```kotlin
 * val trainer = ppo {
 *     env(CartPole)                     // or env("CartPole-v1"), env(::MyEnv), env { seed -> MyEnv(seed) }
 *     seed(1)
 *     clip(0.2)
 *     rollout(numEnvs = 8, numSteps = 128)
 *     gae(gamma = 0.99, lambda = 0.95)
 *     updateEpochs(4); numMinibatches(4)
 *     network { shared(64, 64); activation(Tanh) }
 *     learningRate(3e-4); annealLr(true)
 *     evaluate(every = 10, episodes = 10)
 * }
 * val result = trainer.train(100_000)
 * ```
 * Settings keep CleanRL's names ([Params]); defaults are CleanRL's `ppo.py`; `preset(TUNED)` takes tuned values for the
 * built-in envs instead (see [Preset]) for every setting the block does not give. Ids (envs, networks, loss terms) are
 * looked up in the Koin container of [ppo]'s `koin` argument (or the global one, if Koin was started), then in core's
 * [Registry] (ServiceLoader, `register...` calls, built-ins).
 */
@OptIn(ExperimentalContracts::class)
fun ppo(block: PpoSpec.() -> Unit): PpoTrainer {
    contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
    return PpoSpec(GlobalContext.getOrNull()).apply(block).build()
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
 * The body of `ppo { }`: one function per setting of [Params], with CleanRL's camelCased name (`learningRate`,
 * `numEnvs`, `updateEpochs`, ..., `clip`), the two-setting helpers of the Java builder (`rollout`, `gae`), the
 * `network { }` and `loss { }` blocks, and the trainer's settings (`workers`, `totalSteps`, callbacks).
 */
@PpoDsl
class PpoSpec internal constructor(private val koin: Koin?) {
    private val b = PpoConfig.builder()
    private val t = Trainer.builder(null)
    private var envId: String? = null
    private var registry: Registry? = null
    private var network: ((Registry, MutableList<String>) -> NetworkFactory?)? = null
    private var loss: LossSpec? = null
    private val addedLosses = ArrayList<Any>() // LossTerm or an id
    private var dispatcher: CoroutineDispatcher? = null

    // ----------------------------------------------------------------------------------------------- environment

    /** The env to train on, with its time limit and reward threshold, e.g. `env(CartPole)`. */
    fun env(spec: EnvSpec<*, *>) {
        envId = null
        b.env(spec)
    }

    /** An env by id, e.g. `env("CartPole-v1")`: Koin first, then core's [Registry] (ServiceLoader, built-ins). */
    fun env(id: String) {
        envId = id
    }

    /**
     * A custom env made by [factory] from each copy's seed: `env(::Warehouse)` for a `Warehouse(seed: Long)`
     * constructor, `env { Warehouse() }` for a no-argument one. Its id is the env's `name()`; it has no time limit (the
     * env must end its episodes itself) and no reward threshold: give them with
     * `env(id, maxEpisodeSteps, rewardThreshold) { ... }`.
     */
    fun env(factory: (seed: Long) -> Env<*, *>) {
        envId = null
        b.env(envFactory(factory))
    }

    /**
     * A custom env under [id], made by [factory] from each copy's seed, with a time limit of [maxEpisodeSteps]
     * (0: none) and a [rewardThreshold] for early stops (NaN: none):
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

    /** A custom env from a Java [EnvFactory]. */
    fun env(factory: EnvFactory<*, *>) {
        envId = null
        b.env(factory)
    }

    /** The registry ids are looked up in after Koin (default [Registry.global]). */
    fun registry(registry: Registry) {
        this.registry = registry
    }

    // ----------------------------------------------------------------------------------------------- settings

    /** Any setting by its [Param], e.g. `set(Params.CLIP, 0.1)`. */
    fun <T> set(param: Param<T>, value: T) {
        b.set(param, value)
    }

    /** Any setting by name and text, as the CLI's `--set name=value`; a misspelt name is reported with the closest. */
    fun set(name: String, value: String) {
        b.set(name, value)
    }

    /** The one seed from which network init, env seeds, action sampling and minibatch order derive. */
    fun seed(seed: Long) { b.seed(seed) }

    /** Env copies stepped in lock-step (CleanRL `num_envs`, default 4). */
    fun numEnvs(n: Int) { b.numEnvs(n) }

    /** Steps per env copy per rollout (CleanRL `num_steps`, default 128). */
    fun numSteps(n: Int) { b.numSteps(n) }

    /** [numEnvs] × [numSteps] steps per rollout. */
    fun rollout(numEnvs: Int, numSteps: Int) { b.rollout(numEnvs, numSteps) }

    /** Adam's step size (CleanRL: 2.5e-4; 3e-4 for continuous control). */
    fun learningRate(lr: Double) { b.learningRate(lr) }

    /** Linear learning-rate annealing towards 0 over the run (CleanRL `anneal_lr`, default on). */
    fun annealLr(on: Boolean) { b.annealLr(on) }

    fun gamma(gamma: Double) { b.gamma(gamma) }
    fun gaeLambda(lambda: Double) { b.gaeLambda(lambda) }

    /** The discount γ and GAE's λ (CleanRL: 0.99, 0.95); an argument left out keeps its value. */
    fun gae(gamma: Double? = null, lambda: Double? = null) {
        gamma?.let { b.gamma(it) }
        lambda?.let { b.gaeLambda(it) }
    }

    /** Minibatches per epoch (CleanRL `num_minibatches`, default 4). */
    fun numMinibatches(n: Int) { b.numMinibatches(n) }

    /** Passes over the rollout per update (CleanRL `update_epochs`, default 4). */
    fun updateEpochs(n: Int) { b.updateEpochs(n) }

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

    /**
     * How a `Box` action space is handled: `ContinuousActions.CLIP` (CleanRL's clipped Gaussian, the default) or
     * `ContinuousActions.TANH` (a tanh-squashed Gaussian with the exact log-probability).
     */
    fun continuousActions(mode: ContinuousActions) { b.continuousActions(mode) }

    /** Bounds the Gaussian's `log_std`, e.g. `logStdBound(LogStdBound.clamp(-20.0, 2.0))`. */
    fun logStdBound(bound: LogStdBound) { b.logStdBound(bound) }

    fun normalizeObservation(on: Boolean) { b.normalizeObservation(on) }
    fun normalizeReward(on: Boolean) { b.normalizeReward(on) }
    fun clipAction(on: Boolean) { b.clipAction(on) }

    // Earlier names, kept so that existing scripts still compile; each says what to write instead.

    @Deprecated("One name per setting: learningRate (and annealLr).", ReplaceWith("learningRate(value)"))
    fun lr(value: Double, anneal: Boolean? = null) {
        b.learningRate(value)
        anneal?.let { b.annealLr(it) }
    }

    @Deprecated("One name per setting: numEnvs.", ReplaceWith("numEnvs(n)"))
    fun envs(n: Int) { b.numEnvs(n) }

    @Deprecated("One name per setting: numSteps.", ReplaceWith("numSteps(n)"))
    fun steps(n: Int) { b.numSteps(n) }

    @Deprecated("One name per setting: updateEpochs.", ReplaceWith("updateEpochs(n)"))
    fun epochs(n: Int) { b.updateEpochs(n) }

    @Deprecated("One name per setting: numMinibatches.", ReplaceWith("numMinibatches(n)"))
    fun minibatches(n: Int) { b.numMinibatches(n) }

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

    /** The loss terms, replacing the default three; see [LossSpec]. To add one term to the defaults, use [addLoss]. */
    @OptIn(ExperimentalContracts::class)
    fun loss(block: LossSpec.() -> Unit) {
        contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
        loss = LossSpec().apply(block)
    }

    @Deprecated("One name: loss { }.", ReplaceWith("loss(block)"))
    @OptIn(ExperimentalContracts::class)
    fun losses(block: LossSpec.() -> Unit) {
        contract { callsInPlace(block, InvocationKind.EXACTLY_ONCE) }
        loss(block)
    }

    /** Adds a term after the default ones (or the `loss { }` block's), e.g. `addLoss(KlPenalty())`. */
    fun addLoss(term: LossTerm) {
        addedLosses += term
    }

    /** Adds the loss term registered under [id] after the default ones. */
    fun addLoss(id: String) {
        addedLosses += id
    }

    // ----------------------------------------------------------------------------------------------- trainer

    /** Sampling workers per rollout step, in `[1, numEnvs]` (default 1); results do not depend on it. */
    fun workers(n: Int) { t.workers(n) }

    /**
     * Threads of each minibatch's forward/backward and of Adam's update (default 1); results are the same bits for
     * any number. With 2 and separate actor and critic networks they run side by side: about 1.45× on CleanRL's
     * CartPole shape once the JIT has compiled the update, about 2× per minibatch step for wide networks, on idle
     * cores (see `Trainer.Builder`).
     */
    fun optimiserThreads(n: Int) { t.optimiserThreads(n) }

    /**
     * Where rollouts come from (default: this process's env copies). The `proxima-cluster` module adds
     * `cluster(workers = 4) { ... }`, which sets this to worker JVMs.
     */
    fun collector(factory: RolloutCollector.Factory) { t.collector(factory) }

    /** The budget `train()` and `updates()` use when given none (default 100 000 env steps). */
    fun totalSteps(steps: Long) { t.totalSteps(steps) }

    /** Called after every update, in order with the other callbacks. */
    fun onUpdate(listener: UpdateListener) { t.onUpdate(listener) }

    /** Any core [Callback] (your own, or [Evaluate], [EarlyStop], [Checkpoint] built in Java style). */
    fun callback(callback: Callback) { t.callback(callback) }

    /**
     * Evaluates the agent every [every] updates (and after the last) on [episodes] episodes, deterministically unless
     * told otherwise, from [seed] (default: the run's seed + 1,000,000); saves the best agent to [saveBest] if given,
     * and passes each result to [listener].
     */
    fun evaluate(
        every: Int,
        episodes: Int = 10,
        deterministic: Boolean = true,
        seed: Long? = null,
        saveBest: Path? = null,
        listener: EvalListener = EvalListener.NONE,
    ) {
        var e = Evaluate.every(every).episodes(episodes).deterministic(deterministic).listener(listener)
        if (seed != null) e = e.seed(seed)
        if (saveBest != null) e = e.saveBest(saveBest)
        t.callback(e)
    }

    /** Writes a training checkpoint every [every] updates to [dir] as `update-000010.safetensors`. */
    fun checkpoints(every: Int, dir: Path, keepLast: Int = 0) {
        t.callback(Checkpoint.every(every).to(dir).keepLast(keepLast))
    }

    /**
     * Stops once the mean return watched ([on]: the latest evaluation by default; needs [evaluate]) reaches
     * [threshold]; NaN (the default) takes the env's reward threshold.
     */
    fun earlyStop(on: EarlyStop.On = EarlyStop.On.EVALUATION, threshold: Double = Double.NaN) {
        t.callback(EarlyStop.of(on, threshold))
    }

    /** Runs sampling workers on [dispatcher] (e.g. `Dispatchers.IO` for envs that block), and `suspend` training. */
    fun dispatcher(dispatcher: CoroutineDispatcher) {
        this.dispatcher = dispatcher
        t.samplingExecutor(dispatcher.asSamplingExecutor())
    }

    internal fun build(): PpoTrainer {
        val reg = koin?.let { k -> (registry ?: Registry.global()).with(k.toRegistry()) } ?: registry ?: Registry.global()
        val problems = ArrayList<String>()
        b.registry(reg)
        envId?.let { b.env(it) }
        network?.invoke(reg, problems)?.let { b.network(it) }
        loss?.resolve(reg, problems)?.let { b.losses(it) }
        for (added in addedLosses) {
            when (added) {
                is LossTerm -> b.addLoss(added)
                else -> try {
                    b.addLoss(reg.lossTerm(added as String))
                } catch (e: NoSuchElementException) {
                    problems += "addLoss: ${e.message}"
                }
            }
        }
        val config = try {
            b.build()
        } catch (e: PpoConfigException) {
            problems.addAll(0, e.problems())
            null
        }
        if (config == null) throw PpoConfigException(problems + t.problems())
        val trainer = try {
            t.config(config).build()
        } catch (e: PpoConfigException) {
            problems.addAll(e.problems())
            null
        }
        if (problems.isNotEmpty() || trainer == null) throw PpoConfigException(problems)
        return PpoTrainer(trainer).also { p -> dispatcher?.let { p.dispatcher = it } }
    }

    @Suppress("UNCHECKED_CAST")
    private fun envFactory(factory: (Long) -> Env<*, *>) = EnvFactory { seed -> factory(seed) as Env<Any, Any> }
}
