package dev.proxima.envs.render;

import dev.proxima.core.env.Env;
import dev.proxima.core.env.Reset;
import dev.proxima.core.env.Step;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.FileImageOutputStream;

/**
 * Records an episode of any policy as an animated GIF that loops forever, using only {@code javax.imageio}; it works
 * headless. Settings are immutable: each {@code with...} method returns a new recorder.
 *
 * <pre>{@code
 * Env<float[], Integer> env = ClassicControl.cartPole().make(0);
 * GifRecorder.Recording r = GifRecorder.create().withSize(300, 200)
 *         .record(env, obs -> obs[2] + 0.5f * obs[3] > 0 ? 1 : 0, 42, Path.of("cartpole.gif"));
 * }</pre>
 *
 * <p>The env (or the env beneath its wrappers, {@link Env#unwrapped()}) must be {@link Renderable}. One frame is
 * drawn after {@code reset} and one after every step, so an episode of {@code n} steps gives {@code n + 1} frames.
 * Frames are encoded as they are drawn, so memory does not grow with the episode.
 */
public final class GifRecorder {
    private static final int DEFAULT_MAX_STEPS = 10_000;

    private final int width;
    private final int height;
    private final int fps;
    private final int maxSteps;

    private GifRecorder(int width, int height, int fps, int maxSteps) {
        this.width = width;
        this.height = height;
        this.fps = fps;
        this.maxSteps = maxSteps;
    }

    /** Frames at the env's own size and frame rate, at most 10 000 steps. */
    public static GifRecorder create() {
        return new GifRecorder(0, 0, 0, DEFAULT_MAX_STEPS);
    }

    /** Frames of {@code width} x {@code height} pixels instead of the env's own size. */
    public GifRecorder withSize(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("GifRecorder: size " + width + "x" + height
                    + " must be at least 1x1 pixel.");
        }
        return new GifRecorder(width, height, fps, maxSteps);
    }

    /**
     * Playback speed in frames per second instead of the env's {@link Renderable#renderFps()}. GIF delays are whole
     * hundredths of a second, so the rate is rounded to the nearest such delay.
     */
    public GifRecorder withFps(int fps) {
        if (fps < 1 || fps > 100) {
            throw new IllegalArgumentException("GifRecorder: fps = " + fps + " must be in [1, 100] (a GIF frame lasts"
                    + " a whole number of hundredths of a second).");
        }
        return new GifRecorder(width, height, fps, maxSteps);
    }

    /** Stops after {@code maxSteps} steps if the episode has not ended (for envs without a time limit). */
    public GifRecorder withMaxSteps(int maxSteps) {
        if (maxSteps < 0) {
            throw new IllegalArgumentException("GifRecorder: maxSteps = " + maxSteps + " must be >= 0.");
        }
        return new GifRecorder(width, height, fps, maxSteps);
    }

    /**
     * What a recording produced.
     *
     * @param file          the GIF written
     * @param frames        number of frames (steps + 1)
     * @param steps         steps taken
     * @param episodeReturn sum of the rewards
     * @param terminated    whether the last step terminated the episode
     * @param truncated     whether the last step truncated it
     */
    public record Recording(Path file, int frames, int steps, double episodeReturn, boolean terminated,
            boolean truncated) {}

    /**
     * Resets {@code env} with {@code seed}, then steps it with {@code policy} until the episode ends (or
     * {@code maxSteps}), writing every frame to {@code file}.
     *
     * @throws IllegalArgumentException if the env is not {@link Renderable}
     * @throws IOException              if the file cannot be written
     */
    public <O, A> Recording record(Env<O, A> env, Function<? super O, ? extends A> policy, long seed, Path file)
            throws IOException {
        if (!(env.unwrapped() instanceof Renderable r)) {
            throw new IllegalArgumentException("GifRecorder: env " + env.name() + " (" + env.unwrapped().getClass()
                    .getName() + ") does not implement " + Renderable.class.getName() + ", so it cannot be drawn.");
        }
        int w = width > 0 ? width : r.renderWidth();
        int h = height > 0 ? height : r.renderHeight();
        int rate = fps > 0 ? fps : r.renderFps();
        try (Sequence gif = new Sequence(file, delayCentiseconds(rate))) {
            Reset<O> reset = env.reset(seed);
            gif.add(r.render(w, h));
            O obs = reset.observation();
            double ret = 0;
            int steps = 0;
            boolean terminated = false;
            boolean truncated = false;
            while (steps < maxSteps && !terminated && !truncated) {
                Step<O> s = env.step(policy.apply(obs));
                steps++;
                ret += s.reward();
                terminated = s.terminated();
                truncated = s.truncated();
                obs = s.observation();
                gif.add(r.render(w, h));
            }
            return new Recording(file, steps + 1, steps, ret, terminated, truncated);
        }
    }

    /** Writes {@code frames} as a GIF that loops forever, each frame shown for {@code 1/fps} s. */
    public static void write(List<BufferedImage> frames, int fps, Path file) throws IOException {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("GifRecorder.write: no frames to write to " + file + ".");
        }
        try (Sequence gif = new Sequence(file, delayCentiseconds(fps))) {
            for (BufferedImage f : frames) {
                gif.add(f);
            }
        }
    }

    private static int delayCentiseconds(int fps) {
        return Math.max(1, (int) Math.round(100.0 / fps));
    }

    /**
     * {@code src} as an 8-bit indexed image. Without this the GIF writer quantises every RGB frame with its octree
     * {@code PaletteBuilder}, about 30 ms per 300x200 frame. A classic-control frame has a few flat colours plus
     * their antialiased blends, usually fewer than 256, which get an exact palette; a busier frame falls back to a
     * 6x6x6 colour cube.
     */
    static BufferedImage indexed(BufferedImage src) {
        if (src.getType() == BufferedImage.TYPE_BYTE_INDEXED) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        int[] rgb = src.getRGB(0, 0, w, h, null, 0, w);
        byte[] index = new byte[rgb.length];
        int[] palette = new int[256];
        int size = exactPalette(rgb, index, palette);
        if (size < 0) {
            size = 216;
            for (int i = 0; i < size; i++) {
                palette[i] = (i / 36 * 51) << 16 | (i / 6 % 6 * 51) << 8 | (i % 6 * 51);
            }
            for (int p = 0; p < rgb.length; p++) {
                int c = rgb[p];
                int r = (((c >> 16) & 0xFF) * 5 + 127) / 255;
                int g = (((c >> 8) & 0xFF) * 5 + 127) / 255;
                int b = ((c & 0xFF) * 5 + 127) / 255;
                index[p] = (byte) (r * 36 + g * 6 + b);
            }
        }
        byte[] reds = new byte[size];
        byte[] greens = new byte[size];
        byte[] blues = new byte[size];
        for (int i = 0; i < size; i++) {
            reds[i] = (byte) (palette[i] >> 16);
            greens[i] = (byte) (palette[i] >> 8);
            blues[i] = (byte) palette[i];
        }
        IndexColorModel model = new IndexColorModel(8, size, reds, greens, blues);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, model);
        System.arraycopy(index, 0, ((DataBufferByte) out.getRaster().getDataBuffer()).getData(), 0, index.length);
        return out;
    }

    /** Fills {@code index} and {@code palette} if {@code rgb} has at most 256 colours; returns their number, else -1. */
    private static int exactPalette(int[] rgb, byte[] index, int[] palette) {
        int[] keys = new int[1024]; // open addressing, load factor <= 1/4
        int[] slots = new int[1024];
        java.util.Arrays.fill(slots, -1);
        int size = 0;
        for (int p = 0; p < rgb.length; p++) {
            int c = rgb[p] & 0xFFFFFF;
            int h = (c * 0x9E3779B1) >>> 22;
            while (slots[h] >= 0 && keys[h] != c) {
                h = (h + 1) & 1023;
            }
            if (slots[h] < 0) {
                if (size == 256) {
                    return -1;
                }
                keys[h] = c;
                slots[h] = size;
                palette[size++] = c;
            }
            index[p] = (byte) slots[h];
        }
        return size;
    }

    /** An open GIF being written frame by frame. */
    private static final class Sequence implements AutoCloseable {
        private final ImageWriter writer;
        private final FileImageOutputStream out;
        private final int delay;
        private boolean first = true;

        Sequence(Path file, int delayCentiseconds) throws IOException {
            Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
            if (!writers.hasNext()) {
                throw new IOException("this JRE has no GIF ImageWriter (javax.imageio); cannot write " + file);
            }
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.deleteIfExists(file); // FileImageOutputStream does not truncate an existing file
            writer = writers.next();
            out = new FileImageOutputStream(file.toFile());
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            delay = delayCentiseconds;
        }

        void add(BufferedImage rgbFrame) throws IOException {
            BufferedImage frame = indexed(rgbFrame);
            ImageWriteParam param = writer.getDefaultWriteParam();
            IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), param);
            String format = meta.getNativeMetadataFormatName(); // javax_imageio_gif_image_1.0
            IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(format);
            IIOMetadataNode control = child(root, "GraphicControlExtension");
            control.setAttribute("disposalMethod", "none");
            control.setAttribute("userInputFlag", "FALSE");
            control.setAttribute("transparentColorFlag", "FALSE");
            control.setAttribute("transparentColorIndex", "0");
            control.setAttribute("delayTime", Integer.toString(delay));
            // Each frame has its own palette (see indexed()); without a local colour table every frame would be
            // decoded with the first frame's palette, which the writer makes the global one.
            IndexColorModel palette = (IndexColorModel) frame.getColorModel();
            int tableSize = 2;
            while (tableSize < palette.getMapSize()) {
                tableSize *= 2;
            }
            IIOMetadataNode table = new IIOMetadataNode("LocalColorTable");
            table.setAttribute("sizeOfLocalColorTable", Integer.toString(tableSize));
            table.setAttribute("sortFlag", "FALSE");
            for (int i = 0; i < tableSize; i++) {
                int rgb = i < palette.getMapSize() ? palette.getRGB(i) : 0;
                IIOMetadataNode entry = new IIOMetadataNode("ColorTableEntry");
                entry.setAttribute("index", Integer.toString(i));
                entry.setAttribute("red", Integer.toString((rgb >> 16) & 0xFF));
                entry.setAttribute("green", Integer.toString((rgb >> 8) & 0xFF));
                entry.setAttribute("blue", Integer.toString(rgb & 0xFF));
                table.appendChild(entry);
            }
            IIOMetadataNode old = child(root, "LocalColorTable");
            root.replaceChild(table, old);
            if (first) {
                // The NETSCAPE2.0 extension with loop count 0 makes viewers repeat the animation forever.
                IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
                app.setAttribute("applicationID", "NETSCAPE");
                app.setAttribute("authenticationCode", "2.0");
                app.setUserObject(new byte[] {1, 0, 0});
                child(root, "ApplicationExtensions").appendChild(app);
                first = false;
            }
            try {
                meta.setFromTree(format, root);
            } catch (IIOInvalidTreeException e) {
                throw new IOException("GIF metadata rejected by " + writer.getClass().getName(), e);
            }
            writer.writeToSequence(new IIOImage(frame, null, meta), param);
        }

        private static IIOMetadataNode child(IIOMetadataNode root, String name) {
            for (int i = 0; i < root.getLength(); i++) {
                if (root.item(i).getNodeName().equalsIgnoreCase(name)) {
                    return (IIOMetadataNode) root.item(i);
                }
            }
            IIOMetadataNode node = new IIOMetadataNode(name);
            root.appendChild(node);
            return node;
        }

        @Override
        public void close() throws IOException {
            try {
                writer.endWriteSequence();
            } finally {
                writer.dispose();
                out.close();
            }
        }
    }
}
