package dev.proxima.core.env.check

import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvChecks
import dev.proxima.core.env.EnvFactory
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.env.TimeLimit
import dev.proxima.core.env.check.Finding.Check
import dev.proxima.core.env.check.Finding.Severity
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class EnvCheckerTest : FunSpec({

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

    test("the report reads well") {
        val text = EnvChecker.check(EnvFactory { Broken.AcceptsAnyAction() }).toString()
        text shouldContain "env check of AcceptsAnyAction: FAILED"
        text shouldContain "ERROR REJECTS_INVALID_ACTION"
        text shouldContain "observed:     step(-1) returned normally"
        text shouldContain "likely cause:"
        EnvChecker.check(EnvSpec("Walk-v0", EnvFactory { Walk() }, 0, Double.NaN)).toString() shouldBe
            "env check of Walk: passed, no findings"
    }

    context("action masks and composite spaces") {
        test("the masked walk (Discrete) and the Dict-observed, masked MultiDiscrete walk have no findings") {
            for (make in listOf<() -> Env<*, *>>({ MaskedWalk() }, { DictWalk() })) {
                val report = checkAny(make)
                withClue(report.toString()) { report.findings().shouldBeEmpty() }
            }
            // through the wrappers make() adds, too: ActionMasked is found under TimeLimit and EnvChecks
            val spec = EnvSpec("MaskedWalk-v0", EnvFactory<FloatArray, Int> { MaskedWalk() }, 100, Double.NaN)
            withClue(EnvChecker.check(spec).toString()) { EnvChecker.check(spec).findings().shouldBeEmpty() }
        }
        val broken = listOf<Triple<() -> Env<*, *>, Check, Severity>>(
            Triple({ BrokenMasks.MaskOnBox() }, Check.ACTION_MASK, Severity.ERROR),
            Triple({ BrokenMasks.MaskLeavesEntries() }, Check.ACTION_MASK, Severity.ERROR),
            Triple({ BrokenMasks.MaskIgnoresOffset() }, Check.ACTION_MASK, Severity.ERROR),
            Triple({ BrokenMasks.MaskAllowsNothing() }, Check.ACTION_MASK, Severity.ERROR),
            Triple({ BrokenMasks.MaskedActionAccepted() }, Check.MASKED_ACTION, Severity.ERROR),
            Triple({ BrokenMasks.MaskedActionDeclaredHarmless() }, Check.MASKED_ACTION, Severity.ERROR),
            Triple({ BrokenMasks.MaskedActionUnclear() }, Check.MASKED_ACTION, Severity.WARNING),
            Triple({ BrokenMasks.DictObservationMissingKey() }, Check.OBSERVATION_IN_SPACE, Severity.ERROR),
            Triple({ BrokenMasks.DictObservationOutOfBounds() }, Check.OBSERVATION_IN_SPACE, Severity.ERROR),
        )
        val expectedText = listOf(
            "its action space is Box(-1.0, 1.0, (1,), float32)",
            "left entry 1 as the buffer held it",
            "wrote outside entries 1..2",
            "allows no action",
            "returned normally",
            "threw IllegalArgumentException",
            "threw ArrayIndexOutOfBoundsException",
            "obs has no key 'side'",
            "obs['position'] entry 0",
        )
        for ((i, case) in broken.withIndex()) {
            val (make, check, severity) = case
            test("${make()::class.simpleName} -> $severity $check") {
                val report = checkAny(make)
                withClue(report.toString()) {
                    report.findings().map { it.check() }.toSet() shouldBe setOf(check)
                    report.findings().map { it.severity() }.toSet() shouldBe setOf(severity)
                    report.findings().first().observed() shouldContain expectedText[i]
                    report.passed() shouldBe (severity != Severity.ERROR)
                }
            }
        }
    }
})

/** Checks raw copies of an env whose types the caller does not spell out. */
@Suppress("UNCHECKED_CAST")
private fun checkAny(make: () -> Env<*, *>): EnvCheckReport = EnvChecker.check(EnvFactory { make() as Env<Any, Any> })
