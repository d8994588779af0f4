package dev.proxima.core.testing

import java.lang.management.ManagementFactory

/**
 * Bytes the current thread allocates in one window of `rounds` calls of [work], once the JIT has compiled it.
 *
 * "Allocates nothing" is a claim about compiled code: the Vector API kernels box their vectors until C2 compiles them
 * into registers, and on a loaded 2-core machine C2 may finish only after thousands of calls (CI failed once measuring
 * a single window after a fixed warm-up). So windows are measured one after another until one allocates less than
 * [budget] bytes, or [maxWindows] have run; the last window's figure is returned. Real per-call allocation shows in
 * every window, so the assertion on the result can still fail.
 */
object Allocation {
    private val threads = ManagementFactory.getThreadMXBean() as com.sun.management.ThreadMXBean

    fun steadyState(rounds: Int, budget: Long, maxWindows: Int = 200, work: () -> Unit): Long {
        val id = Thread.currentThread().id
        threads.getThreadAllocatedBytes(id) // the first call allocates (class loading)
        var allocated = Long.MAX_VALUE
        var windows = 0
        while (allocated >= budget && windows < maxWindows) {
            val before = threads.getThreadAllocatedBytes(id)
            repeat(rounds) { work() }
            allocated = threads.getThreadAllocatedBytes(id) - before
            windows++
        }
        return allocated
    }
}
