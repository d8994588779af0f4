package dev.proxima.envs.gym

import java.nio.file.Path

/**
 * Run in a child JVM by [GymBridgeTest]: makes a Python env copy, prints the Python process's pid and waits (never
 * closing the env), so the test can end this JVM and check that the Python process goes with it.
 */
object HoldEnvMain {
    @JvmStatic
    fun main(args: Array<String>) {
        val env = GymEnv.python("fake_envs:Counter").pythonPath(Path.of(args[0])).forwardStderr(false).makeUnwrapped(0)
        env.reset(1)
        println("pid " + (env.stepBatch() as PythonProcess).pid())
        System.out.flush()
        if (args[1] == "exit") {
            readlnOrNull() // the test's go-ahead
            System.exit(0) // shutdown hooks run
        }
        Thread.sleep(600_000) // killed by the test
    }
}
