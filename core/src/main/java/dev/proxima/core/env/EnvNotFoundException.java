package dev.proxima.core.env;

import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/** No env is registered under the requested id. The message lists the known ids and the closest match. */
public class EnvNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String id;
    private final List<String> known;

    public EnvNotFoundException(String id, java.util.Collection<String> known) {
        super(message(id, known));
        this.id = id;
        this.known = List.copyOf(new TreeSet<>(known));
    }

    public String id() {
        return id;
    }

    public List<String> known() {
        return known;
    }

    /** The known id nearest to {@code id} by edit distance (ignoring case), if any is reasonably close. */
    public static Optional<String> closest(String id, java.util.Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(id.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(3, id.length() / 3) ? Optional.of(best) : Optional.empty();
    }

    private static String message(String id, java.util.Collection<String> known) {
        SortedSet<String> sorted = new TreeSet<>(known);
        StringBuilder s = new StringBuilder("no environment \"").append(id).append("\".");
        s.append(sorted.isEmpty() ? " No environments are registered." : " Known: " + String.join(", ", sorted) + ".");
        closest(id, sorted).ifPresent(c -> s.append(" Did you mean \"").append(c).append("\"?"));
        s.append(" Providers come from META-INF/services/dev.proxima.core.env.EnvProvider,"
                + " EnvRegistry.register(...) or Koin modules binding Env.");
        return s.toString();
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
