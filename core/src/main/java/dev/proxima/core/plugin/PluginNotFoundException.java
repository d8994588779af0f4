package dev.proxima.core.plugin;

import dev.proxima.core.env.EnvNotFoundException;
import java.util.Collection;
import java.util.NoSuchElementException;
import java.util.SortedSet;
import java.util.TreeSet;

/** No plugin of a kind is registered under an id; the message lists the known ids and the closest match. */
public class PluginNotFoundException extends NoSuchElementException {
    private static final long serialVersionUID = 1L;

    public PluginNotFoundException(String kind, String id, Collection<String> known, String sources) {
        super(message(kind, id, known, sources));
    }

    private static String message(String kind, String id, Collection<String> known, String sources) {
        SortedSet<String> sorted = new TreeSet<>(known);
        StringBuilder s = new StringBuilder("no ").append(kind).append(" \"").append(id).append("\".");
        s.append(sorted.isEmpty() ? " None is registered." : " Known: " + String.join(", ", sorted) + ".");
        EnvNotFoundException.closest(id, sorted).ifPresent(c -> s.append(" Did you mean \"").append(c).append("\"?"));
        return s.append(' ').append(sources).toString();
    }
}
