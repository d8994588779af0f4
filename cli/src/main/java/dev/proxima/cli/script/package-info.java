/**
 * The scripting host: compiles {@code .ppo.kts} scripts with the embedded Kotlin compiler, caches the compiled
 * scripts as jars keyed by their text, configuration and class path, and reports compile errors as
 * {@code file:line:column} and runtime errors at the script line.
 */
package dev.proxima.cli.script;
