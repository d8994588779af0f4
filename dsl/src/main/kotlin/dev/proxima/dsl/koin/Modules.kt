/**
 * Koin as an adapter onto core's [Registry]: [env], [network] and [lossTerm] register your plugins in one line each,
 * `ppo(koin) { env("Warehouse-v0") }` refers to them by id, and [toRegistry] turns a container into a registry. Nothing
 * here starts Koin globally: pass a [org.koin.core.Koin] or [org.koin.core.KoinApplication] to `ppo`, or start Koin
 * yourself and `ppo { }` uses the global context.
 */
package dev.proxima.dsl.koin

import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvFactory
import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.nn.NetworkFactory
import dev.proxima.core.plugin.Registry
import dev.proxima.core.ppo.LossTerm
import dev.proxima.envs.classic.ClassicControl
import org.koin.core.Koin
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

/** Ids of the built-in networks and loss terms (core's [Registry]); `separate-64-64-tanh` is CleanRL's architecture. */
object BuiltinIds {
    const val SEPARATE_64_TANH = Registry.SEPARATE_64_TANH
    const val SEPARATE_64_RELU = Registry.SEPARATE_64_RELU
    const val SHARED_64_TANH = Registry.SHARED_64_TANH
    const val SHARED_64_RELU = Registry.SHARED_64_RELU
    /** SB3's / rl-zoo3's larger continuous-control net (`net_arch=[dict(pi=[256, 256], vf=[256, 256])]`, ReLU). */
    const val SEPARATE_256_RELU = Registry.SEPARATE_256_RELU

    const val CLIPPED_SURROGATE = Registry.CLIPPED_SURROGATE
    const val UNCLIPPED_SURROGATE = Registry.UNCLIPPED_SURROGATE
    const val VALUE_LOSS = Registry.VALUE_LOSS
    const val VALUE_LOSS_UNCLIPPED = Registry.VALUE_LOSS_UNCLIPPED
    const val ENTROPY_BONUS = Registry.ENTROPY_BONUS
    const val KL_PENALTY = Registry.KL_PENALTY
}

/**
 * The built-in envs (the five classic-control envs under their Gymnasium ids) as a Koin module, for applications
 * that list their envs in Koin. `ppo { }` does not need it: core's [Registry] has every built-in env, network and loss
 * term whether or not Koin is used.
 */
val proximaModule: Module = module {
    ClassicControl.all().forEach { env(it) }
}

/**
 * This container's envs, networks and loss terms as a core [Registry] (nothing else in it: combine with
 * `Registry.global().with(...)`), so Koin is only an adapter onto the one registry.
 */
fun Koin.toRegistry(): Registry {
    val r = Registry(EnvRegistry())
    getAll<EnvSpec<*, *>>().forEach { r.register(it) }
    getAll<NetworkPlugin>().forEach { r.registerNetwork(it.id, it.factory) }
    getAll<LossTermPlugin>().forEach { p -> r.registerLossTerm(p.id) { p.create() } }
    return r
}
