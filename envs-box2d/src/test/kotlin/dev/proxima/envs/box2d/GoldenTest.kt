package dev.proxima.envs.box2d

import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe

/**
 * Every case of `${golden.dir}/box2d` (Gymnasium 1.4 with pybox2d, README there), replaying the logged draws.
 *
 * - Every case: the draws of reset, the reset observation and body states (1e-4·max(1, |x|)) and the terrain (exact:
 *   LunarLander's chunks and pad, BipedalWalker's 200 points and the hardcore obstacles as Box2D stores them).
 * - Every case: each of the first `stable_steps` steps (observation and reward within 1e-4·max(1, |x|), identical
 *   flags, the logged bodies, LunarLander's two dispersion draws per step), with the contacts created in Box2D 2.3's
 *   pair order ([PairOrder]; without it the walker leaves Gymnasium by 1e-2 in its first step).
 * - Two hardcore cases are compared over fewer steps, [TOI_LIMITED]: after a time-of-impact event libGDX's Box2D 2.3.1
 *   advances a body's sweep with another rounding than pybox2d's 2.3.0 (`b2Sweep::Advance`, see [PairOrder]), which
 *   Java cannot reach; there the trajectories part at the step given, still before `stable_steps`.
 */
class GoldenTest : FunSpec({
    test("LunarLander: the recorded heuristic episodes, replayed closed loop, end as Gymnasium's") {
        // Beyond stable_steps the physics is still Gymnasium's: with the logged draws, our heuristic flies the same
        // episode (same length, return within 1e-6) in all 9 heuristic cases.
        val results = ArrayList<String>()
        var same = 0
        for (name in listOf("LunarLander-v3", "LunarLanderContinuous-v3")) {
            val file = Golden.load(Golden.box2dDir().resolve("$name.json"))
            for (case in file.cases.filter { it.name.startsWith("heuristic") || it.name == "wind_heuristic" }) {
                val (n, ret) = Golden.closedLoop(file, case)
                val expected = case.m["return"] as Double
                val ok = n.toInt() == case.numSteps && Golden.err(ret, expected) <= 1e-6
                if (ok) same++
                results += "$name ${case.label}: length ${n.toInt()} (Gymnasium ${case.numSteps}), return $ret ($expected)"
            }
        }
        withClue(results.joinToString("\n")) {
            results.size shouldBe 9
            same shouldBe 9
        }
    }

    for (path in Golden.files(Golden.box2dDir())) {
        val file = Golden.load(path)
        for (case in file.cases) {
            test("${file.env} ${case.label}: reset draws, observation, bodies and terrain match") {
                Golden.reset(file, case).shouldBeEmpty()
            }
            val limit = TOI_LIMITED[file.env to case.index] ?: case.stableSteps
            val what = if (limit < case.stableSteps) "$limit of ${case.stableSteps} stable steps match (b2Sweep::Advance)"
            else "${case.stableSteps} stable steps match"
            test("${file.env} ${case.label}: $what") {
                val r = Golden.trajectory(file, case, limit)
                r.mismatches.shouldBeEmpty()
                r.stepsCompared shouldBe minOf(limit, case.numSteps)
            }
        }
    }
}) {
    companion object {
        /**
         * Cases (env, index) that match for fewer than their `stable_steps`, and how many steps they do match: a
         * C++ build of pybox2d's Box2D 2.3.0 with 2.3.1's `b2Sweep::Advance` parts from the golden files at the same
         * step as we do, and the unchanged build does not part at all.
         */
        val TOI_LIMITED = mapOf(
            ("BipedalWalkerHardcore-v3" to 7) to 52, // const_knees, stable_steps 107
            ("BipedalWalkerHardcore-v3" to 10) to 119, // backward_exit, stable_steps 122
        )
    }
}
