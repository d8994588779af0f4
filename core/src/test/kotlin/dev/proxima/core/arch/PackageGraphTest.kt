package dev.proxima.core.arch

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import java.nio.file.Files
import java.nio.file.Path

/** Core's packages and the packages their code (comments and Javadoc aside) refers to. */
private fun packageGraph(): Map<String, Set<String>> {
    val root = Path.of("src/main/java/dev/proxima/core")
    val graph = HashMap<String, MutableSet<String>>()
    Files.walk(root).use { files ->
        files.filter { it.toString().endsWith(".java") }.forEach { file ->
            val pkg = root.relativize(file.parent).toString().replace('/', '.')
            // Comments out (block, then line), so that a {@link} in Javadoc is not a dependency.
            val code = Files.readString(file)
                .replace(Regex("/\\*.*?\\*/", RegexOption.DOT_MATCHES_ALL), "")
                .replace(Regex("//[^\n]*"), "")
            val refs = Regex("dev\\.proxima\\.core\\.([a-z]+(?:\\.[a-z]+)*)\\.[A-Z]").findAll(code)
                .map { it.groupValues[1] }.filter { it != pkg }.toSet()
            graph.getOrPut(pkg) { HashSet() }.addAll(refs)
        }
    }
    return graph
}

/**
 * Issue 9: the algorithm (`ppo`), the trainer (`train`) and the checkpoint format (`checkpoint`) form no import
 * cycle: the format knows neither, the algorithm does not know the trainer.
 */
class PackageGraphTest : FunSpec({
    val graph = packageGraph()

    test("the checkpoint format depends on neither the algorithm nor the trainer") {
        graph.getValue("checkpoint").filter { it == "ppo" || it == "train" }.shouldBeEmpty()
    }

    test("the algorithm does not depend on the trainer") {
        graph.getValue("ppo").contains("train") shouldBe false
    }

    test("no cycle among ppo, train and checkpoint") {
        val three = setOf("ppo", "train", "checkpoint")
        fun reaches(from: String, to: String, seen: MutableSet<String> = HashSet()): Boolean =
            graph[from].orEmpty().filter { it in three }.any { it == to || (seen.add(it) && reaches(it, to, seen)) }
        three.filter { reaches(it, it) }.shouldBeEmpty()
    }
})
