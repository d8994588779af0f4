package dev.proxima.envs.box2d;

/** Box2D's native library could not be loaded; the message names the platform and the supported ones. */
public final class Box2dNativesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Box2dNativesException(String message, Throwable cause) {
        super(message, cause);
    }
}
