/** Console output while training: a live progress bar on a terminal, plain table rows elsewhere. */
package dev.proxima.cli.console;
