package dev.proxima.core.ppo;

/**
 * What the current network says about the minibatch's rows: the distribution's log-probability of the stored action
 * and its entropy, the value, and the raw head outputs a term may also use (an L2 penalty on the Gaussian mean, a KL
 * to a reference policy's logits). Read-only views, valid during one {@link LossTerm#lossAndGrad} call.
 */
public interface HeadOutputs {

    /** log π_θ(a_i|s_i) of the stored action. */
    double logProb(int i);

    /** Entropy of π_θ(·|s_i). */
    double entropy(int i);

    /** V_θ(s_i). */
    double value(int i);

    /** Policy outputs per row: logits (categorical) or means (Gaussian). */
    default int policyDim() {
        throw new UnsupportedOperationException(getClass().getName() + " does not expose the policy outputs");
    }

    /** Policy output {@code j} of row {@code i}: a logit (categorical) or a mean (Gaussian). */
    default double policyOut(int i, int j) {
        throw new UnsupportedOperationException(getClass().getName() + " does not expose the policy outputs");
    }

    /** State-independent log-std parameters (Gaussian), 0 for a categorical head. */
    default int logStdDim() {
        return 0;
    }

    /** The Gaussian head's {@code log_std[j]}. */
    default double logStd(int j) {
        throw new UnsupportedOperationException(getClass().getName() + " has no log_std");
    }
}
