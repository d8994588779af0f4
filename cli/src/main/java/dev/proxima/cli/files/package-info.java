/**
 * Files of the command line: checks of the files a command is given (missing, a folder, a link loop, a dangling
 * link), atomic writes with the temporary-file pattern core uses (and the cleanup of stray ones), and the small JSON
 * reader and writer of {@code summary.json} and {@code run.json}.
 */
package dev.proxima.cli.files;
