package dev.proxima.core.ppo;

/**
 * Where a loss term adds the gradient of its value with respect to the head outputs. The trainer multiplies what is
 * added by the term's {@link LossTerm#weight weight}, then back-propagates through the distribution and networks.
 */
public interface HeadGrads {

    void addLogProb(int i, double g);

    void addEntropy(int i, double g);

    void addValue(int i, double g);
}
