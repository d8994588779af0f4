package dev.proxima.core.testing

import java.io.File

/**
 * A small recursive-descent JSON parser for the golden files: objects become `Map<String, Any?>` (insertion order),
 * arrays `List<Any?>`, numbers `Double`, plus `String`, `Boolean` and `null`. Python's non-standard `NaN`,
 * `Infinity` and `-Infinity` tokens are accepted too. Numeric accessors ([num], [vec], [flat]) read `null` as NaN
 * and the strings "inf", "-inf", "nan" as the matching doubles, as the golden READMEs describe.
 */
object GoldenJson {
    /**
     * [parse]'s inverse, compact, as Python's `json.dumps` writes golden files: non-finite doubles as the `NaN`,
     * `Infinity` and `-Infinity` literals, whole doubles with a `.0`; for tests that write altered copies of a file.
     */
    fun write(value: Any?): String = StringBuilder().also { write(value, it) }.toString()

    private fun write(v: Any?, out: StringBuilder) {
        when (v) {
            null -> out.append("null")
            is Boolean -> out.append(v)
            is Double -> out.append(
                when {
                    v.isNaN() -> "NaN"
                    v == Double.POSITIVE_INFINITY -> "Infinity"
                    v == Double.NEGATIVE_INFINITY -> "-Infinity"
                    v == Math.rint(v) && Math.abs(v) < 1e15 -> v.toLong().toString() + ".0"
                    else -> v.toString()
                },
            )
            is Number -> out.append(v)
            is String -> {
                out.append('"')
                for (c in v) {
                    when {
                        c == '"' -> out.append("\\\"")
                        c == '\\' -> out.append("\\\\")
                        c < ' ' -> out.append(String.format("\\u%04x", c.code))
                        else -> out.append(c)
                    }
                }
                out.append('"')
            }
            is Map<*, *> -> {
                out.append('{')
                var first = true
                for ((k, x) in v) {
                    if (!first) out.append(',')
                    first = false
                    write(k as String, out)
                    out.append(':')
                    write(x, out)
                }
                out.append('}')
            }
            is Iterable<*> -> {
                out.append('[')
                var first = true
                for (x in v) {
                    if (!first) out.append(',')
                    first = false
                    write(x, out)
                }
                out.append(']')
            }
            else -> throw IllegalArgumentException("GoldenJson.write: cannot write a ${v.javaClass.name}")
        }
    }

    fun parse(text: String): Any? {
        val p = Parser(text)
        val value = p.value()
        p.skipWhitespace()
        if (p.pos != text.length) p.fail("trailing characters")
        return value
    }

    private class Parser(val s: String) {
        var pos = 0

        fun fail(what: String): Nothing {
            val from = maxOf(0, pos - 20)
            val to = minOf(s.length, pos + 20)
            throw IllegalArgumentException("JSON: $what at offset $pos near '${s.substring(from, to)}'")
        }

        fun skipWhitespace() {
            while (pos < s.length && s[pos].isWhitespace()) pos++
        }

        fun value(): Any? {
            skipWhitespace()
            if (pos >= s.length) fail("unexpected end of input")
            return when (val c = s[pos]) {
                '{' -> obj()
                '[' -> array()
                '"' -> string()
                't' -> literal("true", true)
                'f' -> literal("false", false)
                'n' -> literal("null", null)
                'N' -> literal("NaN", Double.NaN)
                'I' -> literal("Infinity", Double.POSITIVE_INFINITY)
                else -> if (c == '-' || c.isDigit()) number() else fail("unexpected character '$c'")
            }
        }

        fun literal(word: String, v: Any?): Any? {
            if (!s.startsWith(word, pos)) fail("expected $word")
            pos += word.length
            return v
        }

        fun obj(): Map<String, Any?> {
            pos++ // {
            val m = LinkedHashMap<String, Any?>()
            skipWhitespace()
            if (s[pos] == '}') { pos++; return m }
            while (true) {
                skipWhitespace()
                if (pos >= s.length || s[pos] != '"') fail("expected a key")
                val key = string()
                skipWhitespace()
                if (pos >= s.length || s[pos] != ':') fail("expected ':'")
                pos++
                m[key] = value()
                skipWhitespace()
                if (pos >= s.length) fail("unterminated object")
                when (s[pos++]) {
                    ',' -> continue
                    '}' -> return m
                    else -> { pos--; fail("expected ',' or '}'") }
                }
            }
        }

        fun array(): List<Any?> {
            pos++ // [
            val list = ArrayList<Any?>()
            skipWhitespace()
            if (pos < s.length && s[pos] == ']') { pos++; return list }
            while (true) {
                list.add(value())
                skipWhitespace()
                if (pos >= s.length) fail("unterminated array")
                when (s[pos++]) {
                    ',' -> continue
                    ']' -> return list
                    else -> { pos--; fail("expected ',' or ']'") }
                }
            }
        }

        fun string(): String {
            pos++ // opening quote
            val b = StringBuilder()
            while (true) {
                if (pos >= s.length) fail("unterminated string")
                val c = s[pos++]
                when (c) {
                    '"' -> return b.toString()
                    '\\' -> {
                        if (pos >= s.length) fail("unterminated escape")
                        when (val e = s[pos++]) {
                            '"', '\\', '/' -> b.append(e)
                            'b' -> b.append('\b')
                            'f' -> b.append('\u000C')
                            'n' -> b.append('\n')
                            'r' -> b.append('\r')
                            't' -> b.append('\t')
                            'u' -> {
                                if (pos + 4 > s.length) fail("short \\u escape")
                                b.append(s.substring(pos, pos + 4).toInt(16).toChar())
                                pos += 4
                            }
                            else -> fail("bad escape \\$e")
                        }
                    }
                    else -> b.append(c)
                }
            }
        }

        fun number(): Double {
            val start = pos
            if (s[pos] == '-') {
                pos++
                if (s.startsWith("Infinity", pos)) { pos += 8; return Double.NEGATIVE_INFINITY }
            }
            while (pos < s.length && (s[pos].isDigit() || s[pos] in ".eE+-")) pos++
            return s.substring(start, pos).toDoubleOrNull() ?: run { pos = start; fail("bad number") }
        }
    }
}

/** A number from the golden data: `null` is NaN, "inf"/"-inf"/"nan" strings are the matching doubles. */
fun toGoldenDouble(v: Any?): Double = when (v) {
    null -> Double.NaN
    is Double -> v
    is Number -> v.toDouble()
    "inf", "Infinity" -> Double.POSITIVE_INFINITY
    "-inf", "-Infinity" -> Double.NEGATIVE_INFINITY
    "nan", "NaN" -> Double.NaN
    else -> throw IllegalArgumentException("golden: expected a number, got $v")
}

/** The golden folder from the `golden.dir` system property (set by Surefire from the parent pom). */
fun goldenDir(): File {
    val dir = System.getProperty("golden.dir")
        ?: error("System property golden.dir is not set: run the tests through Maven (the parent pom sets it) or pass -Dgolden.dir=/path/to/shared/golden")
    val f = File(dir)
    check(f.isDirectory) { "golden.dir = $dir is not a directory; point -Dgolden.dir at the shared golden folder" }
    return f
}

/** A golden file under [goldenDir], e.g. `golden("ppo/gae.json")`. */
fun golden(name: String): File {
    val f = File(goldenDir(), name)
    check(f.isFile) { "golden file ${f.absolutePath} is missing (golden.dir = ${goldenDir()})" }
    return f
}

/** The `cases` list of a golden file, each case a JSON object. */
@Suppress("UNCHECKED_CAST")
fun goldenCases(name: String): List<Map<String, Any?>> {
    val root = GoldenJson.parse(golden(name).readText()) as Map<String, Any?>
    val cases = root["cases"] as? List<Map<String, Any?>> ?: error("$name has no \"cases\" list")
    check(cases.isNotEmpty()) { "$name has no cases" }
    return cases
}

@Suppress("UNCHECKED_CAST")
fun Map<String, Any?>.obj(key: String): Map<String, Any?> =
    this[key] as? Map<String, Any?> ?: error("golden: \"$key\" is missing or not an object (keys: ${this.keys})")

fun Map<String, Any?>.num(key: String): Double {
    if (!containsKey(key)) error("golden: \"$key\" is missing (keys: ${this.keys})")
    return toGoldenDouble(this[key])
}

fun Map<String, Any?>.int(key: String): Int = num(key).toInt()

fun Map<String, Any?>.list(key: String): List<Any?> =
    this[key] as? List<Any?> ?: error("golden: \"$key\" is missing or not a list (keys: ${this.keys})")

/** A one-dimensional numeric array. */
fun Map<String, Any?>.vec(key: String): DoubleArray = list(key).map(::toGoldenDouble).toDoubleArray()

/** Any nested numeric array, flattened in row-major order (`[T][N]` -> `t*N + n`). */
fun Map<String, Any?>.flat(key: String): DoubleArray {
    val out = ArrayList<Double>()
    fun walk(v: Any?) {
        if (v is List<*>) v.forEach(::walk) else out.add(toGoldenDouble(v))
    }
    walk(list(key))
    return out.toDoubleArray()
}

/** A nested boolean array, flattened in row-major order. */
fun Map<String, Any?>.flatBooleans(key: String): BooleanArray {
    val out = ArrayList<Boolean>()
    fun walk(v: Any?) {
        when (v) {
            is List<*> -> v.forEach(::walk)
            is Boolean -> out.add(v)
            else -> error("golden: \"$key\" holds $v, expected booleans")
        }
    }
    walk(list(key))
    return out.toBooleanArray()
}
