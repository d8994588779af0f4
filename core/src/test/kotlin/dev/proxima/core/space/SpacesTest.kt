package dev.proxima.core.space

import dev.proxima.core.testing.fixedSeed
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.property.Arb
import io.kotest.property.arbitrary.long
import io.kotest.property.checkAll
import java.util.SplittableRandom
import kotlin.math.abs
import kotlin.math.sqrt

/** A random space of depth at most [depth]: Box (any shape), Discrete, MultiDiscrete (with starts), Tuple, Dict. */
private fun randomSpace(rng: SplittableRandom, depth: Int): Space<*> = when (if (depth == 0) rng.nextInt(3) else rng.nextInt(5)) {
    0 -> {
        val shape = IntArray(1 + rng.nextInt(3)) { 1 + rng.nextInt(3) }
        val n = shape.reduce(Int::times)
        Box(FloatArray(n) { -1f - it }, FloatArray(n) { 1f + it }, *shape)
    }
    1 -> Discrete(1 + rng.nextInt(5), rng.nextInt(7) - 3)
    2 -> { val k = 1 + rng.nextInt(3); MultiDiscrete(IntArray(k) { 1 + rng.nextInt(4) }, IntArray(k) { rng.nextInt(5) - 2 }) }
    3 -> Tuple(List(1 + rng.nextInt(3)) { randomSpace(rng, depth - 1) })
    else -> Dict((0 until 1 + rng.nextInt(4)).associate { "k" + rng.nextInt(100) to randomSpace(rng, depth - 1) })
}

/** Gymnasium's flatten written out as a list, independently of [Spaces]: the order to match. */
@Suppress("UNCHECKED_CAST")
private fun referenceFlatten(space: Space<*>, x: Any?): List<Float> = when (space) {
    is Box -> (x as FloatArray).toList()
    is Discrete -> List(space.n()) { if (it == (x as Int) - space.start()) 1f else 0f }
    is MultiDiscrete -> (0 until space.size()).flatMap { c ->
        List(space.nvec(c)) { if (it == (x as IntArray)[c] - space.start(c)) 1f else 0f }
    }
    is Tuple -> space.spaces().withIndex().flatMap { (i, s) -> referenceFlatten(s, (x as List<Any?>)[i]) }
    is Dict -> space.keys().sortedWith { a, b -> pythonCompare(a, b) }.also { it shouldBe space.keys() }
        .flatMap { k -> referenceFlatten(space.space(k), (x as Map<String, Any?>)[k]) }
    else -> error("unexpected $space")
}

/** Python's str ordering: by code point. */
private fun pythonCompare(a: String, b: String): Int {
    val x = a.codePoints().toArray()
    val y = b.codePoints().toArray()
    for (i in 0 until minOf(x.size, y.size)) if (x[i] != y[i]) return x[i].compareTo(y[i])
    return x.size.compareTo(y.size)
}

@Suppress("UNCHECKED_CAST")
private fun <T> flat(space: Space<T>, x: Any?): FloatArray = FloatArray(space.flatDim()).also { space.flatten(x as T, it, 0) }

class SpacesTest : FunSpec({

    context("Discrete honours start as Gymnasium does") {
        test("contains, sample and the index flat form") {
            val d = Discrete(3, -2)
            listOf(-3, -2, 0, 1).map(d::contains) shouldBe listOf(false, true, true, false)
            d.contains(0L) shouldBe false
            Discrete(2, Int.MIN_VALUE).contains(Int.MAX_VALUE) shouldBe false // no int overflow in x - start
            val rng = SplittableRandom(1)
            (1..200).map { d.sample(rng) }.toSet() shouldBe setOf(-2, -1, 0)
            flat(d, -1).toList() shouldBe listOf(1f)
            d.unflatten(floatArrayOf(2f), 0, null) shouldBe 0
            shouldThrow<IllegalArgumentException> { d.unflatten(floatArrayOf(3f), 0, null) }.message shouldContain "0..2"
            shouldThrow<IllegalArgumentException> { flat(d, 1) }.message shouldContain "not an element"
            shouldThrow<IllegalArgumentException> { Discrete(5, Int.MAX_VALUE - 2) }.message shouldContain "beyond"
            d.toString() shouldBe "Discrete(3, start=-2)"
        }
        test("Gymnasium's flatten is one-hot at x - start: flatten(Discrete(4), 2) = [0, 0, 1, 0]") {
            val out = FloatArray(4)
            Spaces.flatten(Discrete(4), 2, out, 0)
            out.toList() shouldBe listOf(0f, 0f, 1f, 0f)
            Spaces.flatten(Discrete(3, 5), 5, out, 1)
            out.toList() shouldBe listOf(0f, 1f, 0f, 0f)
            Spaces.unflatten(Discrete(3, 5), floatArrayOf(0f, 0f, 1f), 0) shouldBe 7
            shouldThrow<IllegalArgumentException> { Spaces.unflatten(Discrete(3), FloatArray(3), 0) }
                .message shouldContain "no non-zero entry"
        }
    }

    context("MultiDiscrete") {
        val md = MultiDiscrete(intArrayOf(3, 2, 4), intArrayOf(1, 0, -2))
        test("elements, flat indices, one-hot flatten and Gymnasium's repr") {
            md.contains(intArrayOf(3, 1, 1)) shouldBe true
            md.contains(intArrayOf(0, 1, 1)) shouldBe false
            md.contains(intArrayOf(3, 1)) shouldBe false
            md.contains(listOf(3, 1, 1)) shouldBe false
            listOf(md.size(), md.flatDim(), md.oneHotDim(), Spaces.flatDim(md)) shouldBe listOf(3, 3, 9, 9)
            flat(md, intArrayOf(2, 0, 1)).toList() shouldBe listOf(1f, 0f, 3f)
            md.unflatten(floatArrayOf(1f, 0f, 3f), 0, null).toList() shouldBe listOf(2, 0, 1)
            val reuse = IntArray(3)
            (md.unflatten(floatArrayOf(0f, 1f, 0f), 0, reuse) === reuse) shouldBe true
            shouldThrow<IllegalArgumentException> { md.unflatten(floatArrayOf(0f, 2f, 0f), 0, null) }
                .message shouldContain "component 1"
            val one = FloatArray(9)
            Spaces.flatten(md, intArrayOf(2, 0, 1), one, 0)
            one.toList() shouldBe listOf(0f, 1f, 0f, 1f, 0f, 0f, 0f, 0f, 1f)
            (Spaces.unflatten(md, one, 0) as IntArray).toList() shouldBe listOf(2, 0, 1)
            md.toString() shouldBe "MultiDiscrete([3 2 4], start=[1 0 -2])"
            MultiDiscrete(5, 2).toString() shouldBe "MultiDiscrete([5 2])"
            MultiDiscrete(5, 2) shouldBe MultiDiscrete(intArrayOf(5, 2), intArrayOf(0, 0))
            shouldThrow<IllegalArgumentException> { MultiDiscrete() }.message shouldContain "no components"
            shouldThrow<IllegalArgumentException> { MultiDiscrete(intArrayOf(2), intArrayOf(0, 0)) }
                .message shouldContain "differ in length"
        }
        test("sampling is uniform per component") {
            val rng = SplittableRandom(5)
            val counts = Array(3) { IntArray(4) }
            val n = 60_000
            repeat(n) { val x = md.sample(rng); md.contains(x) shouldBe true; for (c in 0..2) counts[c][x[c] - md.start(c)]++ }
            for (c in 0..2) for (k in 0 until md.nvec(c)) {
                val p = 1.0 / md.nvec(c)
                abs(counts[c][k].toDouble() / n - p) shouldBeLessThan 5 * sqrt(p * (1 - p) / n)
            }
        }
    }

    context("Dict and Tuple flatten as gymnasium.spaces.utils.flatten") {
        test("Dict sorts its keys as Python sorts str: by code point") {
            val d = Dict(linkedMapOf("position" to Box.of(-1f, 1f, 2), "color" to Discrete(3)))
            d.keys() shouldBe listOf("color", "position")
            d.toString() shouldBe "Dict('color': Discrete(3), 'position': Box(-1.0, 1.0, (2,), float32))"
            // U+FFFF sorts before U+1F600 in Python; Java's compareTo (UTF-16 units) would put the emoji first
            Dict(mapOf("\uD83D\uDE00" to Discrete(2), "\uFFFF" to Discrete(2), "B" to Discrete(2), "a" to Discrete(2)))
                .keys() shouldBe listOf("B", "a", "\uFFFF", "\uD83D\uDE00")
            Dict.inOrder(linkedMapOf("z" to Discrete(2), "a" to Discrete(3))).keys() shouldBe listOf("z", "a")
            Dict.inOrder(linkedMapOf("z" to Discrete(2), "a" to Discrete(3))) shouldBe
                Dict.inOrder(linkedMapOf("z" to Discrete(2), "a" to Discrete(3)))
            (Dict.inOrder(linkedMapOf("z" to Discrete(2), "a" to Discrete(3))) ==
                Dict(mapOf("z" to Discrete(2), "a" to Discrete(3)))) shouldBe false // another layout
        }
        test("the examples of gymnasium/spaces/utils.py") {
            Dict(mapOf("position" to Discrete(2), "velocity" to Discrete(3))).flatDim() shouldBe 5
            val t = Tuple.of(Box.of(0f, 1f, 2), Box.of(0f, 1f, 3), Discrete(3))
            flat(t, listOf(floatArrayOf(.5f, .25f), floatArrayOf(1f, 0f, .2f), 1)).toList() shouldBe
                listOf(0.5f, 0.25f, 1f, 0f, 0.2f, 0f, 1f, 0f)
            val d = Dict(mapOf("position" to Discrete(2), "velocity" to Box(FloatArray(4), FloatArray(4) { 1f }, 2, 2)))
            Spaces.flattenSpace(d) shouldBe Box.of(0f, 1f, 6)
            Spaces.flattenSpace(Box(FloatArray(60), FloatArray(60) { 1f }, 3, 4, 5)) shouldBe Box.of(0f, 1f, 60)
            t.toString() shouldBe "Tuple(Box(0.0, 1.0, (2,), float32), Box(0.0, 1.0, (3,), float32), Discrete(3))"
        }
        test("a Box of any shape flattens row-major (numpy's C order)") {
            val b = Box(FloatArray(6) { -9f }, FloatArray(6) { 9f }, 2, 3)
            val x = floatArrayOf(0f, 1f, 2f, 10f, 11f, 12f) // x[r][c] = 10r + c
            flat(b, x).toList() shouldBe x.toList()
            FlatLayout.of(Dict(mapOf("grid" to b))).describe() shouldBe "obs['grid'] Box(2, 3) flat [0, 6)"
        }
        test("contains: exact key set, right sizes, children's elements") {
            val d = Dict(mapOf("a" to Discrete(2), "b" to Tuple.of(Box.of(0f, 1f, 1), MultiDiscrete(3))))
            d.contains(mapOf("a" to 1, "b" to listOf(floatArrayOf(0.5f), intArrayOf(2)))) shouldBe true
            d.contains(mapOf("a" to 1, "b" to listOf(floatArrayOf(1.5f), intArrayOf(2)))) shouldBe false
            d.contains(mapOf("a" to 1)) shouldBe false
            d.contains(mapOf("a" to 1, "b" to listOf(floatArrayOf(0.5f), intArrayOf(2)), "c" to 0)) shouldBe false
            d.contains(mapOf("a" to 1, "b" to listOf(floatArrayOf(0.5f)))) shouldBe false
            shouldThrow<IllegalArgumentException> { flat(d, mapOf("b" to listOf(floatArrayOf(0.5f), intArrayOf(2)))) }
                .message shouldContain "has no key 'a'"
            shouldThrow<IllegalArgumentException> { flat(d, mapOf("a" to "x", "b" to listOf(floatArrayOf(0.5f), intArrayOf(2)))) }
                .message shouldContain "the value at 'a' is x, not an element of Discrete(2)"
            shouldThrow<IllegalArgumentException> { Dict(emptyMap<String, Space<*>>()) }.message shouldContain "at least one key"
            shouldThrow<IllegalArgumentException> { Tuple(emptyList<Space<*>>()) }.message shouldContain "at least one"
        }
        test("property: unflatten(flatten(x)) == x, the order is Gymnasium's, and the layout tiles the row") {
            checkAll(fixedSeed(41, 300), Arb.long()) { seed ->
                val rng = SplittableRandom(seed)
                val space = randomSpace(rng, 3)
                if (space is Dict || space is Tuple) {
                    val x = space.sample(rng)
                    space.contains(x) shouldBe true
                    val row = flat(space, x)
                    row.toList() shouldBe referenceFlatten(space, x)
                    Spaces.elementsEqual(space.unflatten(row, 0, null), x) shouldBe true
                    Spaces.elementsEqual(Spaces.copyOf(x), x) shouldBe true
                    val layout = FlatLayout.of(space)
                    layout.flatDim() shouldBe space.flatDim()
                    var next = 0
                    for (s in layout.segments()) { s.offset() shouldBe next; next += s.size() }
                    next shouldBe space.flatDim()
                    Spaces.flattenSpace(space).flatDim() shouldBe space.flatDim()
                    // a row written at an offset lands there and nowhere else
                    val shifted = FloatArray(row.size + 3) { -7f }
                    @Suppress("UNCHECKED_CAST") (space as Space<Any?>).flatten(x, shifted, 2)
                    shifted.copyOfRange(2, 2 + row.size).toList() shouldBe row.toList()
                    listOf(shifted[0], shifted[1], shifted.last()) shouldBe listOf(-7f, -7f, -7f)
                }
            }
        }
    }

    test("FlatLayout names each leaf, its encoding and its float range") {
        val obs = Dict(mapOf(
            "pos" to Box.of(-1f, 1f, 2),
            "card" to Tuple.of(Discrete(4, 1), MultiDiscrete(2, 3)),
            "it's" to Discrete(2),
        ))
        FlatLayout.of(obs).describe() shouldBe "obs['card'][0] Discrete(4, start=1) one-hot [0, 4); " +
            "obs['card'][1] MultiDiscrete([2 3]) one-hot [4, 9); obs['it\\'s'] Discrete(2) one-hot [9, 11); " +
            "obs['pos'] Box(2,) flat [11, 13)"
        FlatLayout.of(Discrete(5)).describe() shouldBe "obs Discrete(5) index [0, 1)"
        FlatLayout.of(MultiDiscrete(5, 2)).describe() shouldBe "obs MultiDiscrete([5 2]) index [0, 2)"
        FlatLayout.of(Box(FloatArray(6), FloatArray(6), 3, 2)).toString() shouldBe "obs Box(3, 2) flat [0, 6)"
    }

    test("element helpers compare, copy and print nested arrays") {
        val x = mapOf("a" to floatArrayOf(1f, 2f), "b" to listOf(3, intArrayOf(4)))
        val y = mapOf("a" to floatArrayOf(1f, 2f), "b" to listOf(3, intArrayOf(4)))
        Spaces.elementsEqual(x, y) shouldBe true
        Spaces.elementsEqual(x, mapOf("a" to floatArrayOf(1f, 2f), "b" to listOf(3, intArrayOf(5)))) shouldBe false
        val c = Spaces.copyOf(x) as Map<*, *>
        (c["a"] === x["a"]) shouldBe false
        Spaces.show(x) shouldBe "{'a': [1.0, 2.0], 'b': (3, [4])}"
    }
})
