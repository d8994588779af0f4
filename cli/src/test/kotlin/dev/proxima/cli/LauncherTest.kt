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

    test("a tree with the Maven wrapper builds itself first, one line per module, and says where the log is") {
        val tree = Files.createTempDirectory("autobuild")
        Files.createDirectories(tree.resolve("bin"))
        Files.copy(launcher, tree.resolve("bin/proxima"))
        // A stand-in wrapper: prints Maven's module lines and leaves the jar (empty, so java then refuses it).
        Files.writeString(tree.resolve("mvnw"), """
            |#!/bin/sh
            |echo "[INFO] Scanning for projects..."
            |echo "[INFO] Building Proxima Core 0.1.0-SNAPSHOT [1/2]"
            |echo "[INFO] Building Proxima CLI 0.1.0-SNAPSHOT [2/2]"
            |mkdir -p cli/target/lib && : > cli/target/proxima-cli.jar
            |""".trimMargin())
        tree.resolve("mvnw").toFile().setExecutable(true)
        val (_, _, err) = sh(tree, "bin/proxima", "--version")
        err shouldContain "proxima: building the command first"
        err shouldContain "  building Proxima Core 0.1.0-SNAPSHOT (1/2)\n  building Proxima CLI 0.1.0-SNAPSHOT (2/2)"
        err shouldContain "proxima: built in"
        Files.readString(tree.resolve("cli/target/build.log")) shouldContain "Scanning for projects"

        // A failing build shows the end of its log.
        val broken = Files.createTempDirectory("brokenbuild")
        Files.createDirectories(broken.resolve("bin"))
        Files.copy(launcher, broken.resolve("bin/proxima"))
        Files.writeString(broken.resolve("mvnw"), "#!/bin/sh\necho '[ERROR] COMPILATION ERROR'\nexit 1\n")
        broken.resolve("mvnw").toFile().setExecutable(true)
        val (code, _, err2) = sh(broken, "bin/proxima", "--version")
        code shouldBe 1
        err2 shouldContain "proxima: the build failed"
        err2 shouldContain "[ERROR] COMPILATION ERROR"
    }
})
