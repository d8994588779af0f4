/**
 * Named plugins for the DSL: network factories and loss terms that `ppo { }` (and a `.ppo.kts` script) can refer to by
 * id, found in a Koin container, through [java.util.ServiceLoader], or among the built-ins. Envs use core's
 * [dev.proxima.core.env.EnvProvider] for the ServiceLoader route.
 */
package dev.proxima.dsl.plugins

import dev.proxima.core.nn.NetworkFactory
import dev.proxima.core.ppo.LossTerm
import java.util.function.Supplier

/**
 * Service-provider interface for named network factories, for Java users: implement it and list the class in
 * `META-INF/services/dev.proxima.dsl.plugins.NetworkProvider`; `network { use("my-net") }` then finds it.
 */
interface NetworkProvider {
    /** Factories by id, e.g. `"resnet-mlp" -> MyNetworks.resMlp()`. Ids must be unique across providers. */
    fun networks(): Map<String, NetworkFactory>
}

/**
 * Service-provider interface for named loss terms, for Java users: implement it and list the class in
 * `META-INF/services/dev.proxima.dsl.plugins.LossTermProvider`; `loss { term("my-term") }` then finds it.
 *
 * Terms may hold per-run state (an adaptive β, the current ε), so a provider gives a [Supplier] that makes a fresh
 * instance for every configuration.
 */
interface LossTermProvider {
    /** Makers of loss terms by id. Ids must be unique across providers. */
    fun lossTerms(): Map<String, Supplier<out LossTerm>>
}
