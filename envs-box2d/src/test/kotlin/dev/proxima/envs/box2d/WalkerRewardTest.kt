package dev.proxima.envs.box2d

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe

/**
 * BipedalWalker's reward arithmetic, checked bit for bit without the physics: for every golden step with logged bodies,
 * the reward recomputed from the logged hull states (before and after the step) and the action must equal Gymnasium's,
 * including NumPy 2's float32 arithmetic for float32 actions. (The trajectories themselves diverge, see [GoldenTest].)
 */
class WalkerRewardTest : FunSpec({
    for (name in listOf("BipedalWalker-v3", "BipedalWalkerHardcore-v3")) {
        test("$name: rewards recomputed from the logged hull states equal Gymnasium's exactly") {
            val file = Golden.load(Golden.box2dDir().resolve("$name.json"))
            var checked = 0
            for (case in file.cases) {
                var prev = case.resetBodies[0]
                for ((k, step) in case.steps.withIndex()) {
                    val bodies = step.bodies ?: break
                    val hull = bodies[0]
                    val a = (step.action as List<*>).map { (it as Double).toFloat() }
                    val float32 = (step.action as List<*>).all { (it as Double).toFloat().toDouble() == it } &&
                        case.m["action_dtype"] != "float64"
                    val delta = BipedalWalker.shaping(doubles(hull["pos"])[0], hull["angle"] as Double) -
                        BipedalWalker.shaping(doubles(prev["pos"])[0], prev["angle"] as Double)
                    val r = BipedalWalker.reward(delta, a[0], a[1], a[2], a[3], float32)
                    if (!step.terminated) {
                        withClueOf("${case.label} step ${k + 1}") { r shouldBe step.reward }
                        checked++
                    }
                    prev = hull
                }
            }
            checked shouldBeGreaterThan 20
        }
    }
})

private inline fun <T> withClueOf(clue: String, block: () -> T): T = io.kotest.assertions.withClue(clue, block)
