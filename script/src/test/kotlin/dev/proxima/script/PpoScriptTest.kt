package dev.proxima.script

import dev.proxima.core.ppo.PpoConfig
import dev.proxima.envs.classic.CartPole
import dev.proxima.dsl.PpoSpec
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import java.io.File
import java.nio.file.Paths
import kotlin.script.experimental.annotations.KotlinScript
import kotlin.script.experimental.api.ScriptCompilationConfiguration
import kotlin.script.experimental.api.defaultImports
import kotlin.script.experimental.api.dependencies
import kotlin.script.experimental.jvm.JvmDependency

private fun location(c: Class<*>): File = Paths.get(c.protectionDomain.codeSource.location.toURI()).toFile()

class PpoScriptTest : FunSpec({
    test("the IDE marker names the script definition class, which carries @KotlinScript for *.ppo.kts") {
        val marker = "META-INF/kotlin/script/templates/${PpoScript::class.java.name}"
        PpoScript::class.java.classLoader.getResource(marker).shouldNotBeNull()
        val annotation = PpoScript::class.java.getAnnotation(KotlinScript::class.java).shouldNotBeNull()
        annotation.fileExtension shouldBe "ppo.kts"
        annotation.compilationConfiguration shouldBe PpoScriptCompilationConfiguration::class
    }

    test("scripts import Proxima's packages by default") {
        PpoScriptCompilationConfiguration[ScriptCompilationConfiguration.defaultImports]!! shouldContainAll
            listOf("dev.proxima.core.ppo.*", "dev.proxima.core.env.*", "dev.proxima.dsl.*",
                "dev.proxima.envs.classic.ClassicControl")
    }

    test("the compile class path is exactly where core, envs, the DSL, this module and the stdlib come from") {
        val cp = PpoScriptDefaults.classpath()
        cp shouldContainAll listOf(location(PpoConfig::class.java), location(CartPole::class.java),
            location(PpoScript::class.java), location(Unit::class.java), location(PpoSpec::class.java))
        cp.distinct() shouldBe cp
        val configured = PpoScriptCompilationConfiguration[ScriptCompilationConfiguration.dependencies]!!
            .filterIsInstance<JvmDependency>().flatMap { it.classpath }
        configured shouldContain location(PpoConfig::class.java)
    }
})
