package dev.proxima.envs.render

import dev.proxima.core.env.Env
import dev.proxima.core.env.EnvSpec
import dev.proxima.envs.classic.ClassicControl
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.doubles.plusOrMinus
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeLessThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import java.awt.GraphicsEnvironment
import java.awt.image.BufferedImage
import java.nio.file.Files
import java.nio.file.Path
import javax.imageio.ImageIO
import javax.imageio.metadata.IIOMetadataNode

/** Frames and GIFs are written to `envs/target/render` so they can be looked at after the build. */
class RenderTest : FunSpec({
    val out: Path = Path.of(System.getProperty("basedir") ?: ".").resolve("target/render")
    Files.createDirectories(out)

    fun nonWhite(img: BufferedImage): Int {
        var n = 0
        for (y in 0 until img.height) for (x in 0 until img.width) if (img.getRGB(x, y) and 0xFFFFFF != 0xFFFFFF) n++
        return n
    }

    fun count(img: BufferedImage, rgb: Int): Int {
        var n = 0
        for (y in 0 until img.height) for (x in 0 until img.width) if (img.getRGB(x, y) and 0xFFFFFF == rgb) n++
        return n
    }

    test("the tests run headless, as Surefire sets java.awt.headless") {
        GraphicsEnvironment.isHeadless() shouldBe true
    }

    // The colour each env must show somewhere (Gymnasium's palette), to tell a real drawing from a blank one.
    val signature = mapOf(
        "CartPole-v1" to 0xCA9865, // the pole
        "Pendulum-v1" to 0xCC4D4D, // the rod
        "MountainCar-v0" to 0xCCCC00, // the flag
        "MountainCarContinuous-v0" to 0xCCCC00,
        "Acrobot-v1" to 0x00CCCC, // the links
    )
    for (spec in ClassicControl.all()) {
        test("${spec.id()} draws a frame at Gymnasium's size that survives a PNG round trip") {
            val env = spec.makeUnwrapped(0)
            env.reset(3)
            val r = env as Renderable
            val frame = r.render()
            val file = out.resolve("${spec.id()}.png")
            ImageIO.write(frame, "png", file.toFile()) shouldBe true
            val back = ImageIO.read(file.toFile())
            back.width shouldBe r.renderWidth()
            back.height shouldBe r.renderHeight()
            nonWhite(back) shouldBeGreaterThan back.width * back.height / 200
            count(back, signature.getValue(spec.id())) shouldBeGreaterThan 20
        }
    }

    test("frames scale to any size, and drawing before reset fails clearly") {
        val env = ClassicControl.cartPole().makeUnwrapped(0) as Renderable
        shouldThrow<IllegalStateException> { env.render(60, 40) }.message!! shouldContain "reset"
        (env as Env<*, *>).reset(0)
        val small = env.render(150, 100)
        small.width shouldBe 150
        small.height shouldBe 100
        count(small, 0xCA9865) shouldBeGreaterThan 5
        shouldThrow<IllegalArgumentException> { env.render(0, 10) }
    }

    test("the cart moves in the picture when the state moves") {
        val env = ClassicControl.cartPole().makeUnwrapped(0) as dev.proxima.envs.classic.CartPole
        env.reset(0)
        env.setState(-1.5, 0.0, 0.0, 0.0)
        val left = env.render()
        env.setState(1.5, 0.0, 0.1, 0.0)
        val right = env.render()
        fun cartCentre(img: BufferedImage): Double {
            var sum = 0.0
            var n = 0
            val y = img.height - 100 // Gymnasium draws the cart centred 100 px above the bottom
            for (x in 0 until img.width) if (img.getRGB(x, y) and 0xFFFFFF == 0) { sum += x; n++ }
            return sum / n
        }
        // x = +-1.5 m at 125 px per metre from the centre (600 px for 4.8 m)
        cartCentre(left) shouldBe (300.0 - 187.5 plusOrMinus 3.0)
        cartCentre(right) shouldBe (300.0 + 187.5 plusOrMinus 3.0)
    }

    test("GifRecorder writes a looping GIF of a whole CartPole episode") {
        val file = out.resolve("CartPole-v1.gif")
        val env = ClassicControl.cartPole().make(0)
        // Push towards the side the pole leans to: it falls after a few dozen steps (59 with seed 3), which keeps
        // the test fast (the JDK's GIF encoder needs a few ms per frame) while the pole visibly swings.
        val rec = GifRecorder.create().withSize(300, 200)
            .record(env, { obs: FloatArray -> if (obs[2] > 0) 1 else 0 }, 3, file)
        rec.frames shouldBe rec.steps + 1
        rec.steps shouldBeGreaterThan 20
        rec.terminated shouldBe true
        rec.episodeReturn shouldBe rec.steps.toDouble()

        val reader = ImageIO.getImageReadersByFormatName("gif").next()
        ImageIO.createImageInputStream(file.toFile()).use { input ->
            reader.input = input
            reader.getNumImages(true) shouldBe rec.frames
            val first = reader.read(0)
            val last = reader.read(rec.frames - 1)
            first.width shouldBe 300
            first.height shouldBe 200
            nonWhite(first) shouldBeGreaterThan 300
            // Every frame keeps its colours: a white background and Gymnasium's pole colour, also in the last frame
            // (frames after the first need their own colour table).
            for (frame in listOf(first, last)) {
                nonWhite(frame) shouldBeLessThan 300 * 200 / 5
                count(frame, 0xCA9865) shouldBeGreaterThan 20
            }
            val differs = (0 until 300).any { x -> (0 until 200).any { y -> first.getRGB(x, y) != last.getRGB(x, y) } }
            differs shouldBe true
            val meta = reader.getImageMetadata(0)
            val root = meta.getAsTree(meta.nativeMetadataFormatName) as IIOMetadataNode
            val control = root.getElementsByTagName("GraphicControlExtension").item(0) as IIOMetadataNode
            control.getAttribute("delayTime") shouldBe "2" // CartPole's 50 fps
            val app = root.getElementsByTagName("ApplicationExtension").item(0) as IIOMetadataNode
            app.getAttribute("applicationID") shouldBe "NETSCAPE"
            (app.userObject as ByteArray).toList() shouldBe listOf<Byte>(1, 0, 0) // loop forever
        }
        reader.dispose()
    }

    test("GifRecorder refuses an env it cannot draw and stops envs without a time limit at maxSteps") {
        val plain = object : Env<FloatArray, Int> {
            override fun observationSpace() = dev.proxima.core.space.Box.of(-1f, 1f, 1)
            override fun actionSpace() = dev.proxima.core.space.Discrete(2)
            override fun reset(seed: Long) = dev.proxima.core.env.Reset(floatArrayOf(0f))
            override fun reset() = reset(0)
            override fun step(action: Int) = dev.proxima.core.env.Step(floatArrayOf(0f), 0.0, false, false)
        }
        shouldThrow<IllegalArgumentException> {
            GifRecorder.create().record(plain, { _: FloatArray -> 0 }, 0, out.resolve("never.gif"))
        }.message!! shouldContain "Renderable"
        @Suppress("UNCHECKED_CAST")
        val pendulum = (ClassicControl.pendulum() as EnvSpec<FloatArray, FloatArray>).makeUnwrapped(0)
        val rec = GifRecorder.create().withSize(100, 100).withMaxSteps(12)
            .record(pendulum, { _: FloatArray -> floatArrayOf(1f) }, 1, out.resolve("Pendulum-v1.gif"))
        rec.steps shouldBe 12
        rec.truncated shouldBe false
        rec.terminated shouldBe false
        rec.file shouldNotBe null
    }
})
