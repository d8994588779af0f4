package dev.proxima.core.train;

/** Receives each {@link Evaluation} of an {@link Evaluate} callback; a SAM type for Java and Kotlin lambdas. */
@FunctionalInterface
public interface EvalListener {
    void onEvaluation(Evaluation evaluation);

    /** Does nothing: evaluate only to save the best agent or to drive an early stop. */
    EvalListener NONE = e -> {};
}
