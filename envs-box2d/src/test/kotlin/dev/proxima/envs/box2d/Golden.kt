package dev.proxima.envs.box2d

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

/** One golden file of `${golden.dir}/box2d` (layout in its README). */
class GoldenFile(val path: Path, val root: Map<String, Any?>) {
    val env: String = root["env"] as String
    @Suppress("UNCHECKED_CAST")
    val spaces: Map<String, Any?> = root["spaces"] as Map<String, Any?>
    @Suppress("UNCHECKED_CAST")
    val statistics: Map<String, Any?> = root["statistics"] as Map<String, Any?>
    val cases: List<GoldenCase> = (root["cases"] as List<*>).mapIndexed { i, c ->
        @Suppress("UNCHECKED_CAST")
        GoldenCase(i, c as Map<String, Any?>)
    }
}

class GoldenCase(val index: Int, val m: Map<String, Any?>) {
    val name = m["name"] as String
    val seed = (m["seed"] as Double).toLong()
    val numSteps = (m["num_steps"] as Double).toInt()
    val stableSteps = (m["stable_steps"] as Double).toInt()
    @Suppress("UNCHECKED_CAST")
    val makeKwargs: Map<String, Any?> = (m["make_kwargs"] as Map<String, Any?>?) ?: emptyMap()
    val resetDraws: List<List<*>> = (m["reset_draws"] as List<*>).map { it as List<*> }
    val resetObs = doubles(m["reset_obs"])
    val resetBodies: List<Map<*, *>> = (m["reset_bodies"] as List<*>).map { it as Map<*, *> }
    @Suppress("UNCHECKED_CAST")
    val terrain: Map<String, Any?> = m["terrain"] as Map<String, Any?>
    val steps: List<GoldenStep> = (m["steps"] as List<*>).map {
        @Suppress("UNCHECKED_CAST")
        GoldenStep(it as Map<String, Any?>)
    }
    val label get() = "case $index '$name' (seed $seed)"
}

class GoldenStep(m: Map<String, Any?>) {
    /** A Double for a discrete env, a list of Doubles for a continuous one. */
    val action: Any = m["action"]!!
    val obs = doubles(m["obs"])
    val reward = m["reward"] as Double
    val terminated = m["terminated"] as Boolean
    val truncated = m["truncated"] as Boolean
    val draws: List<List<*>> = (m["draws"] as List<*>).map { it as List<*> }
    val bodies: List<Map<*, *>>? = (m["bodies"] as List<*>?)?.map { it as Map<*, *> }
}

fun doubles(v: Any?): DoubleArray = (v as List<*>).map { it as Double }.toDoubleArray()

/**
 * An [EnvRandom] that hands back Gymnasium's logged draws in order, checking that each call has the logged method
 * and arguments. A mismatch is recorded (not thrown) so the comparison can report it with the step it happened in.
 */
class ReplayRandom(private val draws: List<List<*>>) : EnvRandom {
    var next = 0
        private set
    val problems = ArrayList<String>()

    private fun take(method: String, args: List<Double>, size: Int?): Any? {
        if (next >= draws.size) {
            problems += "draw ${next + 1}: the env called $method$args but Gymnasium logged only ${draws.size} draws"
            return null
        }
        val d = draws[next++]
        val loggedArgs = (d[1] as List<*>).map { (it as Double) }
        @Suppress("UNCHECKED_CAST")
        val kwargs = d[2] as Map<String, Any?>
        val loggedSize = (kwargs["size"] as List<*>?)?.let { (it[0] as Double).toInt() }
        if (d[0] != method || loggedArgs != args || loggedSize != size) {
            problems += "draw $next: the env called $method$args${size?.let { " size=$it" } ?: ""} but Gymnasium" +
                " logged ${d[0]}$loggedArgs${loggedSize?.let { " size=$it" } ?: ""}"
        }
        return d[3]
    }

    override fun uniform(low: Double, high: Double): Double = (take("uniform", listOf(low, high), null) as Double?) ?: 0.5

    override fun uniform(low: Double, high: Double, out: DoubleArray) {
        val r = take("uniform", listOf(low, high), out.size) as List<*>?
        for (i in out.indices) out[i] = (r?.getOrNull(i) as Double?) ?: 0.5
    }

    override fun integers(low: Long, high: Long): Long =
        (take("integers", listOf(low.toDouble(), high.toDouble()), null) as Double?)?.toLong() ?: low

    override fun random(): Double = (take("random", emptyList(), null) as Double?) ?: 0.5
}

/** What comparing one case found. */
class GoldenResult(val mismatches: List<String>, val stepsCompared: Int, val maxObsErr: Double, val maxRewardErr: Double)

/**
 * Loads the Box2D golden trajectories and compares the envs of this module with them. Every function returns the
 * mismatches (empty when all agree) rather than asserting, so a test can also show that a wrong golden value is
 * reported.
 */
object Golden {
    /** The README's tolerance: `|got - exp| <= 1e-4 * max(1, |exp|)`. */
    const val REL_TOL = 1e-4
    private const val MAX_REPORTED = 10

    /** `${golden.dir}/box2d`, or a clear failure saying what is missing. */
    fun box2dDir(goldenDir: String? = System.getProperty("golden.dir")): Path {
        if (goldenDir.isNullOrBlank()) {
            throw AssertionError("system property golden.dir is not set. Run the tests through Maven (Surefire sets it" +
                " from the parent pom's <golden.dir>) or pass -Dgolden.dir=/path/to/golden.")
        }
        val dir = Path.of(goldenDir).resolve("box2d")
        if (!Files.isDirectory(dir)) {
            throw AssertionError("golden folder $dir does not exist (golden.dir = $goldenDir). It must hold Gymnasium's" +
                " Box2D trajectories <EnvId>.json; set -Dgolden.dir to the folder that contains box2d/.")
        }
        return dir
    }

    fun files(dir: Path): List<Path> {
        val files = Files.list(dir).use { s -> s.filter { it.name.endsWith(".json") }.sorted().toList() }
        if (files.isEmpty()) throw AssertionError("golden folder $dir holds no *.json file")
        return files
    }

    fun load(path: Path): GoldenFile = parse(path, path.readText())

    @Suppress("UNCHECKED_CAST")
    fun parse(path: Path, text: String): GoldenFile = GoldenFile(path, GoldenJson.parse(text) as Map<String, Any?>)

    fun write(root: Map<String, Any?>): String = GoldenJson.write(root)

    fun spec(file: GoldenFile): EnvSpec<*, *> = EnvRegistry.global().spec(file.env)

    /** The env of [case] with Gymnasium's options from `make_kwargs`, drawing from [random]. */
    @Suppress("UNCHECKED_CAST")
    fun env(file: GoldenFile, case: GoldenCase, random: EnvRandom): Box2dEnv<Any> {
        val wind = case.makeKwargs["enable_wind"] as Boolean? ?: false
        val unknown = case.makeKwargs.keys - setOf("enable_wind")
        if (unknown.isNotEmpty()) throw AssertionError("${case.label}: unsupported make_kwargs $unknown")
        return when (file.env) {
            "LunarLander-v3" -> Box2dEnvs.lunarLander().enableWind(wind).random { random }.build()
            "LunarLanderContinuous-v3" -> Box2dEnvs.lunarLanderContinuous().enableWind(wind).random { random }.build()
            "BipedalWalker-v3" -> Box2dEnvs.bipedalWalker().random { random }.build()
            "BipedalWalkerHardcore-v3" -> Box2dEnvs.bipedalWalker().hardcore(true).random { random }.build()
            else -> throw AssertionError("unknown env ${file.env} in ${file.path}")
        } as Box2dEnv<Any>
    }

    fun action(env: Env<*, *>, a: Any): Any = when (env.actionSpace()) {
        is Discrete -> (a as Double).toInt()
        is Box -> (a as List<*>).map { (it as Double).toFloat() }.toFloatArray()
        else -> error("unexpected action space ${env.actionSpace()}")
    }

    fun err(got: Double, exp: Double): Double =
        if (got == exp) 0.0 else if (got.isNaN() || exp.isNaN()) Double.POSITIVE_INFINITY else abs(got - exp) / max(1.0, abs(exp))

    private fun bodies(where: String, got: List<BodyState>, exp: List<Map<*, *>>, out: MutableList<String>) {
        if (got.size != exp.size) {
            out += "$where: ${got.size} bodies, golden ${exp.size}"
            return
        }
        for ((i, e) in exp.withIndex()) {
            val g = got[i]
            val pos = doubles(e["pos"])
            val vel = doubles(e["vel"])
            val pairs = listOf("pos.x" to (g.x to pos[0]), "pos.y" to (g.y to pos[1]), "angle" to (g.angle to e["angle"]),
                "vel.x" to (g.vx to vel[0]), "vel.y" to (g.vy to vel[1]), "omega" to (g.omega to e["omega"]))
            for ((name, p) in pairs) {
                val (got1, exp1) = p
                if (err(got1.toDouble(), exp1 as Double) > REL_TOL) out += "$where: body $i $name = $got1, golden $exp1"
            }
            if (g.awake != e["awake"]) out += "$where: body $i awake = ${g.awake}, golden ${e["awake"]}"
        }
    }

    /**
     * The episode's terrain against the case's `terrain` block, exactly: LunarLander's helipad and chunk heights
     * (doubles before Box2D), BipedalWalker's 200 terrain points and the hardcore obstacles as Box2D stores them.
     */
    fun terrain(file: GoldenFile, case: GoldenCase, env: Box2dEnv<*>): List<String> {
        val out = ArrayList<String>()
        val t = case.terrain
        fun same(what: String, got: DoubleArray, exp: DoubleArray) {
            if (got.size != exp.size) out += "${case.label} terrain: $what has ${got.size} values, golden ${exp.size}"
            else for (i in got.indices) if (got[i] != exp[i]) {
                out += "${case.label} terrain: $what[$i] = ${got[i]}, golden ${exp[i]}"
                return
            }
        }
        when (env) {
            is LunarLanderEnv<*> -> {
                val g = env.terrain()
                same("helipad", g.copyOfRange(0, 3), doubleArrayOf(t["helipad_x1"] as Double, t["helipad_x2"] as Double, t["helipad_y"] as Double))
                same("chunk_x", g.copyOfRange(3, 14), doubles(t["chunk_x"]))
                same("smooth_y", g.copyOfRange(14, 25), doubles(t["smooth_y"]))
            }
            is BipedalWalker -> {
                same("terrain_x", env.terrainX(), doubles(t["terrain_x"]))
                same("terrain_y", env.terrainY(), doubles(t["terrain_y"]))
                val exp = (t["obstacle_polygons_box2d"] as List<*>).map { poly ->
                    (poly as List<*>).flatMap { p -> (p as List<*>).map { (it as Double) } }.toDoubleArray()
                }
                val got = env.obstacleShapes().map { p -> DoubleArray(p.size) { p[it].toDouble() } }
                if (got.size != exp.size) out += "${case.label} terrain: ${got.size} obstacles, golden ${exp.size}"
                else for (i in got.indices) same("obstacle $i", got[i], exp[i])
            }
        }
        return out
    }

    /**
     * `reset(seed)` with the logged draws: the draws, the reset observation and bodies (within [REL_TOL]) and the
     * terrain (exactly).
     */
    fun reset(file: GoldenFile, case: GoldenCase): List<String> {
        val out = ArrayList<String>()
        val replay = ReplayRandom(case.resetDraws)
        Golden.env(file, case, replay).use { env ->
            val reset = env.reset(case.seed).observation()
            if (replay.next != case.resetDraws.size) out += "${case.label} reset: drew ${replay.next} times, Gymnasium ${case.resetDraws.size}"
            for (p in replay.problems) out += "${case.label} reset: $p"
            for (i in case.resetObs.indices) {
                if (err(reset[i].toDouble(), case.resetObs[i]) > REL_TOL) out += "${case.label} reset: obs[$i] = ${reset[i]}, golden ${case.resetObs[i]}"
            }
            bodies("${case.label} reset", env.bodies(), case.resetBodies, out)
            out += terrain(file, case, env)
        }
        return out.take(MAX_REPORTED)
    }

    /**
     * Replays a heuristic case closed loop: the logged draws, but our [LunarLanderHeuristic] chooses every action from
     * our observation. Returns `[length, return]` of the episode (through the spec's TimeLimit).
     */
    @Suppress("UNCHECKED_CAST")
    fun closedLoop(file: GoldenFile, case: GoldenCase): DoubleArray {
        val replay = ReplayRandom(case.resetDraws + case.steps.flatMap { it.draws })
        Golden.env(file, case, replay).use { raw ->
            val env = TimeLimit(raw as Env<FloatArray, Any>, spec(file).maxEpisodeSteps().asInt)
            var obs = env.reset(case.seed).observation()
            var ret = 0.0
            var n = 0
            while (true) {
                val a: Any = if (file.env == "LunarLander-v3") LunarLanderHeuristic.discrete(obs)
                else LunarLanderHeuristic.continuous(obs)
                val s = env.step(a)
                ret += s.reward()
                n++
                obs = s.observation()
                if (s.done()) return doubleArrayOf(n.toDouble(), ret)
            }
        }
    }

    /**
     * Replays [case]: `reset(seed)` with the logged draws, then the recorded actions through a [TimeLimit] of the
     * spec's length, as `gym.make` ran them. Compares the reset observation and bodies, the draws of reset and of every
     * step, and the first `stable_steps` steps: observation and reward within [REL_TOL], flags exactly, bodies where
     * logged.
     */
    @Suppress("UNCHECKED_CAST")
    fun trajectory(file: GoldenFile, case: GoldenCase, limit: Int = case.stableSteps): GoldenResult {
        val out = ArrayList<String>()
        val replay = ReplayRandom(case.resetDraws + case.steps.flatMap { it.draws })
        val env = env(file, case, replay)
        var maxObs = 0.0
        var maxReward = 0.0
        var compared = 0
        env.use {
            val limited = TimeLimit(env as Env<FloatArray, Any>, spec(file).maxEpisodeSteps().asInt)
            val reset = limited.reset(case.seed).observation()
            if (replay.next != case.resetDraws.size) {
                out += "${case.label} reset: drew ${replay.next} times, Gymnasium ${case.resetDraws.size}"
            }
            for (p in replay.problems) out += "${case.label} reset: $p"
            for (i in case.resetObs.indices) {
                val e = err(reset[i].toDouble(), case.resetObs[i])
                maxObs = max(maxObs, e)
                if (e > REL_TOL) out += "${case.label} reset: obs[$i] = ${reset[i]}, golden ${case.resetObs[i]}"
            }
            bodies("${case.label} reset", env.bodies(), case.resetBodies, out)
            if (case.steps.size != case.numSteps) out += "${case.label}: num_steps ${case.numSteps} but ${case.steps.size} steps"
            var drawn = replay.next
            for (k in 0 until minOf(limit, case.steps.size)) {
                if (out.size >= MAX_REPORTED) break
                val g = case.steps[k]
                val where = "${case.label} step ${k + 1}"
                val problemsBefore = replay.problems.size
                val s = try {
                    limited.step(action(env, g.action))
                } catch (e: RuntimeException) {
                    out += "$where: step threw $e"
                    break
                }
                compared++
                for (p in replay.problems.drop(problemsBefore)) out += "$where: $p"
                if (replay.next - drawn != g.draws.size) out += "$where: drew ${replay.next - drawn} times, Gymnasium ${g.draws.size}"
                drawn = replay.next
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
                g.bodies?.let { bodies(where, env.bodies(), it, out) }
                if (s.done()) break
            }
            if (env.pairs.unordered() != 0L) {
                out += "${case.label}: ${env.pairs.unordered()} contacts created outside Box2D 2.3's pair order (PairOrder ran out of rounds)"
            }
        }
        return GoldenResult(out.take(MAX_REPORTED), compared, maxObs, maxReward)
    }
}
