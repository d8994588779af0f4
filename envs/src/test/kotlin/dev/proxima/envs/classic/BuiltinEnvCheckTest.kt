package dev.proxima.envs.classic

import dev.proxima.core.env.EnvChecks
import dev.proxima.core.env.EnvFactory
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.env.TimeLimit
import dev.proxima.core.env.check.EnvChecker
import dev.proxima.core.env.check.Finding.Check
import dev.proxima.core.env.check.Finding.Severity
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

/** The env checker on the built-in envs: they pass as make() gives them, and the checker catches mis-nested wrappers. */
class BuiltinEnvCheckTest : FunSpec({

    context("the five built-in envs pass") {
        for (spec in ClassicControl.all()) {
            test("${spec.id()} as make() gives it: no findings at all") {
                val report = EnvChecker.check(spec)
                withClue(report.toString()) { report.findings().shouldBeEmpty() }
                EnvChecker.checkOrThrow(spec).passed() shouldBe true
            }
            test("${spec.id()} raw: passes; out-of-range continuous actions are only warned about") {
                val report = EnvChecker.check(spec.factory())
                withClue(report.toString()) {
                    report.passed() shouldBe true
                    val continuous = spec.id() == "Pendulum-v1" || spec.id() == "MountainCarContinuous-v0"
                    report.warnings().map { it.check() }.toSet() shouldBe
                        if (continuous) setOf(Check.REJECTS_INVALID_ACTION) else emptySet()
                }
            }
        }
    }

    test("checks nested the wrong way round (EnvChecks inside TimeLimit) miss the truncation, and the report says so") {
        val report = EnvChecker.check(EnvFactory { TimeLimit(EnvChecks(Pendulum()), 50) })
        val end = report.findings(Check.STEP_AFTER_END).single()
        end.severity() shouldBe Severity.ERROR
        end.observed() shouldContain "(truncated)"
        end.likelyCause() shouldContain "inside the TimeLimit"
    }

    test("the report of a passing env is one line") {
        EnvChecker.check(ClassicControl.cartPole() as EnvSpec<*, *>).toString() shouldBe
            "env check of CartPole-v1: passed, no findings"
    }
})
