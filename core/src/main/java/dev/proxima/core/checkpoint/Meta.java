package dev.proxima.core.checkpoint;

import dev.proxima.core.internal.Json;
import java.nio.file.Path;
import java.util.Map;

/**
 * Typed reads of a checkpoint's string metadata. Every failure is a {@link CheckpointException} naming the file, the
 * key, the value found and what was expected, so a malformed file never surfaces as a parse or cast error.
 */
final class Meta {
    private final Path file;
    private final Map<String, String> values;

    Meta(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    Map<String, String> all() {
        return values;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    String string(String key) throws CheckpointException {
        String v = values.get(key);
        if (v == null) {
            throw CheckpointException.corrupt(file, "metadata key " + key + " is missing");
        }
        return v;
    }

    int integer(String key, int lo, int hi) throws CheckpointException {
        long v = longValue(key, lo, hi);
        return (int) v;
    }

    long longValue(String key, long lo, long hi) throws CheckpointException {
        String s = string(key);
        long v;
        try {
            v = Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw bad(key, "expected a whole number");
        }
        if (v < lo || v > hi) {
            throw bad(key, "expected a whole number in [" + lo + ", " + hi + "]");
        }
        return v;
    }

    double number(String key, double lo, double hi) throws CheckpointException {
        String s = string(key);
        double v;
        try {
            v = Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            throw bad(key, "expected a number");
        }
        if (!(v >= lo && v <= hi)) {
            throw bad(key, "expected a number in [" + lo + ", " + hi + "]");
        }
        return v;
    }

    boolean bool(String key) throws CheckpointException {
        String s = string(key);
        return switch (s) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(key, "expected true or false");
        };
    }

    Map<String, Object> json(String key) throws CheckpointException {
        String s = string(key);
        try {
            return Json.parseObject(s, key);
        } catch (RuntimeException e) {
            throw bad(key, "expected a JSON object (" + e.getMessage() + ")");
        }
    }

    /** {@code <file>: damaged or incompatible checkpoint: metadata <key> = "<value>": <what>.} */
    CheckpointException bad(String key, String what) {
        String v = values.get(key);
        String shown = v == null ? "(missing)" : "\"" + (v.length() > 120 ? v.substring(0, 120) + "..." : v) + "\"";
        return CheckpointException.corrupt(file, "metadata " + key + " = " + shown + ": " + what);
    }
}
