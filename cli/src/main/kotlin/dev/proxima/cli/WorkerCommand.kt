package dev.proxima.cli

import com.github.ajalt.clikt.core.Context
import com.github.ajalt.clikt.core.CoreCliktCommand
import com.github.ajalt.clikt.core.ProgramResult
import com.github.ajalt.clikt.parameters.options.check
import com.github.ajalt.clikt.parameters.options.convert
import com.github.ajalt.clikt.parameters.options.default
import com.github.ajalt.clikt.parameters.options.flag
import com.github.ajalt.clikt.parameters.options.multiple
import com.github.ajalt.clikt.parameters.options.option
import com.github.ajalt.clikt.parameters.options.required
import com.github.ajalt.clikt.parameters.types.int
import com.github.ajalt.clikt.parameters.types.long
import com.github.ajalt.clikt.parameters.types.restrictTo
import com.hazelcast.client.HazelcastClientNotActiveException
import com.hazelcast.core.HazelcastException
import dev.proxima.cli.script.Plugins
import dev.proxima.cluster.Worker
import dev.proxima.cluster.transport.HazelcastTransport
import dev.proxima.core.nn.Network
import dev.proxima.core.plugin.Registry
import dev.proxima.core.ppo.Params
import java.time.Duration
import java.util.logging.Level
import java.util.logging.Logger

/**
 * `proxima worker --join HOST:PORT`: a worker JVM of a cluster run (the `cluster` module's [Worker]). It looks the
 * learner's env up in its own registry: the built-in envs, the providers of `--classpath`/`PROXIMA_CLASSPATH` jars, and
 * with `--script FILE` the env (and a custom network) that the script declares, so a script's inline env exists here
 * too. `proxima train` starts its local workers with this command.
 */
internal class WorkerCommand(private val ctx: Cli.Context) : CoreCliktCommand(name = "worker") {
    override fun help(context: Context) = """
        Runs a worker of a cluster run: samples env copies for a learner (proxima train of a script with cluster { }).

        Connects to the learner at --join (the address the learner prints when it starts listening), announces the envs
        it knows, and samples the env copies the learner assigns it with each update's policy until the learner ends the
        run. Every worker runs the same Proxima and finds the env by its id: built in, from plugin jars (--classpath or
        ${Plugins.ENV}), or declared by the training script (--script FILE, which is compiled and run here to find it).
        proxima train starts local workers itself (cluster(workers = N) without a launcher); start them by hand on other
        machines for a learner whose script says launcher = WorkerLauncher.external().

        Exit codes: 0 the run ended; 1 refused by the learner or failed (the message says why); 2 the command line is
        wrong; $EXIT_LEARNER_LOST the learner went away during the run; $EXIT_NO_LEARNER no learner of that cluster name answered at
        --join within --connect-timeout.
    """.trimIndent()

    val join by option("--join", metavar = "HOST:PORT", help = "the learner's address, e.g. 10.0.0.5:5701").convert {
        hostPort(it)
    }.required()
    val cluster by option("--cluster", metavar = "NAME",
        help = "the run's cluster name, as the learner prints it (its script's clusterName)")
        .default(Worker.DEFAULT_CLUSTER)
        .check({ "--cluster \"$it\" must be 1 to 64 letters, digits, '.', '_' or '-'" }) { CLUSTER_NAME.matches(it) }
    val index by option("--index", metavar = "I", help = "the worker slot to ask for (default: any free one)")
        .int().restrictTo(min = 0)
    val threads by option("--threads", metavar = "N", help = "sampling threads over this worker's env copies " +
        "(results do not depend on it)").int().restrictTo(1..MAX_THREADS).default(1)
    val connectTimeout by option("--connect-timeout", metavar = "SECONDS",
        help = "how long to try reaching the learner").long().restrictTo(1L..86_400L).default(60L)
    val script by option("--script", metavar = "FILE",
        help = "the training script, run here to find the env (and custom network) it declares itself")
    val classpath by option("--classpath", "-cp", metavar = "PATHS",
        help = "plugin jars or class folders with the env's provider (separated by '${java.io.File.pathSeparator}')").multiple()
    val verbose by option("--verbose", help = "show Hazelcast's own log (connections, membership)").flag()

    /** Set by proxima train for the workers it starts: Ctrl-C in its terminal reaches them too, but the learner stops them. */
    val launched by option(LAUNCHED, hidden = true).flag()

    override fun run() {
        if (launched) ignoreInterrupt()
        val plugins = Plugins.of(classpath, ctx.env, ctx.workDir)
        var registry = plugins.registry()
        val w = Worker.builder().join(join).cluster(cluster).threads(threads)
            .connectTimeout(Duration.ofSeconds(connectTimeout)).errors(ctx.err)
        index?.let { w.index(it) }
        // Hazelcast's warnings (each connection attempt to an absent learner, a broken connection) are said once, in
        // the worker's own words; --verbose shows its whole log.
        if (verbose) w.transport(HazelcastTransport.verbose()) else if (HAZELCAST_LOG.level == null) HAZELCAST_LOG.level = Level.SEVERE
        script?.let { s ->
            val config = scriptConfig(ctx, "worker", s, plugins)
            val own = Registry().register(config.env())
            // The learner sends a network by its text; one that does not parse is the script's own, found by that id.
            val network = Params.NETWORK.display(config.network()).toString()
            if (!parses(network)) own.registerNetwork(network, config.network())
            registry = registry.with(own)
            ctx.out.println("worker: script $s declares env ${config.env().id()}")
        }
        w.registry(registry)
        ctx.out.println("worker: joining the learner at $join (cluster $cluster${index?.let { ", slot $it" } ?: ""})")
        ctx.out.flush()
        val code = try {
            w.run()
        } catch (e: HazelcastException) {
            lost(e)
        } catch (e: HazelcastClientNotActiveException) {
            lost(e)
        }
        when (code) {
            Worker.EXIT_OK -> ctx.out.println("worker: the run ended")
            Worker.EXIT_CONNECT -> throw ProgramResult(EXIT_NO_LEARNER)
            Worker.EXIT_LEARNER_LOST -> throw ProgramResult(EXIT_LEARNER_LOST)
            Worker.EXIT_USAGE -> throw ProgramResult(Cli.EXIT_USAGE)
            else -> throw ProgramResult(Cli.EXIT_FAILURE)
        }
    }

    /** The connection broke while the worker was sending (the learner's process ended): as when the learner is gone. */
    private fun lost(e: RuntimeException): Int {
        ctx.err.println("proxima worker: the connection to the learner at $join broke (${e.message ?: e.javaClass.simpleName}); " +
            "the learner is gone")
        return Worker.EXIT_LEARNER_LOST
    }

    companion object {
        /** The learner went away during the run (the cluster module's [Worker.EXIT_LEARNER_LOST]). */
        const val EXIT_LEARNER_LOST = 3
        /** No learner answered (the cluster module's [Worker.EXIT_CONNECT], which is 2, the CLI's usage code). */
        const val EXIT_NO_LEARNER = 4
        const val MAX_THREADS = 1024
        /** The hidden option of workers started by proxima train. */
        const val LAUNCHED = "--launched-by-learner"
        private val CLUSTER_NAME = Regex("[A-Za-z0-9._-]{1,64}")
        /** Kept so that its level stays set (java.util.logging forgets loggers nobody references). */
        private val HAZELCAST_LOG: Logger = Logger.getLogger("com.hazelcast")

        /** `HOST:PORT` with a port in [1, 65535]; a message naming the value otherwise (Clikt prefixes the option). */
        fun hostPort(text: String): String {
            val t = text.trim()
            val colon = t.lastIndexOf(':')
            val example = "e.g. 127.0.0.1:5701 (the address the learner prints)"
            if (colon <= 0) throw IllegalArgumentException("\"$text\" is not HOST:PORT, $example.")
            val port = t.substring(colon + 1).toIntOrNull()
            if (port == null || port !in 1..65535) {
                throw IllegalArgumentException("\"$text\": the port must be a number in [1, 65535], $example.")
            }
            return t
        }

        private fun parses(network: String): Boolean = try {
            Network.parse(network)
            true
        } catch (e: IllegalArgumentException) {
            false
        }

        /**
         * Ctrl-C in a terminal signals the whole process group, the learner's workers too; they keep sampling so that
         * the learner can finish the update in progress, and the learner stops them (or they leave when it is gone).
         */
        private fun ignoreInterrupt() {
            try {
                sun.misc.Signal.handle(sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN)
            } catch (e: IllegalArgumentException) {
                // the JVM runs with -Xrs or does not know the signal: Ctrl-C ends the worker, the learner notices
            }
        }
    }
}
