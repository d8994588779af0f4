package dev.proxima.core.io;

import java.io.IOException;

/** A file is not a valid safetensors file; the message names the file and what is wrong with it. */
public class SafeTensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    public SafeTensorsException(String message) {
        super(message);
    }
}
