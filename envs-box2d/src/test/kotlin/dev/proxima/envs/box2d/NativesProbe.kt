package dev.proxima.envs.box2d

/** Run in a child JVM by [Box2dEnvsTest]: makes an env and prints what happened. */
object NativesProbe {
    @JvmStatic
    fun main(args: Array<String>) {
        try {
            LunarLander().close()
            println("loaded")
        } catch (e: Box2dNativesException) {
            println("Box2dNativesException: " + e.message)
        }
    }
}
