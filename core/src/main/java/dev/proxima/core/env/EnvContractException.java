package dev.proxima.core.env;

/**
 * An env or its caller broke Gymnasium's contract: a step after the episode ended, an action outside the action
 * space, an observation of the wrong shape or with a non-finite value. The message names the env, the step and the
 * value.
 */
public class EnvContractException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EnvContractException(String message) {
        super(message);
    }
}
