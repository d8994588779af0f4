package dev.proxima.cli.train

import dev.proxima.cli.WorkerCommand
import dev.proxima.cli.console.Progress
import dev.proxima.cli.run.RunMonitor
import dev.proxima.cli.script.ScriptHost
import dev.proxima.cluster.ClusterCollector
import dev.proxima.cluster.ClusterEvent
import dev.proxima.cluster.ClusterListener
import dev.proxima.cluster.WorkerLauncher
import dev.proxima.core.env.SyncVectorEnv
import dev.proxima.core.ppo.Rollout
import dev.proxima.core.train.Callback
import dev.proxima.core.train.RolloutCollector
import dev.proxima.core.train.SamplingExecutor
import dev.proxima.core.train.UpdateEvent
import java.io.File
import java.lang.management.ManagementFactory
import java.nio.file.Path
import java.util.Locale
import java.util.logging.Handler
import java.util.logging.Level
import java.util.logging.LogRecord
import java.util.logging.Logger

/**
 * `proxima train` of a trainer whose collector is the cluster module's [ClusterCollector]: the command's side of the
 * cluster run.
 *
 * - The script's collector is rebuilt ([ClusterCollector.toBuilder], same cluster name and settings) with this as its
 *   [ClusterListener], the run directory's `checkpoints/last.safetensors` as the checkpoint a failed run saves itself
 *   to (so `proxima train --resume RUN_DIR` continues it), and, when it has the default launcher
 *   ([WorkerLauncher.localProcesses]), a launcher that starts `proxima worker --script SCRIPT [--classpath ...]` with
 *   this JVM's class path: the workers compile (or load from the same cache) the script the learner runs, so an env
 *   the script declares exists there too. Their output goes to `workers/worker-I.log` in the run directory. A launcher
 *   the script sets itself is used as it is.
 * - Its events become lines of the console (the address, workers joined, failures, restarts) and, compactly, the
 *   `cluster` part of `summary.json` with the failures, restarts and mean per-update times ([summary]).
 * - The run's phases (workers joining, the workers' rollouts) go to the [RunMonitor], so the status line and a stop
 *   say what the learner waits for.
 */
internal class ClusterWatch(
    script: ClusterCollector,
    scriptFile: Path,
    classpath: List<String>,
    cacheDir: Path?,
    runDir: Path,
    lastCheckpoint: Path,
    private val progress: Progress,
    private val monitor: RunMonitor,
    private val display: (Path) -> String,
    private val nanoTime: () -> Long = System::nanoTime,
) : ClusterListener, Callback {
    private val started = nanoTime()
    private val logDir = runDir.toAbsolutePath().resolve(WORKER_LOGS)
    private val launchesHere = script.launcher() === WorkerLauncher.localProcesses()
    private val events = ArrayList<String>()
    private var eventsLeftOut = 0
    @Volatile private var joined = 0
    @Volatile private var joinedAll = false
    @Volatile private var sampling = 0
    private var updates = 0
    private var fewestWorkers = Int.MAX_VALUE
    private val sums = LinkedHashMap<String, Double>()

    /** The collector the run uses: the script's settings, with this listener and the command's launcher. */
    val collector: ClusterCollector = script.toBuilder().listener(this).checkpointOnFailure(lastCheckpoint).also { b ->
        if (launchesHere) b.launcher(WorkerLauncher.localProcesses().mainClass(MAIN_CLASS).logDir(logDir)
            .jvmArgs(*workerJvmArgs(cacheDir).toTypedArray())
            .args(*workerArgs(scriptFile, classpath).toTypedArray()))
    }.build()

    /** What the trainer is given: [collector], marking the phases of each rollout in the monitor. */
    val factory: RolloutCollector.Factory = RolloutCollector.Factory { setup -> Phased(collector.open(setup)) }

    private val external = collector.launcher() === WorkerLauncher.external()
    private val command = "proxima worker --join ADDRESS --cluster ${collector.clusterName()} --script " +
        display(scriptFile) + (if (classpath.isEmpty()) "" else " --classpath " + classpath.joinToString(File.pathSeparator))

    private val logHandler = object : Handler() {
        override fun publish(record: LogRecord) {
            val text = record.message ?: return
            if (record.level.intValue() >= Level.WARNING.intValue() && LOGGED.any { text.startsWith(it) }) {
                progress.errLine("proxima: cluster: $text")
            }
        }

        override fun flush() {}
        override fun close() {}
    }

    init {
        // The cluster's log says on stderr what the events here say in the command's words; only its warnings
        // without an event (a refused message) are shown, as the command's own lines.
        CLUSTER_LOG.addHandler(logHandler)
        CLUSTER_LOG.useParentHandlers = false
        // Ctrl-C and SIGTERM stop after the update in progress (StopHandler), which needs the workers: Hazelcast's own
        // shutdown hook would close the learner's endpoint at once, failing every worker mid-rollout. The run's close
        // shuts the endpoint down instead.
        if (System.getProperty(HAZELCAST_SHUTDOWN_HOOK) == null) System.setProperty(HAZELCAST_SHUTDOWN_HOOK, "false")
        monitor.clusterDetail = {
            val n = collector.workers()
            when {
                monitor.phase != RunMonitor.Phase.JOINING -> "$sampling of $n workers"
                !joinedAll -> "$joined of $n joined"
                else -> "${collector.status().workersAlive()} of $n alive"
            }
        }
    }

    override fun onEvent(event: ClusterEvent) {
        when (event) {
            is ClusterEvent.Listening -> {
                monitor.enter(RunMonitor.Phase.JOINING)
                record("listening on ${event.address()} for ${event.workers()} workers")
                val how = when {
                    launchesHere -> "; starting them here (their output: ${display(logDir)}/worker-I.log)"
                    external -> "; start each with: ${command.replace("ADDRESS", event.address())}"
                    else -> "; starting them with ${collector.launcher()}"
                }
                progress.line("cluster ${event.clusterName()}: listening on ${event.address()} for ${event.workers()} " +
                    "workers$how")
            }
            is ClusterEvent.WorkerJoined -> {
                record("worker ${event.index()} joined" + (if (event.generation() > 1) " (replacement ${event.generation() - 1})" else "") +
                    ", pid ${event.pid()} on ${event.host()}")
                if (event.generation() == 1) joined++
                if (!joinedAll && joined >= collector.workers()) {
                    joinedAll = true
                    progress.line(String.format(Locale.ROOT, "cluster: %d of %d workers joined in %.1f s", joined,
                        collector.workers(), seconds()))
                } else if (event.generation() > 1) {
                    progress.line("cluster: worker ${event.index()} rejoined (replacement ${event.generation() - 1}, " +
                        "pid ${event.pid()})")
                }
            }
            is ClusterEvent.SamplingStarted -> {
                sampling = event.workers()
                monitor.enter(RunMonitor.Phase.SAMPLING_REMOTE)
            }
            is ClusterEvent.WorkerFailed -> {
                val at = if (event.update() > 0) "in update ${event.update()}" else "before an update"
                record("worker ${event.index()} failed $at: ${event.cause().lineSequence().first().substringBefore(LOG_TAIL)}")
                progress.errLine("proxima: cluster: worker ${event.index()} failed $at: ${event.cause()}")
            }
            is ClusterEvent.WorkerRestarting -> {
                record(String.format(Locale.ROOT, "worker %d restarting in %.1f s (restart %d of %d)", event.index(),
                    event.delay().toMillis() / 1e3, event.attempt(), event.maxRestarts()))
                progress.errLine(String.format(Locale.ROOT, "proxima: cluster: starting a replacement for worker %d " +
                    "in %.1f s (restart %d of %d)", event.index(), event.delay().toMillis() / 1e3, event.attempt(),
                    event.maxRestarts()))
            }
            is ClusterEvent.WorkerRefused -> {
                record("turned away a worker (pid ${event.pid()} on ${event.host()}): ${event.reason()}")
                progress.errLine("proxima: cluster: turned away a worker (pid ${event.pid()} on ${event.host()}): " +
                    event.reason())
            }
        }
    }

    /** Gives the cluster's log back to java.util.logging's console (the run is over). */
    fun close() {
        CLUSTER_LOG.removeHandler(logHandler)
        if (CLUSTER_LOG.handlers.isEmpty()) CLUSTER_LOG.useParentHandlers = true
    }

    /** Sums the per-update cluster metrics for the summary's means. */
    @Synchronized
    override fun onUpdate(event: UpdateEvent) {
        updates++
        val metrics = event.stats().metrics()
        for ((k, v) in metrics) {
            if (k.startsWith(PREFIX) && !v.isNaN()) sums[k] = (sums[k] ?: 0.0) + v
        }
        metrics[ClusterCollector.METRIC_WORKERS]?.let { fewestWorkers = minOf(fewestWorkers, it.toInt()) }
    }

    /**
     * The `cluster` part of `summary.json`: where it listened, its workers (and the fewest an update trained on) and
     * failure policy, the failures, restarts and refused messages of this session, the mean per-update times and bytes,
     * the worker logs, and the events (one line each, seconds since the run started).
     */
    @Synchronized
    fun summary(): Map<String, Any?> {
        val s = collector.status()
        val m = LinkedHashMap<String, Any?>()
        m["name"] = s.clusterName()
        m["address"] = s.address().ifEmpty { null }
        m["workers"] = s.workers()
        m["fewest_workers"] = if (updates > 0) fewestWorkers else null
        m["on_failure"] = collector.failurePolicy().toString()
        m["launcher"] = if (launchesHere) "proxima worker (local processes)" else collector.launcher().toString()
        m["failures"] = s.failures()
        m["restarts"] = s.restarts()
        m["refused_messages"] = s.refusedMessages()
        m["updates"] = updates
        for (key in MEANS) {
            m["mean_" + key.removePrefix(PREFIX)] = sums[key]?.takeIf { updates > 0 }?.div(updates)
        }
        m["worker_logs"] = if (launchesHere) WORKER_LOGS else null
        m["events"] = if (eventsLeftOut == 0) events.toList() else events + "... $eventsLeftOut more events left out"
        return m
    }

    @Synchronized
    private fun record(text: String) {
        if (events.size < MAX_EVENTS) events += String.format(Locale.ROOT, "%.1f s: %s", seconds(), text)
        else eventsLeftOut++
    }

    private fun seconds() = (nanoTime() - started) / 1e9

    /** The cluster's collector, marking in the monitor when its rollout ends (the update's optimisation follows). */
    private inner class Phased(private val inner: RolloutCollector) : RolloutCollector by inner {
        override fun collect(rollout: Rollout, update: Int, executor: SamplingExecutor,
                             episodes: MutableList<SyncVectorEnv.Episode>): Rollout {
            monitor.enter(if (collector.status().workersAlive() < collector.workers()) RunMonitor.Phase.JOINING
                else RunMonitor.Phase.SAMPLING_REMOTE)
            val r = inner.collect(rollout, update, executor, episodes)
            monitor.enter(RunMonitor.Phase.UPDATING)
            return r
        }

        // Java's default methods, spelled out: the delegation must not fall back to the interface's defaults.
        override fun metrics(): Map<String, Double> = inner.metrics()
        override fun unsnapshottableEnv(): String? = inner.unsnapshottableEnv()
    }

    companion object {
        /** The run directory's folder of the local workers' output. */
        const val WORKER_LOGS = "workers"
        /** The main class of `proxima` (Main.kt). */
        const val MAIN_CLASS = "dev.proxima.cli.MainKt"
        private const val PREFIX = "cluster/"
        private const val MAX_EVENTS = 1000
        /** Where the cluster adds the end of a failed worker's log to its cause (left out of the summary's events). */
        private const val LOG_TAIL = "; the end of its log"
        private const val HAZELCAST_SHUTDOWN_HOOK = "hazelcast.shutdownhook.enabled"
        /** The cluster module's logger (java.util.logging under System.Logger), kept so its level stays set. */
        private val CLUSTER_LOG: Logger = Logger.getLogger("dev.proxima.cluster")
        /** The cluster's warnings that no [ClusterEvent] reports. */
        private val LOGGED = listOf("refused a message", "a cluster listener failed")
        private val MEANS = listOf(ClusterCollector.METRIC_WORKERS, ClusterCollector.METRIC_ROLLOUT_MS,
            ClusterCollector.METRIC_SAMPLE_MS, ClusterCollector.METRIC_OVERHEAD_MS, ClusterCollector.METRIC_BROADCAST_BYTES,
            ClusterCollector.METRIC_GATHER_BYTES)

        /** `worker` and its options, before the launcher's own `--join ... --index I`. */
        fun workerArgs(script: Path, classpath: List<String>): List<String> =
            listOf("worker", WorkerCommand.LAUNCHED, "--script", script.toAbsolutePath().normalize().toString()) +
                if (classpath.isEmpty()) emptyList() else listOf("--classpath", classpath.joinToString(File.pathSeparator))

        /**
         * The workers' JVM options: the learner's script cache (so they load the script it compiled) and its
         * class-data-sharing archive (a faster start), if it has one.
         */
        fun workerJvmArgs(cacheDir: Path?): List<String> {
            val cds = try {
                ManagementFactory.getRuntimeMXBean().inputArguments.filter {
                    it.startsWith("-XX:SharedArchiveFile=") || it.startsWith("-Xlog:cds")
                }
            } catch (e: RuntimeException) {
                emptyList()
            }
            return listOf("-D${ScriptHost.CACHE_PROPERTY}=${cacheDir?.toAbsolutePath() ?: "off"}",
                "-Djava.awt.headless=true") + cds
        }
    }
}
