package dev.proxima.samples

import dev.proxima.core.dist.DiagGaussianHead
import dev.proxima.core.env.EnvRegistry
import dev.proxima.core.env.check.EnvChecker
import dev.proxima.core.nn.Network
import dev.proxima.core.ppo.PpoConfigException
import dev.proxima.core.train.TrainingResult
import dev.proxima.core.ppo.UpdateStats
import dev.proxima.dsl.ppo
import dev.proxima.samples.java.Catch
import dev.proxima.samples.java.CartPoleJava
import dev.proxima.samples.java.CatchJava
import dev.proxima.samples.kotlin.Warehouse
import dev.proxima.samples.kotlin.cartPole
import dev.proxima.samples.kotlin.cartPoleTrainer
import dev.proxima.samples.kotlin.pendulum
import dev.proxima.samples.kotlin.warehouse
import dev.proxima.samples.kotlin.warehouseModule
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.shouldBeGreaterThan
import io.kotest.matchers.doubles.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import org.koin.dsl.koinApplication

/** Runs a sample's `main` as `exec:java` does and returns what it printed. */
private fun runMain(mainClass: String, vararg args: String): String {
    val out = ByteArrayOutputStream()
    val saved = System.out
    System.setOut(PrintStream(out, true, Charsets.UTF_8))
    try {
        Class.forName("dev.proxima.samples.$mainClass").getMethod("main", Array<String>::class.java)
            .invoke(null, arrayOf(*args))
    } finally {
        System.setOut(saved)
    }
    return out.toString(Charsets.UTF_8).also { print(it) }
}

private fun TrainingResult.comparable(): List<String> = updates().map { s: UpdateStats ->
    listOf(s.update(), s.globalStep(), s.episodicReturn(), s.episodes(), s.metrics() - UpdateStats.SPS).toString()
}

class SamplesTest : FunSpec({

    test("CartPole: the Java API and the Kotlin DSL give identical statistics and parameters for the same seed") {
        val steps = 256L * 12 // 12 updates, one evaluation
        val java = CartPoleJava.train(steps, 3, true)
        val kotlin = cartPoleTrainer(steps, 3, quiet = true).train()
        // ... the Kotlin trainer is an adapter over the very same core trainer.
        kotlin.updates().size shouldBe 12
        java.updates().size shouldBe 12
        kotlin.comparable() shouldBe java.comparable()
        kotlin.agent().network().params().toList() shouldBe java.agent().network().params().toList()
    }

    test("CartPole samples run from their main with a small budget") {
        runMain("kotlin.CartPoleKt", "--steps", "2560") shouldContain "trained 2560 steps"
        runMain("java.CartPoleJava", "--steps", "2560") shouldContain "trained 2560 steps"
        val (result, eval) = cartPole(2560, quiet = true)
        result.steps() shouldBe 2560L
        eval.episodes() shouldBe 20
    }

    test("Pendulum: Gaussian head, separate actor and critic, parallel sampling") {
        val (result, eval) = pendulum(steps = 4L * 128 * 2, numSteps = 128, quiet = true)
        result.updates().size shouldBe 2
        result.agent().head().shouldBeInstanceOf<DiagGaussianHead>()
        (result.agent().networkFactory() as Network).isShared shouldBe false
        eval.meanReturn().isFinite() shouldBe true
        runMain("kotlin.PendulumKt", "--steps", "4096") shouldContain "trained 4096 steps"
    }

    test("Warehouse (Kotlin env, Koin id): passes the env checker and clearly learns in 10 000 steps") {
        val o = warehouse(10_240, quiet = true)
        o.check.passed() shouldBe true
        // Far above a random policy, and above the best fixed daily order, on the same 100 evaluation episodes.
        o.trained.meanReturn() shouldBeGreaterThan o.random.meanReturn() + 100
        o.trained.meanReturn() shouldBeGreaterThan o.fixedOrder.meanReturn()
        EnvChecker.check(Warehouse.ID.let { id -> ppo(koinApplication { modules(warehouseModule) }) { env(id) } }
            .config.env()).findings().size shouldBe 0
        runMain("kotlin.WarehouseTrainingKt", "--steps", "1024") shouldContain "profit per 8 weeks"
    }

    test("Warehouse is found by id only through its Koin registration") {
        shouldThrow<PpoConfigException> { ppo { env(Warehouse.ID) } }.message!! shouldContain
            "no environment \"Warehouse-v0\""
    }

    test("Catch (Java env, ServiceLoader): found by id and learned in 10 000 steps") {
        EnvRegistry.global().contains(Catch.ID) shouldBe true
        EnvChecker.check(EnvRegistry.global().spec(Catch.ID)).passed() shouldBe true
        val random = randomPolicy(EnvRegistry.global().spec(Catch.ID), 100, 7).meanReturn()
        random shouldBeLessThan -0.3
        CatchJava.train(10_000, 1, true).agent().evaluate(100, true, 7).meanReturn() shouldBeGreaterThan 0.9
        runMain("java.CatchJava", "--steps", "2048") shouldContain "Catch-v0 after"
    }

    test("the Java tour trains with every trainer feature on a class path of core and envs only (no Kotlin)") {
        val dir = kotlin.io.path.createTempDirectory("tour")
        val cp = listOf(
            dev.proxima.core.ppo.PpoConfig::class.java, dev.proxima.envs.classic.CartPole::class.java,
            dev.proxima.samples.java.JavaTrainerTour::class.java,
        ).map { java.nio.file.Paths.get(it.protectionDomain.codeSource.location.toURI()).toString() }.distinct()
        cp.none { it.contains("kotlin") } shouldBe true
        val javaBin = java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString()
        val p = ProcessBuilder(javaBin, "-cp", cp.joinToString(java.io.File.pathSeparator),
            "dev.proxima.samples.java.JavaTrainerTour", dir.toString(), "100000").redirectErrorStream(true).start()
        val out = p.inputStream.bufferedReader().readText()
        print(out)
        p.waitFor() shouldBe 0
        out shouldContain "cancelled after"
        out shouldContain "resumed and trained"
        out shouldContain "early stop: evaluation mean return"
        val best = Regex("best agent: ([0-9.]+)").find(out)!!.groupValues[1].toDouble()
        best shouldBeGreaterThan 475.0
        java.nio.file.Files.list(dir.resolve("checkpoints")).use { it.count() } shouldBe 3L
    }

    test("a budget comes from --steps, else -Dsteps, else the default; nonsense is refused") {
        budget(arrayOf("--steps", "1_000"), 5) shouldBe 1000L
        budget(arrayOf(), 5) shouldBe 5L
        shouldThrow<IllegalArgumentException> { budget(arrayOf("--steps", "many"), 5) }.message!! shouldContain
            "steps = \"many\""
    }
})
