package dev.proxima.cli.script

import dev.proxima.cli.TestJars
import dev.proxima.cli.TestScripts
import dev.proxima.core.env.Env
import dev.proxima.core.ppo.PpoConfig
import dev.proxima.core.ppo.PpoConfigException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.attribute.PosixFilePermissions
import dev.proxima.dsl.pipeline.PpoTrainer

class ScriptHostTest : FunSpec({
    test("a script returning a PpoConfig built with the core builder evaluates to that config") {
        val file = TestScripts.write("config.ppo.kts", TestScripts.CONFIG)
        val host = ScriptHost(TestScripts.cacheDir)
        val config = host.evaluate(host.compile(file, "config.ppo.kts")).shouldBeInstanceOf<PpoConfig>()
        config.env().id() shouldBe "CartPole-v1"
        config.numEnvs() shouldBe 4
        config.numSteps() shouldBe 64
        config.updateEpochs() shouldBe 2
        config.seed() shouldBe 3
    }

    test("a ppo { } script evaluates to the DSL's trainer") {
        val file = TestScripts.write("dsl.ppo.kts", TestScripts.DSL)
        val host = ScriptHost(TestScripts.cacheDir)
        val trainer = host.evaluate(host.compile(file)).shouldBeInstanceOf<PpoTrainer>()
        trainer.config.env().id() shouldBe "CartPole-v1"
        trainer.config.numSteps() shouldBe 32
        trainer.totalSteps shouldBe 512L
    }

    test("samples/scripts/cartpole.ppo.kts is what it says: rl-zoo3's CartPole values with 8 minibatches x 10 epochs") {
        val sample = listOf(Path.of("../samples/scripts/cartpole.ppo.kts"), Path.of("samples/scripts/cartpole.ppo.kts"))
            .first { Files.exists(it) }
        val host = ScriptHost(TestScripts.cacheDir)
        val c = host.evaluate(host.compile(sample)).shouldBeInstanceOf<PpoTrainer>().config
        listOf(c.env().id(), c.numEnvs(), c.numSteps(), c.gamma(), c.gaeLambda(), c.updateEpochs(), c.numMinibatches(),
            c.learningRate(), c.annealLr(), c.entCoef(), c.clip()) shouldBe
            listOf("CartPole-v1", 8, 32, 0.98, 0.8, 10, 8, 1e-3, true, 0.0, 0.2)
    }

    test("the second compile of an unchanged script is a cache hit; a changed script is compiled again") {
        val cache = Files.createTempDirectory("cache-hit")
        val text = TestScripts.CONFIG.replace(".seed(3)", ".seed(11)")
        val file = TestScripts.write("cached.ppo.kts", text)
        val first = ScriptHost(cache).compile(file)
        first.fromCache shouldBe false
        Files.list(cache).use { s -> s.filter { it.toString().endsWith(".jar") }.count() } shouldBe 1L

        val second = ScriptHost(cache).compile(file) // a new host: nothing kept in memory
        second.fromCache shouldBe true
        (ScriptHost(cache).evaluate(second) as PpoConfig).seed() shouldBe 11L

        Files.writeString(file, text.replace(".seed(11)", ".seed(12)"))
        val third = ScriptHost(cache).compile(file)
        third.fromCache shouldBe false
        (ScriptHost(cache).evaluate(third) as PpoConfig).seed() shouldBe 12L
    }

    test("a damaged cache entry counts as a miss and is replaced") {
        val cache = Files.createTempDirectory("cache-damaged")
        val file = TestScripts.write("config.ppo.kts", TestScripts.CONFIG)
        ScriptHost(cache).compile(file)
        val jar = Files.list(cache).use { s -> s.filter { it.toString().endsWith(".jar") }.findFirst().get() }
        Files.write(jar, byteArrayOf(1, 2, 3))
        val again = ScriptHost(cache).compile(file)
        again.fromCache shouldBe false
        (ScriptHost(cache).evaluate(again) as PpoConfig).numSteps() shouldBe 64
        ScriptHost(cache).compile(file).fromCache shouldBe true
    }

    test("a cache entry is bound to its script's text and versions: a jar planted under another key is not run") {
        val cache = Files.createTempDirectory("cache-planted")
        val a = TestScripts.write("planted-a.ppo.kts", TestScripts.CONFIG.replace(".seed(3)", ".seed(21)"))
        val b = TestScripts.write("planted-b.ppo.kts", TestScripts.CONFIG.replace(".seed(3)", ".seed(22)"))
        ScriptHost(cache).compile(a)
        ScriptHost(cache).compile(b)
        fun entry(ext: String, seed: Int) = Files.list(cache).use { s ->
            s.filter { it.toString().endsWith(ext) }.toList() }.single { p ->
            Files.readString(p.resolveSibling(p.fileName.toString().removeSuffix(ext) + ".properties"))
                .contains("planted-" + (if (seed == 21) "a" else "b"))
        }
        val jarA = entry(".jar", 21)
        val jarB = entry(".jar", 22)
        // A's jar and its record copied under B's key: B's text does not match the record's hash.
        Files.copy(jarA, jarB, java.nio.file.StandardCopyOption.REPLACE_EXISTING)
        val metaB = jarB.resolveSibling(jarB.fileName.toString().removeSuffix(".jar") + ".properties")
        val metaA = jarA.resolveSibling(jarA.fileName.toString().removeSuffix(".jar") + ".properties")
        val bOwn = Files.readString(metaB)
        Files.copy(metaA, metaB, java.nio.file.StandardCopyOption.REPLACE_EXISTING)
        ScriptHost(cache).compile(b).let { c ->
            c.fromCache shouldBe false
            (ScriptHost(cache).evaluate(c) as PpoConfig).seed() shouldBe 22L
        }
        // A's jar under B's key with B's own record: the jar's hash does not match.
        Files.copy(jarA, jarB, java.nio.file.StandardCopyOption.REPLACE_EXISTING)
        Files.writeString(metaB, bOwn)
        ScriptHost(cache).compile(b).fromCache shouldBe false
        ScriptHost(cache).compile(b).fromCache shouldBe true
    }

    test("the cache folder is private to the user: created 0700, an existing one tightened") {
        val parent = Files.createTempDirectory("cache-perm")
        val fresh = parent.resolve("new/scripts")
        val file = TestScripts.write("config.ppo.kts", TestScripts.CONFIG)
        ScriptHost(fresh).compile(file)
        PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)) shouldBe "rwx------"
        val loose = Files.createDirectories(parent.resolve("loose"))
        Files.setPosixFilePermissions(loose, PosixFilePermissions.fromString("rwxrwxrwx"))
        ScriptHost(loose).compile(file)
        PosixFilePermissions.toString(Files.getPosixFilePermissions(loose)) shouldBe "rwx------"
    }

    test("@file:DependsOn: coordinates from the local Maven repository and paths beside the script, offline") {
        val repo = Files.createTempDirectory("m2")
        TestJars.build(repo.resolve("demo/helper/1.0/helper-1.0.jar"),
            mapOf("demo.Helper" to "package demo; public class Helper { public static long answer() { return 42; } }"))
        val dir = Files.createTempDirectory("depends")
        TestJars.build(dir.resolve("lib/other.jar"),
            mapOf("demo.Other" to "package demo; public class Other { public static long twice(long x) { return 2 * x; } }"))
        val script = dir.resolve("deps.ppo.kts")
        Files.writeString(script, """
            |@file:DependsOn("demo:helper:1.0")
            |@file:DependsOn("lib/other.jar")
            |PpoConfig.builder().env("CartPole-v1").seed(demo.Other.twice(demo.Helper.answer())).build()
            |""".trimMargin())
        val old = System.getProperty("maven.repo.local")
        System.setProperty("maven.repo.local", repo.toString())
        try {
            val host = ScriptHost(null)
            (host.evaluate(host.compile(script)) as PpoConfig).seed() shouldBe 84L
            // From the cache too: the compiled script remembers its dependencies.
            val cache = Files.createTempDirectory("depends-cache")
            ScriptHost(cache).compile(script)
            val cached = ScriptHost(cache).compile(script)
            cached.fromCache shouldBe true
            (ScriptHost(cache).evaluate(cached) as PpoConfig).seed() shouldBe 84L

            Files.writeString(script, "@file:DependsOn(\"demo:missing:2.0\")\nPpoConfig.builder().env(\"CartPole-v1\").build()\n")
            val e = shouldThrow<ScriptCompileException> { ScriptHost(null).compile(script, "deps.ppo.kts") }
            e.errors.single().line shouldBe 1
            e.errors.single().text shouldContain "demo/missing/2.0/missing-2.0.jar is not in the local Maven repository"
        } finally {
            if (old == null) System.clearProperty("maven.repo.local") else System.setProperty("maven.repo.local", old)
        }
    }

    test("compile errors are all reported with file, line and column") {
        val file = TestScripts.write("errors.ppo.kts", TestScripts.ERRORS)
        val e = shouldThrow<ScriptCompileException> { ScriptHost(TestScripts.cacheDir).compile(file, "s/errors.ppo.kts") }
        e.errors shouldHaveSize 2
        e.errors.map { Triple(it.file, it.line, it.column) } shouldBe
            listOf(Triple("s/errors.ppo.kts", 1, 13), Triple("s/errors.ppo.kts", 4, 6))
        e.errors[0].toString() shouldContain "s/errors.ppo.kts:1:13: error: "
        e.errors[1].toString() shouldContain "s/errors.ppo.kts:4:6: error: "
        e.errors[1].text shouldContain "clipp"
    }

    test("an exception thrown while the script runs points at the script line") {
        val file = TestScripts.write("throws.ppo.kts", TestScripts.THROWS)
        val host = ScriptHost(TestScripts.cacheDir)
        val e = shouldThrow<ScriptRuntimeException> { host.evaluate(host.compile(file), "throws.ppo.kts") }
        e.line shouldBe 5
        e.cause.shouldBeInstanceOf<PpoConfigException>()
        e.render() shouldContain "throws.ppo.kts:5: error: PpoConfigException: invalid PPO configuration (1 problem)"
        e.render() shouldContain "numMinibatches = 3"
    }

    test("a script ending with a declaration gives no value") {
        val file = TestScripts.write("novalue.ppo.kts", TestScripts.NO_VALUE)
        val host = ScriptHost(TestScripts.cacheDir)
        host.evaluate(host.compile(file)).shouldBeNull()
    }

    test("a script may declare its own env class and train on it") {
        val file = TestScripts.write("corridor.ppo.kts", TestScripts.corridor(0))
        val host = ScriptHost(TestScripts.cacheDir)
        val config = host.evaluate(host.compile(file)) as PpoConfig
        config.env().id() shouldBe "Corridor-v0"
        @Suppress("UNCHECKED_CAST")
        val env = config.env().make(0) as Env<FloatArray, Int>
        env.use {
            it.reset(0).observation().toList() shouldBe listOf(0f)
            var last = it.step(1)
            repeat(4) { _ -> last = it.step(1) }
            last.terminated() shouldBe true
            last.reward() shouldBe 1.0
        }
        // The class is the script's own (a nested class of the compiled script), loaded by the script's loader.
        env.unwrapped().javaClass.name shouldContain "Corridor"
        env.unwrapped().javaClass.classLoader.parent shouldBe PpoConfig::class.java.classLoader
    }

    test("without a cache directory every compile is fresh") {
        val file = TestScripts.write("config.ppo.kts", TestScripts.CONFIG)
        ScriptHost(null).compile(file).fromCache shouldBe false
    }

    test("the cache directory comes from the property, then the environment, then XDG_CACHE_HOME, then ~/.cache") {
        val old = System.getProperty(ScriptHost.CACHE_PROPERTY)
        try {
            System.clearProperty(ScriptHost.CACHE_PROPERTY)
            ScriptHost.defaultCacheDir(mapOf(ScriptHost.CACHE_ENV to "/tmp/c")).toString() shouldBe "/tmp/c"
            ScriptHost.defaultCacheDir(mapOf(ScriptHost.CACHE_ENV to "off")).shouldBeNull()
            ScriptHost.defaultCacheDir(mapOf("XDG_CACHE_HOME" to "/x")).toString() shouldBe "/x/proxima/scripts"
            ScriptHost.defaultCacheDir(emptyMap()).toString() shouldBe
                System.getProperty("user.home") + "/.cache/proxima/scripts"
            System.setProperty(ScriptHost.CACHE_PROPERTY, "/p")
            ScriptHost.defaultCacheDir(mapOf(ScriptHost.CACHE_ENV to "/tmp/c")).toString() shouldBe "/p"
        } finally {
            if (old == null) System.clearProperty(ScriptHost.CACHE_PROPERTY) else System.setProperty(ScriptHost.CACHE_PROPERTY, old)
        }
    }
})
