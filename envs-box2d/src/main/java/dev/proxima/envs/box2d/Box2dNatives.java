package dev.proxima.envs.box2d;

import com.badlogic.gdx.physics.box2d.Box2D;
import com.badlogic.gdx.utils.GdxNativesLoader;
import java.util.Locale;

/**
 * Loads libGDX's Box2D natives once per JVM. The envs call {@link #load()} before they create a world, so users
 * never need to; calling it early only moves the cost (extracting the library to a temporary folder, about 50 ms) and
 * surfaces an unsupported platform at start-up.
 *
 * <p>The natives come from {@code com.badlogicgames.gdx:gdx-box2d-platform:natives-desktop} (and
 * {@code gdx-platform}), which ship Linux x86_64, x86 (32-bit ARM as {@code arm}), arm64 and riscv64, macOS x86_64
 * and arm64, and Windows x86 and x86_64 builds. They are headless: no window, OpenGL or display is needed.
 */
public final class Box2dNatives {
    /** The platforms the natives-desktop jars ship libraries for, as they appear in error messages. */
    public static final String SUPPORTED = "Linux x86_64, arm (32-bit), arm64 and riscv64 (glibc); macOS x86_64 and"
            + " arm64; Windows x86 and x86_64";

    private static volatile boolean loaded;
    private static volatile Box2dNativesException failure;

    private Box2dNatives() {}

    /**
     * Loads the natives if that has not happened yet.
     *
     * @throws Box2dNativesException naming this platform and the supported ones when the library cannot be loaded
     */
    public static void load() {
        if (loaded) {
            return;
        }
        synchronized (Box2dNatives.class) {
            if (loaded) {
                return;
            }
            if (failure != null) {
                throw failure;
            }
            try {
                // gdx's own natives too: the binding reads body state through BufferUtils.getBufferAddress.
                GdxNativesLoader.load();
                Box2D.init();
                loaded = true;
            } catch (RuntimeException | LinkageError e) {
                failure = new Box2dNativesException("cannot load libGDX's natives (gdx, gdx-box2d) on this platform: "
                        + platform() + ". The natives-desktop jars support " + SUPPORTED + ". Check that"
                        + " com.badlogicgames.gdx:gdx-box2d-platform:natives-desktop is on the class path and that"
                        + " java.io.tmpdir (" + System.getProperty("java.io.tmpdir") + ") is writable; cause: " + e,
                        e);
                throw failure;
            }
        }
    }

    /** This JVM's platform as the error message names it: {@code os.name os.arch (java.vm.name)}. */
    static String platform() {
        return System.getProperty("os.name") + " " + System.getProperty("os.arch").toLowerCase(Locale.ROOT)
                + " (" + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ")";
    }
}
