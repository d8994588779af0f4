/**
 * Koin integration: [proximaModule] holds the built-in envs, network factories and loss terms; [env], [network] and
 * [lossTerm] register your own in one line each, and `ppo(koin) { env("Warehouse-v0") }` refers to them by id.
 * Nothing here starts Koin globally: pass a [org.koin.core.Koin] or [org.koin.core.KoinApplication] to `ppo`, or start
 * Koin yourself and `ppo { }` uses the global context.
 */
package dev.proxima.dsl.koin

import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvFactory
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.nn.Activation
import dev.proxima.core.nn.Network
import dev.proxima.core.nn.NetworkFactory
import dev.proxima.core.ppo.ClippedSurrogate
import dev.proxima.core.ppo.EntropyBonus
import dev.proxima.core.ppo.KlPenalty
import dev.proxima.core.ppo.LossTerm
import dev.proxima.core.ppo.ValueLoss
import dev.proxima.envs.classic.ClassicControl
import org.koin.core.module.Module
import org.koin.core.qualifier.named
import org.koin.dsl.module

/**
 * A network factory registered under an id. Koin resolves by class, so named factories are wrapped in this holder
 * (qualified by the id) to list them all with `getAll<NetworkPlugin>()`.
 */
class NetworkPlugin(@get:JvmName("id") val id: String, @get:JvmName("factory") val factory: NetworkFactory) {
    override fun toString() = "NetworkPlugin($id = $factory)"
}

/**
 * A loss term maker registered under an id; [create] gives a fresh instance each time because terms may carry
 * per-run state (an adaptive β, the current ε).
 */
class LossTermPlugin(@get:JvmName("id") val id: String, private val maker: () -> LossTerm) {
    /** A new instance of the term. */
    fun create(): LossTerm = maker()

    override fun toString() = "LossTermPlugin($id)"
}

/**
 * Registers an env under [id] in one line: `module { env("Warehouse-v0") { seed -> Warehouse(seed) } }`.
 *
 * @param maxEpisodeSteps time limit applied by [EnvSpec.make] (0: none; the env must then end episodes itself)
 * @param rewardThreshold return at which the task counts as solved (used by `earlyStop()`), NaN for none
 * @param factory makes one env copy; it receives the copy's seed, which it may ignore (the trainer also passes it
 *   to `reset(seed)`)
 */
fun Module.env(
    id: String,
    maxEpisodeSteps: Int = 0,
    rewardThreshold: Double = Double.NaN,
    factory: (seed: Long) -> Env<*, *>,
) {
    @Suppress("UNCHECKED_CAST")
    val f = EnvFactory { seed -> factory(seed) as Env<Any, Any> }
    env(EnvSpec(id, f, maxEpisodeSteps, rewardThreshold))
}

/** Registers a ready spec (e.g. an env object such as `CartPole`) under its own id. */
fun Module.env(spec: EnvSpec<*, *>) {
    single<EnvSpec<*, *>>(named(spec.id())) { spec }
}

/** Registers a network factory under [id]: `module { network("wide-relu", Network.shared(256, 256)) }`. */
fun Module.network(id: String, factory: NetworkFactory) {
    single(named(id)) { NetworkPlugin(id, factory) }
}

/** Registers a loss term under [id]; [make] runs once per configuration: `module { lossTerm("kl") { KlPenalty() } }`. */
fun Module.lossTerm(id: String, make: () -> LossTerm) {
    single(named(id)) { LossTermPlugin(id, make) }
}

/** Ids of the networks in [proximaModule]; `separate-64-64-tanh` is CleanRL's (and core's default) architecture. */
object BuiltinIds {
    const val SEPARATE_64_TANH = "separate-64-64-tanh"
    const val SEPARATE_64_RELU = "separate-64-64-relu"
    const val SHARED_64_TANH = "shared-64-64-tanh"
    const val SHARED_64_RELU = "shared-64-64-relu"
    /** SB3's / rl-zoo3's larger continuous-control net (`net_arch=[dict(pi=[256, 256], vf=[256, 256])]`, ReLU). */
    const val SEPARATE_256_RELU = "separate-256-256-relu"

    const val CLIPPED_SURROGATE = "clipped-surrogate"
    const val UNCLIPPED_SURROGATE = "unclipped-surrogate"
    const val VALUE_LOSS = "value-loss"
    const val VALUE_LOSS_UNCLIPPED = "value-loss-unclipped"
    const val ENTROPY_BONUS = "entropy-bonus"
    const val KL_PENALTY = "kl-penalty"
}

/**
 * The built-in plugins: the five classic-control envs under their Gymnasium ids, the network factories of
 * [BuiltinIds], and the loss terms with their default settings (`clipped-surrogate` follows the run's `clip`,
 * `value-loss` is CleanRL's clipped 0.5·MSE with coefficient 0.5, `entropy-bonus` 0.01, `kl-penalty` the adaptive
 * PPO-Penalty term with the paper's β = 1, d_targ = 0.01). `ppo { }` falls back on these even when Koin is not used.
 */
val proximaModule: Module = module {
    ClassicControl.all().forEach { env(it) }
    network(BuiltinIds.SEPARATE_64_TANH, Network.DEFAULT)
    network(BuiltinIds.SEPARATE_64_RELU, Network.DEFAULT.activation(Activation.RELU))
    network(BuiltinIds.SHARED_64_TANH, Network.shared(64, 64))
    network(BuiltinIds.SHARED_64_RELU, Network.shared(64, 64).activation(Activation.RELU))
    network(BuiltinIds.SEPARATE_256_RELU, Network.separate(intArrayOf(256, 256), intArrayOf(256, 256)).activation(Activation.RELU))
    lossTerm(BuiltinIds.CLIPPED_SURROGATE) { ClippedSurrogate() }
    lossTerm(BuiltinIds.UNCLIPPED_SURROGATE) { ClippedSurrogate.unclipped() }
    lossTerm(BuiltinIds.VALUE_LOSS) { ValueLoss() }
    lossTerm(BuiltinIds.VALUE_LOSS_UNCLIPPED) { ValueLoss(0.5, false) }
    lossTerm(BuiltinIds.ENTROPY_BONUS) { EntropyBonus() }
    lossTerm(BuiltinIds.KL_PENALTY) { KlPenalty() }
}
