/**
 * The Kotlin script definition of {@code *.ppo.kts} files ({@code PpoScript}) and its compilation configuration:
 * default imports of Proxima's packages and a class path of Proxima's jars. No compiler lives here; the host that
 * compiles and runs scripts is the {@code proxima-cli} module.
 */
package dev.proxima.script;
