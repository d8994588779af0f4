package dev.proxima.dsl

import dev.proxima.core.ppo.LossTerm
import dev.proxima.core.plugin.Registry
import dev.proxima.core.ppo.ClippedSurrogate as CoreClippedSurrogate
import dev.proxima.core.ppo.EntropyBonus as CoreEntropyBonus
import dev.proxima.core.ppo.KlPenalty as CoreKlPenalty
import dev.proxima.core.ppo.ValueLoss as CoreValueLoss

/**
 * The `loss { }` block: the terms of the PPO loss, in order, replacing the default clipped surrogate + value loss +
 * entropy bonus. `+term` adds an instance (any [LossTerm] plugin); [term] adds one registered under an id.
 *
 * ```kotlin
 * loss {
 *     +ClippedSurrogate()                        // ε from the block's clip(...)
 *     +ValueLoss(coef = 0.5, clipped = true)
 *     +EntropyBonus(coef = 0.01)
 *     term("kl-penalty")                         // from Koin, ServiceLoader or the built-ins
 * }
 * ```
 * The capitalised functions here build the core terms with Kotlin named and default arguments (Java constructors
 * take neither); they exist only inside this block.
 */
@PpoDsl
class LossSpec internal constructor() {
    private val entries = ArrayList<Any>() // LossTerm or Named

    private class Named(val id: String)

    /** Adds this term. */
    operator fun LossTerm.unaryPlus() {
        entries += this
    }

    /** Adds the loss term registered under [id] (a fresh instance). */
    fun term(id: String) {
        entries += Named(id)
    }

    /**
     * The clipped surrogate (Schulman et al. 2017, eq. 7); `clip = null` follows the block's `clip(...)`, CleanRL's
     * `clip_coef`.
     */
    fun ClippedSurrogate(clip: Double? = null): CoreClippedSurrogate =
        if (clip == null) CoreClippedSurrogate() else CoreClippedSurrogate(clip)

    /** The value loss 0.5·(V − R)², value-clipped with the run's `clip` when [clipped] (CleanRL's `clip_vloss`). */
    fun ValueLoss(coef: Double = 0.5, clipped: Boolean = true): CoreValueLoss = CoreValueLoss(coef, clipped)

    /** The entropy bonus with weight −[coef], linearly annealed to 0 when [anneal]. */
    fun EntropyBonus(coef: Double = 0.01, anneal: Boolean = false): CoreEntropyBonus = CoreEntropyBonus(coef, anneal)

    /** The adaptive KL penalty of PPO-Penalty (§4): initial [beta], target KL [targetKl]. */
    fun KlPenalty(beta: Double = 1.0, targetKl: Double = 0.01): CoreKlPenalty = CoreKlPenalty(beta, targetKl)

    internal fun resolve(plugins: Registry, problems: MutableList<String>): List<LossTerm>? {
        var ok = true
        val terms = entries.mapNotNull { e ->
            when (e) {
                is LossTerm -> e
                is Named -> try {
                    plugins.lossTerm(e.id)
                } catch (ex: NoSuchElementException) {
                    problems += "loss: ${ex.message}"
                    ok = false
                    null
                }
                else -> error("unexpected loss entry $e")
            }
        }
        return if (ok) terms else null
    }
}
