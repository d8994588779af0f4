package dev.proxima.envs.classic

import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.env.EnvSpec
import dev.proxima.core.env.TimeLimit
import dev.proxima.core.space.Box
import dev.proxima.core.space.Discrete
import dev.proxima.core.testing.GoldenJson
import java.nio.file.Files
import java.nio.file.Path
import kotlin.io.path.name
import kotlin.io.path.readText
import kotlin.math.abs
import kotlin.math.max

/** One golden file of `${golden.dir}/envs` (layout in its README). */
class GoldenFile(val path: Path, val root: Map<String, Any?>) {
    val env: String = root["env"] as String
    @Suppress("UNCHECKED_CAST")
    val spaces: Map<String, Any?> = root["spaces"] as Map<String, Any?>
    val cases: List<GoldenCase> = (root["cases"] as List<*>).mapIndexed { i, c ->
        @Suppress("UNCHECKED_CAST")
        GoldenCase(i, c as Map<String, Any?>)
    }
}

class GoldenCase(val index: Int, m: Map<String, Any?>) {
    val name = m["name"] as String
    val numSteps = (m["num_steps"] as Double).toInt()
    val stableSteps = (m["stable_steps"] as Double).toInt()
    val end = m["end"] as String
    val initialState = doubles(m["initial_state"])
    val steps: List<GoldenStep> = (m["steps"] as List<*>).map {
        @Suppress("UNCHECKED_CAST")
        GoldenStep(it as Map<String, Any?>)
    }
    val label get() = "case $index '$name'"
}

class GoldenStep(m: Map<String, Any?>) {
    /** A Double for a discrete env, a list with one Double for a continuous one. */
    val action: Any = m["action"]!!
    val obs = doubles(m["obs"])
    val reward = m["reward"] as Double
    val terminated = m["terminated"] as Boolean
    val truncated = m["truncated"] as Boolean
    val state = doubles(m["state"])
}

private fun doubles(v: Any?): DoubleArray = (v as List<*>).map { it as Double }.toDoubleArray()

/** What comparing one case found. */
class GoldenResult(val mismatches: List<String>, val stepsCompared: Int, val maxObsErr: Double, val maxRewardErr: Double,
                   val maxStateErr: Double)

/**
 * Loads the golden trajectories and compares the envs of this module with them. Every function returns the list of
 * mismatches (empty when all agree) rather than asserting, so a test can also show that a wrong golden value is
 * reported.
 */
object Golden {
    /** The tolerance of the README: `|got - exp| <= 1e-5 * max(1, |exp|)`. */
    const val REL_TOL = 1e-5

    /**
     * One-step tests start from the exact recorded state, so errors cannot accumulate and only a 1-ulp difference of
     * java.lang.Math's sin/cos (or NumPy's pow) can show. The state must then agree to 1e-12 and the float32
     * observation to one float ulp, which is far tighter than [REL_TOL] and catches a port that ignores NumPy 2's
     * float32 arithmetic in a single step. The reward gets 1e-9: Pendulum's `0.001 * u**2` goes through C's
     * `powf`, which is not always correctly rounded, so NumPy's u^2 can be one float ulp off the exact `u * u`
     * (a reward difference of about 1e-10, as the README says).
     */
    const val ONE_STEP_STATE_TOL = 1e-12
    const val ONE_STEP_OBS_TOL = 2.5e-7
    const val ONE_STEP_REWARD_TOL = 1e-9

    private const val MAX_REPORTED = 10

    /** `${golden.dir}/envs`, or a clear failure saying what is missing. */
    fun envsDir(goldenDir: String? = System.getProperty("golden.dir")): Path {
        if (goldenDir.isNullOrBlank()) {
            throw AssertionError("system property golden.dir is not set. Run the tests through Maven (Surefire sets it"
                    + " from the parent pom's <golden.dir>) or pass -Dgolden.dir=/path/to/golden.")
        }
        val dir = Path.of(goldenDir).resolve("envs")
        if (!Files.isDirectory(dir)) {
            throw AssertionError("golden folder $dir does not exist (golden.dir = $goldenDir). It must hold the"
                    + " classic-control trajectories <EnvId>.json; set -Dgolden.dir to the folder that contains envs/.")
        }
        return dir
    }

    /** The `*.json` files of [dir], sorted; fails if there are none. */
    fun files(dir: Path): List<Path> {
        val files = Files.list(dir).use { s -> s.filter { it.name.endsWith(".json") }.sorted().toList() }
        if (files.isEmpty()) throw AssertionError("golden folder $dir holds no *.json file")
        return files
    }

    @Suppress("UNCHECKED_CAST")
    fun load(path: Path): GoldenFile = GoldenFile(path, GoldenJson.parse(path.readText()) as Map<String, Any?>)

    fun spec(file: GoldenFile): EnvSpec<*, *> = EnvRegistry.global().spec(file.env)

    @Suppress("UNCHECKED_CAST")
    fun unwrapped(file: GoldenFile): ClassicControlEnv<Any> = spec(file).makeUnwrapped(0) as ClassicControlEnv<Any>

    private fun action(env: ClassicControlEnv<Any>, a: Any): Any = when (env.actionSpace()) {
        is Discrete -> (a as Double).toInt()
        is Box -> (a as List<*>).map { (it as Double).toFloat() }.toFloatArray()
        else -> error("unexpected action space ${env.actionSpace()}")
    }

    private fun err(got: Double, exp: Double): Double =
        if (got == exp) 0.0 else if (got.isNaN() || exp.isNaN()) Double.POSITIVE_INFINITY else abs(got - exp) / max(1.0, abs(exp))

    /** The JSON `spaces` block against the env's spaces and the spec's time limit and reward threshold. */
    fun spaces(file: GoldenFile): List<String> {
        val out = ArrayList<String>()
        val spec = spec(file)
        val env = spec.makeUnwrapped(0)
        fun bound(v: Any?): Float = when (v) {
            "inf" -> Float.POSITIVE_INFINITY
            "-inf" -> Float.NEGATIVE_INFINITY
            else -> (v as Double).toFloat()
        }
        fun box(what: String, m: Map<*, *>, space: Any) {
            if (m["type"] != "Box" || space !is Box) {
                out += "$what: golden ${m["type"]}, env $space"
                return
            }
            if (m["dtype"] != "float32") out += "$what: golden dtype ${m["dtype"]}, env float32"
            val shape = (m["shape"] as List<*>).map { (it as Double).toInt() }
            if (shape != space.shape().toList()) out += "$what: golden shape $shape, env ${space.shape().toList()}"
            val low = (m["low"] as List<*>).map(::bound)
            val high = (m["high"] as List<*>).map(::bound)
            if (low != space.low().toList()) out += "$what: golden low $low, env ${space.low().toList()}"
            if (high != space.high().toList()) out += "$what: golden high $high, env ${space.high().toList()}"
        }
        box("observation space", file.spaces["observation"] as Map<*, *>, env.observationSpace())
        val act = file.spaces["action"] as Map<*, *>
        when (act["type"]) {
            "Discrete" -> {
                val expected = Discrete((act["n"] as Double).toInt(), (act["start"] as Double).toInt())
                if (env.actionSpace() != expected) out += "action space: golden $expected, env ${env.actionSpace()}"
            }
            else -> box("action space", act, env.actionSpace())
        }
        val max = (file.spaces["max_episode_steps"] as Double).toInt()
        if (spec.maxEpisodeSteps().orElse(0) != max) {
            out += "max_episode_steps: golden $max, spec ${spec.maxEpisodeSteps()}"
        }
        val threshold = file.spaces["reward_threshold"] as Double?
        val ours = spec.rewardThreshold()
        if ((threshold == null && ours.isPresent) || (threshold != null && (ours.isEmpty || ours.asDouble != threshold))) {
            out += "reward_threshold: golden $threshold, spec $ours"
        }
        return out
    }

    /**
     * Replays [case] from its initial state through a [TimeLimit] of the spec's length, as Gymnasium's `make` ran it,
     * comparing the first `stable_steps` steps: observation and reward within [REL_TOL], both flags exactly.
     */
    @Suppress("UNCHECKED_CAST")
    fun trajectory(file: GoldenFile, case: GoldenCase): GoldenResult {
        val out = ArrayList<String>()
        val env = unwrapped(file)
        val limited = TimeLimit(env as Env<FloatArray, Any>, spec(file).maxEpisodeSteps().asInt)
        limited.reset(0)
        env.setState(*case.initialState)
        var maxObs = 0.0
        var maxReward = 0.0
        var compared = 0
        if (case.steps.size != case.numSteps) out += "${case.label}: num_steps ${case.numSteps} but ${case.steps.size} steps"
        for (k in 0 until minOf(case.stableSteps, case.steps.size)) {
            val g = case.steps[k]
            val s = try {
                limited.step(action(env, g.action))
            } catch (e: RuntimeException) {
                out += "${case.label} step ${k + 1}: step threw $e"
                break
            }
            compared++
            val where = "${case.label} step ${k + 1}"
            for (i in g.obs.indices) {
                val e = err(s.observation()[i].toDouble(), g.obs[i])
                maxObs = max(maxObs, e)
                if (e > REL_TOL) out += "$where: obs[$i] = ${s.observation()[i]}, golden ${g.obs[i]}"
            }
            val re = err(s.reward(), g.reward)
            maxReward = max(maxReward, re)
            if (re > REL_TOL) out += "$where: reward = ${s.reward()}, golden ${g.reward}"
            if (s.terminated() != g.terminated) out += "$where: terminated = ${s.terminated()}, golden ${g.terminated}"
            if (s.truncated() != g.truncated) out += "$where: truncated = ${s.truncated()}, golden ${g.truncated}"
            if (out.size >= MAX_REPORTED || s.done()) break
        }
        return GoldenResult(out.take(MAX_REPORTED), compared, maxObs, maxReward, Double.NaN)
    }

    /**
     * One-step tests: for every step, set the recorded previous state (or `initial_state`), apply the action and
     * compare observation, reward, `terminated` and the new state. `truncated` is the TimeLimit's and is compared
     * by [trajectory]. MountainCarContinuous keeps its state as float32 after a step, so the states recorded after a
     * step are set as float32 (`setStateFloat32`) and `initial_state` as float64, as in Gymnasium.
     */
    fun oneStep(file: GoldenFile, case: GoldenCase): GoldenResult {
        val out = ArrayList<String>()
        val env = unwrapped(file)
        env.reset(0)
        var maxObs = 0.0
        var maxReward = 0.0
        var maxState = 0.0
        var compared = 0
        for ((k, g) in case.steps.withIndex()) {
            val prev = if (k == 0) case.initialState else case.steps[k - 1].state
            if (env is MountainCarContinuous && k > 0) {
                env.setStateFloat32(prev[0].toFloat(), prev[1].toFloat())
            } else {
                env.setState(*prev)
            }
            val where = "${case.label} step ${k + 1} (one-step)"
            val s = try {
                env.step(action(env, g.action))
            } catch (e: RuntimeException) {
                out += "$where: step threw $e"
                continue
            }
            compared++
            for (i in g.obs.indices) {
                val e = err(s.observation()[i].toDouble(), g.obs[i])
                maxObs = max(maxObs, e)
                if (e > ONE_STEP_OBS_TOL) out += "$where: obs[$i] = ${s.observation()[i]}, golden ${g.obs[i]}"
            }
            val re = err(s.reward(), g.reward)
            maxReward = max(maxReward, re)
            if (re > ONE_STEP_REWARD_TOL) out += "$where: reward = ${s.reward()}, golden ${g.reward}"
            if (s.terminated() != g.terminated) out += "$where: terminated = ${s.terminated()}, golden ${g.terminated}"
            val state = env.state()
            for (i in g.state.indices) {
                val e = err(state[i], g.state[i])
                maxState = max(maxState, e)
                if (e > ONE_STEP_STATE_TOL) out += "$where: state[$i] = ${state[i]}, golden ${g.state[i]}"
            }
        }
        return GoldenResult(out.take(MAX_REPORTED), compared, maxObs, maxReward, maxState)
    }
}
