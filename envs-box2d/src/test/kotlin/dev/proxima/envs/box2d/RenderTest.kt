package dev.proxima.envs.box2d

import dev.proxima.envs.render.GifRecorder
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import java.awt.image.BufferedImage
import java.nio.file.Files
import java.nio.file.Path
import javax.imageio.ImageIO

/** Frames in Gymnasium's look, PNG and GIF; the frames are also written to target/render for a look by eye. */
class RenderTest : FunSpec({
    val out = Path.of("target", "render").also { Files.createDirectories(it) }

    fun count(img: BufferedImage, rgb: Int): Int {
        var n = 0
        for (y in 0 until img.height) for (x in 0 until img.width) if (img.getRGB(x, y) and 0xFFFFFF == rgb) n++
        return n
    }

    test("LunarLander: black sky, white moon, purple lander, yellow flags") {
        LunarLander().use { env ->
            var s = env.reset(3).observation()
            repeat(60) { s = env.step(LunarLanderHeuristic.discrete(s)).observation() }
            val img = env.render()
            ImageIO.write(img, "png", out.resolve("lunarlander.png").toFile())
            img.width shouldBe 600
            img.height shouldBe 400
            img.getRGB(300, 5) and 0xFFFFFF shouldBe 0x000000  // sky (top of the frame)
            img.getRGB(300, 395) and 0xFFFFFF shouldBe 0xFFFFFF // moon (bottom of the frame)
            count(img, 0x8066E6) shouldBeGreaterThan 300        // lander (128, 102, 230)
            count(img, 0xCCCC00) shouldBeGreaterThan 100        // flags (204, 204, 0)
        }
    }

    test("BipedalWalker hardcore: lilac sky, green ground, white obstacles, purple hull, following the walker") {
        BipedalWalker(true).use { env ->
            env.reset(0)
            val h = BipedalWalkerHeuristic()
            var a = FloatArray(4)
            repeat(120) { a = h.act(env.step(a).observation()) }
            val img = env.render(600, 400)
            ImageIO.write(img, "png", out.resolve("bipedalwalker_hardcore.png").toFile())
            img.getRGB(300, 5) and 0xFFFFFF shouldBe 0xD7D7FF   // sky (215, 215, 255)
            count(img, 0x66994C) shouldBeGreaterThan 10_000      // ground (102, 153, 76)
            count(img, 0x7F33E5) shouldBeGreaterThan 300         // hull (127, 51, 229)
        }
    }

    test("a GIF of a heuristic landing") {
        val env = Box2dEnvs.lunarLander().spec().make(0)
        val r = GifRecorder.create().withSize(300, 200).withMaxSteps(400)
            .record(env, { s: FloatArray -> LunarLanderHeuristic.discrete(s) }, 5, out.resolve("lunarlander.gif"))
        r.frames shouldBe r.steps + 1
        Files.size(r.file()).toInt() shouldBeGreaterThan 10_000
        env.close()
    }
})
