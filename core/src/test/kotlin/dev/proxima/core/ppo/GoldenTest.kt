package dev.proxima.core.ppo

import dev.proxima.core.testing.Close
import dev.proxima.core.testing.goldenCases
import io.kotest.core.spec.style.FunSpec

/** Every case of the PPO golden files, through the production heads and loss terms (tolerance: see Close). */
class GoldenTest : FunSpec({
    afterSpec {
        println("GoldenTest: largest differences from golden: abs ${Close.worstAbs}, rel ${Close.worstRel}" +
            " (tolerance rel ${Close.REL}, abs floor ${Close.ABS})")
    }
    val files = listOf(
        "ppo/gae.json" to ::checkGaeCase,
        "ppo/categorical_ppo.json" to ::checkCategoricalCase,
        "ppo/gaussian_ppo.json" to ::checkGaussianCase,
        "ppo/value_loss.json" to ::checkValueLossCase,
        "ppo/explained_variance.json" to ::checkExplainedVarianceCase,
    )
    for ((file, check) in files) {
        goldenCases(file).forEachIndexed { i, c ->
            val label = caseLabel(file, i, c)
            test(label) { check(label, c) }
        }
    }
})
