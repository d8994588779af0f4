package dev.proxima.core.ppo;

/**
 * Where a loss term adds the gradient of its value with respect to what it read from {@link HeadOutputs}. The trainer
 * multiplies what is added by the term's {@link LossTerm#weight weight}, then back-propagates: log-probability and
 * entropy through the distribution to the policy outputs, and everything on through the networks.
 */
public interface HeadGrads {

    void addLogProb(int i, double g);

    void addEntropy(int i, double g);

    void addValue(int i, double g);

    /** Adds to d(term)/d(policy output {@code j} of row {@code i}) (a logit or a mean), for terms that read it. */
    default void addPolicyOut(int i, int j, double g) {
        throw new UnsupportedOperationException(getClass().getName() + " takes no gradient w.r.t. policy outputs");
    }

    /** Adds to d(term)/d({@code log_std[j]}) of a Gaussian head. */
    default void addLogStd(int j, double g) {
        throw new UnsupportedOperationException(getClass().getName() + " takes no gradient w.r.t. log_std");
    }
}
