package dev.proxima.core.testing

import dev.proxima.core.ppo.UpdateStats
import dev.proxima.core.train.TrainingResult

/** Metrics without wall-clock ones, for bit-identity comparisons of runs. */
fun UpdateStats.deterministic(): Map<String, Double> = metrics().filterKeys { it != UpdateStats.SPS }

/** What two runs must share to be the same run: every update's metrics (but SPS) and the final parameters. */
fun TrainingResult.fingerprint(): Pair<List<Map<String, Double>>, List<Double>> =
    updates().map { it.deterministic() } to agent().network().params().toList()
