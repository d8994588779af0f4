package dev.proxima.cluster

import dev.proxima.dsl.PpoDsl
import dev.proxima.dsl.PpoSpec
import java.nio.file.Path
import kotlin.time.Duration
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toJavaDuration

/**
 * Samples the run's rollouts with [workers] worker JVMs (a [ClusterCollector]); the env copies (`numEnvs`, e.g. 8 per
 * worker) are split among them:
 *
 * ```kotlin
 * ppo {
 *     env(CartPole)
 *     rollout(numEnvs = 32, numSteps = 128)
 *     cluster(workers = 4) {
 *         bind("10.0.0.5:5701")            // the learner's interface on a private network (default 127.0.0.1)
 *         clusterName = "cartpole-run-7"   // workers join with --cluster cartpole-run-7
 *         launcher = WorkerLauncher.external()   // workers started by hand: proxima worker --join 10.0.0.5:5701 ...
 *         onFailure = restart(10)
 *     }
 * }
 * ```
 *
 * Without `launcher`, the workers are JVMs started on this machine. Returns the collector, whose
 * [ClusterCollector.status] tells workers alive, failures and restarts.
 */
fun PpoSpec.cluster(workers: Int, block: ClusterSpec.() -> Unit = {}): ClusterCollector {
    val c = ClusterSpec(workers).apply(block).build()
    collector(c)
    return c
}

/** The body of `cluster(workers) { }`: the [ClusterCollector.Builder] settings as properties. */
@PpoDsl
class ClusterSpec internal constructor(private val workers: Int) {
    private var bind: String? = null
    private val listeners = ArrayList<ClusterListener>()

    /** The run's cluster name (default: `proxima-` and 8 random hex digits); workers must give the same. */
    var clusterName: String? = null

    /** What happens when a worker fails: [fail] (the default), [ignore] or [restart]. */
    var onFailure: FailurePolicy = FailurePolicy.fail()

    /** A worker that sends no rollout this long after the policy is failed. */
    var rolloutTimeout: Duration? = null

    /** How long a worker may take to join. */
    var joinTimeout: Duration? = null

    /** A worker whose connection is silent this long is lost. */
    var heartbeatTimeout: Duration? = null

    /** What starts the workers (default: JVMs on this machine; [WorkerLauncher.external] for none). */
    var launcher: WorkerLauncher? = null

    /** Sampling threads inside each launched worker. */
    var threadsPerWorker: Int = 1

    /** Where the run saves itself when it must stop. */
    var checkpointOnFailure: Path? = null

    /** The learner's `host` or `host:port` (default 127.0.0.1). */
    fun bind(hostPort: String) { bind = hostPort }

    /** Same as [bind]: the cluster's member list is the learner. */
    fun members(hostPort: String) = bind(hostPort)

    /** Receives the run's [ClusterEvent]s. */
    fun listener(listener: ClusterListener) { listeners += listener }

    /** Any failure stops the run (with a checkpoint). */
    fun fail(): FailurePolicy = FailurePolicy.fail()

    /** Train on the survivors while at least [minWorkers] are left. */
    fun ignore(minWorkers: Int = 1): FailurePolicy = FailurePolicy.ignore(minWorkers)

    /** Replace a failed worker after [delay], at most [maxRestarts] times, while [minWorkers] are alive. */
    fun restart(maxRestarts: Int, delay: Duration = 1.seconds, minWorkers: Int = 1): FailurePolicy =
        FailurePolicy.restart(maxRestarts, delay.toJavaDuration()).minWorkers(minWorkers)

    internal fun build(): ClusterCollector {
        val b = ClusterCollector.builder().workers(workers).onFailure(onFailure).threadsPerWorker(threadsPerWorker)
        bind?.let { b.bind(it) }
        clusterName?.let { b.clusterName(it) }
        rolloutTimeout?.let { b.rolloutTimeout(it.toJavaDuration()) }
        joinTimeout?.let { b.joinTimeout(it.toJavaDuration()) }
        heartbeatTimeout?.let { b.heartbeatTimeout(it.toJavaDuration()) }
        launcher?.let { b.launcher(it) }
        checkpointOnFailure?.let { b.checkpointOnFailure(it) }
        listeners.forEach { b.listener(it) }
        return b.build()
    }
}
