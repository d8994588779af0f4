/**
 * {@code proxima train}: a script's result becomes core's {@code Trainer}, the command's recording is added to it as
 * callbacks, core's {@code TrainingRun} trains (the command has no loop of its own), and the run ends once, however
 * it ends (finished, early stop, Ctrl-C, a blocked env step, an error), with the summary written.
 */
package dev.proxima.cli.train;
