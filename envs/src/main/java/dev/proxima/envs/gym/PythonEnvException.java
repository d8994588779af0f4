package dev.proxima.envs.gym;

import java.util.Arrays;
import java.util.List;

/**
 * A Python env failed: an exception raised in Python (the message carries the env id and the traceback's last lines;
 * {@link #pythonTraceback()} has all of it), or the Python process could not start, died, or hung past its timeout.
 */
public class PythonEnvException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int TRACEBACK_LINES = 8;

    private final String envId;
    private final String pythonTraceback;

    PythonEnvException(String envId, String message, String pythonTraceback, Throwable cause) {
        super(envId + ": " + message, cause);
        this.envId = envId;
        this.pythonTraceback = pythonTraceback;
    }

    /** An exception raised by Python code while serving {@code op}. */
    static PythonEnvException raised(String envId, String op, String type, String traceback, String interpreter,
            String pythonVersion) {
        List<String> lines = Arrays.asList(traceback.strip().split("\n"));
        String last = String.join("\n  ", lines.subList(Math.max(0, lines.size() - TRACEBACK_LINES), lines.size()));
        String hint = "";
        if (("ModuleNotFoundError".equals(type) || "ImportError".equals(type))
                && traceback.contains("No module named 'gymnasium'")) {
            hint = "gymnasium is not installed for " + interpreter + " (Python " + pythonVersion + "). Install it with"
                    + " `" + interpreter + " -m pip install gymnasium` (with the env's extras where it needs them,"
                    + " e.g. \"gymnasium[box2d]\" for LunarLander), or run another interpreter: -D"
                    + GymSpec.PYTHON_PROPERTY + "=..., the environment variable " + GymSpec.PYTHON_ENV
                    + " or GymSpec.interpreter(...).\n  ";
        }
        return new PythonEnvException(envId, hint + "Python raised " + type + " in " + op + ":\n  " + last, traceback,
                null);
    }

    /** The id of the env ({@code gym:...}). */
    public String envId() {
        return envId;
    }

    /** The whole Python traceback, or {@code null} when the failure was not a Python exception. */
    public String pythonTraceback() {
        return pythonTraceback;
    }
}
