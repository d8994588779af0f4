package dev.proxima.bench;

/** A bad command line or an impossible request, with what to do instead; {@link Bench} prints it and exits 2. */
public final class BenchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BenchException(String message) {
        super(message);
    }
}
