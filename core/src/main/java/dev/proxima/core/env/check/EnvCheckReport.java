package dev.proxima.core.env.check;

import java.util.List;

/**
 * What {@link EnvChecker} found for one env: every {@link Finding}, in the order the checks ran. An env passes when
 * no finding is an {@link Finding.Severity#ERROR}.
 *
 * @param env      the env's name ({@code Env.name()})
 * @param findings everything found, empty for a clean env
 */
public record EnvCheckReport(String env, List<Finding> findings) {

    public EnvCheckReport {
        findings = List.copyOf(findings);
    }

    /** Whether no finding is an error. */
    public boolean passed() {
        return errors().isEmpty();
    }

    /** The findings of severity {@link Finding.Severity#ERROR}. */
    public List<Finding> errors() {
        return of(Finding.Severity.ERROR);
    }

    /** The findings of severity {@link Finding.Severity#WARNING}. */
    public List<Finding> warnings() {
        return of(Finding.Severity.WARNING);
    }

    /** Whether some finding came from {@code check}. */
    public boolean has(Finding.Check check) {
        return findings.stream().anyMatch(f -> f.check() == check);
    }

    /** The findings of {@code check}. */
    public List<Finding> findings(Finding.Check check) {
        return findings.stream().filter(f -> f.check() == check).toList();
    }

    private List<Finding> of(Finding.Severity s) {
        return findings.stream().filter(f -> f.severity() == s).toList();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("env check of ").append(env).append(": ");
        if (findings.isEmpty()) {
            return b.append("passed, no findings").toString();
        }
        int notes = findings.size() - errors().size() - warnings().size();
        b.append(passed() ? "passed" : "FAILED").append(" (").append(count(errors().size(), "error")).append(", ")
                .append(count(warnings().size(), "warning")).append(", ").append(count(notes, "note")).append(")");
        for (Finding f : findings) {
            b.append("\n  - ").append(f);
        }
        return b.toString();
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
