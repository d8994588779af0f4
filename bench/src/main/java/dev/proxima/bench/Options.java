package dev.proxima.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code --name value} options of one subcommand. Repeated options keep every value ({@code --set a=1 --set b=2});
 * every option must be read by the subcommand, so a misspelt one fails instead of being silently ignored.
 */
final class Options {
    private final String command;
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final java.util.Set<String> read = new java.util.HashSet<>();

    Options(String command, List<String> args) {
        this.command = command;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--") || a.length() < 3) {
                throw new BenchException(command + ": unexpected argument \"" + a + "\". Options look like"
                        + " --name value; see `Bench help`.");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
                value = args.get(++i);
            } else {
                value = "true"; // a flag
            }
            values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
    }

    String string(String name, String fallback) {
        read.add(name);
        List<String> v = values.get(name);
        return v == null ? fallback : v.get(v.size() - 1);
    }

    List<String> all(String name) {
        read.add(name);
        return values.getOrDefault(name, List.of());
    }

    boolean flag(String name) {
        String v = string(name, "false");
        if (!v.equals("true") && !v.equals("false")) {
            throw new BenchException(command + ": --" + name + " = \"" + v + "\" is a flag: give it alone or as"
                    + " --" + name + "=true/false.");
        }
        return Boolean.parseBoolean(v);
    }

    long longValue(String name, long fallback) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return parseCount(v);
        } catch (NumberFormatException e) {
            throw new BenchException(command + ": --" + name + " = \"" + v + "\" is not a whole number (e.g. 100000,"
                    + " 100k or 1M).");
        }
    }

    int intValue(String name, int fallback) {
        long v = longValue(name, fallback);
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new BenchException(command + ": --" + name + " = " + v + " is too large.");
        }
        return (int) v;
    }

    double doubleValue(String name, double fallback) {
        String v = string(name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new BenchException(command + ": --" + name + " = \"" + v + "\" is not a number.");
        }
    }

    /** A list of seeds: {@code 1,2,3} or a range {@code 1-5}, or both ({@code 1-3,7}). */
    long[] seeds(String name, String fallback) {
        String v = string(name, fallback);
        List<Long> out = new ArrayList<>();
        try {
            for (String part : v.split(",")) {
                String p = part.trim();
                int dash = p.indexOf('-', 1);
                if (dash > 0) {
                    long lo = Long.parseLong(p.substring(0, dash));
                    long hi = Long.parseLong(p.substring(dash + 1));
                    if (hi < lo || hi - lo > 10_000) {
                        throw new NumberFormatException();
                    }
                    for (long s = lo; s <= hi; s++) {
                        out.add(s);
                    }
                } else {
                    out.add(Long.parseLong(p));
                }
            }
        } catch (NumberFormatException e) {
            throw new BenchException(command + ": --" + name + " = \"" + v + "\" is not a seed list; use e.g. 1-5"
                    + " or 1,2,3.");
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** {@code 1-5} for a contiguous run of seeds, else the list: what {@link #seeds} reads back. */
    static String seedList(long[] seeds) {
        boolean contiguous = seeds.length > 1;
        for (int i = 1; i < seeds.length && contiguous; i++) {
            contiguous = seeds[i] == seeds[i - 1] + 1;
        }
        return contiguous ? seeds[0] + "-" + seeds[seeds.length - 1]
                : String.join(", ", Arrays.stream(seeds).mapToObj(Long::toString).toList());
    }

    /** Fails on any option the subcommand did not read. */
    void checkAllRead(String usage) {
        List<String> unknown = new ArrayList<>();
        for (String k : values.keySet()) {
            if (!read.contains(k)) {
                unknown.add("--" + k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new BenchException(command + ": unknown option" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + ".\n" + usage);
        }
    }

    /** {@code 100000}, {@code 100k}, {@code 1M}, {@code 1_000_000}. */
    static long parseCount(String v) {
        String s = v.trim().replace("_", "");
        long mult = 1;
        if (s.endsWith("k") || s.endsWith("K")) {
            mult = 1_000;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("M") || s.endsWith("m")) {
            mult = 1_000_000;
            s = s.substring(0, s.length() - 1);
        }
        return Math.multiplyExact(Long.parseLong(s), mult);
    }
}
