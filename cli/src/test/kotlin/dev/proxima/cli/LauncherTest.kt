package dev.proxima.cli

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import java.nio.file.Files
import java.nio.file.Path
import java.util.concurrent.TimeUnit

/** bin/proxima outside a built tree: it must say how to build, from any directory and through a symlink. */
class LauncherTest : FunSpec({
    val launcher = Path.of(System.getProperty("maven.multiModuleProjectDirectory") ?: "..").resolve("bin/proxima")
        .let { if (Files.exists(it)) it else Path.of("..", "bin", "proxima") }

    fun sh(cwd: Path, vararg cmd: String): Triple<Int, String, String> {
        val p = ProcessBuilder("sh", *cmd).directory(cwd.toFile()).start()
        p.waitFor(30, TimeUnit.SECONDS) shouldBe true
        return Triple(p.exitValue(), p.inputStream.readAllBytes().decodeToString(), p.errorStream.readAllBytes().decodeToString())
    }

    test("an unbuilt tree: exit 1 and the build command, also when called through a symlink from elsewhere") {
        val tree = Files.createTempDirectory("unbuilt")
        Files.createDirectories(tree.resolve("bin"))
        Files.copy(launcher, tree.resolve("bin/proxima"))
        val (code, out, err) = sh(tree, "bin/proxima", "--version")
        code shouldBe 1
        out shouldBe ""
        err shouldContain "the command is not built yet"
        err shouldContain "./mvnw -q package -DskipTests"
        err shouldContain tree.toRealPath().toString()

        val elsewhere = Files.createTempDirectory("elsewhere")
        Files.createSymbolicLink(elsewhere.resolve("px"), tree.resolve("bin/proxima"))
        val (code2, _, err2) = sh(elsewhere, "px", "envs")
        code2 shouldBe 1
        err2 shouldContain tree.toRealPath().resolve("cli/target/proxima-cli.jar").toString()
    }
})
