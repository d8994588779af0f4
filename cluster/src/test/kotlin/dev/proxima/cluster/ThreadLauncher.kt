package dev.proxima.cluster

/**
 * Runs workers as threads of the test JVM: for tests of the learner's arithmetic (normalisation), where starting
 * JVMs adds nothing but time. Each worker has its own Hazelcast client, as in a separate process.
 */
class ThreadLauncher : WorkerLauncher {
    val exits = java.util.concurrent.ConcurrentHashMap<Int, Int>()

    override fun launch(launch: WorkerLauncher.Launch): WorkerLauncher.Handle {
        val t = Thread({ exits[launch.index] = Worker.builder().args(*launch.workerArgs().toTypedArray()).run() },
            "test-worker-${launch.index}")
        t.isDaemon = true
        t.start()
        return object : WorkerLauncher.Handle {
            override fun pid() = -1L
            override fun isAlive() = t.isAlive
            override fun exitCode() = if (t.isAlive) -1 else exits[launch.index] ?: -1
            override fun kill() = t.interrupt()
            override fun log() = ""
        }
    }
}
