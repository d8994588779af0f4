package dev.proxima.cli.files

import java.nio.file.Files
import java.nio.file.Path

/**
 * The JSON of the run directory (`summary.json`, `run.json`): a writer of maps, lists, strings, numbers, booleans and
 * null with two-space indentation, and a strict reader of the same (objects as [LinkedHashMap], integers as [Long],
 * other numbers as [Double]). Non-finite doubles are written as `null`: JSON has no NaN.
 */
object Json {
    fun write(value: Any?): String = StringBuilder().also { write(it, value, 0) }.append('\n').toString()

    private fun write(s: StringBuilder, v: Any?, indent: Int) {
        when (v) {
            null -> s.append("null")
            is String -> string(s, v)
            is Boolean -> s.append(v)
            is Double -> s.append(if (v.isFinite()) v.toString() else "null")
            is Float -> write(s, v.toDouble(), indent)
            is Number -> s.append(v.toLong())
            is Map<*, *> -> block(s, '{', '}', v.entries.toList(), indent) { e ->
                string(s, e.key.toString())
                s.append(": ")
                write(s, e.value, indent + 1)
            }
            is Iterable<*> -> block(s, '[', ']', v.toList(), indent) { write(s, it, indent + 1) }
            is Array<*> -> write(s, v.toList(), indent)
            else -> string(s, v.toString())
        }
    }

    private fun <T> block(s: StringBuilder, open: Char, close: Char, items: List<T>, indent: Int, item: (T) -> Unit) {
        s.append(open)
        if (items.isEmpty()) {
            s.append(close)
            return
        }
        items.forEachIndexed { i, x ->
            s.append(if (i == 0) "\n" else ",\n").append("  ".repeat(indent + 1))
            item(x)
        }
        s.append('\n').append("  ".repeat(indent)).append(close)
    }

    private fun string(s: StringBuilder, text: String) {
        s.append('"')
        for (c in text) {
            when {
                c == '"' -> s.append("\\\"")
                c == '\\' -> s.append("\\\\")
                c == '\n' -> s.append("\\n")
                c == '\r' -> s.append("\\r")
                c == '\t' -> s.append("\\t")
                c < ' ' -> s.append(String.format("\\u%04x", c.code))
                else -> s.append(c)
            }
        }
        s.append('"')
    }

    /** Parses a JSON document; [JsonException] names the position of the first mistake. */
    fun parse(text: String): Any? {
        val p = Parser(text)
        val v = p.value()
        p.skipSpace()
        if (!p.atEnd()) p.fail("unexpected text after the value")
        return v
    }

    /** The object in [file]; [JsonException] names the file. */
    fun readObject(file: Path): Map<String, Any?> {
        val text = Files.readString(file)
        @Suppress("UNCHECKED_CAST")
        return try {
            parse(text) as? Map<String, Any?> ?: throw JsonException("not a JSON object")
        } catch (e: JsonException) {
            throw JsonException("$file: ${e.message}")
        }
    }

    private class Parser(val s: String) {
        var i = 0

        fun atEnd() = i >= s.length
        fun fail(what: String): Nothing = throw JsonException("$what at offset $i")

        fun skipSpace() {
            while (i < s.length && s[i].isWhitespace()) i++
        }

        fun value(): Any? {
            skipSpace()
            if (atEnd()) fail("unexpected end")
            return when (val c = s[i]) {
                '{' -> obj()
                '[' -> arr()
                '"' -> str()
                't' -> word("true", true)
                'f' -> word("false", false)
                'n' -> word("null", null)
                else -> if (c == '-' || c.isDigit()) num() else fail("unexpected '$c'")
            }
        }

        private fun word(w: String, v: Any?): Any? {
            if (!s.startsWith(w, i)) fail("expected $w")
            i += w.length
            return v
        }

        private fun obj(): Map<String, Any?> {
            val m = LinkedHashMap<String, Any?>()
            i++
            skipSpace()
            if (i < s.length && s[i] == '}') {
                i++
                return m
            }
            while (true) {
                skipSpace()
                if (atEnd() || s[i] != '"') fail("expected a key")
                val k = str()
                skipSpace()
                if (atEnd() || s[i] != ':') fail("expected ':'")
                i++
                m[k] = value()
                skipSpace()
                if (atEnd()) fail("unexpected end")
                when (s[i++]) {
                    ',' -> continue
                    '}' -> return m
                    else -> { i--; fail("expected ',' or '}'") }
                }
            }
        }

        private fun arr(): List<Any?> {
            val l = ArrayList<Any?>()
            i++
            skipSpace()
            if (i < s.length && s[i] == ']') {
                i++
                return l
            }
            while (true) {
                l += value()
                skipSpace()
                if (atEnd()) fail("unexpected end")
                when (s[i++]) {
                    ',' -> continue
                    ']' -> return l
                    else -> { i--; fail("expected ',' or ']'") }
                }
            }
        }

        private fun str(): String {
            val b = StringBuilder()
            i++
            while (true) {
                if (atEnd()) fail("unterminated string")
                val c = s[i++]
                when {
                    c == '"' -> return b.toString()
                    c == '\\' -> {
                        if (atEnd()) fail("unterminated string")
                        when (val e = s[i++]) {
                            '"', '\\', '/' -> b.append(e)
                            'n' -> b.append('\n')
                            'r' -> b.append('\r')
                            't' -> b.append('\t')
                            'b' -> b.append('\b')
                            'f' -> b.append('\u000c')
                            'u' -> {
                                if (i + 4 > s.length) fail("bad \\u escape")
                                b.append(s.substring(i, i + 4).toIntOrNull(16)?.toChar() ?: fail("bad \\u escape"))
                                i += 4
                            }
                            else -> fail("bad escape \\$e")
                        }
                    }
                    c < ' ' -> fail("control character in a string")
                    else -> b.append(c)
                }
            }
        }

        private fun num(): Any {
            val start = i
            while (i < s.length && (s[i].isDigit() || s[i] in "+-.eE")) i++
            val t = s.substring(start, i)
            return t.toLongOrNull() ?: t.toDoubleOrNull()?.takeIf { it.isFinite() } ?: run { i = start; fail("bad number '$t'") }
        }
    }
}

/** Malformed JSON, with where. */
class JsonException(message: String) : RuntimeException(message)
