package dev.proxima.core.env.check;

import dev.proxima.core.env.EnvContractException;

/** Thrown by {@link EnvChecker#checkOrThrow} when an env has errors; the message is the whole report. */
public class EnvCheckException extends EnvContractException {
    private static final long serialVersionUID = 1L;
    private final transient EnvCheckReport report;

    public EnvCheckException(EnvCheckReport report) {
        super(report.toString());
        this.report = report;
    }

    /** The report with every finding. */
    public EnvCheckReport report() {
        return report;
    }
}
