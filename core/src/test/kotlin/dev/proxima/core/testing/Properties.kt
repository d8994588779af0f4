package dev.proxima.core.testing

import io.kotest.common.ExperimentalKotest
import io.kotest.property.PropTestConfig

/**
 * Property-test settings with a fixed seed, so every run draws the same inputs (no flaky failures, and a failure
 * reproduces). Kotest marks this constructor experimental; keeping the opt-in here keeps it out of the specs.
 */
@OptIn(ExperimentalKotest::class)
fun fixedSeed(seed: Long, iterations: Int): PropTestConfig = PropTestConfig(seed = seed, iterations = iterations)
