/**
 * The {@code proxima} command line ({@code bin/proxima}): {@code train} runs a {@code .ppo.kts} script and records
 * the run, {@code eval} evaluates a checkpoint, {@code envs} and {@code check-env} list and check environments.
 * Written in Kotlin; {@code Cli.run} returns the exit code so tests run the whole command in-process.
 */
package dev.proxima.cli;
