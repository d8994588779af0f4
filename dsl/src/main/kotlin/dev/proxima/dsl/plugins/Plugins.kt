package dev.proxima.dsl.plugins

import dev.proxima.core.env.EnvNotFoundException
import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.nn.NetworkFactory
import dev.proxima.core.ppo.LossTerm
import dev.proxima.dsl.koin.LossTermPlugin
import dev.proxima.dsl.koin.NetworkPlugin
import dev.proxima.dsl.koin.proximaModule
import java.util.ServiceLoader
import java.util.TreeMap
import org.koin.core.Koin
import org.koin.core.context.GlobalContext
import org.koin.dsl.koinApplication

/**
 * Finds envs, network factories and loss terms by id. One lookup order for all three: the Koin container given (or
 * the global one, if Koin was started), then [ServiceLoader] (core's [EnvRegistry] for envs, [NetworkProvider] and
 * [LossTermProvider] for the others), then the built-ins of [proximaModule]. An unknown id fails with a message that
 * lists every known id and the closest one.
 *
 * @param koin the container to ask first; `null` uses Koin's global context when it has been started
 * @param registry the env registry to ask after Koin; `null` uses [EnvRegistry.global]
 */
class Plugins @JvmOverloads constructor(koin: Koin? = null, private val registry: EnvRegistry? = null) {
    private val koin: Koin? = koin ?: GlobalContext.getOrNull()

    /**
     * A registry holding every env this lookup can see, Koin's taking precedence over ServiceLoader's over the
     * built-ins: give it to [dev.proxima.core.ppo.PpoConfig.Builder.registry] so an unknown id's message lists them all.
     */
    fun envRegistry(): EnvRegistry {
        val union = EnvRegistry()
        Builtins.koin.getAll<EnvSpec<*, *>>().forEach { union.register(it) }
        (registry ?: EnvRegistry.global()).specs().forEach { union.register(it) }
        koin?.getAll<EnvSpec<*, *>>()?.forEach { union.register(it) }
        return union
    }

    /** The env registered under [id]. @throws EnvNotFoundException listing the known ids and the closest match */
    fun env(id: String): EnvSpec<*, *> = envRegistry().spec(id)

    /** Network ids in lookup order's precedence (Koin, ServiceLoader, built-in), sorted. */
    fun networkIds(): List<String> = networks().keys.toList()

    /** The network factory registered under [id]. @throws PluginNotFoundException listing the known ids */
    fun network(id: String): NetworkFactory =
        networks()[id] ?: throw PluginNotFoundException("network", id, networks().keys, NETWORK_SOURCES)

    /** Loss term ids, sorted. */
    fun lossTermIds(): List<String> = lossTerms().keys.toList()

    /** A fresh instance of the loss term registered under [id]. @throws PluginNotFoundException listing the known ids */
    fun lossTerm(id: String): LossTerm =
        (lossTerms()[id] ?: throw PluginNotFoundException("loss term", id, lossTerms().keys, LOSS_SOURCES))()

    private fun networks(): Map<String, NetworkFactory> {
        val m = TreeMap<String, NetworkFactory>()
        Builtins.koin.getAll<NetworkPlugin>().forEach { m[it.id] = it.factory }
        ServiceLoader.load(NetworkProvider::class.java, loader()).forEach { m.putAll(it.networks()) }
        koin?.getAll<NetworkPlugin>()?.forEach { m[it.id] = it.factory }
        return m
    }

    private fun lossTerms(): Map<String, () -> LossTerm> {
        val m = TreeMap<String, () -> LossTerm>()
        Builtins.koin.getAll<LossTermPlugin>().forEach { p -> m[p.id] = p::create }
        ServiceLoader.load(LossTermProvider::class.java, loader()).forEach { p ->
            p.lossTerms().forEach { (id, s) -> m[id] = { s.get() } }
        }
        koin?.getAll<LossTermPlugin>()?.forEach { p -> m[p.id] = p::create }
        return m
    }

    private fun loader(): ClassLoader = Thread.currentThread().contextClassLoader ?: Plugins::class.java.classLoader

    /** The built-ins in a private container, so they work whether or not the user runs Koin. */
    private object Builtins {
        val koin: Koin by lazy { koinApplication { modules(proximaModule) }.koin }
    }

    private companion object {
        const val NETWORK_SOURCES = "Networks come from Koin modules (module { network(\"id\", factory) }), " +
            "META-INF/services/dev.proxima.dsl.plugins.NetworkProvider, or the built-ins of proximaModule."
        const val LOSS_SOURCES = "Loss terms come from Koin modules (module { lossTerm(\"id\") { MyTerm() } }), " +
            "META-INF/services/dev.proxima.dsl.plugins.LossTermProvider, or the built-ins of proximaModule."
    }
}

/** No plugin of [kind] is registered under [id]; the message lists the known ids and the closest match. */
class PluginNotFoundException(kind: String, id: String, known: Collection<String>, sources: String) :
    NoSuchElementException(message(kind, id, known, sources)) {

    private companion object {
        fun message(kind: String, id: String, known: Collection<String>, sources: String): String {
            val sorted = known.toSortedSet()
            val s = StringBuilder("no $kind \"$id\".")
            s.append(if (sorted.isEmpty()) " None is registered." else " Known: ${sorted.joinToString()}.")
            EnvNotFoundException.closest(id, sorted).ifPresent { s.append(" Did you mean \"$it\"?") }
            return s.append(' ').append(sources).toString()
        }
    }
}
