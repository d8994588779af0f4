package dev.proxima.core.dist

import dev.proxima.core.space.Box
import dev.proxima.core.space.Discrete
import dev.proxima.core.space.Space
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.util.random.RandomGenerator

class HeadsTest : FunSpec({
    test("Discrete gets a categorical head over n indices, whatever its start") {
        Heads.forActionSpace(Discrete(3)).shouldBeInstanceOf<CategoricalHead>().numActions() shouldBe 3
        Heads.forActionSpace(Discrete(4, -2)).policyDim() shouldBe 4
    }

    test("Box gets a diagonal Gaussian over its flattened dimensions") {
        val head = Heads.forActionSpace(Box.of(-2f, 2f, 1)).shouldBeInstanceOf<DiagGaussianHead>()
        head.logStdDim() shouldBe 1
        Heads.forActionSpace(Box(FloatArray(6), FloatArray(6) { 1f }, 2, 3)).actionDim() shouldBe 6
    }

    test("other spaces are rejected with the space's name") {
        val odd = object : Space<String> {
            override fun flatDim() = 1
            override fun contains(value: Any?) = value is String
            override fun sample(rng: RandomGenerator) = "x"
            override fun flatten(value: String, dst: FloatArray, offset: Int) {}
            override fun unflatten(src: FloatArray, offset: Int, reuse: String?) = "x"
            override fun toString() = "Text(8)"
        }
        shouldThrow<IllegalArgumentException> { Heads.forActionSpace(odd) }.message shouldContain "Text(8)"
    }
})
