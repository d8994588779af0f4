package dev.proxima.envs.box2d

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldNotBeEmpty
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import java.nio.file.Path
import kotlin.io.path.readText
import kotlin.io.path.writeText

/**
 * The golden comparison must fail when a golden value is wrong: each test writes a copy of a golden file with one value
 * altered into a temporary folder (as a corrupted `golden.dir` would hold it), loads it back and checks that [Golden]
 * reports exactly that value.
 */
class GoldenMutationTest : FunSpec({
    val dir = Golden.box2dDir()
    val tmp = Files.createTempDirectory("box2d-golden-mutated")
    afterSpec { tmp.toFile().deleteRecursively() }
    val lander = dir.resolve("LunarLander-v3.json").readText()
    val hardcore = dir.resolve("BipedalWalkerHardcore-v3.json").readText()

    @Suppress("UNCHECKED_CAST")
    fun mutated(text: String, name: String, change: (root: MutableMap<String, Any?>, case: MutableMap<String, Any?>) -> Unit): GoldenFile {
        val root = Golden.parse(Path.of(name), text).root.toMutableMap()
        val cases = (root["cases"] as List<*>).map { (it as Map<String, Any?>).toMutableMap() }.toMutableList()
        root["cases"] = cases
        change(root, cases[0])
        val d = Files.createTempDirectory(tmp, "case")
        d.resolve(name).writeText(Golden.write(root))
        return Golden.load(Golden.files(d).single())
    }

    @Suppress("UNCHECKED_CAST")
    fun step(case: MutableMap<String, Any?>, k: Int): MutableMap<String, Any?> {
        val steps = (case["steps"] as List<*>).map { (it as Map<String, Any?>).toMutableMap() }.toMutableList()
        case["steps"] = steps
        return steps[k]
    }

    @Suppress("UNCHECKED_CAST")
    fun bumped(list: Any?, i: Int, by: Double): MutableList<Any?> =
        (list as List<Any?>).toMutableList().also { it[i] = (it[i] as Double) + by }

    test("an unaltered copy matches, so the copies below differ only by the altered value") {
        val file = mutated(lander, "LunarLander-v3.json") { _, _ -> }
        Golden.reset(file, file.cases[0]).shouldBeEmpty()
        Golden.trajectory(file, file.cases[0]).mismatches.shouldBeEmpty()
    }

    test("an observation entry off by 2e-4 is reported at its step") {
        val file = mutated(lander, "LunarLander-v3.json") { _, case -> step(case, 10).let { it["obs"] = bumped(it["obs"], 2, 2e-4) } }
        Golden.trajectory(file, file.cases[0]).mismatches.shouldNotBeEmpty().first() shouldContain "step 11: obs[2]"
    }

    test("a walker observation entry off by 2e-4 is reported at its step") {
        val file = mutated(hardcore, "BipedalWalkerHardcore-v3.json") { _, case -> step(case, 20).let { it["obs"] = bumped(it["obs"], 6, 2e-4) } }
        Golden.trajectory(file, file.cases[0]).mismatches.shouldNotBeEmpty().first() shouldContain "step 21: obs[6]"
    }

    test("a reward off by 0.01 is reported") {
        val file = mutated(lander, "LunarLander-v3.json") { _, case -> step(case, 3).let { it["reward"] = (it["reward"] as Double) + 0.01 } }
        Golden.trajectory(file, file.cases[0]).mismatches.shouldNotBeEmpty().first() shouldContain "step 4: reward"
    }

    test("flipped terminated and truncated flags are reported") {
        val t = mutated(lander, "LunarLander-v3.json") { _, case -> step(case, 5).let { it["terminated"] = true } }
        Golden.trajectory(t, t.cases[0]).mismatches.shouldNotBeEmpty().first() shouldContain "step 6: terminated"
        val u = mutated(lander, "LunarLander-v3.json") { _, case -> step(case, 5).let { it["truncated"] = true } }
        Golden.trajectory(u, u.cases[0]).mismatches.shouldNotBeEmpty().first() shouldContain "step 6: truncated"
    }

    test("a logged body state off by 1e-3 is reported") {
        val file = mutated(lander, "LunarLander-v3.json") { _, case ->
            val s = step(case, 7)
            @Suppress("UNCHECKED_CAST")
            val bodies = (s["bodies"] as List<*>).map { (it as Map<String, Any?>).toMutableMap() }.toMutableList()
            bodies[1]["angle"] = (bodies[1]["angle"] as Double) + 1e-3
            s["bodies"] = bodies
        }
        Golden.trajectory(file, file.cases[0]).mismatches.shouldNotBeEmpty().first() shouldContain "step 8: body 1 angle"
    }

    test("a step draw with other arguments, and a missing draw, are reported") {
        val a = mutated(lander, "LunarLander-v3.json") { _, case ->
            val s = step(case, 2)
            s["draws"] = listOf(listOf("uniform", listOf(-2.0, 1.0), emptyMap<String, Any?>(), 0.5), (s["draws"] as List<*>)[1])
        }
        Golden.trajectory(a, a.cases[0]).mismatches.shouldNotBeEmpty().first() shouldContain "step 3: draw"
        val b = mutated(lander, "LunarLander-v3.json") { _, case -> step(case, 2).let { it["draws"] = (it["draws"] as List<*>).take(1) } }
        Golden.trajectory(b, b.cases[0]).mismatches.shouldNotBeEmpty().first() shouldContain "step 3:"
    }

    test("altered reset observation, reset body and terrain are reported") {
        val o = mutated(lander, "LunarLander-v3.json") { _, case -> case["reset_obs"] = bumped(case["reset_obs"], 1, 1e-3) }
        Golden.reset(o, o.cases[0]).shouldNotBeEmpty().first() shouldContain "reset: obs[1]"
        val t = mutated(lander, "LunarLander-v3.json") { _, case ->
            @Suppress("UNCHECKED_CAST")
            val terrain = (case["terrain"] as Map<String, Any?>).toMutableMap()
            terrain["smooth_y"] = bumped(terrain["smooth_y"], 9, 1e-12)
            case["terrain"] = terrain
        }
        Golden.reset(t, t.cases[0]).shouldNotBeEmpty().first() shouldContain "terrain: smooth_y[9]"
    }

    test("an altered walker terrain point and hardcore obstacle vertex are reported") {
        val file = mutated(hardcore, "BipedalWalkerHardcore-v3.json") { _, case ->
            @Suppress("UNCHECKED_CAST")
            val terrain = (case["terrain"] as Map<String, Any?>).toMutableMap()
            terrain["terrain_y"] = bumped(terrain["terrain_y"], 150, 1e-12)
            @Suppress("UNCHECKED_CAST")
            val polys = (terrain["obstacle_polygons_box2d"] as List<*>).map { (it as List<*>).toMutableList() }.toMutableList()
            polys[0][2] = listOf(((polys[0][2] as List<*>)[0] as Double) + 1e-6, (polys[0][2] as List<*>)[1])
            terrain["obstacle_polygons_box2d"] = polys
            case["terrain"] = terrain
        }
        val m = Golden.reset(file, file.cases[0])
        m.any { "terrain_y[150]" in it } shouldBe true
        m.any { "obstacle 0[4]" in it } shouldBe true
    }

    test("statistics shifted by a quarter of their spread fail the distribution test") {
        @Suppress("UNCHECKED_CAST")
        val block = Golden.load(dir.resolve("LunarLanderContinuous-v3.json")).statistics["heuristic"] as Map<String, Any?>
        val returns = doubles(block["returns"])
        val ours = Statistics.play("LunarLanderContinuous-v3", "heuristic")
        // The corrupted copy: every golden return 25 lower (0.7 of their std): the KS distance must exceed the critical value.
        val shifted = DoubleArray(returns.size) { returns[it] - 25 }
        Statistics.ks(ours.returns, shifted) shouldBeGreaterThan Statistics.ksCritical(200, 200, 0.001)
    }
})

