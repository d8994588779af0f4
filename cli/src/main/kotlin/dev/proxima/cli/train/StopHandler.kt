package dev.proxima.cli.train

import dev.proxima.cli.Cli
import dev.proxima.cli.console.Progress
import dev.proxima.cli.run.RunMonitor
import dev.proxima.core.train.TrainingRun
import java.util.concurrent.CountDownLatch
import java.util.concurrent.TimeUnit

/**
 * Ctrl-C and SIGTERM during training. The JVM runs shutdown hooks on both; the hook asks the run to stop after the
 * update in progress and waits [GRACE_SECONDS] for the training thread, which then saves the last checkpoint and
 * writes the summary ([Finisher.ended]). If the training thread is still inside the update by then — an env step that
 * blocks, or a long optimisation — the hook does not wait for it (the JVM ends it when the hook returns): it writes
 * the summary of the updates that completed and says what the training was waiting for ([Finisher.abandoned]). The
 * checkpoints on disk are those of earlier updates, each written atomically, so they are intact.
 */
internal class StopHandler(
    private val ctx: Cli.Context,
    private val run: TrainingRun,
    private val monitor: RunMonitor,
    private val finisher: Finisher,
    private val progress: Progress,
) {
    @Volatile
    var requested = false
        private set

    private val finished = CountDownLatch(1)
    private val trainingThread = Thread.currentThread()
    private var hook: Thread? = null

    fun install() {
        val h = Thread({ stopNow() }, "proxima-stop")
        Runtime.getRuntime().addShutdownHook(h)
        hook = h
    }

    /** What the hook does (also callable directly): stop, wait a little, abandon the update if it does not end. */
    fun stopNow() {
        if (finished.count == 0L) return
        requested = true
        run.stop()
        progress.errLine("proxima: stopping after the update in progress (now ${monitor.describe(run.updatesDone() + 1,
            trainingThread)})")
        if (finished.await(GRACE_SECONDS, TimeUnit.SECONDS)) return
        if (monitor.phase == RunMonitor.Phase.FINISHING) {
            // Training is over and the run files are being written: give that time to complete.
            if (finished.await(FINISH_SECONDS, TimeUnit.SECONDS)) return
        }
        progress.finish()
        finisher.abandoned(monitor.describe(run.updatesDone() + 1, trainingThread))
    }

    /** The command is done with the run (normally or not): the hook has nothing more to do. */
    fun done() {
        finished.countDown()
        val h = hook ?: return
        try {
            Runtime.getRuntime().removeShutdownHook(h)
        } catch (e: IllegalStateException) {
            // the JVM is already shutting down (Ctrl-C): the hook is waiting for `finished`
        }
    }

    companion object {
        /** Seconds a stop waits for the update in progress before abandoning it. */
        const val GRACE_SECONDS = 3L
        /** Seconds a stop waits for the run files once training has ended. */
        const val FINISH_SECONDS = 20L
    }
}

/** Calls [Progress.tick] about once a second on a daemon thread, for progress within an update. */
internal class Ticker(private val progress: Progress, private val periodMillis: Long = 1000) {
    @Volatile
    private var running = false
    private var thread: Thread? = null

    fun start() {
        running = true
        thread = Thread({
            while (running) {
                try {
                    Thread.sleep(periodMillis)
                } catch (e: InterruptedException) {
                    return@Thread
                }
                if (running) progress.tick()
            }
        }, "proxima-progress").apply { isDaemon = true; start() }
    }

    fun stop() {
        running = false
        thread?.interrupt()
    }
}
