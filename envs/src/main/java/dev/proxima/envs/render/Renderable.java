package dev.proxima.envs.render;

import java.awt.image.BufferedImage;

/**
 * An env that can draw its current state, as Gymnasium's {@code render_mode="rgb_array"}. Drawing uses Java2D into a
 * {@link BufferedImage} and works headless ({@code java.awt.headless=true}).
 *
 * <p>Frames are drawn at any size: the scene is laid out in Gymnasium's screen coordinates
 * ({@link #renderWidth()} by {@link #renderHeight()}) and scaled, so a 300x200 CartPole frame looks like a
 * half-size Gymnasium frame.
 */
public interface Renderable {

    /**
     * Draws the current state.
     *
     * @param width  image width in pixels, at least 1
     * @param height image height in pixels, at least 1
     * @return a new {@code TYPE_INT_RGB} image
     * @throws IllegalStateException if the env has no state yet (call {@code reset} first)
     */
    BufferedImage render(int width, int height);

    /** Draws the current state at Gymnasium's size. */
    default BufferedImage render() {
        return render(renderWidth(), renderHeight());
    }

    /** Gymnasium's screen width for this env (600 for CartPole and MountainCar, 500 for Pendulum and Acrobot). */
    default int renderWidth() {
        return 600;
    }

    /** Gymnasium's screen height for this env. */
    default int renderHeight() {
        return 400;
    }

    /** Gymnasium's {@code metadata["render_fps"]}: the frame rate a recording should play at. */
    default int renderFps() {
        return 30;
    }
}
