package dev.proxima.dsl

import dev.proxima.core.nn.Activation
import dev.proxima.core.nn.Network
import dev.proxima.core.nn.NetworkFactory
import dev.proxima.core.plugin.Registry

/**
 * The `network { }` block. Either an architecture —
 * `shared(64, 64)` (one trunk, linear policy and value heads) or `actor(64, 64); critic(64, 64)` (separate MLPs,
 * CleanRL's default), with `activation(Tanh)` or `activation(Relu)` — or a whole factory: `use("id")` for one
 * registered in Koin, through ServiceLoader or built in, or `factory(myFactory)`. The policy head follows the env's
 * action space: categorical for `Discrete`, diagonal Gaussian for `Box`. Contradictions are reported when the
 * `ppo { }` block is built, with every other problem.
 */
@PpoDsl
class NetworkSpec internal constructor() {
    private var shared: IntArray? = null
    private var actor: IntArray? = null
    private var critic: IntArray? = null
    private var activation: Activation? = null
    private var id: String? = null
    private var factory: NetworkFactory? = null

    /** tanh, CleanRL's hidden activation (the default). */
    val Tanh: Activation get() = Activation.TANH

    /** ReLU. */
    val Relu: Activation get() = Activation.RELU

    /** One trunk with these hidden sizes, then a linear policy head and a linear value head. */
    fun shared(vararg hidden: Int) {
        shared = hidden
    }

    /** The actor MLP's hidden sizes (separate networks; the critic defaults to 64, 64). */
    fun actor(vararg hidden: Int) {
        actor = hidden
    }

    /** The critic MLP's hidden sizes (separate networks; the actor defaults to 64, 64). */
    fun critic(vararg hidden: Int) {
        critic = hidden
    }

    /** The hidden layers' non-linearity: `Tanh` (default) or `Relu`. */
    fun activation(activation: Activation) {
        this.activation = activation
    }

    /** A network factory registered under [id] (Koin `network(id, ...)`, `NetworkProvider`, or a built-in). */
    fun use(id: String) {
        this.id = id
    }

    /** A custom network factory. */
    fun factory(factory: NetworkFactory) {
        this.factory = factory
    }

    internal fun resolve(plugins: Registry, problems: MutableList<String>): NetworkFactory? {
        val arch = listOfNotNull(
            shared?.let { "shared(${it.joinToString()})" },
            actor?.let { "actor(${it.joinToString()})" },
            critic?.let { "critic(${it.joinToString()})" },
            activation?.let { "activation($it)" },
        )
        val whole = listOfNotNull(id?.let { "use(\"$it\")" }, factory?.let { "factory($it)" })
        if (whole.size > 1) {
            problems += "network: both ${whole.joinToString(" and ")} were given. Choose one."
            return null
        }
        if (whole.isNotEmpty() && arch.isNotEmpty()) {
            problems += "network: ${whole[0]} was given together with ${arch.joinToString()}. A whole factory fixes " +
                "its own architecture: remove one or the other."
            return null
        }
        factory?.let { return it }
        id?.let { id ->
            return try {
                plugins.network(id)
            } catch (e: NoSuchElementException) {
                problems += "network: ${e.message}"
                null
            }
        }
        val s = shared
        if (s != null && (actor != null || critic != null)) {
            val other = listOfNotNull(actor?.let { "actor(${it.joinToString()})" },
                critic?.let { "critic(${it.joinToString()})" }).joinToString(" and ")
            problems += "network: both shared(${s.joinToString()}) and $other were given. " +
                "Use shared(...) OR actor(...) + critic(...)."
            return null
        }
        return try {
            val net = when {
                s != null -> Network.shared(*s)
                actor != null || critic != null ->
                    Network.separate(actor ?: DEFAULT_HIDDEN, critic ?: DEFAULT_HIDDEN)
                else -> Network.DEFAULT
            }
            activation?.let { net.activation(it) } ?: net
        } catch (e: IllegalArgumentException) {
            problems += "network: ${e.message}"
            null
        }
    }

    private companion object {
        val DEFAULT_HIDDEN = intArrayOf(64, 64)
    }
}
