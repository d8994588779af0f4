package dev.proxima.dsl.pipeline

import dev.proxima.core.env.Env
import dev.proxima.core.env.Step
import dev.proxima.core.env.Wrapper

/** Calls [onStep] before every step of the wrapped env (from whichever thread steps it). */
class Hooked<O, A>(env: Env<O, A>, private val onStep: () -> Unit) : Wrapper<O, A>(env) {
    override fun step(action: A): Step<O> {
        onStep()
        return super.step(action)
    }
}
