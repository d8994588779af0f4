package dev.proxima.core.optim

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain

class LrScheduleSpec : FunSpec({

    test("linear is CleanRL's anneal: frac = 1 - (update-1)/numUpdates; lrnow = frac * lr") {
        val s = LrSchedule.linear(2.5e-4)
        s.lr(1, 100) shouldBe 2.5e-4
        for (update in 1..100) s.lr(update, 100) shouldBe (1.0 - (update - 1.0) / 100) * 2.5e-4
        kotlin.math.abs(s.lr(100, 100) - 2.5e-6) shouldBeLessThan 1e-20 // lr / numUpdates at the last update, never 0
        s.toString() shouldBe "linear(2.5E-4)"
    }

    test("constant is constant") {
        val s = LrSchedule.constant(3e-4)
        (1..7).map { s.lr(it, 7) }.toSet() shouldBe setOf(3e-4)
        s.initialLr() shouldBe 3e-4
        s.toString() shouldBe "constant(3.0E-4)"
        s shouldBe LrSchedule.constant(3e-4)
    }

    test("bad learning rates and update indices are refused with their values") {
        shouldThrow<IllegalArgumentException> { LrSchedule.linear(0.0) }.message shouldContain "learningRate = 0.0"
        shouldThrow<IllegalArgumentException> { LrSchedule.constant(Double.NaN) }.message shouldContain "NaN"
        shouldThrow<IllegalArgumentException> { LrSchedule.linear(1e-3).lr(0, 10) }.message shouldContain "update = 0"
        shouldThrow<IllegalArgumentException> { LrSchedule.linear(1e-3).lr(11, 10) }.message shouldContain "numUpdates = 10"
    }
})
