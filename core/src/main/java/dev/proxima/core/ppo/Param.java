package dev.proxima.core.ppo;

import dev.proxima.core.env.EnvNotFoundException;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * One hyperparameter of {@link PpoConfig}: its name (CleanRL's, camelCased), type, default and check. The whole table
 * is {@link Params}; it drives validation, {@link PpoConfig#toMap()}, {@link Preset}s and overrides by name
 * ({@link PpoConfig.Builder#set(String, String)}, the CLI's {@code --set name=value}), so a setting is declared once.
 *
 * <p>Typed access goes through the constant: {@code builder.set(Params.NUM_ENVS, 8)} and {@code config.get(Params.CLIP)}
 * are checked by the compiler; a name given as text is checked when the builder builds, with the closest known name.
 *
 * @param <T> the value type ({@code Integer}, {@code Long}, {@code Double}, {@code Boolean} or a plugin type)
 */
public final class Param<T> {
    private final String name;
    private final Class<T> type;
    private final T defaultValue;
    private final Function<T, String> check;
    private final Function<String, T> parser;
    private final String doc;
    private final int index;

    Param(int index, String name, Class<T> type, T defaultValue, Function<T, String> check, Function<String, T> parser,
            String doc) {
        this.index = index;
        this.name = Objects.requireNonNull(name);
        this.type = Objects.requireNonNull(type);
        this.defaultValue = defaultValue;
        this.check = Objects.requireNonNull(check);
        this.parser = Objects.requireNonNull(parser);
        this.doc = Objects.requireNonNull(doc);
    }

    /** CleanRL's name, camelCased ({@code learningRate}); {@code clip} for the clip range. */
    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    /** CleanRL's default ({@code ppo.py}). */
    public T defaultValue() {
        return defaultValue;
    }

    /** What the setting means, with CleanRL's default and typical values. */
    public String doc() {
        return doc;
    }

    /** Position in {@link Params#all()}: CleanRL's order. */
    int index() {
        return index;
    }

    /**
     * What is wrong with {@code value} ({@code "name = value ..., fix"}), or {@code null} when it is valid.
     */
    public String problem(T value) {
        if (value == null) {
            return name + " = null. Give a value or leave the default (" + display(defaultValue) + ").";
        }
        String p = check.apply(value);
        return p == null ? null : name + " = " + value + " " + p;
    }

    /**
     * The value written as text ({@code "3e-4"}, {@code "true"}, {@code "none"} for a NaN {@code targetKl}), as
     * {@link #parse} reads it back.
     *
     * @throws IllegalArgumentException naming the setting, the text and the expected form
     */
    public T parse(String text) {
        Objects.requireNonNull(text, name);
        try {
            T v = parser.apply(text.trim());
            if (v == null) {
                throw new IllegalArgumentException("no value");
            }
            return v;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " = \"" + text + "\" is not " + form() + "."
                    + (e.getMessage() == null || e instanceof NumberFormatException ? "" : " " + e.getMessage()), e);
        }
    }

    /**
     * {@code value} as {@link PpoConfig#toMap()} shows it: numbers and booleans as such, a NaN {@code targetKl} as
     * {@code "none"}, anything else as its text.
     */
    public Object display(Object value) {
        if (value instanceof Double d && d.isNaN() && name.equals(Params.TARGET_KL_NAME)) {
            return "none";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value;
        }
        return String.valueOf(value);
    }

    /** Casts {@code value} to this setting's type, naming the setting when it does not fit. */
    T cast(Object value) {
        if (value != null && !type.isInstance(value)) {
            throw new IllegalArgumentException(name + " takes " + type.getSimpleName() + ", not "
                    + value.getClass().getSimpleName() + " (" + value + ").");
        }
        return type.cast(value);
    }

    private String form() {
        if (type == Integer.class || type == Long.class) {
            return "a whole number (e.g. 128, 100_000 or 1e6)";
        }
        if (type == Double.class) {
            return "a number (e.g. 2.5e-4" + (name.equals("targetKl") ? ", or none" : "") + ")";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        return "a " + type.getSimpleName();
    }

    @Override
    public String toString() {
        return name;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Parsers shared by the table.

    static Integer parseInt(String s) {
        long v = parseLong(s);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("it is outside the int range");
        }
        return (int) v;
    }

    /** Accepts 100000, 100_000, 1e6 and 1.5e6 (when whole). */
    static Long parseLong(String s) {
        String t = s.replace("_", "");
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            double d = Double.parseDouble(t);
            if (d != Math.rint(d) || Math.abs(d) > 9.0e18) {
                throw new NumberFormatException(s);
            }
            return (long) d;
        }
    }

    static Double parseDouble(String s) {
        String t = s.replace("_", "").toLowerCase(Locale.ROOT);
        return switch (t) {
            case "none", "nan" -> Double.NaN;
            case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(t);
        };
    }

    static Boolean parseBoolean(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> Boolean.TRUE;
            case "false", "off", "no" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    /**
     * The setting called {@code name}.
     *
     * @throws IllegalArgumentException listing the known names and the closest one
     */
    static Param<?> named(String name) {
        for (Param<?> p : Params.all()) {
            if (p.name.equals(name)) {
                return p;
            }
        }
        java.util.List<String> names = Params.names();
        StringBuilder s = new StringBuilder("unknown setting \"").append(name).append("\".");
        EnvNotFoundException.closest(name, names).ifPresent(c -> s.append(" Did you mean \"").append(c).append("\"?"));
        s.append(" Known: ").append(String.join(", ", names)).append('.');
        throw new IllegalArgumentException(s.toString());
    }
}
