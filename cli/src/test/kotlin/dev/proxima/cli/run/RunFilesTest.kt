package dev.proxima.cli.run

import dev.proxima.core.ppo.UpdateStats
import dev.proxima.cli.files.AtomicWrite
import dev.proxima.cli.files.FileWriteException
import dev.proxima.core.internal.Json
import dev.proxima.core.internal.JsonException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.shouldBe
import io.kotest.property.Arb
import io.kotest.property.arbitrary.double
import io.kotest.property.arbitrary.int
import io.kotest.property.arbitrary.list
import io.kotest.property.checkAll
import java.nio.file.Files
import javax.imageio.ImageIO

private fun stats(update: Int, ret: Double, extra: Map<String, Double> = emptyMap()) = UpdateStats(update,
    update * 256L, ret, ret, if (ret.isNaN()) 0 else 2, 4,
    linkedMapOf(UpdateStats.POLICY_LOSS to -0.01 * update, UpdateStats.VALUE_LOSS to 1.5,
        UpdateStats.EPISODIC_RETURN to ret) + extra)

class RunFilesTest : FunSpec({
    val dir = Files.createTempDirectory("run-files")

    test("metrics.csv: update, global_step, then the CleanRL keys; NaN and missing keys are empty cells") {
        val f = dir.resolve("m.csv")
        MetricsCsv(f).use { csv ->
            csv.append(stats(1, Double.NaN, mapOf("losses/kl,penalty" to 0.5)))
            csv.append(stats(2, 21.5))
        }
        Files.readAllLines(f) shouldBe listOf(
            "update,global_step,episodes,losses/policy_loss,losses/value_loss,charts/episodic_return,\"losses/kl,penalty\"",
            "1,256,0,-0.01,1.5,,0.5",
            "2,512,2,-0.02,1.5,21.5,",
        )
    }

    test("a resumed run cuts metrics.csv back to its checkpoint: later rows and a half-written row go, others stay") {
        val f = dir.resolve("cut.csv")
        MetricsCsv(f).use { csv -> (1..5).forEach { csv.append(stats(it, it.toDouble())) } }
        Files.writeString(f, Files.readString(f) + "6,1536,2,-0.0", java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)
        val kept = CsvLog.truncate(f, 3)
        kept.map { it[0] } shouldBe listOf("update", "1", "2", "3")
        Files.readAllLines(f).size shouldBe 4
        Files.readAllLines(f)[3] shouldBe "3,768,2,${-0.01 * 3},1.5,3.0"
        // Appending continues under the same header.
        MetricsCsv(f, kept[0]).use { it.append(stats(4, 4.0)) }
        Files.readAllLines(f).last() shouldBe "4,1024,2,${-0.01 * 4},1.5,4.0"
        CsvLog.truncate(dir.resolve("absent.csv"), 3) shouldBe emptyList()
    }

    test("JSON: the run files are core's JSON, non-finite numbers written as null, with a final newline") {
        val m = linkedMapOf("a" to 1L, "b" to 2.5, "c" to "x\"y\n\u0001", "d" to listOf(true, null), "e" to Double.NaN,
            "f" to emptyMap<String, Any>(), "g" to Double.NEGATIVE_INFINITY)
        val f = dir.resolve("run-file.json")
        AtomicWrite.json(f, m)
        Files.readString(f).endsWith("}\n") shouldBe true
        Json.readObject(f) shouldBe linkedMapOf("a" to 1L, "b" to 2.5, "c" to "x\"y\n\u0001", "d" to listOf(true, null),
            "e" to null, "f" to emptyMap<String, Any>(), "g" to null)
        Files.writeString(f, "{\"a\": }")
        shouldThrow<JsonException> { Json.readObject(f) }.message shouldContain "line 1, column"
    }

    test("atomic writes leave no temporary file; stray ones of our pattern are removed, others are not") {
        val d = Files.createTempDirectory(dir, "atomic")
        AtomicWrite.text(d.resolve("a.json"), "{}")
        Files.list(d).use { s -> s.map { it.fileName.toString() }.toList() } shouldBe listOf("a.json")
        for (n in listOf(".last.safetensors.1a2b3c.tmp", ".summary.json.ffffffffffffffff.tmp", "keep.tmp", ".x.tmp",
            ".a.json.XYZ.tmp")) Files.writeString(d.resolve(n), "")
        AtomicWrite.removeStrayTemps(d) shouldBe listOf(".last.safetensors.1a2b3c.tmp", ".summary.json.ffffffffffffffff.tmp")
        Files.list(d).use { s -> s.map { it.fileName.toString() }.sorted().toList() } shouldBe
            listOf(".a.json.XYZ.tmp", ".x.tmp", "a.json", "keep.tmp")
        // A write into a directory that does not exist names the file.
        shouldThrow<FileWriteException> { AtomicWrite.text(d.resolve("no/such/file.json"), "{}") }.message shouldContain
            "cannot write ${d.resolve("no/such/file.json")}"
    }

    test("metrics.csv values parse back to the exact doubles") {
        checkAll(50, Arb.list(Arb.double(), 1..8)) { xs ->
            val f = Files.createTempFile(dir, "p", ".csv")
            MetricsCsv(f).use { csv -> xs.forEachIndexed { i, x -> csv.append(stats(i + 1, x)) } }
            val rows = Files.readAllLines(f).drop(1).map { it.split(",") }
            // Compared as bits (NaN canonicalised): NaN is written as an empty cell and must come back as NaN.
            rows.map { r -> (r[5].takeIf { it.isNotEmpty() }?.toDouble() ?: Double.NaN).toBits() } shouldBe
                xs.map { it.toBits() }
        }
    }

    test("recent return is the mean of the last (at least) 100 episodes, weighted by episode count") {
        val r = RecentReturn(100)
        r.mean().isNaN() shouldBe true
        r.add(10.0, 60)
        r.add(Double.NaN, 0)
        r.add(20.0, 60)
        r.mean() shouldBe ((10.0 * 60 + 20.0 * 60) / 120 plusOrMinus 1e-12)
        r.add(30.0, 50) // 60 + 50 >= 100 without the first update: it drops out
        r.mean() shouldBe ((20.0 * 60 + 30.0 * 50) / 110 plusOrMinus 1e-12)
    }

    test("the reward curve is a PNG of the configured size, also for a run where no episode ended") {
        val f = dir.resolve("curve.png")
        RewardCurve.write(f, "t", longArrayOf(256, 512, 768), doubleArrayOf(Double.NaN, 20.0, 35.0),
            doubleArrayOf(Double.NaN, 20.0, 27.5), listOf(EvalPoint(2, 512, 40.0, 3.0, 5)), 475.0)
        val img = ImageIO.read(f.toFile())
        img.width shouldBe RewardCurve.WIDTH
        img.height shouldBe RewardCurve.HEIGHT
        val chart = RewardCurve.chart("t", longArrayOf(256, 512, 768), doubleArrayOf(Double.NaN, 20.0, 35.0),
            doubleArrayOf(Double.NaN, 20.0, 27.5), listOf(EvalPoint(2, 512, 40.0, 3.0, 5)), 475.0)
        chart.seriesMap.keys shouldBe setOf("training return (per update)", "mean of last 10 episodes",
            "evaluation (mean ± std)", "reward threshold")
        // NaN points are left out, not drawn as gaps or zeros.
        chart.seriesMap.getValue("training return (per update)").xData.toList() shouldBe listOf(512.0, 768.0)
        chart.seriesMap.getValue("mean of last 10 episodes").yData.toList() shouldBe listOf(20.0, 27.5)

        val empty = dir.resolve("empty.png")
        RewardCurve.write(empty, "t", longArrayOf(256), doubleArrayOf(Double.NaN), doubleArrayOf(Double.NaN), emptyList(),
            Double.NaN)
        ImageIO.read(empty.toFile()).width shouldBe RewardCurve.WIDTH
    }
})
