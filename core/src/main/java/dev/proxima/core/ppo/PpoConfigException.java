package dev.proxima.core.ppo;

import java.util.List;

/** An invalid {@link PpoConfig}: the message lists every problem, each with the value, what is wrong and a fix. */
public class PpoConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public PpoConfigException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** One entry per problem, in the order the builder found them. */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        StringBuilder s = new StringBuilder("invalid PPO configuration (").append(problems.size())
                .append(problems.size() == 1 ? " problem)" : " problems)");
        for (String p : problems) {
            s.append("\n  - ").append(p.replace("\n", "\n    "));
        }
        return s.toString();
    }
}
