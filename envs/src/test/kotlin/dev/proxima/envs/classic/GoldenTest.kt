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
    val tally = sortedMapOf<String, Tally>()
    afterSpec {
        for ((env, t) in tally) {
            println("golden $env: ${t.trajectoryCases} trajectories (${t.trajectorySteps} steps, max obs error"
                    + " ${t.maxObsErr}), ${t.oneStepCases} cases of one-step tests (${t.oneSteps} steps, max state"
                    + " error ${t.maxStateErr}) passed")
        }
    }
    val dir = Golden.envsDir()
    for (path in Golden.files(dir)) {
        val file = Golden.load(path)
        context(file.env) {
            test("spaces, time limit and reward threshold match the golden spaces block") {
                Golden.spaces(file).shouldBeEmpty()
            }
            for (case in file.cases) {
                test("${case.label}: trajectory, first ${case.stableSteps} of ${case.numSteps} steps within 1e-5") {
                    val r = Golden.trajectory(file, case)
                    r.mismatches.shouldBeEmpty()
                    r.stepsCompared shouldBe minOf(case.stableSteps, case.steps.size)
                    tally.getOrPut(file.env) { Tally() }.add(r, trajectory = true)
                }
                test("${case.label}: ${case.numSteps} one-step tests from the recorded states") {
                    val r = Golden.oneStep(file, case)
                    r.mismatches.shouldBeEmpty()
                    r.stepsCompared shouldBe case.steps.size
                    tally.getOrPut(file.env) { Tally() }.add(r, trajectory = false)
                }
            }
        }
    }
})

/** What passed, per env, for the summary printed after the spec. */
private class Tally {
    var trajectoryCases = 0
    var trajectorySteps = 0
    var oneStepCases = 0
    var oneSteps = 0
    var maxObsErr = 0.0
    var maxStateErr = 0.0

    fun add(r: GoldenResult, trajectory: Boolean) {
        if (trajectory) {
            trajectoryCases++
            trajectorySteps += r.stepsCompared
            maxObsErr = maxOf(maxObsErr, r.maxObsErr)
        } else {
            oneStepCases++
            oneSteps += r.stepsCompared
            maxStateErr = maxOf(maxStateErr, r.maxStateErr)
        }
    }
}
