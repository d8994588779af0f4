package dev.proxima.dsl.pipeline

import dev.proxima.core.env.Env
import dev.proxima.core.env.Step
import dev.proxima.core.env.Wrapper
import dev.proxima.core.ppo.Agent
import dev.proxima.core.ppo.TrainingResult
import dev.proxima.core.ppo.UpdateStats

/**
 * Everything of an update's statistics that must not depend on timing (all but `charts/SPS`), as text: a double's
 * shortest round-trip form identifies it exactly, and NaN equals NaN (which matchers on doubles do not grant).
 */
fun UpdateStats.comparable(): String = listOf(
    update(), globalStep(), episodicReturn(), episodicLength(), episodes(), epochsRun(),
    metrics().filterKeys { it != UpdateStats.SPS },
).toString()

fun List<UpdateStats>.comparable(): List<String> = map { it.comparable() }

fun TrainingResult.comparable(): List<String> = updates().comparable()

fun Agent.params(): List<Double> = network().params().toList()

/** Calls [onStep] before every step of the wrapped env (from whichever thread steps it). */
class Hooked<O, A>(env: Env<O, A>, private val onStep: () -> Unit) : Wrapper<O, A>(env) {
    override fun step(action: A): Step<O> {
        onStep()
        return super.step(action)
    }

}
