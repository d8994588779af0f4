package dev.proxima.envs.classic

import dev.proxima.core.testing.GoldenJson
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldNotBeEmpty
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import java.nio.file.Path
import kotlin.io.path.name
import kotlin.io.path.readText
import kotlin.io.path.writeText
import kotlin.math.abs
import kotlin.math.sin

/**
 * The golden comparison must fail when a golden value is wrong: each test writes a copy of a golden file with one
 * value altered into a temporary folder and checks that [Golden] reports exactly that step.
 */
class GoldenMutationTest : FunSpec({
    val source: Path = Golden.files(Golden.envsDir()).minBy { Files.size(it) } // the smallest file keeps this fast
    val text = source.readText()
    val tmp = Files.createTempDirectory("golden-mutated")
    afterSpec { tmp.toFile().deleteRecursively() }

    @Suppress("UNCHECKED_CAST")
    fun mutated(change: (root: MutableMap<String, Any?>, case: MutableMap<String, Any?>, step: MutableMap<String, Any?>) -> Unit): Pair<GoldenFile, Int> {
        val root = GoldenJson.parse(text) as MutableMap<String, Any?>
        val case = (root["cases"] as List<*>)[0] as MutableMap<String, Any?>
        val k = minOf(1, (case["stable_steps"] as Double).toInt() - 1)
        change(root, case, (case["steps"] as List<*>)[k] as MutableMap<String, Any?>)
        val dir = Files.createTempDirectory(tmp, "case")
        dir.resolve(source.name).writeText(GoldenJson.write(root))
        return Golden.load(Golden.files(dir).single()) to k
    }

    fun bump(list: Any?, i: Int, by: Double) {
        @Suppress("UNCHECKED_CAST")
        val l = list as MutableList<Any?>
        l[i] = (l[i] as Double) + by
    }

    test("an unaltered copy matches, so the copies below differ only by the altered value") {
        val (file, _) = mutated { _, _, _ -> }
        Golden.trajectory(file, file.cases[0]).mismatches.shouldBeEmpty()
        Golden.oneStep(file, file.cases[0]).mismatches.shouldBeEmpty()
        Golden.spaces(file).shouldBeEmpty()
    }

    test("an observation entry off by 1e-4 is reported by the trajectory and the one-step comparison") {
        val (file, k) = mutated { _, _, step -> bump(step["obs"], 0, 1e-4) }
        Golden.trajectory(file, file.cases[0]).mismatches.shouldNotBeEmpty().first() shouldContain "step ${k + 1}: obs[0]"
        Golden.oneStep(file, file.cases[0]).mismatches.shouldNotBeEmpty().first() shouldContain "step ${k + 1} (one-step): obs[0]"
    }

    test("a reward off by 0.5 is reported") {
        val (file, k) = mutated { _, _, step -> step["reward"] = (step["reward"] as Double) + 0.5 }
        Golden.trajectory(file, file.cases[0]).mismatches.shouldNotBeEmpty().first() shouldContain "step ${k + 1}: reward"
        Golden.oneStep(file, file.cases[0]).mismatches.shouldNotBeEmpty().first() shouldContain "step ${k + 1} (one-step): reward"
    }

    test("a flipped terminated flag is reported") {
        val (file, k) = mutated { _, _, step -> step["terminated"] = !(step["terminated"] as Boolean) }
        Golden.trajectory(file, file.cases[0]).mismatches.shouldNotBeEmpty().first() shouldContain "step ${k + 1}: terminated"
        Golden.oneStep(file, file.cases[0]).mismatches.shouldNotBeEmpty().first() shouldContain "step ${k + 1} (one-step): terminated"
    }

    test("a flipped truncated flag is reported by the trajectory comparison") {
        val (file, k) = mutated { _, _, step -> step["truncated"] = !(step["truncated"] as Boolean) }
        Golden.trajectory(file, file.cases[0]).mismatches.shouldNotBeEmpty().first() shouldContain "step ${k + 1}: truncated"
    }

    test("a recorded state off by 1e-9 is reported by the one-step comparison") {
        val (file, k) = mutated { _, _, step -> bump(step["state"], 0, 1e-9) }
        Golden.oneStep(file, file.cases[0]).mismatches.shouldNotBeEmpty().first() shouldContain "step ${k + 1} (one-step): state[0]"
    }

    test("an altered initial state is reported") {
        val (file, _) = mutated { _, case, _ -> bump(case["initial_state"], 0, 1e-3) }
        Golden.trajectory(file, file.cases[0]).mismatches.shouldNotBeEmpty().first() shouldContain "step 1:"
        Golden.oneStep(file, file.cases[0]).mismatches.shouldNotBeEmpty().first() shouldContain "step 1 (one-step)"
    }

    test("altered spaces, time limit and threshold are reported") {
        val (file, _) = mutated { root, _, _ ->
            @Suppress("UNCHECKED_CAST")
            val spaces = root["spaces"] as MutableMap<String, Any?>
            spaces["max_episode_steps"] = (spaces["max_episode_steps"] as Double) + 1
            spaces["reward_threshold"] = 12345.0
            @Suppress("UNCHECKED_CAST")
            val obs = spaces["observation"] as MutableMap<String, Any?>
            bump(obs["low"], 0, -0.5)
        }
        val m = Golden.spaces(file)
        m.any { it.startsWith("max_episode_steps") } shouldBe true
        m.any { it.startsWith("reward_threshold") } shouldBe true
        m.any { it.startsWith("observation space: golden low") } shouldBe true
    }

    test("the one-step state tolerance is tight enough to tell NumPy 2's float32 torque terms from plain float64") {
        // A Pendulum port that computes 3u in float64 is off by about 5e-9 per step: invisible at the README's 1e-5,
        // caught at 1e-12. Only meaningful where the folder has Pendulum data.
        val path = Golden.files(Golden.envsDir()).firstOrNull { it.name == "Pendulum-v1.json" } ?: return@test
        val file = Golden.load(path)
        var caught = 0
        var total = 0
        for (case in file.cases) {
            for ((k, g) in case.steps.withIndex()) {
                val prev = if (k == 0) case.initialState else case.steps[k - 1].state
                val u = ((g.action as List<*>)[0] as Double).coerceIn(-2.0, 2.0)
                val plainThetaDot = (prev[1] + (15.0 * sin(prev[0]) + 3.0 * u) * 0.05).coerceIn(-8.0, 8.0)
                if (abs(plainThetaDot - g.state[1]) > Golden.ONE_STEP_STATE_TOL * maxOf(1.0, abs(g.state[1]))) caught++
                total++
            }
        }
        println("a plain float64 Pendulum would fail $caught of $total one-step state comparisons")
        (caught > total / 4) shouldBe true
    }

    test("a missing golden folder fails with a message naming it") {
        val missing = tmp.resolve("nowhere").toString()
        shouldThrow<AssertionError> { Golden.envsDir(missing) }.message!! shouldContain "does not exist"
        shouldThrow<AssertionError> { Golden.envsDir(null) }.message!! shouldContain "golden.dir is not set"
    }
})
