package dev.proxima.envs

/**
 * A small JSON reader and writer for the golden files, so the tests need no JSON library. Objects become
 * [LinkedHashMap]s (key order kept), arrays [ArrayList]s, numbers [Double]s.
 */
object Json {
    fun parse(text: String): Any? {
        val p = Parser(text)
        val v = p.value()
        p.skipWs()
        require(p.i == text.length) { "JSON: trailing characters at offset ${p.i}" }
        return v
    }

    fun write(value: Any?): String = StringBuilder().also { write(value, it) }.toString()

    private fun write(v: Any?, out: StringBuilder) {
        when (v) {
            null -> out.append("null")
            is Boolean -> out.append(v)
            is Double -> {
                require(v.isFinite()) { "JSON cannot hold $v" }
                out.append(if (v == Math.rint(v) && Math.abs(v) < 1e15) v.toLong().toString() + ".0" else v.toString())
            }
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
            is List<*> -> {
                out.append('[')
                v.forEachIndexed { i, x ->
                    if (i > 0) out.append(',')
                    write(x, out)
                }
                out.append(']')
            }
            else -> error("JSON cannot hold a ${v::class}")
        }
    }

    private class Parser(val s: String) {
        var i = 0

        fun skipWs() {
            while (i < s.length && s[i].isWhitespace()) i++
        }

        fun value(): Any? {
            skipWs()
            require(i < s.length) { "JSON: unexpected end" }
            return when (val c = s[i]) {
                '{' -> obj()
                '[' -> arr()
                '"' -> str()
                't' -> literal("true", true)
                'f' -> literal("false", false)
                'n' -> literal("null", null)
                else -> if (c == '-' || c.isDigit()) num() else error("JSON: unexpected '$c' at offset $i")
            }
        }

        private fun literal(word: String, v: Any?): Any? {
            require(s.startsWith(word, i)) { "JSON: expected $word at offset $i" }
            i += word.length
            return v
        }

        private fun obj(): Map<String, Any?> {
            val m = LinkedHashMap<String, Any?>()
            i++
            skipWs()
            if (s[i] == '}') {
                i++
                return m
            }
            while (true) {
                skipWs()
                val k = str()
                skipWs()
                require(s[i] == ':') { "JSON: expected ':' at offset $i" }
                i++
                m[k] = value()
                skipWs()
                when (s[i++]) {
                    ',' -> continue
                    '}' -> return m
                    else -> error("JSON: expected ',' or '}' at offset ${i - 1}")
                }
            }
        }

        private fun arr(): List<Any?> {
            val a = ArrayList<Any?>()
            i++
            skipWs()
            if (s[i] == ']') {
                i++
                return a
            }
            while (true) {
                a.add(value())
                skipWs()
                when (s[i++]) {
                    ',' -> continue
                    ']' -> return a
                    else -> error("JSON: expected ',' or ']' at offset ${i - 1}")
                }
            }
        }

        private fun str(): String {
            require(s[i] == '"') { "JSON: expected a string at offset $i" }
            i++
            val b = StringBuilder()
            while (true) {
                val c = s[i++]
                when (c) {
                    '"' -> return b.toString()
                    '\\' -> {
                        when (val e = s[i++]) {
                            'n' -> b.append('\n')
                            't' -> b.append('\t')
                            'r' -> b.append('\r')
                            'b' -> b.append('\b')
                            'f' -> b.append('\u000c')
                            'u' -> {
                                b.append(s.substring(i, i + 4).toInt(16).toChar())
                                i += 4
                            }
                            else -> b.append(e)
                        }
                    }
                    else -> b.append(c)
                }
            }
        }

        private fun num(): Double {
            val start = i
            while (i < s.length && (s[i].isDigit() || s[i] in "+-.eE")) i++
            return s.substring(start, i).toDouble()
        }
    }
}
