package dev.proxima.envs.box2d

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan

/**
 * Beyond `stable_steps` the dynamics must agree in distribution. For every golden file and both of its `statistics`
 * policies (Gymnasium's heuristic, ported as [LunarLanderHeuristic] / [BipedalWalkerHeuristic], and a uniform random
 * policy), 200 episodes on seeds 0-199 (fresh `spec.make` env each, as Gymnasium's were recorded) are compared with
 * Gymnasium's 200 returns and 200 episode lengths.
 *
 * **Test.** Two-sample Kolmogorov-Smirnov, n = m = 200, level α = 0.001 per comparison (16 comparisons: at most a 1.6%
 * chance that a correct port fails one). Our draws come from core's Rng, not NumPy's PCG64, so the two samples are
 * independent draws of the same distribution when the port is right; the test is deterministic (fixed seeds).
 * Critical value D = 1.949·sqrt(2/200) = 0.195.
 *
 * **Power.** With 200 episodes a side the empirical CDF gap has a standard deviation of about 0.05 near the median, so
 * a true CDF gap of 0.30 (e.g. the median moving by 0.8 std of a normal distribution, or the crash fraction changing by 0.3) is found
 * with probability ≈ 0.98, a gap of 0.25 with ≈ 0.86, 0.20 with ≈ 0.54; smaller differences can pass. For
 * comparison, the replayed closed-loop heuristic episodes of the LunarLander golden cases come out with Gymnasium's
 * lengths and returns, and the walker's golden trajectories match for their `stable_steps`: these tests guard what
 * lies beyond them.
 */
class StatisticsTest : FunSpec({
    val critical = Statistics.ksCritical(Statistics.EPISODES, Statistics.EPISODES, 0.001)
    for (path in Golden.files(Golden.box2dDir())) {
        val file = Golden.load(path)
        for (policy in listOf("heuristic", "random")) {
            @Suppress("UNCHECKED_CAST")
            val block = file.statistics[policy] as Map<String, Any?>
            val returns = doubles(block["returns"])
            val lengths = doubles(block["lengths"])
            test("${file.env} $policy policy: returns and lengths over seeds 0-199 match Gymnasium's in distribution") {
                val ours = Statistics.play(file.env, policy)
                withClue("${file.env} $policy: KS distance of the returns (ours mean ${ours.returns.average()}," +
                    " Gymnasium ${returns.average()})") {
                    Statistics.ks(ours.returns, returns) shouldBeLessThan critical
                }
                withClue("${file.env} $policy: KS distance of the lengths (ours mean ${ours.lengths.average()}," +
                    " Gymnasium ${lengths.average()})") {
                    Statistics.ks(ours.lengths, lengths) shouldBeLessThan critical
                }
            }
        }
    }
})

private inline fun <T> withClue(clue: String, block: () -> T): T = io.kotest.assertions.withClue(clue, block)
