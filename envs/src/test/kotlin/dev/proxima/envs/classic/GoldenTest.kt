package dev.proxima.envs.classic

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe

/**
 * Every case of every file in `${golden.dir}/envs`: the spaces block, the whole trajectory up to `stable_steps`, and
 * a one-step test for every recorded step. Nothing here names a case, so the spec runs unchanged on another folder of
 * the same format.
 */
class GoldenTest : FunSpec({
    val dir = Golden.envsDir()
    for (path in Golden.files(dir)) {
        val file = Golden.load(path)
        context(file.env) {
            test("spaces, time limit and reward threshold match the golden spaces block") {
                Golden.spaces(file).shouldBeEmpty()
            }
            var trajectorySteps = 0
            var oneSteps = 0
            var maxObs = 0.0
            var maxState = 0.0
            for (case in file.cases) {
                test("${case.label}: trajectory, first ${case.stableSteps} of ${case.numSteps} steps within 1e-5") {
                    val r = Golden.trajectory(file, case)
                    r.mismatches.shouldBeEmpty()
                    r.stepsCompared shouldBe minOf(case.stableSteps, case.steps.size)
                    trajectorySteps += r.stepsCompared
                    maxObs = maxOf(maxObs, r.maxObsErr)
                }
                test("${case.label}: ${case.numSteps} one-step tests from the recorded states") {
                    val r = Golden.oneStep(file, case)
                    r.mismatches.shouldBeEmpty()
                    r.stepsCompared shouldBe case.steps.size
                    oneSteps += r.stepsCompared
                    maxState = maxOf(maxState, r.maxStateErr)
                }
            }
            test("summary") {
                println("golden ${file.env}: ${file.cases.size} cases, $trajectorySteps trajectory steps and $oneSteps"
                        + " one-step tests passed; max trajectory obs error $maxObs, max one-step state error $maxState")
                oneSteps shouldBe file.cases.sumOf { it.steps.size }
            }
        }
    }
})
