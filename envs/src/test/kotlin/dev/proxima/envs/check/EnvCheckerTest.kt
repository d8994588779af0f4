package dev.proxima.envs.check

import dev.proxima.core.env.EnvChecks
import dev.proxima.core.env.EnvFactory
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.env.TimeLimit
import dev.proxima.envs.check.Finding.Check
import dev.proxima.envs.check.Finding.Severity
import dev.proxima.envs.classic.ClassicControl
import dev.proxima.envs.classic.Pendulum
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class EnvCheckerTest : FunSpec({

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

    test("a correct fixture has no findings, so each finding below comes from the one thing broken") {
        val report = EnvChecker.check(EnvFactory { Walk() })
        withClue(report.toString()) { report.findings().shouldBeEmpty() }
    }

    // fixture -> the check that must catch it, and how seriously
    val cases = listOf(
        Triple({ Broken.BadSpace() }, Check.SPACES, Severity.ERROR),
        Triple({ Broken.StepsBeforeReset() }, Check.STEP_BEFORE_RESET, Severity.ERROR),
        Triple({ Broken.UnseededReset() }, Check.RESET_REPRODUCIBLE, Severity.ERROR),
        Triple({ Broken.IgnoresSeed() }, Check.RESET_SEED_MATTERS, Severity.WARNING),
        Triple({ Broken.ObservationOutOfBounds() }, Check.OBSERVATION_IN_SPACE, Severity.ERROR),
        Triple({ Broken.ObservationWrongShape() }, Check.OBSERVATION_IN_SPACE, Severity.ERROR),
        Triple({ Broken.ObservationNaN() }, Check.OBSERVATION_IN_SPACE, Severity.ERROR),
        Triple({ Broken.NaNReward() }, Check.REWARD_FINITE, Severity.ERROR),
        Triple({ Broken.NoisyStep() }, Check.STEP_DETERMINISTIC, Severity.ERROR),
        Triple({ Broken.ReusesObservation() }, Check.OBSERVATION_NOT_REUSED, Severity.WARNING),
        Triple({ Broken.AcceptsAnyAction() }, Check.REJECTS_INVALID_ACTION, Severity.ERROR),
        Triple({ Broken.UnclearRejection() }, Check.REJECTS_INVALID_ACTION, Severity.WARNING),
        Triple({ Broken.StepsAfterEnd() }, Check.STEP_AFTER_END, Severity.ERROR),
        Triple({ Broken.NeverEnds() }, Check.STEP_AFTER_END, Severity.NOTE),
        Triple({ Broken.CloseTwiceFails() }, Check.CLOSE_TWICE, Severity.ERROR),
    )
    context("each broken fixture is caught by its check, and only by it") {
        for ((make, check, severity) in cases) {
            val name = make()::class.simpleName
            test("$name -> $severity $check") {
                val report = EnvChecker.check(EnvFactory { make() })
                withClue(report.toString()) {
                    report.findings().map { it.check() }.toSet() shouldBe setOf(check)
                    report.findings().map { it.severity() }.toSet() shouldBe setOf(severity)
                    report.findings().forEach { f ->
                        f.observed().isNotBlank() shouldBe true
                        f.expected().isNotBlank() shouldBe true
                        f.likelyCause().isNotBlank() shouldBe true
                    }
                    report.passed() shouldBe (severity != Severity.ERROR)
                }
                if (severity == Severity.ERROR) {
                    val e = shouldThrow<EnvCheckException> { EnvChecker.checkOrThrow(EnvFactory { make() }) }
                    e.message!! shouldContain check.name
                    e.report().passed() shouldBe false
                }
            }
        }
    }

    test("a raw continuous env that accepts NaN, a wrong length and out-of-range values is reported for each") {
        val report = EnvChecker.check(EnvFactory { Broken.UncheckedContinuous() })
        val rejected = report.findings(Check.REJECTS_INVALID_ACTION)
        withClue(report.toString()) {
            rejected.map { it.severity() } shouldContainExactly
                listOf(Severity.ERROR, Severity.ERROR, Severity.WARNING, Severity.WARNING) // [0,0], [NaN], [2], [-2]
            rejected[1].observed() shouldContain "step([NaN])"
        }
    }

    test("checks nested the wrong way round (EnvChecks inside TimeLimit) miss the truncation, and the report says so") {
        val report = EnvChecker.check(EnvFactory { TimeLimit(EnvChecks(Pendulum()), 50) })
        val end = report.findings(Check.STEP_AFTER_END).single()
        end.severity() shouldBe Severity.ERROR
        end.observed() shouldContain "(truncated)"
        end.likelyCause() shouldContain "inside the TimeLimit"
    }

    test("the report reads well") {
        val text = EnvChecker.check(EnvFactory { Broken.AcceptsAnyAction() }).toString()
        text shouldContain "env check of AcceptsAnyAction: FAILED"
        text shouldContain "ERROR REJECTS_INVALID_ACTION"
        text shouldContain "observed:     step(-1) returned normally"
        text shouldContain "likely cause:"
        EnvChecker.check(ClassicControl.cartPole() as EnvSpec<*, *>).toString() shouldBe
            "env check of CartPole-v1: passed, no findings"
    }
})
