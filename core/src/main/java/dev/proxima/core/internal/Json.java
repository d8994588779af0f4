package dev.proxima.core.internal;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader and writer without dependencies. Not API.
 *
 * <p><b>Reading</b> gives {@code Map<String, Object>} (a {@link LinkedHashMap} in document order),
 * {@code List<Object>},
 * {@code String}, {@code Boolean}, {@code null}, and numbers as {@code Long} when written without fraction and exponent
 * (and in range) or else {@code Double} (correctly rounded, {@link Double#parseDouble}). Everything outside the RFC is
 * refused with a {@link JsonException} giving line and column: comments, trailing commas, single quotes, leading zeros,
 * {@code NaN}/{@code Infinity} literals, raw control characters in strings, duplicate keys, trailing content, integers
 * beyond 64 bits and numbers beyond the double range. A leading byte-order mark is skipped (RFC 8259 section 8.1).
 *
 * <p><b>Writing</b> accepts maps with string keys (written in iteration order, so a {@link LinkedHashMap} gives a
 * stable order), collections, object and primitive arrays, strings, booleans, {@code null} and numbers. Doubles are
 * written with {@link Double#toString}, the shortest decimal that parses back to the same double, so values round-trip
 * exactly and come back as {@code Double}; floats are widened to double first so they too come back exactly. JSON has
 * no NaN or infinity: by default they are refused ({@link NonFinite#REJECT}); {@link NonFinite#AS_STRING} writes them
 * as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}, which {@link #toDouble} reads back.
 */
public final class Json {
    /** Deeper nesting is refused, so hostile input cannot overflow the stack and cyclic values fail cleanly. */
    public static final int MAX_DEPTH = 512;

    /** What the writer does with NaN and infinite doubles. */
    public enum NonFinite {
        /** Throw a {@link JsonException} naming the value's path. */
        REJECT,
        /** Write {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"} as strings. */
        AS_STRING,
        /** Write {@code null}, an unknown value to any reader (the CLI's run files, read by any language's scripts). */
        AS_NULL
    }

    private Json() {}

    // ------------------------------------------------------------------------------------------------------ reading

    /** Parses one JSON value. */
    public static Object parse(CharSequence text) {
        return parse(text, null);
    }

    /**
     * Parses one JSON value.
     *
     * @param source names the input in error messages (e.g. a file name); may be {@code null}
     */
    public static Object parse(CharSequence text, String source) {
        return new Parser(text, source).parseDocument();
    }

    /** Parses a document whose top level must be an object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(CharSequence text, String source) {
        Parser p = new Parser(text, source);
        p.skipBom();
        p.skipWhitespace();
        if (p.pos >= p.text.length() || p.text.charAt(p.pos) != '{') {
            throw p.error(p.pos, "expected a JSON object '{' at the top level, found " + p.describe(p.pos));
        }
        return (Map<String, Object>) p.parseDocument();
    }

    /** Reads and parses a UTF-8 file; malformed UTF-8 is an error. */
    public static Object read(Path file) throws IOException {
        return parse(readUtf8(file), file.toString());
    }

    /** Reads a UTF-8 file whose top level must be an object. */
    public static Map<String, Object> readObject(Path file) throws IOException {
        return parseObject(readUtf8(file), file.toString());
    }

    private static String readUtf8(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new JsonException(file + ": not valid UTF-8 (" + e.getMessage() + ")");
        }
    }

    /**
     * A number read by {@link #parse} as a double: a {@code Long} or {@code Double}, or one of the strings
     * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} (as {@link NonFinite#AS_STRING} writes them) or
     * {@code "nan"}, {@code "inf"}, {@code "-inf"} (as NumPy prints them).
     */
    public static double toDouble(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s) {
            switch (s) {
                case "NaN", "nan" -> {
                    return Double.NaN;
                }
                case "Infinity", "inf", "+inf" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity", "-inf" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> { }
            }
        }
        throw new JsonException("expected a number but got " + (value == null ? "null" : value.getClass()
                .getSimpleName() + " " + value));
    }

    private static final class Parser {
        final CharSequence text;
        final String source;
        int pos;

        Parser(CharSequence text, String source) {
            this.text = text;
            this.source = source;
        }

        void skipBom() {
            if (pos < text.length() && text.charAt(pos) == '\uFEFF') {
                pos++;
            }
        }

        Object parseDocument() {
            skipBom();
            skipWhitespace();
            Object v = parseValue(0);
            skipWhitespace();
            if (pos < text.length()) {
                throw error(pos, "unexpected " + describe(pos) + " after the JSON value; a document holds one value");
            }
            return v;
        }

        void skipWhitespace() {
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    pos++;
                } else {
                    return;
                }
            }
        }

        Object parseValue(int depth) {
            if (pos >= text.length()) {
                throw error(pos, "expected a value, found end of input");
            }
            char c = text.charAt(pos);
            switch (c) {
                case '{':
                    return parseObject(depth + 1);
                case '[':
                    return parseArray(depth + 1);
                case '"':
                    return parseString();
                case 't':
                    return literal("true", Boolean.TRUE);
                case 'f':
                    return literal("false", Boolean.FALSE);
                case 'n':
                    return literal("null", null);
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return parseNumber();
                    }
                    if (c == 'N' || c == 'I') {
                        throw error(pos, "found " + describe(pos) + ": NaN and Infinity are not JSON; write them as"
                                + " strings (\"NaN\", \"Infinity\")");
                    }
                    throw error(pos, "expected a value (object, array, string, number, true, false or null), found "
                            + describe(pos));
            }
        }

        private Object literal(String word, Object value) {
            if (!regionEquals(word)) {
                throw error(pos, "expected '" + word + "', found " + describeWord(pos));
            }
            pos += word.length();
            return value;
        }

        private boolean regionEquals(String word) {
            if (pos + word.length() > text.length()) {
                return false;
            }
            for (int i = 0; i < word.length(); i++) {
                if (text.charAt(pos + i) != word.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private Map<String, Object> parseObject(int depth) {
            checkDepth(depth);
            pos++; // '{'
            Map<String, Object> map = new LinkedHashMap<>();
            skipWhitespace();
            if (pos < text.length() && text.charAt(pos) == '}') {
                pos++;
                return map;
            }
            while (true) {
                skipWhitespace();
                if (pos >= text.length() || text.charAt(pos) != '"') {
                    throw error(pos, "expected a string key in double quotes, found " + describe(pos)
                            + (pos < text.length() && text.charAt(pos) == '}' ? " (trailing comma?)" : ""));
                }
                int keyPos = pos;
                String key = parseString();
                skipWhitespace();
                if (pos >= text.length() || text.charAt(pos) != ':') {
                    throw error(pos, "expected ':' after key \"" + key + "\", found " + describe(pos));
                }
                pos++;
                skipWhitespace();
                Object value = parseValue(depth);
                if (map.containsKey(key)) {
                    throw error(keyPos, "duplicate key \"" + key + "\" in object");
                }
                map.put(key, value);
                skipWhitespace();
                if (pos >= text.length()) {
                    throw error(pos, "unterminated object: expected ',' or '}', found end of input");
                }
                char c = text.charAt(pos++);
                if (c == '}') {
                    return map;
                }
                if (c != ',') {
                    throw error(pos - 1, "expected ',' or '}' after the value of \"" + key + "\", found "
                            + describe(pos - 1));
                }
            }
        }

        private List<Object> parseArray(int depth) {
            checkDepth(depth);
            pos++; // '['
            List<Object> list = new ArrayList<>();
            skipWhitespace();
            if (pos < text.length() && text.charAt(pos) == ']') {
                pos++;
                return list;
            }
            while (true) {
                skipWhitespace();
                if (pos < text.length() && text.charAt(pos) == ']') {
                    throw error(pos, "expected a value, found ']' (trailing comma?)");
                }
                list.add(parseValue(depth));
                skipWhitespace();
                if (pos >= text.length()) {
                    throw error(pos, "unterminated array: expected ',' or ']', found end of input");
                }
                char c = text.charAt(pos++);
                if (c == ']') {
                    return list;
                }
                if (c != ',') {
                    throw error(pos - 1, "expected ',' or ']' after array element " + (list.size() - 1) + ", found "
                            + describe(pos - 1));
                }
            }
        }

        private void checkDepth(int depth) {
            if (depth > MAX_DEPTH) {
                throw error(pos, "nesting deeper than " + MAX_DEPTH + " levels");
            }
        }

        private String parseString() {
            int start = pos;
            pos++; // opening quote
            StringBuilder sb = null;
            int runStart = pos;
            while (true) {
                if (pos >= text.length()) {
                    throw error(start, "unterminated string (no closing '\"')");
                }
                char c = text.charAt(pos);
                if (c == '"') {
                    String s;
                    if (sb == null) {
                        s = text.subSequence(runStart, pos).toString();
                    } else {
                        s = sb.append(text, runStart, pos).toString();
                    }
                    pos++;
                    return s;
                }
                if (c < 0x20) {
                    throw error(pos, "raw control character " + describe(pos) + " in a string; escape it (e.g. \\n)");
                }
                if (c != '\\') {
                    pos++;
                    continue;
                }
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(text, runStart, pos);
                if (pos + 1 >= text.length()) {
                    throw error(pos, "unterminated escape sequence at end of input");
                }
                char e = text.charAt(pos + 1);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case '/' -> sb.append('/');
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        int code = 0;
                        for (int i = 0; i < 4; i++) {
                            int at = pos + 2 + i;
                            int d = at < text.length() ? Character.digit(text.charAt(at), 16) : -1;
                            if (d < 0) {
                                throw error(Math.min(at, text.length()), "\\u must be followed by 4 hex digits, found "
                                        + describe(at));
                            }
                            code = code * 16 + d;
                        }
                        sb.append((char) code);
                        pos += 4;
                    }
                    default -> throw error(pos, "invalid escape '\\" + e + "' in a string; valid escapes are"
                            + " \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
                }
                pos += 2;
                runStart = pos;
            }
        }

        private Object parseNumber() {
            int start = pos;
            if (text.charAt(pos) == '-') {
                pos++;
            }
            if (pos >= text.length() || !isDigit(text.charAt(pos))) {
                throw error(pos, "expected a digit after '-', found " + describe(pos));
            }
            if (text.charAt(pos) == '0') {
                pos++;
                if (pos < text.length() && isDigit(text.charAt(pos))) {
                    throw error(start, "number with a leading zero is not JSON");
                }
            } else {
                while (pos < text.length() && isDigit(text.charAt(pos))) {
                    pos++;
                }
            }
            boolean integral = true;
            if (pos < text.length() && text.charAt(pos) == '.') {
                integral = false;
                pos++;
                if (pos >= text.length() || !isDigit(text.charAt(pos))) {
                    throw error(pos, "expected a digit after the decimal point, found " + describe(pos));
                }
                while (pos < text.length() && isDigit(text.charAt(pos))) {
                    pos++;
                }
            }
            if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
                integral = false;
                pos++;
                if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                    pos++;
                }
                if (pos >= text.length() || !isDigit(text.charAt(pos))) {
                    throw error(pos, "expected a digit in the exponent, found " + describe(pos));
                }
                while (pos < text.length() && isDigit(text.charAt(pos))) {
                    pos++;
                }
            }
            String s = text.subSequence(start, pos).toString();
            if (integral) {
                try {
                    return Long.parseLong(s);
                } catch (NumberFormatException e) {
                    throw error(start, "integer " + s + " does not fit in 64 bits; write it with a fraction or"
                            + " exponent to read it as a double");
                }
            }
            double d = Double.parseDouble(s);
            if (Double.isInfinite(d)) {
                throw error(start, "number " + s + " is beyond the range of a double");
            }
            return d;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        String describe(int at) {
            if (at >= text.length()) {
                return "end of input";
            }
            char c = text.charAt(at);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) || c == '\uFEFF') {
                return String.format("U+%04X", (int) c);
            }
            return "'" + c + "'";
        }

        private String describeWord(int at) {
            int end = at;
            while (end < text.length() && end - at < 12 && Character.isLetterOrDigit(text.charAt(end))) {
                end++;
            }
            return end == at ? describe(at) : "'" + text.subSequence(at, end) + "'";
        }

        JsonException error(int at, String message) {
            int line = 1;
            int column = 1;
            int limit = Math.min(at, text.length());
            for (int i = 0; i < limit; i++) {
                char c = text.charAt(i);
                if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                    line++;
                    column = 1;
                } else {
                    column++;
                }
            }
            String where = (source == null ? "" : source + ": ") + "line " + line + ", column " + column + ": ";
            return new JsonException(where + message, line, column);
        }
    }

    // ------------------------------------------------------------------------------------------------------ writing

    /** Pretty-printed JSON (2-space indent, one member per line, scalar-only arrays on one line); rejects NaN/inf. */
    public static String write(Object value) {
        return write(value, NonFinite.REJECT);
    }

    /** Pretty-printed JSON with the given treatment of non-finite doubles. */
    public static String write(Object value, NonFinite nonFinite) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, nonFinite, true).value(value, 0);
        return sb.toString();
    }

    /** JSON without any whitespace, as {@code serde_json::to_string} and Python's {@code separators=(",", ":")}. */
    public static String writeCompact(Object value, NonFinite nonFinite) {
        StringBuilder sb = new StringBuilder();
        new Writer(sb, nonFinite, false).value(value, 0);
        return sb.toString();
    }

    private static final class Writer {
        private final StringBuilder out;
        private final NonFinite nonFinite;
        private final boolean pretty;
        private final Deque<Object> path = new ArrayDeque<>();

        Writer(StringBuilder out, NonFinite nonFinite, boolean pretty) {
            this.out = out;
            this.nonFinite = nonFinite;
            this.pretty = pretty;
        }

        void value(Object v, int depth) {
            if (depth > MAX_DEPTH) {
                throw new JsonException("cannot write " + path() + ": nesting deeper than " + MAX_DEPTH
                        + " levels (does the value contain itself?)");
            }
            if (v == null) {
                out.append("null");
            } else if (v instanceof String s) {
                string(s);
            } else if (v instanceof Boolean b) {
                out.append(b.booleanValue());
            } else if (v instanceof Double d) {
                number(d);
            } else if (v instanceof Float f) {
                number(f.doubleValue());
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                    || v instanceof BigInteger) {
                out.append(v);
            } else if (v instanceof BigDecimal bd) {
                out.append(bd.toString());
            } else if (v instanceof Character c) {
                string(c.toString());
            } else if (v instanceof Map<?, ?> m) {
                object(m, depth);
            } else if (v instanceof Collection<?> c) {
                array(c.size(), i -> null, c, depth);
            } else if (v instanceof Object[] a) {
                array(a.length, i -> a[i], null, depth);
            } else if (v instanceof double[] a) {
                array(a.length, i -> a[i], null, depth);
            } else if (v instanceof float[] a) {
                array(a.length, i -> a[i], null, depth);
            } else if (v instanceof long[] a) {
                array(a.length, i -> a[i], null, depth);
            } else if (v instanceof int[] a) {
                array(a.length, i -> a[i], null, depth);
            } else if (v instanceof boolean[] a) {
                array(a.length, i -> a[i], null, depth);
            } else {
                throw new JsonException("cannot write " + path() + ": " + v.getClass().getName()
                        + " is not a JSON type (use Map, List, array, String, Number, Boolean or null)");
            }
        }

        private void number(double d) {
            if (Double.isFinite(d)) {
                out.append(d); // Double.toString: shortest decimal that reads back as the same double
            } else if (nonFinite == NonFinite.AS_STRING) {
                out.append(Double.isNaN(d) ? "\"NaN\"" : d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
            } else if (nonFinite == NonFinite.AS_NULL) {
                out.append("null");
            } else {
                throw new JsonException("cannot write " + path() + " = " + d + ": JSON has no NaN or infinity."
                        + " Write with Json.NonFinite.AS_STRING (or AS_NULL) to store it, or fix the value.");
            }
        }

        private void object(Map<?, ?> m, int depth) {
            if (m.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new JsonException("cannot write " + path() + ": key " + e.getKey() + " is a "
                            + (e.getKey() == null ? "null" : e.getKey().getClass().getName())
                            + "; JSON keys are strings");
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                newline(depth + 1);
                string(key);
                out.append(pretty ? ": " : ":");
                path.addLast(key);
                value(e.getValue(), depth + 1);
                path.removeLast();
            }
            newline(depth);
            out.append('}');
        }

        private void array(int n, java.util.function.IntFunction<Object> get, Collection<?> c, int depth) {
            if (n == 0) {
                out.append("[]");
                return;
            }
            List<?> items = c != null ? new ArrayList<>(c) : null;
            boolean inline = true;
            for (int i = 0; i < n && inline; i++) {
                Object v = items != null ? items.get(i) : get.apply(i);
                inline = !(v instanceof Map<?, ?> || v instanceof Collection<?> || v instanceof Object[]
                        || (v != null && v.getClass().isArray()));
            }
            out.append('[');
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    out.append(',');
                    if (inline && pretty) {
                        out.append(' ');
                    }
                }
                if (!inline) {
                    newline(depth + 1);
                }
                path.addLast(i);
                value(items != null ? items.get(i) : get.apply(i), depth + 1);
                path.removeLast();
            }
            if (!inline) {
                newline(depth);
            }
            out.append(']');
        }

        private void newline(int depth) {
            if (pretty) {
                out.append('\n');
                for (int i = 0; i < depth; i++) {
                    out.append("  ");
                }
            }
        }

        private void string(String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\b' -> out.append("\\b");
                    case '\f' -> out.append("\\f");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c)); // lower-case hex, as serde_json
                        } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                                && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else if (Character.isSurrogate(c)) {
                            // A lone surrogate cannot be encoded in UTF-8; the escape keeps the output valid.
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }

        private String path() {
            StringBuilder p = new StringBuilder("$");
            for (Object o : path) {
                if (o instanceof Integer i) {
                    p.append('[').append(i).append(']');
                } else {
                    p.append('.').append(o);
                }
            }
            return p.toString();
        }
    }
}
