package dev.proxima.core.internal

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldNotBeEmpty
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.property.Arb
import io.kotest.property.arbitrary.codepoints
import io.kotest.property.arbitrary.double
import io.kotest.property.arbitrary.filter
import io.kotest.property.arbitrary.float
import io.kotest.property.arbitrary.list
import io.kotest.property.arbitrary.long
import io.kotest.property.arbitrary.map
import io.kotest.property.arbitrary.string
import io.kotest.property.checkAll
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

private fun parseError(text: String): JsonException = shouldThrow<JsonException> { Json.parse(text) }

class JsonTest : FunSpec({

    context("reading") {
        test("types: Long for integers, Double otherwise, maps in document order") {
            val v = Json.parse("""{"z": 1, "b": [true, false, null, 1.5, -0, 2e3, -12, "x\u00e9\n\"\\\/"], "a": {}}""")
            val m = v.shouldBeInstanceOf<Map<String, Any?>>()
            m.keys.toList() shouldBe listOf("z", "b", "a")
            m["z"] shouldBe 1L
            m["b"] shouldBe listOf(true, false, null, 1.5, 0L, 2000.0, -12L, "xé\n\"\\/")
            m["a"] shouldBe emptyMap<String, Any?>()
            Json.parse(" \t\r\n 3 \n") shouldBe 3L
            Json.parse("\uFEFF[]") shouldBe emptyList<Any?>()
            Json.parse("\"\\ud83d\\ude00\"") shouldBe "\uD83D\uDE00"
            Json.parse("9223372036854775807") shouldBe Long.MAX_VALUE
            Json.parse("-9223372036854775808") shouldBe Long.MIN_VALUE
            Json.parse("4.9E-324") shouldBe Double.MIN_VALUE
        }

        test("errors give line and column") {
            val e = shouldThrow<JsonException> { Json.parse("{\n  \"a\": 1,\n  \"b\": tru\n}", "conf.json") }
            e.line() shouldBe 3
            e.column() shouldBe 8
            e.message shouldStartWith "conf.json: line 3, column 8: expected 'true', found 'tru'"
            parseError("{\r\n\"a\" 1}").message shouldStartWith "line 2, column 5: expected ':' after key \"a\""
        }

        test("everything outside RFC 8259 is refused with a reason") {
            parseError("""{"a":1,}""").message shouldContain "line 1, column 8: expected a string key in double quotes, found '}' (trailing comma?)"
            parseError("[1,]").message shouldContain "trailing comma?"
            parseError("01").message shouldContain "leading zero"
            parseError("[NaN]").message shouldContain "NaN and Infinity are not JSON"
            parseError("-Infinity").message shouldContain "expected a digit after '-'"
            parseError("""{"a":1,"a":2}""").message shouldContain "line 1, column 8: duplicate key \"a\""
            parseError("\"a\tb\"").message shouldContain "raw control character U+0009"
            parseError("\"abc").message shouldContain "unterminated string"
            parseError("{} x").message shouldContain "unexpected 'x' after the JSON value"
            parseError("// c\n{}").message shouldContain "found '/'"
            parseError("{'a': 1}").message shouldContain "expected a string key in double quotes, found '''"
            parseError("[".repeat(600)).message shouldContain "nesting deeper than 512"
            parseError("99999999999999999999").message shouldContain "does not fit in 64 bits"
            parseError("1e400").message shouldContain "beyond the range of a double"
            parseError("1.").message shouldContain "expected a digit after the decimal point"
            parseError("1e+").message shouldContain "expected a digit in the exponent"
            parseError("\"\\x\"").message shouldContain "invalid escape '\\x'"
            parseError("\"\\u12G4\"").message shouldContain "4 hex digits"
            parseError("").message shouldContain "expected a value, found end of input"
            parseError("[1 2]").message shouldContain "expected ',' or ']' after array element 0, found '2'"
            parseError("""{"a" : 1 "b": 2}""").message shouldContain "expected ',' or '}' after the value of \"a\""
            parseError("nul").message shouldContain "expected 'null'"
            shouldThrow<JsonException> { Json.parseObject("[1]", "x.json") }.message shouldContain
                "x.json: line 1, column 1: expected a JSON object"
        }

        test("files must be UTF-8") {
            val dir = Files.createTempDirectory("json")
            val f = dir.resolve("bad.json")
            Files.write(f, byteArrayOf('"'.code.toByte(), 0xC3.toByte(), '"'.code.toByte()))
            shouldThrow<JsonException> { Json.read(f) }.message shouldContain "bad.json: not valid UTF-8"
            Files.writeString(f, """{"é": [1, 2.0]}""")
            Json.readObject(f) shouldBe mapOf("é" to listOf(1L, 2.0))
        }
    }

    context("writing") {
        test("pretty output: 2-space indent, scalar arrays inline, stable order") {
            val v = linkedMapOf(
                "name" to "x",
                "values" to listOf(1, 2.5, -0.0, 7L),
                "nested" to linkedMapOf("empty" to emptyList<Any>(), "obj" to emptyMap<String, Any>()),
                "rows" to listOf(intArrayOf(1, 2), doubleArrayOf(3.0)),
                "flag" to true,
                "none" to null,
            )
            Json.write(v) shouldBe """
                {
                  "name": "x",
                  "values": [1, 2.5, -0.0, 7],
                  "nested": {
                    "empty": [],
                    "obj": {}
                  },
                  "rows": [
                    [1, 2],
                    [3.0]
                  ],
                  "flag": true,
                  "none": null
                }
            """.trimIndent()
            Json.writeCompact(v, Json.NonFinite.REJECT) shouldBe
                """{"name":"x","values":[1,2.5,-0.0,7],"nested":{"empty":[],"obj":{}},"rows":[[1,2],[3.0]],"flag":true,"none":null}"""
        }

        test("strings are escaped as JSON requires, lower-case hex as serde_json") {
            Json.write("a\"b\\c\n\t\u0001\u001f/é\uD83D\uDE00") shouldBe "\"a\\\"b\\\\c\\n\\t\\u0001\\u001f/é\uD83D\uDE00\""
            Json.write("\uD800x") shouldBe "\"\\ud800x\"" // a lone surrogate has no UTF-8 form
            Json.parse(Json.write("\uD800x")) shouldBe "\uD800x"
        }

        test("doubles round-trip exactly, bit for bit, and come back as Double") {
            val finite = Arb.double().filter { it.isFinite() }
            checkAll(300, Arb.list(finite, 0..8)) { xs ->
                val back = Json.parse(Json.write(xs)) as List<*>
                back.map { (it as Double).toRawBits() } shouldBe xs.map { it.toRawBits() }
            }
            for (x in listOf(Double.MIN_VALUE, -Double.MAX_VALUE, 0.1 + 0.2, 1e-300, 123456789012345680.0, -0.0)) {
                (Json.parse(Json.write(x)) as Double).toRawBits() shouldBe x.toRawBits()
            }
        }

        test("floats are written as their exact double value, so they come back exactly") {
            checkAll(500, Arb.float().filter { it.isFinite() }) { f ->
                (Json.parse(Json.write(f)) as Double).toFloat().toRawBits() shouldBe f.toRawBits()
            }
            Json.write(0.1f) shouldBe "0.10000000149011612"
        }

        test("arbitrary nested values round-trip") {
            val key = Arb.string(0..12, Arb.codepoints())
            val leaf = Arb.list(Arb.long(), 0..4)
            checkAll(100, Arb.map(key, Arb.map(key, leaf, 0, 3), 0, 5)) { m ->
                Json.parse(Json.write(m)) shouldBe m
                Json.parse(Json.writeCompact(m, Json.NonFinite.REJECT)) shouldBe m
            }
        }

        test("non-finite doubles are refused with their path, or written as strings on request") {
            val v = mapOf("a" to listOf(1.0, Double.NaN))
            shouldThrow<JsonException> { Json.write(v) }.message shouldContain "cannot write $.a[1] = NaN"
            shouldThrow<JsonException> { Json.write(floatArrayOf(Float.NEGATIVE_INFINITY)) }.message shouldContain
                "$[0] = -Infinity"
            val s = Json.write(listOf(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.0),
                Json.NonFinite.AS_STRING)
            s shouldBe """["NaN", "Infinity", "-Infinity", 1.0]"""
            val back = Json.parse(s) as List<*>
            Json.toDouble(back[0]).isNaN() shouldBe true
            Json.toDouble(back[1]) shouldBe Double.POSITIVE_INFINITY
            Json.toDouble(back[2]) shouldBe Double.NEGATIVE_INFINITY
            Json.toDouble(back[3]) shouldBe 1.0
            val nonFinite = listOf(Double.NaN, Float.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.0)
            Json.write(nonFinite, Json.NonFinite.AS_NULL) shouldBe """[null, null, null, 1.0]"""
            Json.toDouble("-inf") shouldBe Double.NEGATIVE_INFINITY
            shouldThrow<JsonException> { Json.toDouble("one") }
        }

        test("values JSON cannot hold are refused with their path") {
            shouldThrow<JsonException> { Json.write(mapOf("a" to listOf(Any()))) }.message shouldContain
                "cannot write $.a[0]: java.lang.Object is not a JSON type"
            shouldThrow<JsonException> { Json.write(mapOf(1 to 2)) }.message shouldContain "key 1 is a java.lang.Integer"
            val cyclic = mutableListOf<Any>()
            cyclic.add(cyclic)
            shouldThrow<JsonException> { Json.write(cyclic) }.message shouldContain "nesting deeper than 512"
        }
    }

    // Real-world input: the golden files were written by Python's json module. Each must parse, and writing and
    // re-reading it must give the same value (doubles included, bit for bit). Only files up to 256 KB, to keep the
    // suite fast; the golden tests of other modules parse the large ones.
    val goldenDir: Path? = System.getProperty("golden.dir")?.let { Paths.get(it) }?.takeIf { Files.isDirectory(it) }
    test("golden JSON files parse and round-trip").config(enabled = goldenDir != null) {
        val files = Files.walk(goldenDir!!).use { s ->
            s.filter { it.toString().endsWith(".json") && Files.size(it) <= 256 * 1024 }.toList()
        }
        files.shouldNotBeEmpty()
        for (f in files) {
            val v = Json.readObject(f)
            // Plain equals (Double.equals compares bits); Kotest's structural diff is slow on megabytes.
            (Json.parse(Json.writeCompact(v, Json.NonFinite.REJECT)) == v) shouldBe true
            (Json.parse(Json.write(v)) == v) shouldBe true
        }
    }
})
