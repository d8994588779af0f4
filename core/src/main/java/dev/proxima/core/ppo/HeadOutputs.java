package dev.proxima.core.ppo;

/** What the current network says about the minibatch's rows. */
public interface HeadOutputs {

    /** log π_θ(a_i|s_i) of the stored action. */
    double logProb(int i);

    /** Entropy of π_θ(·|s_i). */
    double entropy(int i);

    /** V_θ(s_i). */
    double value(int i);
}
