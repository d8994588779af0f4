/**
 * The scripting host: compiles {@code .ppo.kts} scripts with the embedded Kotlin compiler against Proxima, the user's
 * plugin jars ({@code --classpath}, {@code PROXIMA_CLASSPATH}) and the jars of {@code @file:DependsOn} (resolved
 * offline from the local Maven repository); caches the compiled scripts as jars, each verified against the script's
 * text and the versions before it is loaded, in a folder private to the user; and reports compile errors as
 * {@code file:line:column} and runtime errors at the script line.
 */
package dev.proxima.cli.script;
