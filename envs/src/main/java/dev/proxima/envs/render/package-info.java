/**
 * Drawing envs with Java2D, headless included: {@link dev.proxima.envs.render.Renderable} (one frame as a
 * {@link java.awt.image.BufferedImage}), {@link dev.proxima.envs.render.Canvas} (Gymnasium's drawing coordinates) and
 * {@link dev.proxima.envs.render.GifRecorder} (an episode of any policy as an animated GIF, with
 * {@code javax.imageio} only).
 */
package dev.proxima.envs.render;
