package dev.proxima.cli.run

import dev.proxima.core.train.SamplingExecutor
import java.util.Locale
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicReferenceArray
import java.util.function.IntConsumer

/**
 * What the run is doing right now, for progress within an update and for saying what a stop waits for: the trainer's
 * sampling executor (one [run] call per rollout step of every env copy) counts rollout steps and remembers which
 * threads are stepping envs; the CLI's callbacks mark evaluations and checkpoints.
 *
 * It runs the sampling workers as core's default does: worker 0 on the training thread, the others on `workers - 1`
 * daemon threads, so results are those of any other executor.
 *
 * @param numSteps rollout steps per update
 * @param stepsBefore rollout steps taken before this process (a resumed run)
 */
class RunMonitor(workers: Int, private val numEnvs: Int, private val numSteps: Int, stepsBefore: Long,
    private val nanoTime: () -> Long = System::nanoTime) : SamplingExecutor, AutoCloseable {

    enum class Phase(val text: String) {
        STARTING("starting"), STEPPING("stepping the envs"), UPDATING("optimising"), EVALUATING("evaluating"),
        CHECKPOINTING("writing a checkpoint"), FINISHING("writing the run files"),
        /** A cluster run waits for its worker JVMs to join (at the start, or for a replacement). */
        JOINING("waiting for the workers to join"),
        /** A cluster run waits for the workers' slices of the rollout. */
        SAMPLING_REMOTE("waiting for the workers' rollouts");

        /** Phases of a cluster run, in which this JVM steps no env. */
        val remote: Boolean get() = this == JOINING || this == SAMPLING_REMOTE
    }

    /** What a cluster run adds to its phases' description (e.g. `1 of 2 workers joined`), or null. */
    @Volatile var clusterDetail: (() -> String)? = null

    /** The phase's text, with the cluster's detail in a cluster phase. */
    fun phaseText(): String {
        val p = phase
        val detail = if (p.remote) clusterDetail?.invoke() else null
        return if (detail.isNullOrEmpty()) p.text else "${p.text} ($detail)"
    }

    private val pool: ExecutorService? = if (workers > 1) Executors.newFixedThreadPool(workers - 1) { r ->
        Thread(r, "proxima-sampler-" + THREADS.incrementAndGet()).apply { isDaemon = true }
    } else null
    private val inner: SamplingExecutor = pool?.let { SamplingExecutor.of(it) } ?: SamplingExecutor.direct()
    private val stepping = AtomicReferenceArray<Thread?>(maxOf(workers, 1))
    private var lastTask: IntConsumer? = null
    private var tracked: IntConsumer? = null

    /** Rollout steps (of all env copies at once) taken so far in the run. */
    @Volatile var rolloutSteps: Long = stepsBefore
        private set
    @Volatile var phase: Phase = Phase.STARTING
        private set
    @Volatile private var phaseSince: Long = nanoTime()
    private val started = nanoTime()
    private val stepsAtStart = stepsBefore

    override fun run(n: Int, task: IntConsumer) {
        if (task !== lastTask) {
            lastTask = task
            tracked = IntConsumer { w ->
                stepping.set(w, Thread.currentThread())
                try {
                    task.accept(w)
                } finally {
                    stepping.set(w, null)
                }
            }
        }
        enter(Phase.STEPPING)
        inner.run(n, tracked!!)
        val done = rolloutSteps + 1
        rolloutSteps = done
        if (done % numSteps == 0L) enter(Phase.UPDATING)
        else phaseSince = nanoTime() // a new step starts its clock
    }

    /** Marks what the training thread does next (callbacks). */
    fun enter(p: Phase) {
        if (phase != p) {
            phase = p
            phaseSince = nanoTime()
        } else if (p == Phase.STEPPING) {
            // keep the clock of a step in progress
        }
    }

    /** Seconds spent in the current phase (for a step: in the current rollout step). */
    fun secondsInPhase(): Double = (nanoTime() - phaseSince) / 1e9

    /** Env steps per second since this process started training. */
    fun envStepsPerSecond(): Double {
        val s = (nanoTime() - started) / 1e9
        return if (s > 0) (rolloutSteps - stepsAtStart) * numEnvs / s else 0.0
    }

    /** Rollout steps done in the update in progress (0..numSteps). */
    fun stepInUpdate(): Int {
        val r = (rolloutSteps % numSteps).toInt()
        return if (r == 0 && phase != Phase.STEPPING && rolloutSteps > 0 && phase != Phase.STARTING) numSteps else r
    }

    /** Env steps taken so far in the run (complete rollout steps of every env copy). */
    fun envSteps(): Long = rolloutSteps * numEnvs

    /**
     * What the training is waiting for, e.g. `stepping the envs (rollout step 12 of 128 of update 4) for 61.0 s, in
     * SlowEnv.step(slow.ppo.kts:9) <- java.lang.Thread.sleep`.
     */
    fun describe(update: Int, trainingThread: Thread?): String {
        val b = StringBuilder(if (phase.remote) "${phaseText()} in update $update" else phase.text)
        if (phase == Phase.STEPPING) {
            b.append(String.format(Locale.ROOT, " (rollout step %d of %d of update %d)", stepInUpdate() + 1, numSteps, update))
        } else if (phase == Phase.UPDATING) {
            b.append(" (update $update)")
        }
        b.append(String.format(Locale.ROOT, " for %.1f s", secondsInPhase()))
        // In a cluster phase this JVM only waits for the workers: no line of user code to show.
        val thread = if (phase == Phase.STEPPING) (0 until stepping.length()).firstNotNullOfOrNull { stepping.get(it) }
            else if (phase.remote) null else trainingThread
        if (thread != null) where(thread.stackTrace)?.let { b.append(", in ").append(it) }
        return b.toString()
    }

    override fun close() {
        pool?.shutdownNow()
    }

    companion object {
        private val THREADS = AtomicInteger()
        private val LIBRARY = listOf("java.", "javax.", "jdk.", "sun.", "kotlin.", "kotlinx.", "dev.proxima.core.",
            "dev.proxima.cli.", "dev.proxima.dsl.", "dev.proxima.cluster.", "com.hazelcast.")

        /** The innermost frame of user code (with the frame it waits in, when that is a library's). */
        internal fun where(trace: Array<StackTraceElement>): String? {
            if (trace.isEmpty()) return null
            val user = trace.firstOrNull { f -> LIBRARY.none { f.className.startsWith(it) } }
            val top = trace[0]
            val topText = "${top.className}.${top.methodName}"
            return when {
                user == null -> frame(top)
                user === top -> frame(user)
                else -> "${frame(user)} <- $topText"
            }
        }

        private fun frame(f: StackTraceElement): String {
            val cls = f.className.substringAfterLast('.').substringAfterLast('$').ifEmpty { f.className }
            val at = if (f.fileName != null && f.lineNumber > 0) "(${f.fileName}:${f.lineNumber})" else ""
            return "$cls.${f.methodName}$at"
        }
    }
}
