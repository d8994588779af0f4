package dev.proxima.cli

import java.util.Properties

/** Versions baked in at build time (Maven filters `version.properties`). */
object Version {
    private val props = Properties().apply {
        Version::class.java.getResourceAsStream("version.properties")?.use { load(it) }
    }

    /** The Proxima version of this build, e.g. `0.1.0-SNAPSHOT`. */
    val PROXIMA: String = props.getProperty("version")?.takeUnless { it.startsWith("\${") } ?: "unknown"

    /** The Kotlin version scripts are compiled with. */
    val KOTLIN: String = KotlinVersion.CURRENT.toString()
}
